import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("Truncated SVD recommender")
struct TruncatedSVDRecommenderTests {
  @Test func reproducesAFullyObservedLowRankMatrix() throws {
    // Per-user centring of r = 3 + bᵤ + bᵢ + aᵤcᵢ leaves a matrix of rank ≤ 3: rank 3 is exact.
    let (data, truth) = try FactorTestData.lowRank(users: 25, items: 18, rank: 1, seed: 2)
    let model = try TruncatedSVDRecommender(rank: 3, centering: .userMeans).fit(data)
    var worst: Float = 0
    for u in 0..<25 {
      for i in 0..<18 {
        let p = model.predict(
          user: model.users.index(of: .int(u)), item: model.items.index(of: .int(i)))
        worst = max(worst, abs(p.value - truth(u, i)))
      }
    }
    #expect(worst < 1e-3, "largest error \(worst)")
    #expect(model.explainedVariance > 0.999 && model.explainedVariance <= 1.0001)
  }

  @Test func beatsTheBaselineOnHeldOutLowRankData() throws {
    let (train, test) = try FactorTestData.noisyLowRank(density: 0.6)
    let svd = try TruncatedSVDRecommender(rank: 3).fit(train)
    let base = try Baseline().fit(train)
    #expect(FactorTestData.rmse(svd, test) < FactorTestData.rmse(base, test))
    #expect(svd.explainedVariance > 0 && svd.explainedVariance < 1)
    let scores = svd.scores(forUser: 1)
    #expect(abs(svd.scale.clamp(scores[4]) - svd.predict(user: 1, item: 4).value) < 1e-4)
  }

  @Test func deterministicFallbacksCodableAndErrors() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 50, items: 40)
    let (a, again) = try BLAS.withThreadCount(2) {
      (
        try TruncatedSVDRecommender(rank: 4, seed: 5).fit(train),
        try TruncatedSVDRecommender(rank: 4, seed: 5).fit(train)
      )
    }
    #expect(again == a)
    #expect(try FactorTestData.roundTrip(a) == a)
    #expect(a.predict(user: nil, item: 3) == a.baseline.predict(user: nil, item: 3))
    #expect(a.predict(user: 2, item: nil).source == .userBaseline)
    #expect(a.predict(user: nil, item: nil).source == .globalMean)
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(
      FactorTestData.throwsKind(.emptyTrainingData) { _ = try TruncatedSVDRecommender().fit(empty) }
    )
    for rank in [0, -1, 40, 1_000] {
      #expect(
        FactorTestData.throwsKind(.invalidHyperparameter) {
          _ = try TruncatedSVDRecommender(rank: rank).fit(train)
        })
    }
  }
}
