/// Settings of the randomized truncated SVD (Halko, Martinsson & Tropp, 2011, Algorithms 4.4 and
/// 5.1).
public struct RandomizedSVDOptions: Sendable, Hashable, Codable {
  /// How the range of the matrix is found.
  public enum Strategy: String, Sendable, Hashable, Codable {
    /// ``gram`` when the narrow side has at most 2,048 entries and squaring loses nothing that
    /// matters (see ``gram``), else ``direct``.
    case automatic
    /// Subspace iteration with `A` and `Aᵀ` as in scikit-learn's `randomized_svd`: every power
    /// iteration costs two sparse products, with LU normalisation between them; a QR and an SVD
    /// of `QᵀA` finish. Accurate for every singular value the sketch captures.
    case direct
    /// Subspace iteration with the Gram matrix of the narrow side (`AᵀA`, accumulated once from
    /// the sparse rows); every power iteration is then a small dense product and QR. The singular
    /// values come from the Rayleigh–Ritz values of `Zᵀ(AᵀA)Z` and `U = AVΣ⁻¹`: forming `AᵀA`
    /// squares the condition number, which puts a relative error of about `ε (σ₁/σₖ)²` on `σₖ`
    /// and as much on the orthogonality of `U`. When that exceeds `max(1e-8, 100 ε)` (a spread
    /// `σ₁/σₖ` above about 6,700 in `Double`, 10 in `Float`), ``automatic`` switches to
    /// ``direct``, and an explicit ``gram`` takes the values from an SVD of `A Z` instead
    /// (not squared, orthonormal `U`). Components with `σ ≲ √ε σ₁` (about `1e-8 σ₁` in
    /// `Double`) are below the Gram matrix's rounding and cannot be resolved by this strategy at
    /// all: use ``direct`` for such spectra. Rating matrices have `σ₁/σₖ` of a few to a few
    /// hundred.
    case gram
  }

  /// Extra sketch columns beyond the rank (`p` in HMT); 10 by default.
  public var oversampling: Int
  /// Power (subspace) iterations, each a multiplication by `AAᵀ` or `AᵀA` with
  /// re-normalisation. `nil` chooses by strategy: 5 for ``Strategy/direct`` (each costs two passes
  /// over the sparse matrix; scikit-learn's default), 10 for ``Strategy/gram`` (each costs a small dense
  /// product and QR, so more of them buy accuracy on flat spectra cheaply).
  public var powerIterations: Int?
  /// Seed of the Gaussian sketch: the same seed gives the same result.
  public var seed: UInt64
  /// How the range is found.
  public var strategy: Strategy

  /// Creates options; the defaults suit rating matrices.
  public init(
    oversampling: Int = 10, powerIterations: Int? = nil, seed: UInt64 = 0,
    strategy: Strategy = .automatic
  ) {
    self.oversampling = oversampling
    self.powerIterations = powerIterations
    self.seed = seed
    self.strategy = strategy
  }
}

/// How a truncated SVD of a sparse matrix is computed.
public enum SVDMethod: Sendable, Hashable, Codable {
  /// Randomized, on the sparse matrix (never densified).
  case randomized(RandomizedSVDOptions)
  /// Exact through LAPACK `?gesdd` on the dense (centred) matrix: `rows × columns` memory. Meant as
  /// a reference and for small matrices.
  case exact
}

