import Foundation
import Synchronization

/// How many threads AFlix's own parallel loops (sparse products, Gram accumulation, per-user
/// solves) may use. BLAS has its own setting, ``BLAS/threadCount``.
///
/// The default is the `AFLIX_NUM_THREADS` environment variable when it holds a count from 1 to
/// ``maximumThreadLimit``, else the number of active cores; ``environmentThreadCount(_:)`` tells a
/// program whether the variable is unusable, so that it can report it instead of ignoring it. With 1, loops run serially on the calling thread. Work is split into chunks whose
/// boundaries depend only on the problem size, so results are bit-identical for every setting.
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
  public static var maximumThreadCount: Int {
    get { limit.withLock { $0 } }
    set { limit.withLock { $0 = min(maximumThreadLimit, max(1, newValue)) } }
  }
}
