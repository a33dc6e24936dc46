import Foundation
import Synchronization

/// At most one action per `interval` for each client key: the original's rate limits (training
/// once a minute).
public final class RateLimiter: Sendable {
  /// The shortest time between two actions of one client.
  public let interval: Duration
  private let last = Mutex<[String: ContinuousClock.Instant]>([:])

  /// Creates a limiter allowing one action per `interval` for each client.
  public init(interval: Duration) {
    self.interval = interval
  }

  /// Records an action of `client` now and returns `nil` when allowed; else the whole seconds to
  /// wait (at least 1), recording nothing.
  public func acquire(client: String) -> Int? {
    let now = ContinuousClock.now
    return last.withLock { last in
      if let previous = last[client], previous + interval > now {
        let wait = (previous + interval) - now
        return max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
      }
      last[client] = now
      return nil
    }
  }

  /// Forgets `client`'s last action (it was refused for another reason), so the next is allowed.
  public func release(client: String) {
    _ = last.withLock { $0.removeValue(forKey: client) }
  }
}
