import Hummingbird
import Synchronization

/// At most `limit` actions per sliding `window` for each client key: the original's limits of
/// one training a minute and three optimisations an hour.
public final class WindowRateLimiter: Sendable {
  /// The most actions of one client within ``window``.
  public let limit: Int
  /// The sliding window.
  public let window: Duration
  private let state = Mutex(State())

  struct State {
    var times: [String: [ContinuousClock.Instant]] = [:]
    /// The number of clients at which the next sweep of idle ones runs: memory stays bounded
    /// by the clients of one window (per-address limits see many).
    var sweepAt = 1_024
  }

  /// Creates a limiter allowing `limit` actions per `window` for each client.
  public init(limit: Int, window: Duration) {
    self.limit = max(1, limit)
    self.window = window
  }

  /// Records an action of `client` now and returns `nil` when allowed; else the whole seconds to
  /// wait (at least 1), recording nothing.
  public func acquire(client: String) -> Int? {
    let now = ContinuousClock.now
    let window = window
    return state.withLock { state in
      var recent = (state.times[client] ?? []).filter { $0 + window > now }
      if recent.count >= limit, let oldest = recent.first {
        state.times[client] = recent
        let wait = (oldest + window) - now
        return max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
      }
      recent.append(now)
      state.times[client] = recent
      if state.times.count >= state.sweepAt {
        state.times = state.times.filter { $0.value.contains { $0 + window > now } }
        state.sweepAt = max(1_024, 2 * state.times.count)
      }
      return nil
    }
  }

  /// Forgets `client`'s latest action (it was refused for another reason), so it counts no more.
  public func release(client: String) {
    state.withLock { _ = $0.times[client]?.popLast() }
  }

  /// How many clients the limiter keeps times of (for tests of its memory).
  var clientCount: Int {
    state.withLock { $0.times.count }
  }

  /// The 429 answer of a refused action: `message`, and `Retry-After` of `wait` seconds.
  func refusal(wait: Int, _ message: String) -> Response {
    var response = APIError(
      .tooManyRequests, code: "rate_limited", "\(message); retry in \(wait) s"
    )
    .response
    response.headers[.retryAfter] = String(wait)
    return response
  }
}
