import AFlixData

extension BlendModel {
  /// Scores for a user described only by `ratings`: every member folds the user in
  /// (``RecommenderModel/scores(forRatings:)``) and the scores are blended as for a known user,
  /// `w₀ + Σⱼ wⱼ sⱼ`; the source is the first member's (as ``predict(user:item:)`` reports).
  /// Empty ratings give ``scoresForUnknownUser()``.
  ///
  /// - Complexity: the sum of the members' fold-ins.
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard !ratings.isEmpty else { return scoresForUnknownUser() }
    var out = [Float](repeating: intercept, count: items.count)
    var source = PredictionSource.model
    for (j, (member, w)) in zip(members, weights).enumerated() {
      let folded = member.scores(forRatings: ratings)
      if j == 0 { source = folded.source }
      for (i, s) in folded.values.enumerated() where i < out.count { out[i] += w * s }
    }
    return ItemScores(values: out, source: source)
  }
}
