import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AFlixServerCore

@Suite struct CacheTests {
  func cacheStatus(_ response: TestResponse) -> String? {
    response.headers.first { $0.name.rawName.lowercased() == "x-cache" }?.value
  }

  @Test func aRepeatedRequestIsAHitUntilTheUserRates() async throws {
    let server = try await TestServer.trained()
    let user = "reader"
    let uri = "/api/recommendations/user/\(user)?top_n=4"
    let accounts = server.accounts
    let auth = try await userAuth(accounts, user)
    try await server.test { client in
      let first = try await client.execute(uri: uri, method: .get, headers: auth)
      #expect(cacheStatus(first) == "miss")
      let second = try await client.execute(uri: uri, method: .get, headers: auth)
      #expect(cacheStatus(second) == "hit")
      #expect(second.body == first.body)
      // Other options are another entry.
      let explained = try await client.execute(
        uri: uri + "&explain=true", method: .get, headers: auth)
      #expect(cacheStatus(explained) == "miss")

      let film = try #require(try movieIDs(first).first)
      let posted = try await client.execute(
        uri: "/api/ratings", method: .post, headers: auth,
        body: ByteBuffer(string: #"{"movie_id": "\#(film)", "rating": 1}"#))
      #expect(posted.status == .created)
      let after = try await client.execute(uri: uri, method: .get, headers: auth)
      #expect(cacheStatus(after) == "miss")
      #expect(try !movieIDs(after).contains(film))

      let status = try object(
        try await client.execute(uri: "/api/recommendations/status", method: .get))
      let cache = try #require(status["cache"] as? [String: Any])
      #expect(cache["hits"] as? Int == 1)
      #expect(cache["misses"] as? Int == 3)
    }
  }

  @Test func aNewModelLeavesCachedListsToExpire() async throws {
    let server = try await TestServer.trained()
    let user = server.service.baseRatings.users.id(at: 4).description
    let uri = "/api/recommendations/user/\(user)?top_n=5"
    try await server.test { client in
      let first = try await client.execute(uri: uri, method: .get, headers: server.admin)
      #expect(cacheStatus(first) == "miss")
      #expect(try object(first)["model_generation"] as? Int == 1)
      await server.service.train()
      #expect(server.service.modelGeneration == 2)
      // The list made by the first model is served until it expires or the user rates.
      let cached = try await client.execute(uri: uri, method: .get, headers: server.admin)
      #expect(cacheStatus(cached) == "hit")
      #expect(try object(cached)["model_generation"] as? Int == 1)
      // Another user's list is made by the new model.
      let other = server.service.baseRatings.users.id(at: 5).description
      let fresh = try await client.execute(
        uri: "/api/recommendations/user/\(other)?top_n=5", method: .get, headers: server.admin)
      #expect(cacheStatus(fresh) == "miss")
      #expect(try object(fresh)["model_generation"] as? Int == 2)
    }
  }

  @Test func recordsOfUsersWhoRatedLongAgoAreForgotten() {
    let cache = RecommendationCache(capacity: 100)
    let start = ContinuousClock.now
    for k in 0..<2_000 { cache.invalidate(user: "old-\(k)", at: start) }
    #expect(cache.trackedUserCount == 2_000)
    let key = RecommendationCache.Key(user: "old-7", count: 10, explain: false)
    cache.store(Data([7]), for: key, catalogVersion: 0, userVersion: cache.version(ofUser: "old-7"))
    // A day later: the next 1,024th invalidation forgets users without entries.
    let later = start + .seconds(25 * 3600)
    for k in 0..<48 { cache.invalidate(user: "new-\(k)", at: later) }
    #expect(cache.trackedUserCount == 48 + 1)
    #expect(cache.value(for: key, catalogVersion: 0) == Data([7]))
  }

  @Test func theCacheCanBeTurnedOff() async throws {
    let server = try await TestServer.trained()
    let admin = server.admin
    try await server.test(cacheCapacity: 0) { client in
      for _ in 0..<2 {
        let response = try await client.execute(
          uri: "/api/recommendations/user/1", method: .get, headers: admin)
        #expect(response.status == .ok)
        #expect(cacheStatus(response) == "off")
      }
    }
  }

  @Test func expiryFollowsActivityAndTheCacheStaysBounded() {
    let cache = RecommendationCache(capacity: 20)
    #expect(cache.timeToLive(forUser: "quiet") == .seconds(30 * 60))
    cache.invalidate(user: "busy")
    #expect(cache.timeToLive(forUser: "busy") == .seconds(60))
    for k in 0..<50 {
      let key = RecommendationCache.Key(user: "u\(k)", count: 10, explain: false)
      cache.store(Data([UInt8(k)]), for: key, catalogVersion: 1, userVersion: 0)
    }
    #expect(cache.statistics.entries <= 20)
    let last = RecommendationCache.Key(user: "u49", count: 10, explain: false)
    #expect(cache.value(for: last, catalogVersion: 1) == Data([49]))
    #expect(cache.value(for: last, catalogVersion: 2) == nil)
  }

  @Test func aResponseComputedBeforeARatingIsNotKept() {
    let cache = RecommendationCache(capacity: 10)
    let key = RecommendationCache.Key(user: "u", count: 10, explain: false)
    let version = cache.version(ofUser: "u")
    cache.invalidate(user: "u")
    cache.store(Data([1]), for: key, catalogVersion: 1, userVersion: version)
    #expect(cache.value(for: key, catalogVersion: 1) == nil)
  }
}
