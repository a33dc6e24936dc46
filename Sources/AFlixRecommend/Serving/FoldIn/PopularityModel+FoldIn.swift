import AFlixData

extension PopularityModel {
  /// The item counts, as for every user (``PredictionSource/model``: popularity is the whole
  /// model, the same for a new user as for a known one); empty ratings give
  /// ``scoresForUnknownUser()``.
  ///
  /// - Complexity: O(items).
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard !ratings.isEmpty else { return scoresForUnknownUser() }
    return ItemScores(values: counts.map { Float($0) }, source: .model)
  }
}
