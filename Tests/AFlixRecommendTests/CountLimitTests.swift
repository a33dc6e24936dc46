import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

/// Counts beyond the documented maxima are typed errors found before any allocation, with
/// overflow-safe guards; counts the data bounds are clamped (issue #10).
@Suite("Recommend count limits")
struct CountLimitTests {
  static let huge = [Int.max, 1 << 40, Int(Int32.max) + 1]

  static func isInvalid(_ body: () throws -> Void) -> Bool {
    do {
      try body()
      return false
    } catch let error as RecommendError {
      return error.kind == .invalidHyperparameter
    } catch {
      return false
    }
  }

  @Test(arguments: huge)
  func passCountsAboveTheMaximumAreRefused(value: Int) {
    #expect(Self.isInvalid { try BiasedMF(epochs: value).validateHyperparameters() })
    #expect(Self.isInvalid { try SVDPlusPlus(epochs: value).validateHyperparameters() })
    #expect(Self.isInvalid { try BiasedALS(iterations: value).validateHyperparameters() })
    #expect(Self.isInvalid { try ImplicitALS(iterations: value).validateHyperparameters() })
    #expect(Self.isInvalid { try BPR(epochs: value).validateHyperparameters() })
    #expect(Self.isInvalid { try Baseline(epochs: value).validateHyperparameters() })
    #expect(Self.isInvalid { try BayesianMF(samples: value).validateHyperparameters() })
    #expect(Self.isInvalid { try BayesianMF(burnIn: value).validateHyperparameters() })
  }

  @Test func theMaximumItselfIsAccepted() throws {
    let maximum = RecommendLimits.maximumPasses
    try BiasedMF(epochs: maximum).validateHyperparameters()
    try BiasedALS(iterations: maximum).validateHyperparameters()
    try BayesianMF(factors: 1, burnIn: maximum - 1, samples: 1).validateHyperparameters()
  }

  /// `factors × samples` and `burnIn + samples` are compared without computing an overflowing
  /// product or sum.
  @Test func gibbsGuardsDoNotOverflow() throws {
    #expect(Self.isInvalid { try BayesianMF(factors: 256, samples: 257).validateHyperparameters() })
    try BayesianMF(factors: 256, samples: 256).validateHyperparameters()
    #expect(
      Self.isInvalid {
        try BayesianMF(factors: 1, burnIn: Int(Int32.max), samples: 1).validateHyperparameters()
      })
    #expect(
      Self.isInvalid {
        try BayesianMF(factors: 256, samples: Int.max / 128).validateHyperparameters()
      })
  }

  @Test func blendsCheckTheirMembers() {
    #expect(Self.isInvalid { try Blend(members: [BiasedMF(epochs: -1)]).validateHyperparameters() })
    #expect(Self.isInvalid { try Blend(members: []).validateHyperparameters() })
  }

  /// The fit checks the same way (no data is touched first).
  @Test func fittingRefusesBeforeTouchingData() throws {
    let (data, _) = try FactorTestData.lowRank(users: 6, items: 5, rank: 1, seed: 1)
    #expect(Self.isInvalid { _ = try BiasedMF(epochs: Int.max).fit(data) })
    #expect(Self.isInvalid { _ = try BayesianMF(samples: Int.max).fit(data) })
  }

  @Test(arguments: huge)
  func neighbourCountsAreClampedToTheData(value: Int) throws {
    let (data, _) = try FactorTestData.lowRank(users: 8, items: 6, rank: 1, seed: 2)
    let model = try KNNBaseline(neighbours: value).fit(data)
    #expect(model.neighbours == 6)
    let reference = try KNNBaseline(neighbours: 6).fit(data)
    for u in 0..<8 { #expect(model.scores(forUser: u) == reference.scores(forUser: u)) }
  }

  @Test(arguments: huge)
  func topItemsNeverAllocatesForACountAboveTheScores(count: Int) {
    let scores: [Float] = [0.5, 2, 1, .nan, -3]
    #expect(TopItems.select(scores, count: count) == [1, 2, 0, 4])
  }
}
