import Foundation

extension ItemFeatures {
  /// How rare traits are weighted up: the inverse document frequency of a trait present on `df`
  /// of the `N` films (``ItemFeatures/catalogItemCount``).
  ///
  /// Traits are binary (a film has a genre or not), so BM25's term-frequency saturation and its
  /// length normalisation are one factor shared by every trait of a film's row, which the rows'
  /// L2 normalisation cancels: with these features BM25 *is* its IDF.
  public enum Weighting: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every trait weighs 1 (times its family's weight).
    case none
    /// Smoothed TF-IDF, scikit-learn's default: `ln((1 + N) / (1 + df)) + 1`.
    case tfidf
    /// BM25's (Lucene's) IDF: `ln(1 + (N − df + 0.5) / (df + 0.5))`.
    case bm25

    /// The weight of a trait on `df` of `n` films.
    public func idf(documentFrequency df: Int, itemCount n: Int) -> Double {
      let df = Double(df)
      let n = Double(n)
      switch self {
      case .none: return 1
      case .tfidf: return log((1 + n) / (1 + df)) + 1
      case .bm25: return log(1 + (n - df + 0.5) / (df + 0.5))
      }
    }
  }

  /// Which trait families make the features and how much each weighs.
  ///
  /// A trait's value in a film's row is its family's weight times its IDF (``weighting``); rows
  /// are then L2-normalised. A family weight of 0 turns the family off.
  ///
  /// Defaults: every family at weight 1 (not tuned; what other weights measured:
  /// <doc:HybridRecommender>); the first 5 cast members;
  /// BM25 weighting; traits on fewer than 2 films dropped (a trait no two films share adds no
  /// similarity and only shrinks its film's other values).
  ///
  /// ```swift
  /// var options = ItemFeatures.Options()
  /// options.decade = 0                 // genres, cast, director and keywords only
  /// options.weighting = .tfidf
  /// ```
  public struct Options: Sendable, Hashable, Codable {
    /// The weight of ``TraitFamily/genre`` traits; 1 by default.
    public var genres: Double
    /// The weight of ``TraitFamily/cast`` traits; 1 by default.
    public var cast: Double
    /// The weight of ``TraitFamily/director`` traits; 1 by default.
    public var director: Double
    /// The weight of ``TraitFamily/decade`` traits; 1 by default.
    public var decade: Double
    /// The weight of ``TraitFamily/keyword`` traits (keywords and tags); 1 by default.
    public var keywords: Double
    /// How many cast members of a film count, in billing order; 5 by default.
    public var castLimit: Int
    /// The IDF weighting; ``Weighting/bm25`` by default.
    public var weighting: Weighting
    /// Traits present on fewer films than this are dropped; 2 by default (1 keeps them all).
    public var minimumItemCount: Int

    /// Creates options; the defaults are described on the type.
    public init(
      genres: Double = 1, cast: Double = 1, director: Double = 1, decade: Double = 1,
      keywords: Double = 1, castLimit: Int = 5, weighting: Weighting = .bm25,
      minimumItemCount: Int = 2
    ) {
      self.genres = genres
      self.cast = cast
      self.director = director
      self.decade = decade
      self.keywords = keywords
      self.castLimit = castLimit
      self.weighting = weighting
      self.minimumItemCount = minimumItemCount
    }

    /// Genres only, at weight 1 (the other families off), with the default weighting.
    public static var genresOnly: Options {
      Options(cast: 0, director: 0, decade: 0, keywords: 0)
    }

    /// The weight of `family`.
    public func weight(of family: TraitFamily) -> Double {
      switch family {
      case .genre: return genres
      case .cast: return cast
      case .director: return director
      case .decade: return decade
      case .keyword: return keywords
      }
    }

    /// Checks every weight is finite and ≥ 0, `castLimit ≥ 0` and `minimumItemCount ≥ 1`.
    ///
    /// - Throws: ``RecommendError`` `.invalidHyperparameter` naming the option.
    public func validate() throws {
      for family in TraitFamily.allCases {
        try FactorValidation.requireNonNegative(weight(of: family), "\(family.rawValue) weight")
      }
      guard castLimit >= 0 else {
        throw RecommendError(.invalidHyperparameter, "castLimit \(castLimit) must be ≥ 0")
      }
      guard minimumItemCount >= 1 else {
        throw RecommendError(
          .invalidHyperparameter, "minimumItemCount \(minimumItemCount) must be ≥ 1")
      }
    }
  }
}
