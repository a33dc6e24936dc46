import AFlixData
import AFlixLinalg

/// A seeded synthetic world: films, users with known tastes, their ratings, and for every rating
/// the noiseless value no model can improve on.
///
/// ```swift
/// let world = try SyntheticWorld.generate(WorldConfiguration(), seed: 42)
/// world.ratings.ratingCount                        // ≈ 300,000 (10,000 users × 400 films)
/// world.profiles[0].segment                        // nil: no archetypes by default
/// let split = try world.ratings.split(.holdout(testFraction: 0.2), seed: 1)[0]
/// try world.oracleRMSE(on: split.test)             // ≈ 0.8: the noise floor
/// try WorldWriter.write(world, to: folder)         // ratings.csv, movies.csv, truth.csv …
/// ```
///
/// The same configuration and seed give the same world, bit for bit, on every run and for every
/// thread count: users are drawn in chunks of ``chunkSize``, chunk `c` from stream `c` of the
/// seed (`SeededGenerator(seed:stream:)`), and chunks are assembled in order.
public struct SyntheticWorld: Sendable {
  /// What the world was generated from.
  public let configuration: WorldConfiguration
  /// The seed it was generated with.
  public let seed: UInt64
  /// The films with the values the formula used: a generated catalog as drawn; a real catalog
  /// with popularity rescaled to 0–100 and missing popularity or vote averages filled in.
  public let catalog: Catalog
  /// The ratings; user `k` (0-based) has id `k + 1` and is user index `k`.
  public let ratings: RatingsDataset
  /// The users' profiles: `profiles[u]` is user index `u` of ``ratings``.
  public let profiles: [UserProfile]
  /// For each rating, in ``ratings``' user-major order, its expected value
  /// E[clamp∘round(μ + σZ)] given the user's profile and the film (`Float`, as ratings are).
  public let expectedRatings: [Float]
  /// The films and the formula.
  let oracle: Oracle

  /// Users per chunk of generation (and of streaming): 1,024.
  public static let chunkSize = WorldEngine.chunkSize

  init(
    configuration: WorldConfiguration, seed: UInt64, ratings: RatingsDataset,
    profiles: [UserProfile], expectedRatings: [Float], films: FilmTable
  ) {
    self.configuration = configuration
    self.seed = seed
    self.catalog = films.catalog
    self.ratings = ratings
    self.profiles = profiles
    self.expectedRatings = expectedRatings
    self.oracle = Oracle(
      films: films, model: RatingModel(configuration), profiles: profiles,
      users: ratings.users)
  }

  /// Generates the world of `configuration` and `seed`.
  ///
  /// - Throws: ``SynthError`` when the configuration is invalid (see
  ///   ``WorldConfiguration/validate()``), or `.nonFiniteResult` should a rating or an expected
  ///   rating not be finite (a guard: never silent NaN).
  /// - Complexity: O(ratings + films + users); chunks of users run in parallel on up to
  ///   `Parallelism.maximumThreadCount` threads.
  public static func generate(
    _ configuration: WorldConfiguration = WorldConfiguration(), seed: UInt64
  ) throws -> SyntheticWorld {
    let engine = try engine(for: configuration, seed: seed)
    let chunks = engine.runChunks(0..<engine.chunkCount) { c, scratch in
      engine.chunk(c, seed: seed, scratch: &scratch)
    }
    try UserChunk.checkFinite(chunks, films: engine.films)
    return try assemble(
      chunks, engine: engine, configuration: configuration, seed: seed,
      scale: configuration.ratingScale)
  }

  /// The engine of a configuration (validated) with its films.
  static func engine(for configuration: WorldConfiguration, seed: UInt64) throws -> WorldEngine {
    try configuration.validate()
    return try WorldEngine(
      configuration: configuration, films: films(of: configuration, seed: seed),
      userCount: configuration.users, userIDs: .integers, streamBase: Streams.worldUsers,
      ratingsPerUser: configuration.ratingsPerUser.closedRange!)
  }

  /// The film table of a (valid) configuration.
  static func films(of configuration: WorldConfiguration, seed: UInt64) -> FilmTable {
    switch configuration.catalog {
    case .generated(let films):
      return FilmTable(effective: CatalogMaker.generate(films, seed: seed))
    case .provided(let catalog):
      return FilmTable(
        effective: CatalogMaker.effective(
          catalog, fallbackPopularity: configuration.fallbackPopularity,
          fallbackVoteAverage: configuration.fallbackVoteAverage))
    }
  }

  /// Joins chunks into a world.
  static func assemble(
    _ chunks: [UserChunk], engine: WorldEngine, configuration: WorldConfiguration, seed: UInt64,
    scale: RatingScale
  ) throws -> SyntheticWorld {
    let (dataset, profiles, expected) = try assembleParts(chunks, engine: engine, scale: scale)
    return SyntheticWorld(
      configuration: configuration, seed: seed, ratings: dataset, profiles: profiles,
      expectedRatings: expected, films: engine.films)
  }

