import AFlixData
import AFlixLinalg
import AFlixSynth
import Foundation
import Testing

/// The closed-form expectation of a clamped (and rounded) normal rating against brute force.
@Suite struct ExpectationTests {
  /// The rating of an unclamped value x, written from the definition.
  static func g(_ x: Double, _ rounding: RatingRounding) -> Double {
    let c = min(max(x, 0.5), 5)
    switch rounding {
    case .none: return c
    case .halfStars: return min(max((c * 2).rounded(.toNearestOrAwayFromZero) / 2, 0.5), 5)
    case .wholeStars: return min(max(c.rounded(.toNearestOrAwayFromZero), 1), 5)
    }
  }

  /// A one-user world with one neutral film (vote 5, popularity bias 0): the user's expected
  /// rating is E[g(tendency + σZ)], compared with a brute-force average of g over 400,000 draws.
  @Test(arguments: [
    (3.5, 1.0), (4.9, 0.5), (5.6, 1.2), (0.4, 0.7), (0.8, 1.5), (2.74, 0.3), (3.0, 0.001),
  ])
  func closedFormMatchesMonteCarlo(mean: Double, sd: Double) throws {
    for rounding in RatingRounding.allCases {
      var configuration = WorldConfiguration(users: 1)
      configuration.catalog = .provided(
        try Catalog(movies: [Movie(id: 1, title: "Neutral", popularity: 0, voteAverage: 5)]))
      configuration.ratingsPerUser = ParameterRange(1, 1)
      configuration.rounding = rounding
      configuration.tendencyMean = mean
      configuration.tendencySD = 0
      configuration.noiseSD = ParameterRange(sd, sd)
      configuration.popularityBias = ParameterRange(0, 0)
      let world = try SyntheticWorld.generate(configuration, seed: 1)
      #expect(world.profiles[0].tendency == mean)
      let closed = try #require(world.expectedRating(userID: 1, itemID: 1))
      var rng = SeededGenerator(seed: 77)
      let n = 400_000
      var sum = 0.0
      var squares = 0.0
      for _ in 0..<n {
        let v = Self.g(mean + sd * rng.nextGaussian(), rounding)
        sum += v
        squares += v * v
      }
      let mc = sum / Double(n)
      let se = max((squares / Double(n) - mc * mc).squareRoot() / Double(n).squareRoot(), 1e-9)
      #expect(abs(closed - mc) < 4 * se + 1e-9, "μ \(mean) σ \(sd) \(rounding): \(closed) vs \(mc)")
      // The stored expectation of the one rating is the same number, as a Float.
      #expect(world.expectedRatings[0] == Float(closed))
    }
  }

  @Test func zeroNoiseIsTheRatingItself() throws {
    var configuration = WorldConfiguration(users: 50)
    configuration.noiseSD = ParameterRange(0, 0)
    configuration.rounding = .halfStars
    let world = try SyntheticWorld.generate(configuration, seed: 3)
    #expect(world.ratings.userItemMatrix.values == world.expectedRatings)
    #expect(try world.oracleRMSE(on: world.ratings) == 0)
  }
}
