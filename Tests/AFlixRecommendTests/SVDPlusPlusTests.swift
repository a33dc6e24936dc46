import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("SVD++")
struct SVDPlusPlusTests {
  @Test func learnsAndBeatsTheBaseline() throws {
    let (train, test) = try FactorTestData.noisyLowRank()
    let short = try SVDPlusPlus(factors: 8, epochs: 2, regularization: 0.02).fit(train)
    let long = try SVDPlusPlus(factors: 8, epochs: 40, learningRate: 0.01, regularization: 0.05)
      .fit(train)
    #expect(FactorTestData.rmse(long, train) < FactorTestData.rmse(short, train))
    let base = try Baseline().fit(train)
    #expect(FactorTestData.rmse(long, test) < FactorTestData.rmse(base, test) - 0.05)
  }

  @Test func deterministicCodableAndErrors() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let a = try SVDPlusPlus(factors: 4, epochs: 3, seed: 1).fit(train)
    #expect(try SVDPlusPlus(factors: 4, epochs: 3, seed: 1).fit(train) == a)
    #expect(try SVDPlusPlus(factors: 4, epochs: 3, seed: 2).fit(train) != a)
    #expect(try FactorTestData.roundTrip(a) == a)
    #expect(a.predict(user: 0, item: nil).source == .userBaseline)
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(FactorTestData.throwsKind(.emptyTrainingData) { _ = try SVDPlusPlus().fit(empty) })
    for bad in [SVDPlusPlus(factors: 0), SVDPlusPlus(epochs: -2), SVDPlusPlus(learningRate: -1)] {
      #expect(FactorTestData.throwsKind(.invalidHyperparameter) { _ = try bad.fit(train) })
    }
  }
}
