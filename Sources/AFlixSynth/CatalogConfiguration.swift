import AFlixData

/// How a generated catalog's films are drawn.
///
/// Film `k` (1-based) has id `.int(k)` and title `"Film k"`; 1–3 distinct TMDB genres drawn by
/// ``genreWeights`` (TMDB-like frequencies by default); a popularity `100 · r^(−popularityTail)`
/// for a shuffled rank `r` in `1...count` (a long tail: one film at 100, most far below; rounded
/// to 3 decimals); a vote average uniform in ``voteAverage`` (rounded to 1 decimal, as TMDB
/// shows it); a release year skewed towards recent years (`upper − ⌊span · u²⌋`); a director and
/// 3–5 distinct cast members (`"Director 4"`, `"Actor 17"`) drawn from Zipf-distributed name
/// pools, so a few names recur often.
///
/// ```swift
/// var films = CatalogConfiguration(count: 1_000)
/// films.voteAverage = ParameterRange(7.0, 8.5)
/// let configuration = WorldConfiguration(catalog: .generated(films))
/// ```
public struct CatalogConfiguration: Sendable, Codable, Hashable {
  /// The number of films.
  public var count: Int
  /// How many distinct genres a film has.
  public var genresPerFilm: ParameterRange<Int>
  /// Relative weights of TMDB genre ids for a film's genres (drawn without replacement).
  public var genreWeights: [Int: Double]
  /// The power of the popularity tail: popularity `100 · rank^(−popularityTail)`; 0 makes every
  /// film 100.
  public var popularityTail: Double
  /// The range of vote averages (TMDB's 0–10 scale), drawn uniformly.
  public var voteAverage: ParameterRange<Double>
  /// The range of release years.
  public var years: ParameterRange<Int>
  /// How many cast members a film lists.
  public var castSize: ParameterRange<Int>
  /// The number of distinct actors, or `nil` for `max(50, 2 · count)`.
  public var actorPool: Int?
  /// The number of distinct directors, or `nil` for `max(10, count / 4)`.
  public var directorPool: Int?
  /// The Zipf exponent of actor and director popularity.
  public var namePoolExponent: Double

  /// Creates a configuration; the defaults describe the original's 400-film TMDB world.
  public init(
    count: Int = 400, genresPerFilm: ParameterRange<Int> = ParameterRange(1...3),
    genreWeights: [Int: Double] = CatalogConfiguration.tmdbGenreFrequencies,
    popularityTail: Double = 0.5, voteAverage: ParameterRange<Double> = ParameterRange(5.0...9.0),
    years: ParameterRange<Int> = ParameterRange(1950...2025),
    castSize: ParameterRange<Int> = ParameterRange(3...5), actorPool: Int? = nil,
    directorPool: Int? = nil, namePoolExponent: Double = 1.0
  ) {
    self.count = count
    self.genresPerFilm = genresPerFilm
    self.genreWeights = genreWeights
    self.popularityTail = popularityTail
    self.voteAverage = voteAverage
    self.years = years
    self.castSize = castSize
    self.actorPool = actorPool
    self.directorPool = directorPool
    self.namePoolExponent = namePoolExponent
  }

  /// Approximate relative frequencies of the TMDB genres among films (Drama, Comedy, Thriller
  /// and Action common; War, TV Movie and Western rare).
  public static let tmdbGenreFrequencies: [Int: Double] = [
    18: 30, 35: 20, 53: 15, 28: 14, 10749: 10, 27: 9, 80: 9, 12: 8, 99: 7, 10751: 6, 878: 6,
    9648: 5, 14: 5, 16: 5, 10402: 4, 36: 3, 10752: 2, 10770: 2, 37: 1,
  ]

  /// The actor pool size used (`2 · count` saturates instead of overflowing, so validation can
  /// report an out-of-bounds count).
  var resolvedActorPool: Int {
    actorPool ?? max(50, count > Int.max / 2 ? Int.max : 2 * count)
  }
  /// The director pool size used.
  var resolvedDirectorPool: Int { directorPool ?? max(10, count / 4) }
}

/// Where a world's films come from.
public enum CatalogSource: Sendable, Codable, Equatable {
  /// Films generated from a configuration.
  case generated(CatalogConfiguration)
  /// A real catalog (TMDB JSON, MovieLens `u.item` or `movies.csv`), its metadata used as given:
  /// popularity is rescaled to 0–100 by percentile rank (ties share their mean rank); a film
  /// without popularity gets ``WorldConfiguration/fallbackPopularity``, one without a vote
  /// average ``WorldConfiguration/fallbackVoteAverage`` (MovieLens files have neither); genres
  /// without a TMDB id (`Film-Noir`) never match a preference.
  case provided(Catalog)

  private enum CodingKeys: String, CodingKey {
    case generated, provided
  }

  /// Decodes `{"generated": {…}}` or `{"provided": [movies]}`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let configuration = try container.decodeIfPresent(
      CatalogConfiguration.self, forKey: .generated)
    {
      self = .generated(configuration)
    } else {
      self = .provided(try Catalog(movies: try container.decode([Movie].self, forKey: .provided)))
    }
  }

  /// Encodes `{"generated": {…}}` or `{"provided": [movies]}`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .generated(let configuration): try container.encode(configuration, forKey: .generated)
    case .provided(let catalog): try container.encode(catalog.movies, forKey: .provided)
    }
  }

  /// Same configuration, or catalogs with equal films in the same order.
  public static func == (lhs: CatalogSource, rhs: CatalogSource) -> Bool {
    switch (lhs, rhs) {
    case (.generated(let a), .generated(let b)): return a == b
    case (.provided(let a), .provided(let b)): return a.movies == b.movies
    default: return false
    }
  }
}
