import AFlixData
import AFlixRecommend
import Foundation
import Testing

@Suite("Recommendation engine")
struct RecommendationEngineTests {
  static func data() throws -> RatingsDataset {
    try FactorTestData.noisyLowRank(users: 120, items: 80).train
  }

  @Test func anAddedRatingShowsInTheNextRequest() throws {
    let train = try Self.data()
    let model = try Hybrid().fit(train)
    let engine = RecommendationEngine(model: model, ratings: train)
    let user = train.users.id(at: 5)
    #expect(engine.recommend(user: user) == model.recommend(user: user))
    let film = train.items.id(at: 0)
    let newFilm = train.items.id(at: 1)
    try engine.update(user: user, ratings: [(item: newFilm, value: 5), (item: film, value: 1)])
    #expect(engine.pendingRatingCount == 2)
    // Served as the fold-in of every rating of the user, the added ones winning.
    let (items, values) = train.ratings(ofUser: 5)
    var all: [EntityID: Float] = [:]
    for (i, v) in zip(items, values) { all[train.items.id(at: Int(i))] = v }
    all[newFilm] = 5
    all[film] = 1
    let served = engine.recommend(user: user)
    #expect(served == model.recommend(forRatings: all))
    #expect(!served.items.contains { $0.item == newFilm || $0.item == film })
    // A brand-new user is served from their first rating.
    try engine.update(user: "newcomer", ratings: [(item: film, value: 4)])
    #expect(engine.recommend(user: "newcomer") == model.recommend(forRatings: [film: 4]))
  }

  @Test func hybridRequestsSeeTheAddedRatingsToo() throws {
    let train = try Self.data()
    let catalog = try Catalog(
      movies: (0..<train.itemCount).map { i in
        Movie(
          id: train.items.id(at: i), title: "Film \(i)",
          genres: [Genre(id: nil, name: ["A", "B", "C"][i % 3])])
      })
    let model = try Hybrid(catalog: catalog).fit(train)
    let engine = RecommendationEngine(model: model, ratings: train)
    let request = HybridRequest(count: 5, explain: true)
    let user = train.users.id(at: 8)
    #expect(try engine.recommend(user: user, request) == model.recommend(user: user, request))
    let film = train.items.id(at: 3)
    try engine.update(user: user, ratings: [(item: film, value: 5)])
    let after = try engine.recommend(user: user, request)
    let (items, values) = train.ratings(ofUser: 8)
    var all: [EntityID: Float] = [film: 5]
    for (i, v) in zip(items, values) where train.items.id(at: Int(i)) != film {
      all[train.items.id(at: Int(i))] = v
    }
    let expected = try model.recommend(
      forRatings: all.sorted { $0.key < $1.key }.map { (item: $0.key, value: $0.value) }, request)
    #expect(after == expected)
    #expect(!after.items.contains { $0.item == film })
    // A plain model cannot answer a hybrid request: a typed error, not a trap.
    let plain = RecommendationEngine(model: try EASE().fit(train), ratings: train)
    #expect(throws: RecommendError.self) { try plain.recommend(user: user, request) }
  }

  @Test func ratingsOutsideTheScaleAreRefusedWhole() throws {
    let train = try Self.data()
    let engine = RecommendationEngine(model: try EASE().fit(train), ratings: train)
    for bad: Float in [0, 6, .nan, .infinity, -1] {
      #expect(throws: RecommendError.self) {
        try engine.update(user: 1, ratings: [(item: 3, value: 4), (item: 4, value: bad)])
      }
    }
    #expect(engine.pendingRatingCount == 0)
  }

  @Test func aRefitFoldsThePendingRatingsIntoTheModel() async throws {
    let train = try Self.data()
    let engine = RecommendationEngine(model: try EASE().fit(train), ratings: train)
    try engine.update(user: "newcomer", ratings: [(item: train.items.id(at: 2), value: 4)])
    try await engine.refit(with: EASE(regularization: 50))
    #expect(engine.generation == 1 && engine.pendingRatingCount == 0)
    #expect(engine.model.users.index(of: "newcomer") != nil)
    #expect(engine.model.fitRecord == EASE(regularization: 50).fitRecord)
  }

  /// 1,000 concurrent requests while a refit runs and is swapped in: every answer is the old
  /// model's or the new model's, computed beforehand one by one — never anything in between.
  @Test func requestsDuringASwapSeeOneModelOrTheOther() async throws {
    let train = try Self.data()
    let old = try EASE().fit(train)
    let next = try EASE(regularization: 20).fit(train)
    let users = (0..<train.userCount).map { train.users.id(at: $0) }
    let before = users.map { old.recommend(user: $0) }
    let after = users.map { next.recommend(user: $0) }
    #expect(
      zip(before, after).contains { $0 != $1 }, "the two models must differ to tell them apart")
    let engine = RecommendationEngine(model: old, ratings: train)
    let outcomes = try await withThrowingTaskGroup(of: (Int, Recommendations).self) { group in
      group.addTask {
        try await engine.refit(with: EASE(regularization: 20))
        return (-1, Recommendations(items: [], source: .model, ignoredItems: []))
      }
      for r in 0..<1000 {
        group.addTask {
          let u = r % users.count
          return (u, engine.recommend(user: users[u]))
        }
      }
      var out: [(Int, Recommendations)] = []
      for try await o in group where o.0 >= 0 { out.append(o) }
      return out
    }
    #expect(outcomes.count == 1000)
    for (u, got) in outcomes { #expect(got == before[u] || got == after[u]) }
    #expect(engine.generation == 1)
    #expect(engine.recommend(user: users[0]) == after[0])
  }
}
