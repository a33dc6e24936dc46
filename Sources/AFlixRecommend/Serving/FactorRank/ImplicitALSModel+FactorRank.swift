import AFlixLinalg

extension ImplicitALSModel: FactorRankServing {
  /// The model in the ordered, evenly split basis of ``FactorRankServing``; `YᵀY` for the fold-in
  /// is recomputed from the new item factors by the from-parts initialiser.
  ///
  /// - Throws: see ``FactorRankServing/orderedFactors()``.
  public func orderedFactors() throws -> ImplicitALSModel {
    let o = try FactorOrdering(userFactors: userFactors, itemFactors: itemFactors)
    return rebuilt(userFactors: o.userFactors, itemFactors: o.itemFactors)
  }

  /// The leading `count` factor columns; `YᵀY` recomputed for them, so a fold-in solves the
  /// Hu–Koren–Volinsky system with the fit's α, λ, ν in those `count` dimensions.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` unless `1 ≤ count ≤ factorCount`.
  public func keepingLeadingFactors(_ count: Int) throws -> ImplicitALSModel {
    try FactorRankValidation.requireFactorCount(count, of: factorCount)
    return rebuilt(
      userFactors: FactorOrdering.leadingColumns(userFactors, count),
      itemFactors: FactorOrdering.leadingColumns(itemFactors, count))
  }

  /// The model with other factors, history and fit record kept.
  private func rebuilt(userFactors: Matrix<Float>, itemFactors: Matrix<Float>) -> ImplicitALSModel {
    var model = ImplicitALSModel(
      users: users, items: items, userFactors: userFactors, itemFactors: itemFactors,
      history: history)
    model.fitRecord = fitRecord
    return model
  }
}
