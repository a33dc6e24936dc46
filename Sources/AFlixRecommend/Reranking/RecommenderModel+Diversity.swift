import AFlixData

extension RecommenderModel {
  /// The `count` best items for the user with external id `user`, re-ranked for genre diversity:
  /// the model's ``DiversityReranking/candidatePoolSize(for:)`` best candidates (2N; the same
  /// exclusions, filter and fallbacks as ``recommend(user:count:excluding:where:)``) cut to
  /// `count` by `diversity`. Genre sets come from `genres`, matched by id (films it does not know
  /// have none). Never traps.
  ///
  /// ```swift
  /// let genres = ItemGenreSets(catalog: catalog, items: model.items)   // once, shared
  /// let top = try model.recommend(user: 42, count: 10, diversity: .original, genres: genres)
  /// ```
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an MMR λ outside [0, 1].
  /// - Complexity: one scoring and selection of 2N items, then O(N · 2N) for the re-ranking.
  public func recommend(
    user: EntityID, count: Int = 10, excluding exclusion: Exclusion = .rated,
    where filter: CandidateFilter = .all, diversity: DiversityReranking, genres: ItemGenreSets
  ) throws -> Recommendations {
    try diversity.validate()
    let ranked = recommend(
      user: user, count: diversity.candidatePoolSize(for: count), excluding: exclusion,
      where: filter)
    return try diversity.rerank(ranked, count: count, genres: genres)
  }

  /// `recommend(forRatings:count:excluding:where:)` re-ranked for genre diversity, as
  /// ``recommend(user:count:excluding:where:diversity:genres:)``: a user described only by their
  /// ratings (external item id → value) is folded in, 2N candidates are selected and `diversity`
  /// keeps `count`. Never traps.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an MMR λ outside [0, 1].
  public func recommend(
    forRatings ratings: [(item: EntityID, value: Float)], count: Int = 10,
    excluding exclusion: Exclusion = .rated, where filter: CandidateFilter = .all,
    diversity: DiversityReranking, genres: ItemGenreSets
  ) throws -> Recommendations {
    try diversity.validate()
    let ranked = recommend(
      forRatings: ratings, count: diversity.candidatePoolSize(for: count), excluding: exclusion,
      where: filter)
    return try diversity.rerank(ranked, count: count, genres: genres)
  }
}
