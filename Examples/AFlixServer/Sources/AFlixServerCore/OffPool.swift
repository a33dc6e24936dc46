import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs slow, blocking work (bcrypt, a decomposition over every user) on a global dispatch queue
/// and resumes the caller with its result: Swift's cooperative pool has a thread per core, and a
/// request handler that blocked one for seconds would stall every request queued behind it.
///
/// At most one such job per core runs at a time (``gate``): a burst of logins or clustering
/// requests queues instead of starving the request threads.
enum OffPool {
  /// Admits one job per core.
  static let gate = WorkGate(limit: max(1, ProcessInfo.processInfo.activeProcessorCount))

  /// `work`'s result, or what it throws, computed on a global queue once ``gate`` admits it.
  static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    await gate.enter()
    defer { Task { await gate.leave() } }
    return try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global(qos: .userInitiated).async {
        continuation.resume(with: Result { try work() })
      }
    }
  }

  /// `work`'s result, computed on a global queue once ``gate`` admits it.
  static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await gate.enter()
    defer { Task { await gate.leave() } }
    return await withCheckedContinuation { continuation in
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

/// An asynchronous counting semaphore: at most `limit` holders at a time, the others waiting in
/// arrival order without blocking a thread.
actor WorkGate {
  /// The most holders at a time.
  let limit: Int
  private var holders = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(limit: Int) {
    self.limit = max(1, limit)
  }

  /// Waits for a place.
  func enter() async {
    if holders < limit {
      holders += 1
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  /// Gives the place to the first waiter, or frees it.
  func leave() {
    if waiting.isEmpty {
      holders -= 1
    } else {
      waiting.removeFirst().resume()
    }
  }
}
