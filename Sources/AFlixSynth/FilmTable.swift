import AFlixData
import AFlixLinalg

/// The films of a world as the rating formula sees them: genre masks over the 19 TMDB genres,
/// popularity on 0–100 and vote average, with ids and their sort order.
struct FilmTable: Sendable {
  /// The effective catalog (popularity and vote average always set).
  let catalog: Catalog
  let ids: [EntityID]
  let genreMasks: [UInt32]
  let popularity: [Double]
  let voteAverage: [Double]
  /// `rank[i]`: film `i`'s position in ascending id order (the order of a dataset's items).
  let rank: [Int32]
  private let index: [EntityID: Int]

  var count: Int { ids.count }

  /// The table of an effective catalog: every film's popularity and vote average are set.
  init(effective catalog: Catalog) {
    self.catalog = catalog
    let movies = catalog.movies
    let ids = movies.map(\.id)
    self.ids = ids
    genreMasks = movies.map { Self.mask(of: $0.genres.compactMap(\.id)) }
    popularity = movies.map { $0.popularity! }
    voteAverage = movies.map { $0.voteAverage! }
    let order = ids.indices.sorted { ids[$0] < ids[$1] }
    var rank = [Int32](repeating: 0, count: ids.count)
    for (position, film) in order.enumerated() { rank[film] = Int32(position) }
    self.rank = rank
    var index = [EntityID: Int](minimumCapacity: ids.count)
    for (k, id) in ids.enumerated() { index[id] = k }
    self.index = index
  }

  /// The weights of ``FilmChoice/popularityWeighted(exponent:)``: `(popularity + 1)^exponent`.
  func choiceWeights(exponent: Double) -> [Double] {
    popularity.map { PortableMath.pow($0 + 1, exponent) }
  }

  /// The table of film-choice weights for `exponent`.
  ///
  /// - Throws: ``SynthError`` `.outOfBounds` when a weight is not finite or positive, or their
  ///   sum is not finite (cannot happen within ``SynthLimits``; a guard, never a trap).
  func choiceTable(exponent: Double) throws -> AliasTable {
    let weights = choiceWeights(exponent: exponent)
    let total = weights.reduce(0, +)
    guard weights.allSatisfy({ $0.isFinite && $0 > 0 }), total.isFinite, total > 0 else {
      throw SynthError(
        .outOfBounds, parameter: "filmChoice.exponent",
        message: "(popularity + 1)^\(exponent) gives weights that are not all finite and "
          + "positive")
    }
    return AliasTable(weights: weights)
  }

  /// The position of film `id`, or `nil`.
  func position(of id: EntityID) -> Int? { index[id] }

  /// The table of the films at `positions` (a cohort's subset), values unchanged.
  func subset(_ positions: [Int]) -> FilmTable {
    FilmTable(effective: try! Catalog(movies: positions.map { catalog.movies[$0] }))
  }

  /// Bit `slot(g)` for each TMDB genre id `g` (ids without a slot are ignored).
  static func mask(of genreIDs: [Int]) -> UInt32 {
    var mask: UInt32 = 0
    for id in genreIDs {
      if let slot = genreSlots[id] { mask |= 1 << UInt32(slot) }
    }
    return mask
  }

  /// TMDB genre id → bit position (TMDB's list order).
  static let genreSlots: [Int: Int] = Dictionary(
    uniqueKeysWithValues: WorldConfiguration.tmdbGenreIDs.enumerated().map { ($1, $0) })
}

/// Random streams of a seed, one per purpose, so that no two purposes share draws.
enum Streams {
  /// User chunk `c` of a world uses stream `c`.
  static let worldUsers: UInt64 = 0
  /// The generated catalog.
  static let catalog: UInt64 = 1 << 63
  /// A cohort's own draws (its size, its films).
  static let cohort: UInt64 = (1 << 63) | 1
  /// User chunk `c` of a cohort uses `cohortUsers + c`.
  static let cohortUsers: UInt64 = 1 << 62
  /// The seeded holdout of a streamed world's summary: `holdout + c` for chunk `c`.
  static let holdout: UInt64 = 1 << 61
}

