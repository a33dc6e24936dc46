import AFlixData
import AFlixLinalg
import AFlixRecommend
import Testing

/// Scores for users a model has never seen: a documented fallback, never a crash.
@Suite("Unknown users")
struct UnknownUserTests {
  static let stranger = EntityID.string("never-seen")

  /// The mean of every known user's scores, computed here independently of the models.
  static func meanOfKnownUsers(_ model: some RecommenderModel) -> [Double] {
    var sum = [Double](repeating: 0, count: model.items.count)
    for u in 0..<model.users.count {
      for (i, s) in model.scores(forUser: u).enumerated() { sum[i] += Double(s) }
    }
    return sum.map { $0 / Double(model.users.count) }
  }

  /// Checks the ranking-model contract: a known id gives the user's scores as `.model`; an
  /// unknown one the mean of the known users' scores as `.averageUser`.
  static func checkAverageUser(_ model: some RecommenderModel, tolerance: Double) {
    let known = model.users.id(at: 3)
    let forKnown = model.scores(forUserID: known)
    #expect(forKnown.source == .model)
    #expect(forKnown.values == model.scores(forUser: 3))
    let fallback = model.scores(forUserID: stranger)
    #expect(fallback.source == .averageUser)
    let expected = meanOfKnownUsers(model)
    #expect(fallback.values.count == model.items.count)
    let scale = expected.map(abs).max() ?? 1
    let worst = zip(fallback.values, expected).map { abs(Double($0) - $1) }.max() ?? 0
    #expect(worst <= tolerance * max(scale, 1e-6), "worst \(worst), scale \(scale)")
    // The fallback is not just one user's scores.
    #expect(fallback.values != model.scores(forUser: 3))
  }

  @Test func implicitALSUsesTheAverageUser() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    Self.checkAverageUser(
      try ImplicitALS(factors: 6, iterations: 4).fit(train), tolerance: 1e-5)
  }

  @Test func bprUsesTheAverageUser() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    Self.checkAverageUser(try BPR(factors: 6, epochs: 5).fit(train), tolerance: 1e-5)
  }

  @Test func easeUsesTheAverageUser() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    Self.checkAverageUser(try EASE(regularization: 50).fit(train), tolerance: 1e-5)
  }

  @Test func popularityGivesItsOneListToEveryone() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let model = try PopularityAlgorithm().fit(train)
    let fallback = model.scores(forUserID: Self.stranger)
    #expect(fallback.source == .averageUser)
    #expect(fallback.values == model.scores(forUser: 0))
    #expect(fallback.values.map { Int($0) } == train.itemDegrees())
  }

  @Test func ratingPredictorsFallBackToItemBaselines() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let models: [any RatingPredictor] = [
      try Baseline().fit(train), try BiasedMF(factors: 4, epochs: 5).fit(train),
      try KNNBaseline().fit(train), try TruncatedSVDRecommender(rank: 3).fit(train),
    ]
    for model in models {
      let fallback = model.scores(forUserID: Self.stranger)
      #expect(fallback.source == .itemBaseline)
      let expected = (0..<model.items.count).map { model.predict(user: nil, item: $0).value }
      #expect(fallback.values == expected)
      #expect(Set(expected).count > 1, "item baselines differ between items")
      #expect(model.scores(forUserID: model.users.id(at: 0)).source == .model)
    }
  }

  @Test func theGenericDefaultIsTheMeanOfKnownUsers() {
    let users = IDMap([.string("A"), .string("B")])
    let items = IDMap([.int(1), .int(2), .int(3)])
    let scorer = FixedScorer(users: users, items: items, table: [[1, 4, -2], [3, 0, 2]])
    let fallback = scorer.scores(forUserID: Self.stranger)
    #expect(fallback.source == .averageUser)
    #expect(fallback.values == [2, 2, 0])
  }
}
