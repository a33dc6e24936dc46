import AFlixLinalg

extension BPRModel: FactorRankServing {
  /// The model in the ordered, evenly split basis of ``FactorRankServing``; item biases
  /// unchanged.
  ///
  /// - Throws: see ``FactorRankServing/orderedFactors()``.
  public func orderedFactors() throws -> BPRModel {
    let o = try FactorOrdering(userFactors: userFactors, itemFactors: itemFactors)
    return rebuilt(userFactors: o.userFactors, itemFactors: o.itemFactors)
  }

  /// The leading `count` factor columns; item biases unchanged.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` unless `1 ≤ count ≤ factorCount`.
  public func keepingLeadingFactors(_ count: Int) throws -> BPRModel {
    try FactorRankValidation.requireFactorCount(count, of: factorCount)
    return rebuilt(
      userFactors: FactorOrdering.leadingColumns(userFactors, count),
      itemFactors: FactorOrdering.leadingColumns(itemFactors, count))
  }

  /// The model with other factors; biases, history and fit record kept.
  private func rebuilt(userFactors: Matrix<Float>, itemFactors: Matrix<Float>) -> BPRModel {
    var model = BPRModel(
      users: users, items: items, userFactors: userFactors, itemFactors: itemFactors,
      itemBias: itemBias, history: history)
    model.fitRecord = fitRecord
    return model
  }
}
