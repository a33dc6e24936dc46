import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixSynth

/// Values that pass the basic checks but would trap, hang, exhaust memory or produce NaN: each
/// is a typed error, never a crash.
@Suite struct BoundsTests {
  struct Case: Sendable, CustomStringConvertible {
    var description: String
    var kind: SynthError.Kind
    var parameter: String
    var change: @Sendable (inout WorldConfiguration) -> Void
  }

  static func films(_ change: @escaping @Sendable (inout CatalogConfiguration) -> Void)
    -> @Sendable (inout WorldConfiguration) -> Void
  {
    { configuration in
      var films = CatalogConfiguration()
      change(&films)
      configuration.catalog = .generated(films)
    }
  }

  static let cases: [Case] = [
    // Item 1: traps and hangs.
    Case(description: "popular:500", kind: .outOfBounds, parameter: "filmChoice.exponent") {
      $0.filmChoice = .popularityWeighted(exponent: 500)
    },
    Case(description: "popular:-1000", kind: .outOfBounds, parameter: "filmChoice.exponent") {
      $0.filmChoice = .popularityWeighted(exponent: -1_000)
    },
    Case(description: "Int.max users", kind: .outOfBounds, parameter: "users") {
      $0.users = .max
    },
    Case(description: "10⁸ + 1 users", kind: .outOfBounds, parameter: "users") {
      $0.users = 100_000_001
    },
    Case(description: "more than 2·10⁹ ratings", kind: .outOfBounds, parameter: "ratingsPerUser") {
      $0.users = 1_000_000
      $0.catalog = .generated(CatalogConfiguration(count: 3_000))
      $0.ratingsPerUser = ParameterRange(10, 3_000)
    },
    Case(
      description: "5e18 films", kind: .outOfBounds, parameter: "catalog.count",
      change: films { $0.count = 5_000_000_000_000_000_000 }),
    Case(
      description: "1e11 films", kind: .outOfBounds, parameter: "catalog.count",
      change: films { $0.count = 100_000_000_000 }),
    Case(description: "rating range to 1e39", kind: .outOfBounds, parameter: "ratingRange") {
      $0.ratingRange = ParameterRange(0.5, 1e39)
    },
    Case(description: "rating range ±1e300", kind: .outOfBounds, parameter: "ratingRange") {
      $0.ratingRange = ParameterRange(-1e300, 1e300)
    },
    Case(description: "half stars to 1e300", kind: .outOfBounds, parameter: "ratingRange") {
      $0.ratingRange = ParameterRange(0, 1e300)
      $0.rounding = .halfStars
    },
    Case(
      description: "rating range narrower than Float", kind: .invalidRange, parameter: "ratingRange"
    ) {
      $0.ratingRange = ParameterRange(1, 1 + 1e-12)
    },
    Case(
      description: "years Int.min…Int.max", kind: .outOfBounds, parameter: "catalog.years",
      change: films { $0.years = ParameterRange(.min, .max) }),
    Case(
      description: "year 1500", kind: .outOfBounds, parameter: "catalog.years",
      change: films { $0.years = ParameterRange(1_500, 2_000) }),
    Case(
      description: "name exponent 12", kind: .outOfBounds, parameter: "catalog.namePoolExponent",
      change: films { $0.namePoolExponent = 12 }),
    Case(
      description: "name exponent 60", kind: .outOfBounds, parameter: "catalog.namePoolExponent",
      change: films { $0.namePoolExponent = 60 }),
    Case(
      description: "popularity tail 11", kind: .outOfBounds, parameter: "catalog.popularityTail",
      change: films { $0.popularityTail = 11 }),
    Case(
      description: "Int.max actors", kind: .outOfBounds, parameter: "catalog.actorPool",
      change: films { $0.actorPool = .max }),
    Case(
      description: "cast of 1,000", kind: .outOfBounds, parameter: "catalog.castSize",
      change: films {
        $0.castSize = ParameterRange(3, 1_000)
        $0.actorPool = 5_000
      }),
    Case(
      description: "a cast larger than the pool", kind: .invalidCount,
      parameter: "catalog.actorPool",
      change: films {
        $0.castSize = ParameterRange(3, 8)
        $0.actorPool = 5
      }),
    // Item 2: NaN ground truth.
    Case(description: "tendency σ 1e308", kind: .outOfBounds, parameter: "tendencySD") {
      $0.tendencySD = 1e308
    },
    Case(description: "popularity bias ±1e308", kind: .outOfBounds, parameter: "popularityBias") {
      $0.popularityBias = ParameterRange(-1e308, 1e308)
    },
    Case(description: "genre bonus 1e308", kind: .outOfBounds, parameter: "genreBonus") {
      $0.genreBonus = 1e308
    },
    Case(description: "vote weight 1e308", kind: .outOfBounds, parameter: "voteWeight") {
      $0.voteWeight = 1e308
    },
    Case(
      description: "vote averages ±1e308", kind: .outOfBounds, parameter: "catalog.voteAverage",
      change: films { $0.voteAverage = ParameterRange(-1e308, 1e308) }),
    Case(description: "noise σ 1e7", kind: .outOfBounds, parameter: "noiseSD") {
      $0.noiseSD = ParameterRange(0.5, 1e7)
    },
    Case(
      description: "genre weight 1e300", kind: .outOfBounds, parameter: "catalog.genreWeights",
      change: films { $0.genreWeights = [18: 1e300, 35: 1] }),
  ]

