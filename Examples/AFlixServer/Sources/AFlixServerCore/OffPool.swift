import Dispatch

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
}
