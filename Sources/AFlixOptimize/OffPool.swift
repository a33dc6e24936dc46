import AFlixLinalg
internal import _AFlixSupport

/// Runs blocking work on a thread of its own (``DedicatedThread``) at the caller's thread count,
/// so that an `async` caller never holds one of Swift's cooperative threads for it.
enum OffPool {
  /// `body` on a new thread with the caller's thread count; its result or error.
  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let threads = Parallelism.currentThreadCount
    return try await DedicatedThread.run(name: "AFlix optimize (scoring)") {
      try Parallelism.withThreadCount(threads, body)
    }
  }
}
