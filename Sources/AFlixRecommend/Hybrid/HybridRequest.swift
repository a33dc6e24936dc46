import AFlixData

/// What one hybrid request asks for beyond "N films for this user": filters, diversity, stated
/// genres for a newcomer, explanations and, for experiments, other weights.
///
/// ```swift
/// var request = HybridRequest(count: 10)
/// request.diversity = .original
/// request.statedGenres = [Genre(id: nil, name: "Comedy")]
/// request.explain = true
/// let top = hybrid.recommend(user: "newcomer", request)
/// ```
public struct HybridRequest: Sendable {
  /// How many films (at least 1; fewer only when fewer candidates remain); 10 by default.
  public var count: Int
  /// What to leave out; the user's rated films by default.
  public var exclusion: Exclusion
  /// Which films may be recommended (genre, year or id predicates); all by default.
  public var filter: CandidateFilter
  /// Diversity re-ranking of the list; ``DiversityReranking/off`` by default.
  public var diversity: DiversityReranking
  /// Genres the user said they like (onboarding): with no known rating, films of these genres
  /// come first, most popular first. Names are matched case-insensitively.
  public var statedGenres: [Genre]
  /// Whether each recommendation carries a ``RecommendationExplanation``; off by default.
  public var explain: Bool
  /// Weights to use instead of the model's (an A/B experiment); `nil` by default.
  public var weights: HybridWeights?

  /// Creates a request.
  public init(
    count: Int = 10, excluding exclusion: Exclusion = .rated, where filter: CandidateFilter = .all,
    diversity: DiversityReranking = .off, statedGenres: [Genre] = [], explain: Bool = false,
    weights: HybridWeights? = nil
  ) {
    self.count = count
    self.exclusion = exclusion
    self.filter = filter
    self.diversity = diversity
    self.statedGenres = statedGenres
    self.explain = explain
    self.weights = weights
  }
}
