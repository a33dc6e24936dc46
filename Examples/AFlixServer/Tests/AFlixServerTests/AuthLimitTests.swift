import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AFlixServerCore

/// Sign-ins and registrations are limited per client address (each costs a bcrypt), over a real
/// socket: the router tests' channel has no address, and is not limited.
@Suite struct AuthLimitTests {
  @Test func anAddressPastItsAttemptsGets429AndBothRoutesShareTheBudget() async throws {
    let server = try await TestServer.trained()
    let app = makeApplication(
      service: server.service, accounts: server.accounts, port: 0, authAttemptsPerMinute: 3)
    try await app.test(.live) { client in
      let wrong = ByteBuffer(string: #"{"username": "admin", "password": "wrong"}"#)
      for _ in 0..<2 {
        let refused = try await client.execute(uri: "/api/auth/login", method: .post, body: wrong)
        #expect(refused.status == .unauthorized)
      }
      let registered = try await client.execute(
        uri: "/api/auth/register", method: .post,
        body: ByteBuffer(string: #"{"username": "newcomer", "password": "pw-newcomer"}"#))
      #expect(registered.status == .created)
      // The fourth attempt of the minute, the right password or not.
      let limited = try await client.execute(
        uri: "/api/auth/login", method: .post,
        body: ByteBuffer(string: #"{"username": "admin", "password": "admin-password"}"#))
      #expect(limited.status == .tooManyRequests)
      #expect(try errorCode(limited) == "rate_limited")
      let wait = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
      #expect((1...60).contains(wait))
      let register = try await client.execute(
        uri: "/api/auth/register", method: .post,
        body: ByteBuffer(string: #"{"username": "another", "password": "pw-another"}"#))
      #expect(register.status == .tooManyRequests)
      // Other routes are not counted.
      let health = try await client.execute(uri: "/health", method: .get)
      #expect(health.status == .ok)
    }
  }

  @Test func theLimiterForgetsIdleClients() {
    let limiter = WindowRateLimiter(limit: 2, window: .milliseconds(1))
    for k in 0..<5_000 {
      if k == 2_500 { usleep(2_000) }
      _ = limiter.acquire(client: "address \(k)")
    }
    // Swept when the count reaches its mark: the first half is idle by then.
    #expect(limiter.clientCount < 5_000)
  }
}