enum CatalogMaker {
  /// `x` rounded to `decimals` decimals (`decimals` in `0...15`, so `10^decimals` is exact).
  static func rounded(_ x: Double, decimals: Int) -> Double {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    return (x * scale).rounded() / scale
  }

  /// A generated catalog (the configuration is valid).
  static func generate(_ configuration: CatalogConfiguration, seed: UInt64) -> Catalog {
    var rng = SeededGenerator(seed: seed, stream: Streams.catalog)
    let n = configuration.count
    let genreIDs = configuration.genreWeights.keys.sorted()
    let genreTable = AliasTable(weights: genreIDs.map { configuration.genreWeights[$0]! })
    var genreTaken = StampSet(count: genreIDs.count)
    let ranks = rng.distinctIndices(n, below: n)
    let actors = ZipfDistribution(
      count: configuration.resolvedActorPool, exponent: configuration.namePoolExponent)
    let directors = ZipfDistribution(
      count: configuration.resolvedDirectorPool, exponent: configuration.namePoolExponent)
    let years = configuration.years
    let span = Double(years.upperBound - years.lowerBound + 1)
    var movies: [Movie] = []
    movies.reserveCapacity(n)
    var picks: [Int] = []
    var castTaken: [Int] = []
    var castPicks: [Int] = []
    for k in 0..<n {
      let genreCount = rng.uniform(in: configuration.genresPerFilm.closedRange!)
      picks.removeAll(keepingCapacity: true)
      genreTable.sampleDistinct(genreCount, using: &rng, taken: &genreTaken, into: &picks)
      genreTaken.reset()
      let genres = picks.map { Genre.tmdb(id: genreIDs[$0])! }
      let popularity = rounded(
        100 * PortableMath.pow(Double(ranks[k] + 1), -configuration.popularityTail), decimals: 3)
      let vote = rounded(
        rng.uniform(in: configuration.voteAverage.closedRange!),
        decimals: 1)
      let u = rng.nextUnitDouble()
      let year = years.upperBound - Int((span * u * u).rounded(.down))
      let director = "Director \(directors.sample(using: &rng))"
      let castCount = rng.uniform(in: configuration.castSize.closedRange!)
      // Distinct actors by successive sampling without replacement: always ends, however
      // steep the exponent (validation keeps castSize within the pool).
      castPicks.removeAll(keepingCapacity: true)
      actors.sampleDistinct(castCount, using: &rng, taken: &castTaken, into: &castPicks)
      let cast = castPicks.map { "Actor \($0)" }
      movies.append(
        Movie(
          id: .int(k + 1), title: "Film \(k + 1)", genres: genres, year: year,
          popularity: popularity, voteAverage: vote, cast: cast, director: director))
    }
    return try! Catalog(movies: movies)
  }

  /// A real catalog with popularity rescaled to 0–100 by percentile rank (ties share their mean
  /// rank; rounded to 3 decimals) and missing values filled in.
  static func effective(
    _ catalog: Catalog, fallbackPopularity: Double, fallbackVoteAverage: Double
  ) -> Catalog {
    var movies = catalog.movies
    let known = movies.indices.filter { movies[$0].popularity?.isFinite == true }
      .sorted { movies[$0].popularity! < movies[$1].popularity! }
    var scores = [Double?](repeating: nil, count: movies.count)
    var start = 0
    while start < known.count {
      var end = start + 1
      while end < known.count && movies[known[end]].popularity == movies[known[start]].popularity {
        end += 1
      }
      // 0-based ranks start..<end share their mean rank.
      let meanRank = Double(start + end - 1) / 2
      let score = known.count == 1 ? 50 : 100 * meanRank / Double(known.count - 1)
      for p in start..<end { scores[known[p]] = rounded(score, decimals: 3) }
      start = end
    }
    for k in movies.indices {
      movies[k].popularity = scores[k] ?? fallbackPopularity
      if movies[k].voteAverage?.isFinite != true { movies[k].voteAverage = fallbackVoteAverage }
    }
    return try! Catalog(movies: movies)
  }
}
