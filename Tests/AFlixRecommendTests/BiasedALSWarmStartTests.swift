import AFlixData
import AFlixRecommend
import Testing

/// `BiasedALS.fit(_:warmStart:monitor:)`: a start from a fitted item side.
@Suite("Biased ALS warm start")
struct BiasedALSWarmStartTests {
  @Test func aWarmStartBeginsWhereTheStartEnded() throws {
    let (train, test) = try FactorTestData.noisyLowRank(users: 120, items: 80, rank: 3)
    let start = try BiasedALS(factors: 4, iterations: 12, seed: 1).fit(train)
    // One sweep from the fitted item side keeps its accuracy; one sweep from random draws does not.
    let one = BiasedALS(factors: 6, iterations: 1, seed: 1)
    let warm = try one.fit(train, warmStart: start, monitor: FitMonitor())
    let cold = try one.fit(train)
    let (s, w, c) = (
      FactorTestData.rmse(start, test), FactorTestData.rmse(warm, test),
      FactorTestData.rmse(cold, test)
    )
    #expect(w < c, "warm \(w), cold \(c)")
    #expect(abs(w - s) < 0.05, "warm \(w), start \(s)")
    #expect(warm.factorCount == 6)
    // A start fitted on other items is ignored: the fit is the cold one.
    let other = try BiasedALS(factors: 4, iterations: 2, seed: 1).fit(
      try FactorTestData.noisyLowRank(users: 50, items: 30).train)
    let ignored = try one.fit(train, warmStart: other, monitor: FitMonitor())
    #expect(ignored.itemFactors == cold.itemFactors)
  }
}
