import Foundation
import Synchronization
internal import _AFlixSupport

/// How many threads AFlix's own parallel loops (sparse products, Gram accumulation, per-user
/// solves, clustering, synthetic worlds) may use. BLAS has its own setting, ``BLAS/threadCount``.
///
/// The count a loop uses is ``currentThreadCount``: the count bound by the innermost enclosing
/// ``withThreadCount(_:_:)`` (or its `async` twin) when there is one, else the process-wide
/// default ``maximumThreadCount``. A bound count travels with the call — into child tasks and
/// into the loops' worker threads — and does not affect other callers, so a server can give each
/// request its own count:
///
/// ```swift
/// // One thread per batch of requests, parallelism across requests:
/// let lists = Parallelism.withThreadCount(1) { model.recommend(users: ids, count: 10) }
/// // A refit may use four, whatever other requests do meanwhile:
/// let refit = try Parallelism.withThreadCount(4) { try ImplicitALS().fit(data) }
/// ```
///
/// The default is the `AFLIX_NUM_THREADS` environment variable when it holds a count from 1 to
/// ``maximumThreadLimit``, else the number of active cores; ``environmentThreadCount(_:)`` tells a
/// program whether the variable is unusable, so that it can report it instead of ignoring it.
/// With 1, loops run serially on the calling thread. Work is split into chunks whose boundaries
/// depend only on the problem size, so results are bit-identical for every count.
public enum Parallelism {
  private static let limit = Mutex<Int>(initialThreadCount())

  private static func initialThreadCount() -> Int {
    if let n = try? environmentThreadCount() { return n }
    return max(1, ProcessInfo.processInfo.activeProcessorCount)
  }

  /// The most threads AFlix's loops (and the command line's `--threads`) accept: 1,024.
  public static let maximumThreadLimit = 1_024

  /// The count `AFLIX_NUM_THREADS` sets, or `nil` when the variable is unset or empty.
  ///
  /// - Throws: ``LinalgError`` `.invalidArgument` when it is set to anything but a whole number
  ///   from 1 to ``maximumThreadLimit`` (the value then does not apply: the default is used).
  public static func environmentThreadCount(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> Int? {
    guard let raw = environment["AFLIX_NUM_THREADS"] else { return nil }
    let text = raw.trimmingCharacters(in: .whitespaces)
    if text.isEmpty { return nil }
    guard let n = Int(text), (1...maximumThreadLimit).contains(n) else {
      throw LinalgError(
        .invalidArgument,
        "AFLIX_NUM_THREADS must be a whole number from 1 to \(maximumThreadLimit), got '\(raw)'")
    }
    return n
  }

  /// The maximum number of threads AFlix's own loops use, from 1 to ``maximumThreadLimit``
  /// (values outside are clamped).
  ///
  /// This is the process-wide default: ``withThreadCount(_:_:)`` overrides it for one call
  /// without changing it.
  public static var maximumThreadCount: Int {
    get { limit.withLock { $0 } }
    set { limit.withLock { $0 = clamped(newValue) } }
  }

  /// The number of threads AFlix's loops use when called from here: the count bound by the
  /// innermost enclosing ``withThreadCount(_:_:)`` (or its `async` twin), else
  /// ``maximumThreadCount``.
  public static var currentThreadCount: Int {
    ThreadBudget.override ?? maximumThreadCount
  }

  /// Runs `body` with AFlix's loops limited to `count` threads, for this call only.
  ///
  /// The count is bound to the current task (outside a task, to the current thread) for the
  /// duration of `body`: loops called from `body`, from the tasks it creates and from the worker
  /// threads of AFlix's loops see it as ``currentThreadCount``; other callers, and
  /// ``maximumThreadCount``, are unaffected. Sections nest: the innermost count applies. Counts
  /// outside 1…``maximumThreadLimit`` are clamped, as by ``maximumThreadCount``.
  ///
  /// BLAS's own threads are separate and process-global (``BLAS/withThreadCount(_:_:)``).
  public static func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
    try ThreadBudget.$override.withValue(clamped(count), operation: body)
  }

  /// Runs the asynchronous `body` with AFlix's loops limited to `count` threads, for this call
  /// only: the `async` twin of ``withThreadCount(_:_:)``.
  public static func withThreadCount<T>(
    _ count: Int, isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
  ) async rethrows -> T {
    try await ThreadBudget.$override.withValue(clamped(count), operation: body)
  }

  /// `count` limited to 1…``maximumThreadLimit``.
  private static func clamped(_ count: Int) -> Int { min(maximumThreadLimit, max(1, count)) }
}
