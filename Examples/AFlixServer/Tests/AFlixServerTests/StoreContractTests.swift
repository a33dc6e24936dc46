import AFlix
import AFlixServerCore
import Foundation
import Synchronization
import Testing

/// What every back end of ``RatingStore`` must do: the same migrations and durability checks,
/// run on SQLite always and on PostgreSQL when a server is given (``PostgresFixture``).
enum StoreContract: String, CaseIterable, Sendable {
  case migrationCreatesTheSchema
  case upgradingAVersion1DatabaseKeepsItsRatings
  case migratingTwiceKeepsTheData
  case aNewRatingReplacesTheOld
  case anUnknownFilmIsRejected
  case ratingsSurviveClosingAndReopening
  case concurrentWritesTakeSequencesInCommitOrder
  case accountsAndAddedFilmsSurviveReopening
  case experimentsAndFeedbackSurviveReopening

  static let migrations = [
    "v1: users, films, ratings", "v2: accounts", "v3: films added through the service",
    "v4: experiments and feedback", "v5: experiments that change the lists",
  ]

  /// Runs the check on a new database of `fixture`, removed afterwards.
  func check(on fixture: any StoreFixture) async throws {
    do {
      try await run(fixture)
    } catch {
      try? await fixture.remove()
      throw error
    }
    try await fixture.remove()
  }

  private func run(_ fixture: any StoreFixture) async throws {
    switch self {
    case .migrationCreatesTheSchema:
      let store = try await fixture.open()
      #expect(try await store.appliedMigrations() == Self.migrations)
      #expect(
        try await store.tableNames() == [
          "accounts", "experiment_events", "experiments", "feedback", "films", "ratings", "users",
        ])
      try await store.close()

    case .upgradingAVersion1DatabaseKeepsItsRatings:
      let old = try await fixture.open(migratingUpTo: Self.migrations[0])
      #expect(try await old.appliedMigrations() == [Self.migrations[0]])
      try await old.upsertFilms([(id: "1", title: "One")])
      try await old.save(
        StoredRating(userID: "u", movieID: "1", rating: 4.5, timestamp: 10, source: "model"))
      try await old.close()
      let store = try await fixture.open()
      #expect(try await store.appliedMigrations() == Self.migrations)
      #expect(try await store.addedFilms().isEmpty)
      #expect(try await store.ratings(ofUser: "u").map(\.rating) == [4.5])
      #expect(
        try await store.createAccount(
          username: "u", passwordHash: "h", isAdmin: false, createdAt: 2))
      #expect(try await store.account(named: "u")?.passwordHash == "h")
      try await store.close()

    case .migratingTwiceKeepsTheData:
      let first = try await fixture.open()
      try await first.upsertFilms([(id: "1", title: "One")])
      try await first.save(StoredRating(userID: "u", movieID: "1", rating: 4, timestamp: 10))
      try await first.close()
      let second = try await fixture.open()
      #expect(try await second.appliedMigrations() == Self.migrations)
      #expect(try await second.ratingCount() == 1)
      try await second.close()

    case .aNewRatingReplacesTheOld:
      let store = try await fixture.open()
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
      #expect(ratings[1].source == nil)
      #expect(try await store.ratingCount() == 2)
      #expect(try await store.userCount() == 1)
      #expect(try await store.ratings(after: a.sequence).map(\.movieID) == ["2", "1"])
      #expect(try await store.ratings(ofFilm: "1").map(\.userID) == ["u"])
      try await store.close()

