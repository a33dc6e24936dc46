import AFlix
import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The whole service on the PostgreSQL store: accounts, ratings, experiments through the routes,
/// then a second service on the same database (a restart, or another instance) that has them all.
@Suite(
  .enabled(if: PostgresFixture.serverURL != nil, Comment(rawValue: PostgresFixture.disabledReason)))
struct PostgresServiceTests {
  @Test func theServiceRunsOnPostgresAndASecondInstanceSeesItsWrites() async throws {
    let fixture = try await PostgresFixture.make()
    do {
      try await runTheService(on: fixture)
    } catch {
      try? await fixture.remove()
      throw error
    }
    try await fixture.remove()
  }

  private func runTheService(on fixture: PostgresFixture) async throws {
    let data = try ServerData.synthetic(users: 200, films: 50, seed: 5)
    let first = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try await fixture.open())
    await first.train()
    let server = try await TestServer(service: first)
    let alice = try await userAuth(server.accounts, "alice")
    let films = data.catalog.movies.prefix(3).map { $0.id.description }
    try await server.test { client in
      for (k, film) in films.enumerated() {
        let posted = try await client.execute(
          uri: "/api/ratings", method: .post, headers: alice,
          body: ByteBuffer(string: #"{"movie_id": "\#(film)", "rating": \#(k + 3)}"#))
        #expect(posted.status == .created)
      }
      let list = try await client.execute(
        uri: "/api/recommendations/user/alice", method: .get, headers: alice)
      #expect(list.status == .ok)
      #expect(try object(list)["known_ratings"] as? Int == 3)
      #expect(try Set(movieIDs(list)).isDisjoint(with: films))

      let created = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: server.admin,
        body: ByteBuffer(string: #"{"name": "pg", "variants": ["a", "b"]}"#))
      #expect(created.status == .created)
      let variant = try await client.execute(
        uri: "/api/experiments/pg/variant", method: .get, headers: alice)
      let expected = try Experiment(name: "pg", variants: ["a", "b"]).variantIndex(forUser: "alice")
      #expect(try object(variant)["index"] as? Int == expected)
      let converted = try await client.execute(
        uri: "/api/experiments/pg/conversions", method: .post, headers: alice,
        body: ByteBuffer(string: #"{"value": 2.5}"#))
      #expect(converted.status == .created)
    }
    try await first.store.close()

    let second = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try await fixture.open())
    #expect(try await second.store.ratings(ofUser: "alice").map(\.rating) == [3, 4, 5])
    #expect(try await second.store.ratingCount() == 3)
    let accounts = try await testAccounts(second)
    _ = try await accounts.login(username: "alice", password: "pw-alice")
    let experiment = try #require(try await second.store.experiment(named: "pg"))
    let report = try await second.store.tally(of: experiment).report(confidence: 0.95)
    #expect(report.variants.map(\.conversions).reduce(0, +) == 1)
    await second.train()
    #expect(second.engine != nil)
    try await second.store.close()
  }
}
