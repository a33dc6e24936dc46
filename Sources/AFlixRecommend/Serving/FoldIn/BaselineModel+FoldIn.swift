import AFlixData

extension BaselineModel {
  /// The bias `bᵤ` of a user described only by `ratings` (item indices of this model), with the
  /// item biases fixed: the closing user step of ``Baseline``, `bᵤ = Σ(r − μ − bᵢ)/(λᵤ + n)`,
  /// with the λᵤ of the model's ``fitRecord`` (``Baseline``'s default 15 for a model without
  /// one, such as the biases inside ``KNNBaselineModel`` and ``TruncatedSVDModel``, which are
  /// fitted with those defaults unless their own record says otherwise).
  ///
  /// - Returns: `nil` for empty ratings.
  /// - Complexity: O(n).
  public func foldedUserBias(_ ratings: UserRatings) -> Float? {
    foldedUserBias(
      ratings, regularization: fitRecord.number("userRegularization", Baseline().userRegularization)
    )
  }

  /// ``foldedUserBias(_:)`` with λᵤ given.
  func foldedUserBias(_ ratings: UserRatings, regularization: Double) -> Float? {
    guard !ratings.isEmpty, ratings.items.last! < items.count else { return nil }
    return FoldInSolver.baselineUserBias(
      ratings, globalMean: globalMean, itemBias: itemBias, regularization: regularization)
  }

  /// Scores for a user described only by `ratings`: `μ + bᵤ + bᵢ` with the folded-in bias
  /// (``foldedUserBias(_:)``), as ``PredictionSource/model``; empty ratings give
  /// ``scoresForUnknownUser()``.
  ///
  /// - Complexity: O(n + items).
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard let bias = foldedUserBias(ratings) else { return scoresForUnknownUser() }
    let base = globalMean + bias
    return ItemScores(values: itemBias.map { base + $0 }, source: .model)
  }
}