    case .anUnknownFilmIsRejected:
      let store = try await fixture.open()
      await #expect(throws: (any Error).self) {
        try await store.save(StoredRating(userID: "u", movieID: "9", rating: 2, timestamp: 1))
      }
      #expect(try await store.ratingCount() == 0)
      #expect(try await store.userCount() == 0)
      try await store.close()

    case .ratingsSurviveClosingAndReopening:
      let store = try await fixture.open()
      try await store.upsertFilms((1...20).map { (id: String($0), title: "Film \($0)") })
      for k in 1...20 {
        try await store.save(
          StoredRating(
            userID: "user\(k % 3)", movieID: String(k), rating: Double(k % 5 + 1),
            timestamp: Int64(k), source: "test"))
      }
      try await store.close()
      let reopened = try await fixture.open()
      #expect(try await reopened.ratingCount() == 20)
      #expect(try await reopened.userCount() == 3)
      let ratings = try await reopened.ratings(ofUser: "user1")
      #expect(ratings.count == 7)
      #expect(ratings.first { $0.movieID == "4" }?.rating == 5)
      #expect(ratings.allSatisfy { $0.source == "test" })
      try await reopened.close()

    case .concurrentWritesTakeSequencesInCommitOrder:
      let store = try await fixture.open()
      try await store.upsertFilms((1...25).map { (id: String($0), title: "Film \($0)") })
      // A reader following the writers by "the ratings after the last sequence I saw" (what the
      // service's fold-in does) must miss none: a rating committed after a larger sequence was
      // seen may not carry a smaller one.
      let writing = Flag()
      let reader = Task {
        var cursor: Int64 = 0
        var seen = 0
        while writing.isOn {
          let new = try await store.ratings(after: cursor)
          seen += new.count
          cursor = new.last?.sequence ?? cursor
        }
        return (seen: seen + (try await store.ratings(after: cursor)).count, cursor: cursor)
      }
      let saved = try await withThrowingTaskGroup(of: [StoredRating].self) { group in
        for writer in 0..<8 {
          group.addTask {
            var mine: [StoredRating] = []
            for film in 1...25 {
              mine.append(
                try await store.save(
                  StoredRating(
                    userID: "w\(writer)", movieID: String(film), rating: Double(film % 5 + 1),
                    timestamp: Int64(film))))
            }
            return mine
          }
        }
        return try await group.reduce(into: []) { $0 += $1 }
      }
      writing.turnOff()
      let followed = try await reader.value
      #expect(followed.seen == 200, "the reader missed \(200 - followed.seen) ratings")
      let sequences = saved.map(\.sequence)
      #expect(Set(sequences).count == 200)
      let all = try await store.ratings()
      #expect(all.count == 200)
      #expect(all.map(\.sequence) == sequences.sorted())
      // Every reader that has seen sequence s sees every rating below it: nothing is committed
      // later with a smaller number.
      let middle = sequences.sorted()[99]
      #expect(try await store.ratings(after: middle).count == 100)
      try await store.close()

    case .accountsAndAddedFilmsSurviveReopening:
      let store = try await fixture.open()
      #expect(
        try await store.createAccount(
          username: "ann", passwordHash: "h1", isAdmin: true, createdAt: 1))
      #expect(
        try await store.createAccount(
          username: "ann", passwordHash: "h2", isAdmin: false, createdAt: 2)
          == false)
      let films = [
        Movie(id: "new-b", title: "Bee", genres: [Genre(id: 18, name: "Drama")]),
        Movie(id: "new-a", title: "Ay", genres: [Genre(id: 35, name: "Comedy")], year: 2026),
      ]
      for film in films {
        #expect(try await store.addFilm(film, addedAt: 100))
      }
      #expect(try await store.addFilm(films[0], addedAt: 101) == false)
      try await store.close()
      let reopened = try await fixture.open()
      let account = try await reopened.account(named: "ann")
      #expect(account?.passwordHash == "h1")
      #expect(account?.isAdmin == true)
      #expect(try await reopened.account(named: "bob") == nil)
      #expect(try await reopened.addedFilms() == films)
      try await reopened.close()

    case .experimentsAndFeedbackSurviveReopening:
      let experiment = try Experiment(name: "durable", variants: ["a", "b", "c"])
      let first = try await fixture.open()
      #expect(try await first.addExperiment(experiment, createdAt: 1))
      #expect(try await first.addExperiment(experiment, createdAt: 2) == false)
      for user in ["u1", "u2", "u3", "u4"] {
        let index = experiment.variantIndex(forUser: user)
        #expect(
          try await first.recordExposure(experiment: "durable", user: user, variant: index, at: 3))
        #expect(
          try await first.recordExposure(experiment: "durable", user: user, variant: index, at: 4)
            == false)
        if user != "u4" {
          #expect(
            try await first.recordConversion(
              experiment: "durable", user: user, variant: index, value: Double(user.count), at: 5))
          #expect(
            try await first.recordConversion(
              experiment: "durable", user: user, variant: index, value: 1, at: 6) == false)
        }
      }
      try await first.recordFeedback(
        FeedbackEvent(userID: "u1", movieID: "1", event: .impression, timestamp: 7))
      try await first.recordFeedback(
        FeedbackEvent(
          userID: "u1", movieID: "1", event: .click, source: "model", experiment: "durable",
          variant: 2, timestamp: 8))
      try await first.close()
      let second = try await fixture.open()
      #expect(try await second.experiment(named: "durable") == experiment)
      #expect(try await second.experiment(named: "other") == nil)
      let tally = try await second.tally(of: experiment)
      #expect(tally.variants.map(\.exposures).reduce(0, +) == 4)
      #expect(tally.variants.map(\.conversions).reduce(0, +) == 3)
      #expect(try await second.feedbackCounts() == [.impression: 1, .click: 1])
      #expect(try await second.listExperiment() == nil)
      let batch = ["u1", "u5", "u6", "u5"].map {
        Exposure(experiment.assignment(forUser: $0), user: $0, at: 9)
      }
      #expect(try await second.recordExposures(batch) == [false, true, true, false])
      #expect(try await second.tally(of: experiment).variants.map(\.exposures).reduce(0, +) == 6)
      let weights = try Experiment(name: "weights", variants: ["measured", "original"])
      let later = try Experiment(name: "later", variants: ["off", "original"])
      #expect(try await second.addExperiment(weights, appliesTo: "weights", createdAt: 10))
      #expect(try await second.addExperiment(later, appliesTo: "diversity", createdAt: 11))
      #expect(
        try await second.addExperiment(experiment, appliesTo: "weights", createdAt: 12) == false)
      let serving = try await second.listExperiment()
      #expect(serving?.experiment == later)
      #expect(serving?.appliesTo == "diversity")
      try await second.close()
    }
  }
}

