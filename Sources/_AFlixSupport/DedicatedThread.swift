import Foundation

/// Blocking work on a thread of its own, awaited without holding one of Swift's cooperative
/// threads: what every long AFlix computation behind an `async` API runs on.
package enum DedicatedThread {
  /// `body` on a new thread named `name`; its result or error. (A new thread inherits no
  /// task-local value: callers bind what `body` needs, such as a thread count, inside it.)
  package static func run<T: Sendable>(
    name: String, _ body: @escaping @Sendable () throws -> T
  ) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread { continuation.resume(with: Result { try body() }) }
      thread.name = name
      thread.start()
    }
  }
}
