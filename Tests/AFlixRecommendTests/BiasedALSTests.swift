import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("Biased MF by ALS", .serialized)
struct BiasedALSTests {
  @Test func recoversAFullyObservedLowRankMatrix() throws {
    let (data, truth) = try FactorTestData.lowRank(users: 30, items: 20, rank: 1, seed: 1)
    let model = try BiasedALS(
      factors: 2, iterations: 40, regularization: 1e-6, biasRegularization: 0
    )
    .fit(data)
    var worst: Float = 0
    for u in 0..<30 {
      for i in 0..<20 {
        let uu = model.users.index(of: .int(u))!
        let ii = model.items.index(of: .int(i))!
        worst = max(worst, abs(model.predict(user: uu, item: ii).value - truth(u, i)))
      }
    }
    #expect(worst < 1e-3, "largest error \(worst)")
  }

  @Test func trainingErrorFallsAndHeldOutBeatsBaseline() throws {
    let (train, test) = try FactorTestData.noisyLowRank()
    var previous = Double.infinity
    for iterations in [1, 3, 10] {
      let model = try BiasedALS(factors: 8, iterations: iterations, regularization: 0.05).fit(train)
      let rmse = FactorTestData.rmse(model, train)
      #expect(rmse < previous + 1e-3)
      previous = rmse
    }
    let als = try BiasedALS(factors: 8, iterations: 10, regularization: 0.1).fit(train)
    let base = try Baseline().fit(train)
    #expect(FactorTestData.rmse(als, test) < FactorTestData.rmse(base, test) - 0.05)
  }

  @Test func identicalAcrossThreadCountsAndSeeded() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 150, items: 90)
    let algorithm = BiasedALS(factors: 6, iterations: 4, seed: 9)
    let saved = Parallelism.maximumThreadCount
    Parallelism.maximumThreadCount = 1
    let one = try algorithm.fit(train)
    Parallelism.maximumThreadCount = 4
    let four = try algorithm.fit(train)
    Parallelism.maximumThreadCount = saved
    #expect(one == four)
    #expect(try algorithm.fit(train) == one)
    #expect(try FactorTestData.roundTrip(one) == one)
  }

  @Test func badInputIsATypedError() throws {
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(FactorTestData.throwsKind(.emptyTrainingData) { _ = try BiasedALS().fit(empty) })
    let (train, _) = try FactorTestData.noisyLowRank(users: 30, items: 20)
    for bad in [
      BiasedALS(factors: 0), BiasedALS(factors: 5_000), BiasedALS(iterations: 0),
      BiasedALS(regularization: 0), BiasedALS(regularization: .nan),
      BiasedALS(biasRegularization: -1),
    ] {
      #expect(FactorTestData.throwsKind(.invalidHyperparameter) { _ = try bad.fit(train) })
    }
    let model = try BiasedALS(factors: 3, iterations: 2).fit(train)
    #expect(model.predict(user: nil, item: 0).source == .itemBaseline)
    #expect(model.predict(user: 0, item: nil).source == .userBaseline)
  }
}
