extension HybridModel {
  /// The factor count of the collaborative model when it is a ``FactorRankServing`` model, else
  /// `nil` (EASE, KNN, a blend: nothing to truncate).
  public var collaborativeFactorCount: Int? {
    (collaborative as? any FactorRankServing)?.factorCount
  }

  /// The hybrid with its collaborative model served from the leading `count` of its ordered
  /// factors (``FactorRankServing/truncated(toFactors:)``); the content and popularity scorers,
  /// the weights, the history and the fit record are kept.
  ///
  /// ```swift
  /// let hybrid = try Hybrid(collaborative: ImplicitALS(factors: 30)).fit(train)
  /// let emergency = try hybrid.truncated(toFactors: 20)
  /// ```
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` when the collaborative model has no factors
  ///   to truncate (it is not a ``FactorRankServing`` model) or `count` is outside
  ///   `1…factorCount`, and what ``FactorRankServing/orderedFactors()`` throws.
  public func truncated(toFactors count: Int) throws -> HybridModel {
    guard let factorModel = collaborative as? any FactorRankServing else {
      throw RecommendError(
        .invalidArgument,
        "the hybrid's collaborative model (\(type(of: collaborative))) has no ordered factors to "
          + "truncate; only factor models (implicit ALS, biased MF, BPR, truncated SVD) serve "
          + "at a chosen K")
    }
    return try replacingCollaborative(with: factorModel.truncated(toFactors: count))
  }

  /// The hybrid with `model` as its collaborative scorer (same users and items), everything else
  /// kept (content, popularity, weights, catalog, segments, record, history).
  func replacingCollaborative(with model: any RecommenderModel) throws -> HybridModel {
    var hybrid = try HybridModel(
      collaborative: model, content: content, popularity: popularity, weights: weights,
      catalog: catalog, segments: segments)
    hybrid.fitRecord = fitRecord
    hybrid.history = history
    return hybrid
  }
}
