import AFlixData

extension EASEModel {
  /// Scores for a user described only by `ratings`: `xB` with `x` the binary row of the rated
  /// items (``scores(forHistory:)``; EASE ignores the values, as its fit does), as
  /// ``PredictionSource/model``; empty ratings give ``scoresForUnknownUser()``. EASE has no user
  /// representation beyond that row: the fold-in is exact.
  ///
  /// - Complexity: O(n · items) for `n` ratings.
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard !ratings.isEmpty else { return scoresForUnknownUser() }
    return ItemScores(values: scores(forHistory: ratings.items), source: .model)
  }
}
