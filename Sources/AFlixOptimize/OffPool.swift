import AFlixLinalg
import Foundation

/// Runs blocking work on a thread of its own, so that an `async` caller never holds one of Swift's
/// cooperative threads for it.
enum OffPool {
  /// `body` on a new thread with the caller's thread count; its result or error.
  static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let threads = Parallelism.currentThreadCount
    return try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        continuation.resume(with: Result { try Parallelism.withThreadCount(threads, body) })
      }
      thread.name = "AFlix optimize (scoring)"
      thread.start()
    }
  }
}
