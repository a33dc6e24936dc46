import AFlixLinalg

extension TruncatedSVDModel: FactorRankServing {
  /// The number of factors, the rank `k`.
  public var factorCount: Int { rank }

  /// The model itself when its singular values are descending (a fit's always are: its columns
  /// are ordered already), else its columns sorted by decreasing singular value — a permutation,
  /// so every score and fold-in is unchanged exactly.
  ///
  /// - Throws: never for a fitted model; the signature is the protocol's.
  public func orderedFactors() throws -> TruncatedSVDModel {
    let s = singularValues
    if zip(s, s.dropFirst()).allSatisfy({ $0 >= $1 }) { return self }
    let order = s.indices.sorted { s[$0] != s[$1] ? s[$0] > s[$1] : $0 < $1 }
    return rebuilt(
      userFactors: Self.columns(order, of: userFactors),
      itemFactors: Self.columns(order, of: itemFactors), singularValues: order.map { s[$0] },
      explainedVariance: explainedVariance)
  }

  /// The leading `count` singular triplets: `U_r Σ_r`, `V_r`, `σ₁…σ_r`, and the explained
  /// variance scaled to what they capture (`EV · Σᵢ<ᵣ σᵢ² / Σ σᵢ²`). Offsets and baseline kept;
  /// the fold-in (a projection onto `V_r`) is exact at every rank.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` unless `1 ≤ count ≤ rank`.
  public func keepingLeadingFactors(_ count: Int) throws -> TruncatedSVDModel {
    try FactorRankValidation.requireFactorCount(count, of: factorCount)
    let energy = singularValues.reduce(0.0) { $0 + Double($1) * Double($1) }
    let kept = singularValues.prefix(count).reduce(0.0) { $0 + Double($1) * Double($1) }
    let variance = energy > 0 ? Float(Double(explainedVariance) * kept / energy) : 0
    return rebuilt(
      userFactors: FactorOrdering.leadingColumns(userFactors, count),
      itemFactors: FactorOrdering.leadingColumns(itemFactors, count),
      singularValues: Array(singularValues.prefix(count)), explainedVariance: variance)
  }

  /// The columns `order` of `matrix`, in that order.
  private static func columns(_ order: [Int], of matrix: Matrix<Float>) -> Matrix<Float> {
    let c = matrix.columns
    var out = [Float](repeating: 0, count: matrix.rows * order.count)
    for r in 0..<matrix.rows {
      for (j, source) in order.enumerated() {
        out[r * order.count + j] = matrix.elements[r * c + source]
      }
    }
    return Matrix(rows: matrix.rows, columns: order.count, elements: out)
  }

  /// The model with other factors; baseline, offsets, history and fit record kept.
  private func rebuilt(
    userFactors: Matrix<Float>, itemFactors: Matrix<Float>, singularValues: [Float],
    explainedVariance: Float
  ) -> TruncatedSVDModel {
    var model = TruncatedSVDModel(
      baseline: baseline, centering: centering, userOffsets: userOffsets,
      itemOffsets: itemOffsets, userFactors: userFactors, itemFactors: itemFactors,
      singularValues: singularValues, explainedVariance: explainedVariance, history: history)
    model.fitRecord = fitRecord
    return model
  }
}
