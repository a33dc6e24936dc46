import AFlixServerCore
import Foundation
import GRDB
import Testing

@Suite struct RatingStoreTests {
  @Test func migrationCreatesTheSchema() async throws {
    let store = try RatingStore(path: nil)
    #expect(
      try await store.appliedMigrations() == [
        "v1: users, films, ratings", "v2: accounts", "v3: films added through the service",
        "v4: experiments and feedback",
      ])
    #expect(
      try await store.tableNames() == [
        "accounts", "experiment_events", "experiments", "feedback", "films", "ratings", "users",
      ])
  }

  @Test func migratingAVersion1DatabaseKeepsItsRatings() async throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let old = try DatabaseQueue(path: path)
    try RatingStore.migrator.migrate(old, upTo: "v1: users, films, ratings")
    try await old.write { db in
      try db.execute(sql: "INSERT INTO users (id, created_at) VALUES ('u', 1)")
      try db.execute(sql: "INSERT INTO films (id, title) VALUES ('1', 'One')")
      try db.execute(
        sql: "INSERT INTO ratings (user_id, movie_id, rating, timestamp, source, sequence) "
          + "VALUES ('u', '1', 4.5, 10, 'model', 1)")
    }
    try old.close()
    let store = try RatingStore(path: path)
    #expect(try await store.appliedMigrations().contains("v2: accounts"))
    #expect(try await store.appliedMigrations().contains("v3: films added through the service"))
    #expect(try await store.addedFilms().isEmpty)
    #expect(try await store.ratings(ofUser: "u").map(\.rating) == [4.5])
    #expect(
      try await store.createAccount(username: "u", passwordHash: "h", isAdmin: false, createdAt: 2))
    #expect(try await store.account(named: "u")?.passwordHash == "h")
    try store.close()
  }

  @Test func migratingTwiceKeepsTheData() async throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let first = try RatingStore(path: path)
    try await first.upsertFilms([(id: "1", title: "One")])
    try await first.save(StoredRating(userID: "u", movieID: "1", rating: 4, timestamp: 10))
    try first.close()
    let second = try RatingStore(path: path)
    #expect(try await second.appliedMigrations().count == 4)
    #expect(try await second.ratingCount() == 1)
    try second.close()
  }

  @Test func aNewRatingReplacesTheOld() async throws {
    let store = try RatingStore(path: nil)
    try await store.upsertFilms([(id: "1", title: "One"), (id: "2", title: "Two")])
    let a = try await store.save(
      StoredRating(userID: "u", movieID: "1", rating: 2, timestamp: 10, source: "model"))
    try await store.save(StoredRating(userID: "u", movieID: "2", rating: 3, timestamp: 11))
    let b = try await store.save(
      StoredRating(userID: "u", movieID: "1", rating: 5, timestamp: 12, source: "content"))
    #expect(b.sequence > a.sequence)
    let ratings = try await store.ratings(ofUser: "u")
    #expect(ratings.map(\.movieID) == ["1", "2"])
    #expect(ratings[0].rating == 5)
    #expect(ratings[0].timestamp == 12)
    #expect(ratings[0].source == "content")
    #expect(try await store.ratingCount() == 2)
    #expect(try await store.userCount() == 1)
    #expect(try await store.ratings(after: a.sequence).map(\.movieID) == ["2", "1"])
  }

  @Test func anUnknownFilmIsRejected() async throws {
    let store = try RatingStore(path: nil)
    await #expect(throws: (any Error).self) {
      try await store.save(StoredRating(userID: "u", movieID: "9", rating: 2, timestamp: 1))
    }
    #expect(try await store.ratingCount() == 0)
  }

  @Test func ratingsSurviveClosingAndReopening() async throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = try RatingStore(path: path)
    try await store.upsertFilms((1...20).map { (id: String($0), title: "Film \($0)") })
    for k in 1...20 {
      try await store.save(
        StoredRating(
          userID: "user\(k % 3)", movieID: String(k), rating: Double(k % 5 + 1),
          timestamp: Int64(k), source: "test"))
    }
    try store.close()
    let reopened = try RatingStore(path: path)
    #expect(try await reopened.ratingCount() == 20)
    #expect(try await reopened.userCount() == 3)
    let ratings = try await reopened.ratings(ofUser: "user1")
    #expect(ratings.count == 7)
    #expect(ratings.first { $0.movieID == "4" }?.rating == 5)
    #expect(ratings.allSatisfy { $0.source == "test" })
    try reopened.close()
  }
}