@Suite struct SQLiteStoreTests {
  @Test(arguments: StoreContract.allCases)
  func contract(_ check: StoreContract) async throws {
    try await check.check(on: SQLiteFixture())
  }

  @Test func anInMemoryStoreIsMigrated() async throws {
    let store = try SQLiteRatingStore(path: nil)
    #expect(try await store.appliedMigrations() == StoreContract.migrations)
  }
}

@Suite(
  .enabled(if: PostgresFixture.serverURL != nil, Comment(rawValue: PostgresFixture.disabledReason)))
struct PostgresStoreTests {
  @Test(arguments: StoreContract.allCases)
  func contract(_ check: StoreContract) async throws {
    try await check.check(on: try await PostgresFixture.make())
  }
}

/// The PostgreSQL store's URL reading and connection failure: no server needed.
@Suite struct PostgresURLTests {
  @Test func aURLItCannotReadIsRefusedWithoutItsPassword() async throws {
    #expect(throws: StoreURLError.self) {
      try PostgresRatingStore.configuration(from: "postgres://u:secret@/db")
    }
    #expect(throws: StoreURLError.self) {
      try PostgresRatingStore.configuration(from: "postgres://u:secret@host/db?sslmode=sometimes")
    }
    let error = StoreURLError(url: "postgres://u:secret@host/db", reason: "test")
    #expect(!error.description.contains("secret"))
    let configuration = try PostgresRatingStore.configuration(
      from: "postgresql://ann:p%40ss@db.example:6543/aflix?sslmode=disable")
    #expect(configuration.host == "db.example")
    #expect(configuration.port == 6543)
    #expect(configuration.username == "ann")
    #expect(configuration.password == "p@ss")
    #expect(configuration.database == "aflix")
  }

  @Test func anUnreachableServerIsAnErrorWithinTheTimeout() async throws {
    let clock = ContinuousClock()
    let start = clock.now
    let error = await #expect(throws: StoreURLError.self) {
      _ = try await PostgresRatingStore(
        url: "postgres://nobody:secret@127.0.0.1:1/none?sslmode=disable",
        logger: PostgresFixture.logger, connectTimeout: .seconds(1))
    }
    #expect(clock.now - start < .seconds(10))
    #expect(error?.reason.contains("no answer") == true)
    #expect(error?.description.contains("secret") == false)
  }
}

/// A flag shared between tasks.
private final class Flag: Sendable {
  private let state = Mutex(true)
  var isOn: Bool { state.withLock { $0 } }
  func turnOff() { state.withLock { $0 = false } }
}