extension SparseMatrix {
  /// The rank-`rank` truncated SVD of this matrix, optionally centred (see ``Centering``),
  /// without forming the dense matrix unless `method` is ``SVDMethod/exact``.
  ///
  /// ```swift
  /// let svd = try ratings.truncatedSVD(
  ///   rank: 20, centering: .observedEntries(.perRow), method: .randomized(.init(seed: 7)))
  /// svd.explainedVarianceRatio    // σᵢ² / ‖A − means‖_F²
  /// ```
  ///
  /// - Throws: ``LinalgError`` `.emptyMatrix` (no rows, columns or stored entries),
  ///   `.invalidRank` unless `1 ≤ rank < min(rows, columns)`, `.nonFiniteValue`,
  ///   `.invalidArgument` for negative oversampling or iterations, `.lapackFailure`.
  /// - Complexity: randomized: O((q + 1) · nnz · (k + p)) for the direct strategy, or
  ///   O(Σ degree² + q · n² · (k + p) + nnz · (k + p)) for the Gram strategy on an `m × n` matrix.
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func truncatedSVD(
    rank: Int, centering: Centering = .none, method: SVDMethod = .randomized(.init())
  ) throws -> TruncatedSVD<Scalar> {
    try SVDValidation.check(rank: rank, rows: rows, columns: columns)
    guard nonzeroCount > 0 else {
      throw LinalgError(.emptyMatrix, "the \(rows) × \(columns) matrix has no stored entry")
    }
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw LinalgError(.nonFiniteValue, "stored entry \(bad) is \(values[bad])")
    }
    switch method {
    case .exact:
      return try exactTruncatedSVD(rank: rank, centering: centering)
    case .randomized(let options):
      if case .allEntries = centering, Scalar.self != Double.self {
        // PCA centring subtracts a rank-one term from the products and a rank-two term from the
        // Gram matrix: in single precision those differences cancel catastrophically when the
        // means are large against the spread. Compute in Double and round the result.
        let wide = try SparseMatrix<Double>(converting: self).truncatedSVD(
          rank: rank, centering: centering, method: method)
        return TruncatedSVD(converting: wide)
      }
      guard options.oversampling >= 0, (options.powerIterations ?? 0) >= 0 else {
        throw LinalgError(
          .invalidArgument,
          "oversampling \(options.oversampling) and power iterations "
            + "\(options.powerIterations ?? 0) must be ≥ 0")
      }
      let (op, offsets) = centredOperator(centering)
      let result = try RandomizedSVD.run(op, rank: rank, options: options)
      return TruncatedSVD(
        u: result.u, singularValues: result.singularValues, vt: result.vt,
        totalSquaredNorm: op.frobeniusNormSquared, offsets: offsets
      ).withCanonicalSigns()
    }
  }

  private func exactTruncatedSVD(rank: Int, centering: Centering) throws -> TruncatedSVD<Scalar> {
    let dense: Matrix<Scalar>
    let offsets: CenteringOffsets<Scalar>
    switch centering {
    case .none, .allEntries:
      (dense, offsets) = self.dense().centredCopy(centering)
    case .observedEntries:
      let (op, o) = centredOperator(centering)
      (dense, offsets) = (op.matrix.dense(), o)
    }
    let (u, s, vt) = try LAPACK.thinSVD(dense)
    return TruncatedSVD(
      u: u, singularValues: s, vt: vt, totalSquaredNorm: dense.frobeniusNormSquared,
      offsets: offsets
    ).withCanonicalSigns().prefix(rank)
  }

  /// The operator of the centred matrix and the means it subtracts.
  func centredOperator(_ centering: Centering) -> (
    CenteredOperator<Scalar>, CenteringOffsets<Scalar>
  ) {
    switch centering {
    case .none:
      return (CenteredOperator(matrix: self), CenteringOffsets(centering: .none, means: []))
    case .observedEntries(let axis):
      let means: [Scalar]
      let shifted: SparseMatrix
      switch axis {
      case .global:
        means = [meanOfStoredValues]
        shifted = mapValues { _, _, v in v - means[0] }
      case .perRow:
        means = rowMeans()
        shifted = mapValues { i, _, v in v - means[i] }
      case .perColumn:
        means = columnMeans()
        shifted = mapValues { _, j, v in v - means[j] }
      }
      return (
        CenteredOperator(matrix: shifted), CenteringOffsets(centering: centering, means: means)
      )
    case .allEntries(let axis):
      let ones = { (n: Int) in [Scalar](repeating: 1, count: n) }
      switch axis {
      case .global:
        let mean = sum / (Scalar(rows) * Scalar(columns))
        return (
          CenteredOperator(matrix: self, left: ones(rows).map { $0 * mean }, right: ones(columns)),
          CenteringOffsets(centering: centering, means: [mean])
        )
      case .perRow:
        let means = rowSums().map { $0 / Scalar(columns) }
        return (
          CenteredOperator(matrix: self, left: means, right: ones(columns)),
          CenteringOffsets(centering: centering, means: means)
        )
      case .perColumn:
        let means = columnSums().map { $0 / Scalar(rows) }
        return (
          CenteredOperator(matrix: self, left: ones(rows), right: means),
          CenteringOffsets(centering: centering, means: means)
        )
      }
    }
  }
}