  /// Joins chunks into a dataset with profiles and expected ratings in the dataset's user and
  /// user-major orders.
  static func assembleParts(
    _ chunks: [UserChunk], engine: WorldEngine, scale: RatingScale
  ) throws -> (RatingsDataset, [UserProfile], [Float]) {
    let total = chunks.reduce(0) { $0 + $1.values.count }
    var list: [Rating] = []
    list.reserveCapacity(total)
    let ids = engine.films.ids
    for chunk in chunks {
      for (u, profile) in chunk.profiles.enumerated() {
        for p in chunk.offsets[u]..<chunk.offsets[u + 1] {
          list.append(
            Rating(
              user: profile.id, item: ids[Int(chunk.films[p])], value: chunk.values[p],
              timestamp: chunk.timestamps[p]))
        }
      }
    }
    let dataset = try RatingsDataset(ratings: list, scale: scale)
    // Each user's ratings were drawn in ascending film id order, the dataset's item order.
    var profiles = [UserProfile?](repeating: nil, count: dataset.userCount)
    var expected = [Float](repeating: 0, count: total)
    for chunk in chunks {
      for (k, profile) in chunk.profiles.enumerated() {
        let u = dataset.users.index(of: profile.id)!
        profiles[u] = profile
        let items = dataset.ratings(ofUser: u).items
        precondition(items.count == chunk.offsets[k + 1] - chunk.offsets[k], "lost ratings")
        for (p, q) in zip(items.indices, chunk.offsets[k]..<chunk.offsets[k + 1]) {
          precondition(dataset.items.id(at: Int(items[p])) == ids[Int(chunk.films[q])])
          expected[p] = chunk.expected[q]
        }
      }
    }
    return (dataset, profiles.map { $0! }, expected)
  }

  /// The profile of user `id`, or `nil`.
  public func profile(of id: EntityID) -> UserProfile? {
    ratings.users.index(of: id).map { profiles[$0] }
  }

  /// The expected rating of user index `user` for item index `item` of ``ratings``, rated or
  /// not, computed from the profile and the film (for a rated pair, ``expectedRatings`` holds the
  /// same value rounded to `Float`), or `nil` for an index out of range.
  public func expectedRating(user: Int, item: Int) -> Double? {
    guard user >= 0, user < ratings.userCount, item >= 0, item < ratings.itemCount else {
      return nil
    }
    let film = oracle.films.position(of: ratings.items.id(at: item))!
    return oracle.expectation(profile: user, film: film)
  }

  /// The expected rating of user `userID` for film `itemID` — any film of ``catalog``, rated or
  /// not — or `nil` when either id is unknown.
  public func expectedRating(userID: EntityID, itemID: EntityID) -> Double? {
    guard let u = ratings.users.index(of: userID), let f = oracle.films.position(of: itemID)
    else { return nil }
    return oracle.expectation(profile: u, film: f)
  }

  /// The RMSE of `test`'s ratings against their expected values: the error of the best possible
  /// predictor, the noise floor no model can beat.
  ///
  /// `test` is matched to the world by external ids (user and film ids), so a split of
  /// ``ratings`` or a file read back both work.
  ///
  /// - Throws: ``SynthError`` `.unknownID` for a user or film the world does not have,
  ///   `.invalidCount` for a test set without ratings.
  public func oracleRMSE(on test: RatingsDataset) throws -> Double {
    try oracle.rmse(on: test)
  }
}

/// The ground truth: expected ratings for any (user, film) pair of a world or cohort.
struct Oracle: Sendable {
  let films: FilmTable
  let model: RatingModel
  let profiles: [UserProfile]
  let masks: [UInt32]
  let users: IDMap

  init(films: FilmTable, model: RatingModel, profiles: [UserProfile], users: IDMap) {
    self.films = films
    self.model = model
    self.profiles = profiles
    self.masks = profiles.map { FilmTable.mask(of: $0.preferredGenres) }
    self.users = users
  }

  /// μ of profile `u` and film position `f`.
  func mean(profile u: Int, film f: Int) -> Double {
    let p = profiles[u]
    return model.mean(
      tendency: p.tendency, popularityBias: p.popularityBias,
      sharedGenres: (masks[u] & films.genreMasks[f]).nonzeroBitCount,
      popularity: films.popularity[f], voteAverage: films.voteAverage[f])
  }

  func expectation(profile u: Int, film f: Int) -> Double {
    model.grid.expectation(mean: mean(profile: u, film: f), sd: profiles[u].noiseSD)
  }

  func rmse(on test: RatingsDataset) throws -> Double {
    guard test.ratingCount > 0 else {
      throw SynthError(.invalidCount, parameter: "test", message: "the test set has no ratings")
    }
    let filmOf = try (0..<test.itemCount).map { i -> Int in
      let id = test.items.id(at: i)
      guard let f = films.position(of: id) else {
        throw SynthError(.unknownID, parameter: "test", message: "film \(id) is not in the world")
      }
      return f
    }
    var sum = 0.0
    for tu in 0..<test.userCount {
      let (items, values) = test.ratings(ofUser: tu)
      guard !items.isEmpty else { continue }
      let id = test.users.id(at: tu)
      guard let u = users.index(of: id) else {
        throw SynthError(.unknownID, parameter: "test", message: "user \(id) is not in the world")
      }
      for (item, value) in zip(items, values) {
        let e = expectation(profile: u, film: filmOf[Int(item)])
        let d = Double(value) - e
        sum += d * d
      }
    }
    return (sum / Double(test.ratingCount)).squareRoot()
  }
}
