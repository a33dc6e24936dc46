/// Which mean is subtracted before a decomposition.
public enum MeanAxis: String, Sendable, Hashable, Codable, CaseIterable {
  /// One mean over the whole matrix.
  case global
  /// One mean per row (per user, for a users × items rating matrix).
  case perRow
  /// One mean per column (per item).
  case perColumn
}

/// How a matrix is centred before a truncated SVD. Neither mode ever forms a dense copy of a
/// sparse matrix.
///
/// - ``observedEntries(_:)``: the mean of the **stored** entries (global, per row or per column)
///   is subtracted from the stored entries only; missing entries stay empty. This is the residual
///   matrix a recommender factorises, and it stays sparse.
/// - ``allEntries(_:)``: PCA centring, `A − 1μᵀ` (or `μ1ᵀ`, or `μ·11ᵀ`) over **every** entry,
///   zeros included. It is applied implicitly: products with the centred matrix are the products
///   with `A` corrected by a rank-one term, so the dense matrix is never formed.
///
/// For a dense ``Matrix`` every entry is stored, so both modes subtract the same means.
public enum Centering: Sendable, Hashable, Codable {
  /// No centring.
  case none
  /// Subtract the mean of the stored entries from the stored entries only.
  case observedEntries(MeanAxis)
  /// Subtract the mean over all entries from all entries (PCA centring), implicitly.
  case allEntries(MeanAxis)
}

/// The means a ``TruncatedSVD`` was computed after subtracting, so that a caller can add them back:
/// the approximation of entry `(i, j)` is `offset(row: i, column: j) + Σₜ uᵢₜ σₜ vₜⱼ`.
public struct CenteringOffsets<Scalar: BLASScalar>: Sendable, Equatable, Codable {
  /// The centring that produced these offsets.
  public let centering: Centering
  /// The subtracted means: empty for `.none`, one value for a global mean, one per row or one per
  /// column otherwise.
  public let means: [Scalar]

  /// Creates offsets from a centring and its means.
  public init(centering: Centering, means: [Scalar]) {
    self.centering = centering
    self.means = means
  }

  /// The value subtracted at entry (`row`, `column`).
  @inlinable
  public func offset(row: Int, column: Int) -> Scalar {
    switch centering {
    case .none: return 0
    case .observedEntries(let axis), .allEntries(let axis):
      switch axis {
      case .global: return means[0]
      case .perRow: return means[row]
      case .perColumn: return means[column]
      }
    }
  }
}
