import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("Bayesian MF", .serialized)
struct BayesianMFTests {
  @Test func beatsTheBaselineOnHeldOutLowRankData() throws {
    let (train, test) = try FactorTestData.noisyLowRank()
    let model = try BayesianMF(factors: 5, burnIn: 10, samples: 20, precision: 10).fit(train)
    #expect(model.factorCount == 100)
    let base = try Baseline().fit(train)
    #expect(FactorTestData.rmse(model, test) < FactorTestData.rmse(base, test) - 0.05)
  }

  @Test func identicalAcrossThreadCountsCodableAndErrors() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 80, items: 50)
    let algorithm = BayesianMF(factors: 3, burnIn: 2, samples: 3, seed: 4)
    let saved = Parallelism.maximumThreadCount
    Parallelism.maximumThreadCount = 1
    let one = try algorithm.fit(train)
    Parallelism.maximumThreadCount = 3
    let three = try algorithm.fit(train)
    Parallelism.maximumThreadCount = saved
    #expect(one == three)
    var other = algorithm
    other.seed = 5
    #expect(try other.fit(train) != one)
    #expect(try FactorTestData.roundTrip(one) == one)
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(FactorTestData.throwsKind(.emptyTrainingData) { _ = try BayesianMF().fit(empty) })
    for bad in [
      BayesianMF(factors: 0), BayesianMF(factors: 1_000), BayesianMF(burnIn: -1),
      BayesianMF(samples: 0), BayesianMF(precision: 0), BayesianMF(precision: .nan),
      BayesianMF(factors: 256, samples: 1_000),
    ] {
      #expect(FactorTestData.throwsKind(.invalidHyperparameter) { _ = try bad.fit(train) })
    }
  }
}
