extension FactorLadder where Model == HybridModel {
  /// A ladder of `hybrid`'s variants: its collaborative model's factors ordered once and the
  /// leading K kept for every K of `factors` (the collaborative model's fitted K added when
  /// absent), content, popularity and weights shared.
  ///
  /// ```swift
  /// let hybrid = try Hybrid(collaborative: ImplicitALS(factors: 35)).fit(train)
  /// let ladder = try FactorLadder(hybrid: hybrid, factors: [20, 25, 30])
  /// let arm = try ladder.model(forFactors: 25)
  /// ```
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` when the collaborative model is not a
  ///   ``FactorRankServing`` model or a K is outside `1…factorCount`, and what
  ///   ``FactorRankServing/orderedFactors()`` throws.
  public init(hybrid: HybridModel, factors: [Int]) throws {
    guard let collaborative = hybrid.collaborative as? any FactorRankServing else {
      // The hybrid's own check names the model and says which ones serve at a chosen K.
      _ = try hybrid.truncated(toFactors: 1)
      throw RecommendError(.invalidArgument, "the hybrid's collaborative model has no factors")
    }
    try self.init(fittedFactors: collaborative.factorCount, factors: factors) {
      try hybrid.replacingCollaborative(with: collaborative.orderedFactors())
    } keepingLeading: { ordered, k in
      guard let factorModel = ordered.collaborative as? any FactorRankServing else {
        throw RecommendError(.invalidArgument, "the hybrid's collaborative model has no factors")
      }
      return try ordered.replacingCollaborative(with: factorModel.keepingLeadingFactors(k))
    }
  }
}
