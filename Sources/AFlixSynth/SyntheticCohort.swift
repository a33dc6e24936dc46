import AFlixData
import AFlixLinalg
import Foundation

/// The shape of a young service's user base: a few real users who rated a few of the films.
///
/// Each size is drawn uniformly from its range by the cohort's seed; the defaults are the
/// original's (2–50 users, 53–200 films, 1–10% dense).
///
/// ```swift
/// let world = try SyntheticWorld.generate(seed: 42)
/// let cohort = try world.cohort(CohortConfiguration(users: ParameterRange(20, 20)), seed: 7)
/// cohort.ratings.userCount        // 20 users, ids "real-1" …
/// ```
public struct CohortConfiguration: Sendable, Codable, Hashable {
  /// The range of the number of users.
  public var users: ParameterRange<Int>
  /// The range of the number of films the service offers (drawn from the world's catalog).
  public var films: ParameterRange<Int>
  /// The range of the target density (ratings / (users · films)).
  public var density: ParameterRange<Double>
  /// The prefix of the users' ids: `"real-"` gives `"real-1"`, `"real-2"` ….
  public var idPrefix: String

  /// Creates a configuration.
  public init(
    users: ParameterRange<Int> = ParameterRange(2...50),
    films: ParameterRange<Int> = ParameterRange(53...200),
    density: ParameterRange<Double> = ParameterRange(0.01...0.10), idPrefix: String = "real-"
  ) {
    self.users = users
    self.films = films
    self.density = density
    self.idPrefix = idPrefix
  }

  /// Checks the ranges against a catalog of `filmCount` films.
  ///
  /// - Throws: ``SynthError`` `.invalidRange`, `.invalidCount`, `.nonFiniteParameter` or
  ///   `.notEnoughFilms`.
  public func validate(filmCount: Int) throws {
    try Check.range(users, "cohort.users")
    try Check.atLeast(users.lowerBound, 1, "cohort.users")
    try Check.range(films, "cohort.films")
    try Check.atLeast(films.lowerBound, 1, "cohort.films")
    guard films.upperBound <= filmCount else {
      throw SynthError(
        .notEnoughFilms, parameter: "cohort.films",
        message: "up to \(films.upperBound) films, but the world has \(filmCount)")
    }
    try Check.range(density, "cohort.density")
    guard density.lowerBound > 0, density.upperBound <= 1 else {
      throw SynthError(
        .invalidRange, parameter: "cohort.density", message: "\(density) is not inside (0, 1]")
    }
  }
}

/// A small cohort of synthetic "real" users of a world's films, with its ground truth: for
/// hybrid experiments that train on the world and serve the cohort.
///
/// Its users are drawn like the world's (same profile distributions, archetypes and rating
/// formula) but from their own random streams, with ids distinct from the world's (`"real-1"` …).
/// Each user rates `round(d · F · U)` distinct films of the cohort's `F` films, `d` the density,
/// `U` uniform in [0.5, 1.5] (at least 1, at most `F`).
public struct SyntheticCohort: Sendable {
  /// The ranges the cohort was drawn from.
  public let configuration: CohortConfiguration
  /// The seed.
  public let seed: UInt64
  /// The films the service offers: a subset of the world's catalog (same ids and values).
  public let catalog: Catalog
  /// The cohort's ratings.
  public let ratings: RatingsDataset
  /// The users' profiles, by user index of ``ratings``.
  public let profiles: [UserProfile]
  /// The expected value of each rating, in ``ratings``' user-major order.
  public let expectedRatings: [Float]
  let oracle: Oracle

  /// The RMSE of `test`'s ratings (users and films of the cohort) against their expected
  /// values: the noise floor.
  ///
  /// - Throws: ``SynthError`` `.unknownID` or `.invalidCount` (no ratings).
  public func oracleRMSE(on test: RatingsDataset) throws -> Double {
    try oracle.rmse(on: test)
  }

  /// The expected rating of cohort user `userID` for film `itemID` of ``catalog``, or `nil`.
  public func expectedRating(userID: EntityID, itemID: EntityID) -> Double? {
    guard let u = ratings.users.index(of: userID), let f = oracle.films.position(of: itemID)
    else { return nil }
    return oracle.expectation(profile: u, film: f)
  }
}

extension SyntheticWorld {
  /// Draws a cohort of new users rating a subset of this world's films.
  ///
  /// The films are chosen as the world's users choose theirs (``WorldConfiguration/filmChoice``).
  ///
  /// - Throws: ``SynthError`` when `configuration` does not fit the world.
  public func cohort(
    _ configuration: CohortConfiguration = CohortConfiguration(), seed: UInt64
  ) throws -> SyntheticCohort {
    let films = oracle.films
    try configuration.validate(filmCount: films.count)
    var rng = SeededGenerator(seed: seed, stream: Streams.cohort)
    let userCount = rng.uniform(in: configuration.users.closedRange!)
    let filmCount = rng.uniform(in: configuration.films.closedRange!)
    let density = rng.uniform(in: configuration.density.closedRange!)
    var positions: [Int]
    switch self.configuration.filmChoice {
    case .uniform:
      positions = rng.distinctIndices(filmCount, below: films.count)
    case .popularityWeighted(let exponent):
      positions = AliasTable(weights: films.choiceWeights(exponent: exponent))
        .sampleDistinct(filmCount, using: &rng)
    }
    positions.sort { films.rank[$0] < films.rank[$1] }
    let subset = films.subset(positions)
    let mean = density * Double(filmCount)
    let low = min(filmCount, max(1, Int((0.5 * mean).rounded())))
    let high = min(filmCount, max(low, Int((1.5 * mean).rounded())))
    let engine = WorldEngine(
      configuration: self.configuration, films: subset, userCount: userCount,
      userIDs: .prefixed(configuration.idPrefix), streamBase: Streams.cohortUsers,
      ratingsPerUser: low...high)
    let chunks = engine.runChunks(0..<engine.chunkCount) { c, scratch in
      engine.chunk(c, seed: seed, scratch: &scratch)
    }
    let (dataset, profiles, expected) = try Self.assembleParts(
      chunks, engine: engine, scale: self.configuration.ratingScale)
    return SyntheticCohort(
      configuration: configuration, seed: seed, catalog: subset.catalog, ratings: dataset,
      profiles: profiles, expectedRatings: expected,
      oracle: Oracle(
        films: subset, model: engine.model, profiles: profiles, users: dataset.users))
  }
}
