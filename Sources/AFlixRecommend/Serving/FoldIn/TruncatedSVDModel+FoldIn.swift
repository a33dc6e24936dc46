import AFlixData
import AFlixLinalg

extension TruncatedSVDModel {
  /// The offset `oᵤ` and the row of `UΣ` of a user described only by `ratings` (item indices of
  /// this model), with the right singular vectors `V` fixed: the centred rating row projected
  /// onto them, `(UΣ)ᵤ = Σᵢ (rᵢ − oᵤ − oᵢ) Vᵢ` over the rated items — what `R V = U Σ` gives
  /// every training user.
  ///
  /// The offset is centred as the fit centred: with ``TruncatedSVDRecommender/Centering-swift.enum/biases``,
  /// `oᵤ = μ + bᵤ` with `bᵤ = Σ(r − μ − bᵢ)/(λᵤ + n)`, the closing user step of the
  /// ``Baseline`` fitted alongside (its λᵤ is ``Baseline``'s default 15, as the fit uses); with
  /// ``TruncatedSVDRecommender/Centering-swift.enum/userMeans``, the mean of the ratings.
  ///
  /// - Returns: `nil` for empty ratings.
  /// - Complexity: O(n·k) for `n` ratings and rank `k`.
  public func foldedUserFactors(_ ratings: UserRatings) -> (offset: Float, factors: [Float])? {
    guard !ratings.isEmpty, ratings.items.last! < items.count else { return nil }
    let offset: Float
    switch centering {
    case .biases:
      offset =
        baseline.globalMean
        + FoldInSolver.baselineUserBias(
          ratings, globalMean: baseline.globalMean, itemBias: baseline.itemBias,
          regularization: Baseline().userRegularization)
    case .userMeans:
      var s = 0.0
      for v in ratings.values { s += Double(v) }
      offset = Float(s / Double(ratings.count))
    }
    let k = rank
    var factors = [Double](repeating: 0, count: k)
    for (i, r) in zip(ratings.items, ratings.values) {
      let residual = Double(r) - Double(offset) - Double(itemOffsets[i])
      for f in 0..<k { factors[f] += residual * Double(itemFactors.elements[i * k + f]) }
    }
    return (offset, factors.map { Float($0) })
  }

  /// Scores for a user described only by `ratings`: `oᵤ + oᵢ + (UΣ)ᵤ · Vᵢ` with the folded-in
  /// offset and row (``foldedUserFactors(_:)``), as ``PredictionSource/model``; empty ratings
  /// give ``scoresForUnknownUser()``.
  ///
  /// - Complexity: O(n·k) plus one `sgemv` over the items.
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard let folded = foldedUserFactors(ratings) else { return scoresForUnknownUser() }
    return ItemScores(
      values: FoldInSolver.scores(
        itemFactors: itemFactors, vector: folded.factors, base: folded.offset,
        itemBias: itemOffsets),
      source: .model)
  }
}
