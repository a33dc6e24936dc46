/// The bounds ``WorldConfiguration/validate()`` enforces, beyond which it throws
/// ``SynthError`` `.outOfBounds`: within them every integer computation is free of overflow,
/// every generated number is finite, memory stays proportionate and generation always ends.
///
/// ```swift
/// var configuration = WorldConfiguration(users: 200_000_000)
/// try configuration.validate()     // throws: users above SynthLimits.maxUsers
/// ```
public enum SynthLimits {
  /// The most users of a world: 10⁸.
  public static let maxUsers = 100_000_000
  /// The most films of a catalog, generated or provided: 10⁷ (a generated catalog holds about
  /// 200 bytes per film, and each generating thread a 8-byte-per-film scratch table).
  public static let maxFilms = 10_000_000
  /// The most ratings a world may hold: `users × ratingsPerUser.upperBound` must not exceed
  /// 2 · 10⁹. An in-memory world (``SyntheticWorld/generate(_:seed:)``) needs about 60 bytes per
  /// rating at its peak; ``WorldWriter/stream(_:seed:to:holdoutFraction:progress:)`` needs no memory per
  /// rating.
  public static let maxRatings = 2_000_000_000
  /// The largest magnitude of a real parameter (tendency mean and σ, noise σ, popularity bias,
  /// genre bonus, popularity and vote weights, vote centre, vote averages, genre weights): 10⁶.
  public static let maxMagnitude = 1e6
  /// The largest magnitude of a rating-range bound: 10⁴ (well inside `Float`'s range, and with
  /// `Float` resolution to spare).
  public static let maxRating = 1e4
  /// The release years a generated catalog may span.
  public static let years = 1800...2200
  /// The range of the Zipf exponent of the name pools and of the popularity tail's power.
  public static let tailExponents = 0.0...10.0
  /// The range of the exponent of ``FilmChoice/popularityWeighted(exponent:)``: weights
  /// `(popularity + 1)^exponent` stay within 10^±41.
  public static let filmChoiceExponents = -20.0...20.0
  /// The largest actor or director pool: 2 · 10⁷ names.
  public static let maxNamePool = 20_000_000
  /// The most cast members per film: 100.
  public static let maxCastSize = 100
  /// The most users of a cohort: 10⁶.
  public static let maxCohortUsers = 1_000_000
}
