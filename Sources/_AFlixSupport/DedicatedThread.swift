import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Blocking work on a thread of its own, awaited without holding one of Swift's cooperative
/// threads: what every long AFlix computation behind an `async` API runs on.
package enum DedicatedThread {
  /// `body` on a new thread named `name`; its result or error. (A new thread inherits no
  /// task-local value: callers bind what `body` needs, such as a thread count, inside it.)
  ///
  /// With `lowPriority`, the thread runs below the process's other threads (Linux: its nice value
  /// raised by ``backgroundNiceIncrement``; threads it starts inherit it).
  package static func run<T: Sendable>(
    name: String, lowPriority: Bool = false, _ body: @escaping @Sendable () throws -> T
  ) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        nameCurrentThread(name)
        if lowPriority { lowerCurrentThreadPriority() }
        continuation.resume(with: Result { try body() })
      }
      thread.name = name
      thread.start()
    }
  }

  /// How much a low-priority thread's nice value exceeds its creator's.
  package static let backgroundNiceIncrement: Int32 = 10

  /// Lowers the calling thread's scheduling priority by ``backgroundNiceIncrement`` (Linux keeps
  /// a nice value per thread: `setpriority(PRIO_PROCESS, 0, …)` changes only the caller's, and
  /// threads it starts inherit it). Best effort: nothing happens where it is refused.
  package static func lowerCurrentThreadPriority() {
    #if os(Linux)
      errno = 0
      let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
      guard errno == 0 else { return }
      _ = setpriority(
        __priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + backgroundNiceIncrement))
    #endif
  }

  /// Gives the calling thread `name` where the system shows thread names (`top -H`, `perf`, a
  /// debugger; on Linux `/proc/<pid>/task/*/comm`, which keeps the first 15 bytes). Foundation's
  /// `Thread.name` names only the `Thread` object on Linux. Best effort: nothing happens where
  /// the name cannot be set.
  package static func nameCurrentThread(_ name: String) {
    #if os(Linux)
      var bytes = Array(name.utf8.prefix(15))
      // A cut inside a multi-byte character is dropped back to the last whole one.
      while !bytes.isEmpty, String(validating: bytes, as: UTF8.self) == nil { bytes.removeLast() }
      // The thread's own `comm` file (proc(5), Linux 3.17 and later) sets its name.
      let descriptor = open("/proc/thread-self/comm", O_WRONLY)
      guard descriptor >= 0 else { return }
      _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      close(descriptor)
    #endif
  }
}