  @Test(arguments: cases)
  func outOfBoundsValuesAreTypedErrors(_ testCase: Case) throws {
    var configuration = WorldConfiguration()
    testCase.change(&configuration)
    #expect {
      try configuration.validate()
    } throws: { error in
      let error = error as? SynthError
      return error?.kind == testCase.kind && error?.parameter == testCase.parameter
    }
    #expect(throws: SynthError.self) { try SyntheticWorld.generate(configuration, seed: 1) }
  }

  @Test func theBoundsThemselvesGenerateFiniteWorlds() throws {
    // Every magnitude at its bound at once: the ratings and their expectations stay finite.
    var films = CatalogConfiguration(count: 30)
    films.voteAverage = ParameterRange(-1e6, 1e6)
    films.popularityTail = 10
    films.namePoolExponent = 10
    films.years = ParameterRange(SynthLimits.years)
    var configuration = WorldConfiguration(users: 10, catalog: .generated(films))
    configuration.ratingsPerUser = ParameterRange(1, 3)
    configuration.tendencyMean = 1e6
    configuration.tendencySD = 1e6
    configuration.noiseSD = ParameterRange(0, 1e6)
    configuration.popularityBias = ParameterRange(-1e6, 1e6)
    configuration.genreBonus = 1e6
    configuration.popularityWeight = 1e6
    configuration.voteWeight = 1e6
    configuration.voteCenter = -1e6
    configuration.ratingRange = ParameterRange(-1e4, 1e4)
    for rounding in RatingRounding.allCases {
      for choice in [
        FilmChoice.uniform, .popularityWeighted(exponent: 20), .popularityWeighted(exponent: -20),
      ] {
        configuration.rounding = rounding
        configuration.filmChoice = choice
        let world = try SyntheticWorld.generate(configuration, seed: 3)
        #expect(world.expectedRatings.allSatisfy { $0.isFinite && abs($0) <= 1e4 })
        #expect(world.ratings.userItemMatrix.values.allSatisfy { $0.isFinite && abs($0) <= 1e4 })
        #expect(try world.oracleRMSE(on: world.ratings).isFinite)
      }
    }
  }

  @Test func steepNamePoolsFinish() throws {
    // Exponent 10: P(1) ≈ 0.999, P(5) ≈ 1e-7; five distinct actors per film, drawn without
    // replacement, from a pool of exactly five.
    var films = CatalogConfiguration(count: 2_000)
    films.namePoolExponent = 10
    films.castSize = ParameterRange(5, 5)
    films.actorPool = 5
    films.directorPool = 3
    let world = try SyntheticWorld.generate(
      WorldConfiguration(users: 10, catalog: .generated(films)), seed: 4)
    for movie in world.catalog.movies {
      #expect(Set(movie.cast) == Set((1...5).map { "Actor \($0)" }))
    }
    // Successive sampling: the first actor is nearly always the most popular one.
    let first = world.catalog.movies.filter { $0.cast.first == "Actor 1" }.count
    #expect(first > 1_990)
  }

  @Test func zipfDistinctDrawsAreSuccessiveSampling() {
    // Weights k^(−4) on 1…3: p ≈ (0.9336, 0.0583, 0.0115). The second draw after a first 1 is 2
    // with probability p₂ / (p₂ + p₃); after four rejections a draw inverts the conditional
    // distribution directly, so both paths are exercised.
    let zipf = ZipfDistribution(count: 3, exponent: 4)
    let p = (1...3).map { zipf.probability(of: $0) }
    var rng = SeededGenerator(seed: 9)
    var pairs: [[Int]: Int] = [:]
    let n = 100_000
    for _ in 0..<n {
      let picks = zipf.sampleDistinct(2, using: &rng)
      #expect(Set(picks).count == 2)
      pairs[picks, default: 0] += 1
    }
    for (pair, probability) in [
      ([1, 2], p[0] * p[1] / (1 - p[0])), ([1, 3], p[0] * p[2] / (1 - p[0])),
      ([2, 1], p[1] * p[0] / (1 - p[1])), ([3, 1], p[2] * p[0] / (1 - p[2])),
    ] {
      let observed = Double(pairs[pair] ?? 0) / Double(n)
      let se = (probability * (1 - probability) / Double(n)).squareRoot()
      #expect(abs(observed - probability) < 4 * se, "\(pair): \(observed) vs \(probability)")
    }
    // All of a steep pool, and the whole pool of a flat one.
    #expect(
      Set(ZipfDistribution(count: 8, exponent: 10).sampleDistinct(8, using: &rng)) == Set(1...8))
    #expect(
      Set(ZipfDistribution(count: 40, exponent: 0).sampleDistinct(40, using: &rng)).count == 40)
  }

  @Test func windowedGridExpectationEqualsTheFullSum() throws {
    // Only boundaries within 40σ of μ are evaluated; the others are exactly 0 or 1.
    let grid = try #require(RatingGrid(range: ParameterRange(-100, 100), rounding: .halfStars))
    for (mean, sd) in [
      (0.0, 1.0), (3.3, 0.2), (-99.0, 5.0), (150.0, 2.0), (-400.0, 3.0), (7.0, 300.0),
    ] {
      var total = 0.0
      for k in 1...grid.steps {
        total += Normal.upperTail((grid.first + (Double(k) - 0.5) * grid.step - mean) / sd)
      }
      #expect(
        grid.expectation(mean: mean, sd: sd) == grid.first + grid.step * total, "\(mean) \(sd)")
    }
    #expect(grid.expectation(mean: .nan, sd: 1).isNaN)
    #expect(grid.expectation(mean: .infinity, sd: 1).isNaN)
  }

  @Test func sharedTailsAreTheSameBitsAsSeparateCalls() {
    var rng = SeededGenerator(seed: 10)
    var zs = (0..<20_000).map { _ in -40 + 80 * rng.nextUnitDouble() }
    zs += [0, -0.0, 8.485_281_374_238_57, -8.485_281_374_238_57, 0.7, -0.7]
    for z in zs {
      let (lower, upper) = Normal.tails(z)
      #expect(lower.bitPattern == Normal.cdf(z).bitPattern, "\(z)")
      #expect(upper.bitPattern == Normal.upperTail(z).bitPattern, "\(z)")
    }
    #expect(Normal.tails(.nan).lower.isNaN && Normal.tails(.nan).upper.isNaN)
  }

  @Test func nonFiniteResultsAreThrownNotWritten() throws {
    // The final guard: a chunk holding a NaN expectation is refused with a typed error.
    let films = SyntheticWorld.films(of: WorldConfiguration(), seed: 1)
    var chunk = UserChunk(firstUser: 0)
    #expect(throws: Never.self) { try UserChunk.checkFinite([chunk], films: films) }
    chunk.nonFinite = (.int(1), 0)
    #expect {
      try UserChunk.checkFinite([chunk], films: films)
    } throws: { ($0 as? SynthError)?.kind == .nonFiniteResult }
  }

  @Test func cohortSharesAreExactAndCapped() {
    #expect(SyntheticWorld.share(10, capacity: 4, weights: [1, 1, 1]) == [4, 3, 3])
    #expect(SyntheticWorld.share(11, capacity: 4, weights: [3, 1, 1]) == [4, 4, 3])
    #expect(SyntheticWorld.share(0, capacity: 4, weights: [1, 2]) == [0, 0])
    #expect(SyntheticWorld.share(8, capacity: 4, weights: [0.5, 1.5]) == [4, 4])
    var rng = SeededGenerator(seed: 12)
    for _ in 0..<500 {
      let n = 1 + rng.nextIndex(below: 60)
      let capacity = rng.nextIndex(below: 30)
      let total = rng.nextIndex(below: n * capacity + 1)
      let weights = (0..<n).map { _ in rng.uniform(in: 0.5...1.5) }
      let counts = SyntheticWorld.share(total, capacity: capacity, weights: weights)
      #expect(counts.reduce(0, +) == total)
      #expect(counts.allSatisfy { $0 >= 0 && $0 <= capacity })
      // Heavier users never get fewer than one less than lighter ones' shares imply.
      for a in 0..<n {
        for b in 0..<n where weights[a] > weights[b] {
          #expect(counts[a] + 1 >= counts[b])
        }
      }
    }
  }
}
