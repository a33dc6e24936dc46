import AFlixLinalg

extension BiasedMFModel: FactorRankServing {
  /// The model in the ordered, evenly split basis of ``FactorRankServing``; μ and the biases
  /// unchanged, SVD++'s ``implicitFactors`` moved like the user factors (they add to the user
  /// vector in a fold-in).
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for a ``BayesianMF`` fit (record `bpmf`:
  ///   its columns are posterior samples side by side, which its fold-in relies on), and see
  ///   ``FactorRankServing/orderedFactors()``.
  public func orderedFactors() throws -> BiasedMFModel {
    try requireReorderable()
    let o = try FactorOrdering(userFactors: userFactors, itemFactors: itemFactors)
    return rebuilt(
      userFactors: o.userFactors, itemFactors: o.itemFactors,
      implicitFactors: try implicitFactors.map { try o.transformingUserSide($0) })
  }

  /// The leading `count` factor columns (of the implicit factors too); biases unchanged.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` unless `1 ≤ count ≤ factorCount`, or for a
  ///   ``BayesianMF`` fit.
  public func keepingLeadingFactors(_ count: Int) throws -> BiasedMFModel {
    try requireReorderable()
    try FactorRankValidation.requireFactorCount(count, of: factorCount)
    return rebuilt(
      userFactors: FactorOrdering.leadingColumns(userFactors, count),
      itemFactors: FactorOrdering.leadingColumns(itemFactors, count),
      implicitFactors: implicitFactors.map { FactorOrdering.leadingColumns($0, count) })
  }

  /// Throws for a ``BayesianMF`` fit, whose fold-in reads its columns as samples of
  /// ``BayesianMF/factors`` each.
  private func requireReorderable() throws {
    if fitRecord?.algorithm == "bpmf" {
      throw RecommendError(
        .invalidArgument,
        "a bpmf model's factor columns are posterior samples side by side (its fold-in relies on "
          + "that layout): it cannot be reordered or truncated; refit at the smaller K")
    }
  }

  /// The model with other factors; biases, history and fit record kept.
  private func rebuilt(
    userFactors: Matrix<Float>, itemFactors: Matrix<Float>, implicitFactors: Matrix<Float>?
  ) -> BiasedMFModel {
    var model = BiasedMFModel(
      users: users, items: items, scale: scale, globalMean: globalMean, userBias: userBias,
      itemBias: itemBias, userFactors: userFactors, itemFactors: itemFactors,
      implicitFactors: implicitFactors, history: history)
    model.fitRecord = fitRecord
    return model
  }
}
