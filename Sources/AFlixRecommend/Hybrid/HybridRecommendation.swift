import AFlixData

/// One film of a hybrid list: what a service returns as JSON.
public struct HybridRecommendation: Sendable, Hashable, Codable {
  /// The film's external id.
  public var item: EntityID
  /// The film's title, when the model has a catalog.
  public var title: String?
  /// The hybrid score (a weighted sum of z-scores; higher is better, comparable within a list).
  public var score: Float
  /// The collaborative model's predicted rating on its scale, when it predicts ratings.
  public var predictedRating: Float?
  /// Why the film is recommended, when the request asked.
  public var explanation: RecommendationExplanation?

  /// Creates a recommendation.
  public init(
    item: EntityID, title: String? = nil, score: Float, predictedRating: Float? = nil,
    explanation: RecommendationExplanation? = nil
  ) {
    self.item = item
    self.title = title
    self.score = score
    self.predictedRating = predictedRating
    self.explanation = explanation
  }
}

/// A hybrid list, best first, with how it was made.
public struct HybridRecommendations: Sendable, Hashable, Codable {
  /// The films, best first.
  public var items: [HybridRecommendation]
  /// ``PredictionSource/model`` when the user is known or brought known ratings, else the
  /// no-history answer's source (the popularity scorer's fallback by default).
  public var source: PredictionSource
  /// The fallback chain's step: the mix of weights used for this user.
  public var mix: HybridMix
  /// How many of the user's ratings the model knows (what chose ``mix``).
  public var knownRatings: Int
  /// Ids the request named that the model does not know (ratings, exclusions, allow-lists).
  public var ignoredItems: [EntityID]

  /// Creates a list.
  public init(
    items: [HybridRecommendation], source: PredictionSource = .model, mix: HybridMix,
    knownRatings: Int, ignoredItems: [EntityID] = []
  ) {
    self.items = items
    self.source = source
    self.mix = mix
    self.knownRatings = knownRatings
    self.ignoredItems = ignoredItems
  }
}

/// Why a film was recommended: each scorer's share of its score, the user's films that pulled it
/// up most, the genres it shares with what they liked, its popularity stratum and the user's
/// segment.
public struct RecommendationExplanation: Sendable, Hashable, Codable {
  /// One scorer's part of the score.
  public struct Share: Sendable, Hashable, Codable {
    /// `"collaborative"`, `"content"` or `"popularity"`.
    public var scorer: String
    /// Its weighted z-score for the film: its term of the hybrid score.
    public var contribution: Float
    /// `contribution` over the sum of the terms' absolute values (the shares' absolute values sum
    /// to 1; a negative share pulled the film down).
    public var share: Float

    /// Creates a share.
    public init(scorer: String, contribution: Float, share: Float) {
      self.scorer = scorer
      self.contribution = contribution
      self.share = share
    }
  }

  /// One of the user's films that pulled the recommendation up.
  public struct Because: Sendable, Hashable, Codable {
    /// The rated film's id.
    public var item: EntityID
    /// Its title, when the model has a catalog.
    public var title: String?
    /// The user's rating of it, when known (a known user's training ratings keep only which films
    /// they rated).
    public var rating: Float?
    /// How similar it is to the recommended film, in the collaborative (else content) model's
    /// sense (``RecommenderModel/similarities(from:to:)``).
    public var similarity: Float

    /// Creates an entry.
    public init(item: EntityID, title: String?, rating: Float?, similarity: Float) {
      self.item = item
      self.title = title
      self.rating = rating
      self.similarity = similarity
    }
  }

  /// Each scorer's part, in the order collaborative, content, popularity (those that took part).
  public var shares: [Share]
  /// Up to three of the user's films, most influential first.
  public var because: [Because]
  /// Genres the film shares with the films the user rated at or above their mean.
  public var sharedGenres: [String]
  /// The film's popularity stratum (`"trending"`, `"cult classic"`, …), when the model knows one.
  public var stratum: String?
  /// The user's segment (a readable label), when the model has user segments.
  public var segment: String?

  /// Creates an explanation.
  public init(
    shares: [Share], because: [Because] = [], sharedGenres: [String] = [], stratum: String? = nil,
    segment: String? = nil
  ) {
    self.shares = shares
    self.because = because
    self.sharedGenres = sharedGenres
    self.stratum = stratum
    self.segment = segment
  }

  /// One sentence: "Because you rated Star Wars (1977) 5★; 62 % collaborative, …".
  public var summary: String {
    var parts: [String] = []
    if let first = because.first {
      let name = first.title ?? first.item.description
      let stars = first.rating.map { " \($0.formatted1)★" } ?? ""
      parts.append("because you rated \(name)\(stars)")
    }
    if !sharedGenres.isEmpty {
      parts.append("like your \(sharedGenres.joined(separator: ", ")) films")
    }
    if let stratum { parts.append(stratum) }
    if let segment { parts.append("your taste: \(segment)") }
    let mix = shares.map { "\(Int(($0.share * 100).rounded())) % \($0.scorer)" }
    if !mix.isEmpty { parts.append(mix.joined(separator: ", ")) }
    guard let head = parts.first else { return "" }
    return ([head.prefix(1).uppercased() + head.dropFirst()] + parts.dropFirst()).joined(
      separator: "; ")
  }
}

extension Float {
  /// `5` for 5.0, `4.5` for 4.5.
  fileprivate var formatted1: String {
    self == rounded() && abs(self) < 1e6 ? String(Int(self)) : String((self * 10).rounded() / 10)
  }
}
