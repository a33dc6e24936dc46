import AFlixData
import AFlixLinalg
import AFlixRecommend
import Testing

@Suite("Factor rank: ladders and the hybrid")
struct FactorRankLadderTests {
  @Test func aLadderHoldsEachRungAndTheFittedK() throws {
    let model = FactorRankFixtures.implicitModel(k: 8)
    let ladder = try FactorLadder(model: model, factors: [5, 2, 5])
    #expect(ladder.availableFactors == [2, 5, 8])
    #expect(ladder.fittedFactors == 8)
    for k in ladder.availableFactors {
      let variant = try ladder.model(forFactors: k)
      #expect(variant.factorCount == k)
      #expect(variant == (try model.truncated(toFactors: k)))
    }
    #expect(
      FactorRankFixtures.maxDifference(
        FactorRankFixtures.allScores(ladder.fullModel), FactorRankFixtures.allScores(model))
        < 1e-4)
  }

  @Test func anUnknownKIsATypedErrorOrTheNearestRung() throws {
    let ladder = try FactorLadder(model: FactorRankFixtures.implicitModel(k: 8), factors: [2, 4])
    do {
      _ = try ladder.model(forFactors: 3)
      Issue.record("K = 3 was served")
    } catch let error as RecommendError {
      #expect(error.kind == .invalidArgument)
    }
    // 3 is as far from 2 as from 4: the larger wins; far outside the range, the end rungs.
    #expect(ladder.nearestModel(toFactors: 3).factorCount == 4)
    #expect(ladder.nearestModel(toFactors: 1).factorCount == 2)
    #expect(ladder.nearestModel(toFactors: Int.min).factorCount == 2)
    #expect(ladder.nearestModel(toFactors: Int.max).factorCount == 8)
    #expect(throws: RecommendError.self) {
      try FactorLadder(model: FactorRankFixtures.implicitModel(k: 8), factors: [9])
    }
  }

  @Test func theOriginalRungsServeAFittedModel() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let model = try ImplicitALS(factors: 35, iterations: 2).fit(train)
    let ladder = try FactorLadder(
      model: model, factors: FactorLadder<ImplicitALSModel>.originalFactors)
    #expect(ladder.availableFactors == [20, 25, 30, 35])
    let top = try ladder.model(forFactors: 20).recommend(user: .int(0), count: 5)
    #expect(top.items.count == 5)
  }

  @Test func aHybridTruncatesItsCollaborativeModel() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let collaborative = try ImplicitALS(factors: 6, iterations: 3).fit(train)
    let popularity = try PopularityAlgorithm().fit(train)
    let hybrid = try HybridModel(
      collaborative: collaborative, content: nil, popularity: popularity, weights: .original)
    #expect(hybrid.collaborativeFactorCount == 6)
    let cut = try hybrid.truncated(toFactors: 2)
    #expect(cut.collaborativeFactorCount == 2)
    #expect(cut.history == hybrid.history && cut.weights == hybrid.weights)
    // The same as a hybrid built around the truncated collaborative model.
    let direct = try HybridModel(
      collaborative: try collaborative.truncated(toFactors: 2), content: nil,
      popularity: popularity, weights: .original)
    for u in [0, 7, 33] { #expect(cut.scores(forUser: u) == direct.scores(forUser: u)) }
    #expect(throws: RecommendError.self) { try hybrid.truncated(toFactors: 7) }
  }

  @Test func aHybridWithoutFactorsRefusesToTruncate() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let hybrid = try Hybrid(weights: .original).fit(train)  // EASE: no factors
    #expect(hybrid.collaborativeFactorCount == nil)
    do {
      _ = try hybrid.truncated(toFactors: 2)
      Issue.record("an EASE hybrid was truncated")
    } catch let error as RecommendError {
      #expect(error.kind == .invalidArgument)
    }
  }
}

@Suite("Factor rank: hybrid ladders")
struct FactorRankHybridLadderTests {
  @Test func aHybridLadderServesEachRungOfItsCollaborativeModel() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let hybrid = try Hybrid(
      collaborative: ImplicitALS(factors: 6, iterations: 3), weights: .original
    )
    .fit(train)
    let ladder = try FactorLadder(hybrid: hybrid, factors: [2, 4])
    #expect(ladder.availableFactors == [2, 4, 6])
    for k in [2, 4] {
      let rung = try ladder.model(forFactors: k)
      #expect(rung.collaborativeFactorCount == k)
      let direct = try hybrid.truncated(toFactors: k)
      for u in [0, 17] { #expect(rung.scores(forUser: u) == direct.scores(forUser: u)) }
    }
    #expect(throws: RecommendError.self) { try FactorLadder(hybrid: hybrid, factors: [7]) }
    let ease = try Hybrid(weights: .original).fit(train)
    #expect(throws: RecommendError.self) { try FactorLadder(hybrid: ease, factors: [2]) }
  }
}
