import AFlixData

/// How users choose the films they rate.
public enum FilmChoice: Sendable, Codable, Hashable {
  /// Every film equally likely.
  case uniform
  /// Film `i` drawn with weight `(popularity_i + 1)^exponent` (popularity on 0–100), without
  /// replacement, so popular films collect more ratings, as in real data.
  case popularityWeighted(exponent: Double)
}

/// The grid ratings are rounded to, if any.
public enum RatingRounding: String, Sendable, Codable, CaseIterable {
  /// No rounding: the clamped value itself (a continuous scale).
  case none
  /// The nearest multiple of 0.5 inside ``WorldConfiguration/ratingRange`` (0.5, 1, …, 5).
  case halfStars = "half"
  /// The nearest whole number inside ``WorldConfiguration/ratingRange`` (1, …, 5).
  case wholeStars = "whole"
}

/// Everything that defines a synthetic world, with the original's values as defaults: 10,000
/// users, 400 generated films, 10–50 ratings per user (≈ 300,000 ratings), continuous ratings.
///
/// A user's profile draws 2–6 preferred genres, a tendency ~ Normal(3.5, 0.8), a noise standard
/// deviation σ ~ Uniform(0.5, 1.5) and a popularity bias ~ Uniform(−0.5, 1.0). The user's rating
/// of a film is
///
///     x = tendency + genreBonus · |preferred ∩ film genres|
///         + popularityBias · popularity · popularityWeight
///         + (voteAverage − voteCenter) · voteWeight + Normal(0, σ)
///
/// clamped to ``ratingRange`` and, with ``rounding``, rounded to the nearest grid value (values
/// beyond the grid's ends go to the ends; exact ties round up).
///
/// ```swift
/// var configuration = WorldConfiguration(users: 2_000)
/// configuration.archetypes = Archetype.original
/// configuration.rounding = .halfStars
/// try configuration.validate()
/// let world = try SyntheticWorld.generate(configuration, seed: 42)
/// ```
public struct WorldConfiguration: Sendable, Codable, Equatable {
  /// The number of users (ids `1…users`).
  public var users: Int
  /// The films: generated, or a real catalog.
  public var catalog: CatalogSource
  /// How many distinct films each user rates, drawn uniformly.
  public var ratingsPerUser: ParameterRange<Int>
  /// How the films are chosen.
  public var filmChoice: FilmChoice
  /// How many distinct genres a user prefers, drawn uniformly.
  public var preferredGenres: ParameterRange<Int>
  /// The TMDB genre ids users without an archetype choose their preferred genres from
  /// (uniformly). Default: all 19.
  public var genrePool: [Int]
  /// The mean of the users' rating tendency.
  public var tendencyMean: Double
  /// The standard deviation of the users' rating tendency.
  public var tendencySD: Double
  /// The range of the users' noise standard deviation σ, drawn uniformly.
  public var noiseSD: ParameterRange<Double>
  /// The range of the users' popularity bias, drawn uniformly.
  public var popularityBias: ParameterRange<Double>
  /// The bonus per preferred genre a film has.
  public var genreBonus: Double
  /// The factor of `popularityBias · popularity` (popularity on 0–100): 0.01 by default.
  public var popularityWeight: Double
  /// The factor of `voteAverage − voteCenter`.
  public var voteWeight: Double
  /// The vote average that neither raises nor lowers a rating.
  public var voteCenter: Double
  /// The range ratings are clamped to.
  public var ratingRange: ParameterRange<Double>
  /// Rounding of ratings to half or whole stars, or none.
  public var rounding: RatingRounding
  /// Taste segments users are drawn from, or `nil` for none (preferred genres then come
  /// uniformly from ``genrePool`` and ``UserProfile/segment`` is `nil`).
  public var archetypes: [Archetype]?
  /// The popularity (0–100) of a real catalog's film that has none.
  public var fallbackPopularity: Double
  /// The vote average of a real catalog's film that has none (MovieLens files have none).
  public var fallbackVoteAverage: Double

  /// Creates a configuration; every default is the original's.
  public init(
    users: Int = 10_000, catalog: CatalogSource = .generated(CatalogConfiguration()),
    ratingsPerUser: ParameterRange<Int> = ParameterRange(10...50),
    filmChoice: FilmChoice = .uniform,
    preferredGenres: ParameterRange<Int> = ParameterRange(2...6),
    genrePool: [Int] = WorldConfiguration.tmdbGenreIDs,
    tendencyMean: Double = 3.5, tendencySD: Double = 0.8,
    noiseSD: ParameterRange<Double> = ParameterRange(0.5...1.5),
    popularityBias: ParameterRange<Double> = ParameterRange(-0.5...1.0),
    genreBonus: Double = 0.3, popularityWeight: Double = 0.01, voteWeight: Double = 0.2,
    voteCenter: Double = 5, ratingRange: ParameterRange<Double> = ParameterRange(0.5...5.0),
    rounding: RatingRounding = .none, archetypes: [Archetype]? = nil,
    fallbackPopularity: Double = 50, fallbackVoteAverage: Double = 6.5
  ) {
    self.users = users
    self.catalog = catalog
    self.ratingsPerUser = ratingsPerUser
    self.filmChoice = filmChoice
    self.preferredGenres = preferredGenres
    self.genrePool = genrePool
    self.tendencyMean = tendencyMean
    self.tendencySD = tendencySD
    self.noiseSD = noiseSD
    self.popularityBias = popularityBias
    self.genreBonus = genreBonus
    self.popularityWeight = popularityWeight
    self.voteWeight = voteWeight
    self.voteCenter = voteCenter
    self.ratingRange = ratingRange
    self.rounding = rounding
    self.archetypes = archetypes
    self.fallbackPopularity = fallbackPopularity
    self.fallbackVoteAverage = fallbackVoteAverage
  }

  /// The 19 TMDB genre ids, in TMDB's list order.
  public static let tmdbGenreIDs: [Int] = Genre.tmdb.compactMap(\.id)

  /// The number of films: the generated count, or the real catalog's.
  public var filmCount: Int {
    switch catalog {
    case .generated(let configuration): return configuration.count
    case .provided(let catalog): return catalog.count
    }
  }

  /// The scale the ratings lie on: continuous over ``ratingRange`` without rounding, else the
  /// grid's ends with step 0.5 or 1 (`RatingScale.halfStars` and `RatingScale.oneToFive` with the
  /// default range).
  ///
  /// - Precondition: the configuration is valid.
  public var ratingScale: RatingScale {
    let grid = RatingGrid(range: ratingRange, rounding: rounding)!
    switch rounding {
    case .none:
      return RatingScale(
        minimum: Float(ratingRange.lowerBound), maximum: Float(ratingRange.upperBound), step: nil)
    case .halfStars, .wholeStars:
      return RatingScale(
        minimum: Float(grid.first), maximum: Float(grid.first + Double(grid.steps) * grid.step),
        step: Float(grid.step))
    }
  }
}
