import AFlixData
import AFlixLinalg

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
  /// The range of the target density (ratings / (users · films)); see
  /// ``SyntheticCohort/density`` for the density a cohort gets.
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
  /// - Throws: ``SynthError`` `.invalidRange`, `.invalidCount`, `.nonFiniteParameter`,
  ///   `.notEnoughFilms` or `.outOfBounds` (more than ``SynthLimits/maxCohortUsers`` users, or
  ///   up to more than ``SynthLimits/maxRatings`` ratings).
  public func validate(filmCount: Int) throws {
    try Check.range(users, "cohort.users")
    try Check.atLeast(users.lowerBound, 1, "cohort.users")
    try Check.atMost(users.upperBound, SynthLimits.maxCohortUsers, "cohort.users")
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
    // At most users · films ratings (density ≤ 1).
    let (cells, overflow) = users.upperBound.multipliedReportingOverflow(by: films.upperBound)
    guard !overflow, cells <= SynthLimits.maxRatings else {
      throw SynthError(
        .outOfBounds, parameter: "cohort",
        message: "\(users.upperBound) users × \(films.upperBound) films may exceed "
          + "\(SynthLimits.maxRatings) ratings")
    }
  }
}

/// A small cohort of synthetic "real" users of a world's films, with its ground truth: for
/// hybrid experiments that train on the world and serve the cohort.
///
/// Its users are drawn like the world's (same profile distributions, archetypes and rating
/// formula) but from their own random streams, with ids distinct from the world's (`"real-1"` …).
///
/// With `N` users, `F` films and the drawn target density `d` (``targetDensity``), the cohort
/// holds exactly `R = max(N, round(d · N · F))` ratings: every user rates at least one film, so
/// the density a cohort gets (``density`` = `R / (N · F)`) is the target rounded, or `1/F` when
/// the target is below it. The `R − N` ratings beyond each user's first are shared out in
/// proportion to per-user weights `U` uniform in [0.5, 1.5] (largest remainders; no user above
/// `F`), so users rate between 1 and `F` films, some about three times as many as others.
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
  /// The target density drawn from ``CohortConfiguration/density``.
  public let targetDensity: Double
  let oracle: Oracle

  /// The density the cohort has: `ratings / (users · films)` =
  /// `max(users, round(targetDensity · users · films)) / (users · films)`, which is
  /// ``targetDensity`` (rounded to a whole number of ratings) or `1 / films`, whichever is
  /// larger (every user rates at least one film).
  public var density: Double {
    Double(ratings.ratingCount) / (Double(ratings.userCount) * Double(catalog.count))
  }

  /// The number of ratings a cohort of `users` users and `films` films holds for a target
  /// density: `max(users, round(density · users · films))`, at most `users · films`.
  public static func ratingCount(users: Int, films: Int, targetDensity density: Double) -> Int {
    let cells = users * films
    let target = Int((density * Double(cells)).rounded())
    return min(cells, max(users, target))
  }

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
      positions = try films.choiceTable(exponent: exponent).sampleDistinct(filmCount, using: &rng)
    }
    positions.sort { films.rank[$0] < films.rank[$1] }
    let subset = films.subset(positions)
    let total = SyntheticCohort.ratingCount(
      users: userCount, films: filmCount, targetDensity: density)
    let weights = (0..<userCount).map { _ in rng.uniform(in: 0.5...1.5) }
    let counts = Self.share(
      total - userCount, capacity: filmCount - 1, weights: weights
    ).map { $0 + 1 }
    let engine = try WorldEngine(
      configuration: self.configuration, films: subset, userCount: userCount,
      userIDs: .prefixed(configuration.idPrefix), streamBase: Streams.cohortUsers,
      ratingsPerUser: counts.min()!...counts.max()!, counts: counts)
    let chunks = engine.runChunks(0..<engine.chunkCount) { c, scratch in
      engine.chunk(c, seed: seed, scratch: &scratch)
    }
    try UserChunk.checkFinite(chunks, films: engine.films)
    let (dataset, profiles, expected) = try Self.assembleParts(
      chunks, engine: engine, scale: self.configuration.ratingScale)
    return SyntheticCohort(
      configuration: configuration, seed: seed, catalog: subset.catalog, ratings: dataset,
      profiles: profiles, expectedRatings: expected, targetDensity: density,
      oracle: Oracle(
        films: subset, model: engine.model, profiles: profiles, users: dataset.users))
  }
}

extension SyntheticWorld {
  /// `total` units shared among users in proportion to `weights` (positive), none above
  /// `capacity`: users whose share would exceed it get `capacity` and the rest is shared again
  /// among the others; then whole units by largest remainder (ties to the lower index).
  ///
  /// - Precondition: `0 <= total <= weights.count · capacity`.
  static func share(_ total: Int, capacity: Int, weights: [Double]) -> [Int] {
    let n = weights.count
    var counts = [Int](repeating: 0, count: n)
    guard total > 0 else { return counts }
    // Heaviest first: capping one user only raises the others' shares, so the capped users are
    // the heaviest c, found in one pass.
    let byWeight = (0..<n).sorted {
      weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1)
    }
    var suffix = [Double](repeating: 0, count: n + 1)
    for k in stride(from: n - 1, through: 0, by: -1) {
      suffix[k] = suffix[k + 1] + weights[byWeight[k]]
    }
    var c = 0
    while c < n, total - c * capacity > 0,
      Double(total - c * capacity) * weights[byWeight[c]] / suffix[c] >= Double(capacity)
    {
      counts[byWeight[c]] = capacity
      c += 1
    }
    let remaining = total - c * capacity
    let open = Array(byWeight[c...]).sorted()
    var ideal = [Double](repeating: 0, count: n)
    for u in open { ideal[u] = Double(remaining) * weights[u] / suffix[c] }
    guard remaining > 0, !open.isEmpty else { return counts }
    var assigned = 0
    for u in open {
      counts[u] = min(capacity, Int(ideal[u].rounded(.down)))
      assigned += counts[u]
    }
    // Largest remainders first; then (only through rounding) anyone with room, in order.
    let order = open.sorted {
      let a = ideal[$0] - ideal[$0].rounded(.down)
      let b = ideal[$1] - ideal[$1].rounded(.down)
      return a > b || (a == b && $0 < $1)
    }
    var left = remaining - assigned
    for u in order + open where left > 0 && counts[u] < capacity {
      counts[u] += 1
      left -= 1
    }
    var u = 0
    while left > 0 {
      if counts[u] < capacity {
        counts[u] += 1
        left -= 1
      }
      u = (u + 1) % n
    }
    // Rounding could also leave one too many: take it back from the smallest remainders.
    for v in order.reversed() where left < 0 && counts[v] > 0 {
      counts[v] -= 1
      left += 1
    }
    return counts
  }
}
