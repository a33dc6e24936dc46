import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs slow, blocking work (bcrypt, a decomposition over every user) on a global dispatch queue
/// and resumes the caller with its result: Swift's cooperative pool has a thread per core, and a
/// request handler that blocked one for seconds would stall every request queued behind it.
enum OffPool {
  /// `work`'s result, or what it throws, computed on a global queue.
  static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global(qos: .userInitiated).async {
        continuation.resume(with: Result { try work() })
      }
    }
  }

  /// `work`'s result, computed on a global queue.
  static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
      DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
    }
  }

  /// `work`'s result, or what it throws, computed on a thread of its own at low priority (Linux:
  /// nice 10 above the process's threads), so that request threads come first: the parts of a
  /// training the library's fits do not run (building the dataset, the split, scoring the
  /// held-out ratings, writing the model file).
  static func background<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T
  {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        #if os(Linux)
          errno = 0
          let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
          if errno == 0 {
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, nice + 10))
          }
        #endif
        continuation.resume(with: Result { try work() })
      }
      thread.start()
    }
  }
}
