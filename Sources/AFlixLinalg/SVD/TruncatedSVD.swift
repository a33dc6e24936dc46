/// A rank-`k` singular value decomposition `A ≈ U Σ Vᵀ` of a (possibly centred) matrix.
///
/// `u` is `rows × k` with orthonormal columns, ``singularValues`` are `σ₁ ≥ … ≥ σₖ ≥ 0`, `vt` is
/// `k × columns` with orthonormal rows. ``explainedVarianceRatio`` is `σᵢ² / ‖A‖_F²` where `‖A‖_F²`
/// is the squared Frobenius norm of the matrix that was decomposed (after centring), so the ratios
/// of a full decomposition sum to 1.
///
/// The leading `j` triplets of a rank-`k` result are the rank-`j` result: ``prefix(_:)`` serves a
/// smaller `k` without recomputing.
public struct TruncatedSVD<Scalar: BLASScalar>: Sendable, Equatable, Codable {
  /// Left singular vectors, `rows × k`.
  public let u: Matrix<Scalar>
  /// Singular values, descending.
  public let singularValues: [Scalar]
  /// Right singular vectors as rows, `k × columns`.
  public let vt: Matrix<Scalar>
  /// `‖A‖_F²` of the decomposed (centred) matrix.
  public let totalSquaredNorm: Scalar
  /// The means subtracted before decomposing.
  public let offsets: CenteringOffsets<Scalar>

  /// Creates a result from its parts.
  ///
  /// - Precondition: the shapes agree (`u.columns == vt.rows == singularValues.count`).
  public init(
    u: Matrix<Scalar>, singularValues: [Scalar], vt: Matrix<Scalar>, totalSquaredNorm: Scalar,
    offsets: CenteringOffsets<Scalar>
  ) {
    precondition(u.columns == singularValues.count && vt.rows == singularValues.count)
    self.u = u
    self.singularValues = singularValues
    self.vt = vt
    self.totalSquaredNorm = totalSquaredNorm
    self.offsets = offsets
  }

  /// The same decomposition in another precision.
  public init<Other: BLASScalar>(converting other: TruncatedSVD<Other>) {
    self.init(
      u: Matrix(converting: other.u), singularValues: other.singularValues.map { Scalar($0) },
      vt: Matrix(converting: other.vt), totalSquaredNorm: Scalar(other.totalSquaredNorm),
      offsets: CenteringOffsets(
        centering: other.offsets.centering, means: other.offsets.means.map { Scalar($0) }))
  }

  /// The rank `k`.
  public var rank: Int { singularValues.count }

  /// `σᵢ² / ‖A‖_F²` for each component.
  public var explainedVarianceRatio: [Scalar] {
    guard totalSquaredNorm > 0 else { return singularValues.map { _ in 0 } }
    return singularValues.map { $0 * $0 / totalSquaredNorm }
  }

  /// Running sums of ``explainedVarianceRatio``.
  public var cumulativeExplainedVariance: [Scalar] {
    var total: Scalar = 0
    return explainedVarianceRatio.map {
      total += $0
      return total
    }
  }

  /// The rank-`k` prefix of this decomposition (the leading `k` triplets).
  ///
  /// - Precondition: `1 ≤ k ≤ rank`.
  public func prefix(_ k: Int) -> TruncatedSVD {
    precondition(k >= 1 && k <= rank, "prefix rank \(k) outside 1...\(rank)")
    return TruncatedSVD(
      u: u.leadingColumns(k), singularValues: Array(singularValues.prefix(k)),
      vt: vt.leadingRows(k), totalSquaredNorm: totalSquaredNorm, offsets: offsets)
  }

  /// The dense reconstruction `U Σ Vᵀ` (centring offsets not added back).
  public func reconstruction() -> Matrix<Scalar> {
    var us = u
    for i in 0..<us.rows {
      for t in 0..<rank { us.elements[i * rank + t] *= singularValues[t] }
    }
    return us.multiplied(by: vt)
  }
}
