extension RecommenderModel {
  /// Temporary: the unknown-user fallback, until every model folds users in.
  public func scores(forRatings ratings: UserRatings) -> ItemScores { scoresForUnknownUser() }
}
