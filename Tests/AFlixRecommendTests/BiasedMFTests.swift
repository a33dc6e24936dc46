import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("Biased MF by SGD")
struct BiasedMFTests {
  @Test func trainingErrorFallsAndHeldOutBeatsBaseline() throws {
    let (train, test) = try FactorTestData.noisyLowRank()
    var previous = Double.infinity
    for epochs in [1, 5, 20, 60] {
      let model = try BiasedMF(factors: 8, epochs: epochs, learningRate: 0.01, regularization: 0.02)
        .fit(train)
      let rmse = FactorTestData.rmse(model, train)
      #expect(rmse < previous + 1e-3, "epochs \(epochs): \(rmse) vs \(previous)")
      previous = rmse
    }
    let mf = try BiasedMF(factors: 8, epochs: 60, learningRate: 0.01, regularization: 0.05)
      .fit(train)
    let baseline = try Baseline().fit(train)
    let mfRMSE = FactorTestData.rmse(mf, test)
    let baseRMSE = FactorTestData.rmse(baseline, test)
    #expect(mfRMSE < baseRMSE - 0.05, "MF \(mfRMSE) vs baseline \(baseRMSE)")
  }

  @Test func deterministicPerSeedAndThreadCount() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 120, items: 80)
    let algorithm = BiasedMF(factors: 5, epochs: 5, seed: 3)
    let a = try algorithm.fit(train)
    let saved = Parallelism.maximumThreadCount
    Parallelism.maximumThreadCount = 1
    let b = try algorithm.fit(train)
    Parallelism.maximumThreadCount = saved
    #expect(a == b)
    var other = algorithm
    other.seed = 4
    #expect(try other.fit(train) != a)
  }

  @Test func fallbacksClippingScoresAndCodable() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let model = try BiasedMF(factors: 4, epochs: 3).fit(train)
    let user = model.predict(user: 0, item: nil)
    #expect(user.source == .userBaseline)
    #expect(abs(user.value - model.scale.clamp(model.globalMean + model.userBias[0])) < 1e-6)
    let item = model.predict(userID: "nobody", itemID: model.items.id(at: 2))
    #expect(item.source == .itemBaseline)
    #expect(abs(item.value - model.scale.clamp(model.globalMean + model.itemBias[2])) < 1e-6)
    #expect(
      model.predict(user: nil, item: nil)
        == Prediction(value: model.globalMean, source: .globalMean))
    for u in 0..<model.users.count {
      let scores = model.scores(forUser: u)
      #expect(scores.count == model.items.count)
      for i in 0..<model.items.count {
        let p = model.predict(user: u, item: i)
        #expect(p.source == .model && p.value >= 1 && p.value <= 5)
        #expect(abs(model.scale.clamp(scores[i]) - p.value) < 1e-4)
      }
    }
    #expect(try FactorTestData.roundTrip(model) == model)
  }

  @Test func badInputIsATypedError() throws {
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(FactorTestData.throwsKind(.emptyTrainingData) { _ = try BiasedMF().fit(empty) })
    let (train, _) = try FactorTestData.noisyLowRank(users: 30, items: 20)
    for bad in [
      BiasedMF(factors: 0), BiasedMF(factors: 100_000), BiasedMF(epochs: -1),
      BiasedMF(learningRate: 0), BiasedMF(learningRate: .nan), BiasedMF(regularization: -1),
      BiasedMF(initialStandardDeviation: .infinity),
    ] {
      #expect(FactorTestData.throwsKind(.invalidHyperparameter) { _ = try bad.fit(train) })
    }
    #expect(
      FactorTestData.throwsKind(.numericalFailure) {
        _ = try BiasedMF(factors: 4, epochs: 50, learningRate: 5).fit(train)
      })
  }
}
