extension Matrix {
  /// The full thin singular value decomposition through LAPACK `?gesdd` (divide and conquer):
  /// rank `min(rows, columns)`.
  ///
  /// - Parameter centering: means to subtract first (for a dense matrix every entry counts, so
  ///   ``Centering/observedEntries(_:)`` and ``Centering/allEntries(_:)`` agree).
  /// - Throws: ``LinalgError`` `.emptyMatrix` for a matrix with no rows or columns,
  ///   `.nonFiniteValue` for NaN or infinite entries, `.lapackFailure` if LAPACK does not converge.
  /// - Complexity: O(rows · columns · min(rows, columns)).
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func singularValueDecomposition(centering: Centering = .none) throws -> TruncatedSVD<
    Scalar
  > {
    guard rows > 0, columns > 0 else {
      throw LinalgError(.emptyMatrix, "cannot decompose a \(rows) × \(columns) matrix")
    }
    if let bad = elements.firstIndex(where: { !$0.isFinite }) {
      throw LinalgError(
        .nonFiniteValue, "entry (\(bad / columns), \(bad % columns)) is \(elements[bad])")
    }
    let (centred, offsets) = centredCopy(centering)
    let (u, s, vt) = try LAPACK.thinSVD(centred)
    var result = TruncatedSVD(
      u: u, singularValues: s, vt: vt, totalSquaredNorm: centred.frobeniusNormSquared,
      offsets: offsets)
    result = result.withCanonicalSigns()
    return result
  }

  /// The rank-`rank` truncated SVD, exact: the leading triplets of
  /// ``singularValueDecomposition(centering:)``.
  ///
  /// - Throws: ``LinalgError`` `.invalidRank` unless `1 ≤ rank < min(rows, columns)`, and the
  ///   errors of ``singularValueDecomposition(centering:)``.
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func truncatedSVD(rank: Int, centering: Centering = .none) throws -> TruncatedSVD<Scalar> {
    try SVDValidation.check(rank: rank, rows: rows, columns: columns)
    return try singularValueDecomposition(centering: centering).prefix(rank)
  }

  /// A copy with the centring means subtracted from every entry, and those means.
  func centredCopy(_ centering: Centering) -> (Matrix, CenteringOffsets<Scalar>) {
    requireWellFormed()
    let axis: MeanAxis
    switch centering {
    case .none: return (self, CenteringOffsets(centering: .none, means: []))
    case .observedEntries(let a), .allEntries(let a): axis = a
    }
    var out = self
    let means: [Scalar]
    switch axis {
    case .global:
      let mean = Scalar(elements.reduce(0.0) { $0 + Double($1) } / Double(elements.count))
      means = [mean]
      for t in out.elements.indices { out.elements[t] -= mean }
    case .perRow:
      means = (0..<rows).map {
        Scalar(row($0).reduce(0.0) { $0 + Double($1) } / Double(columns))
      }
      for i in 0..<rows { for j in 0..<columns { out.elements[i * columns + j] -= means[i] } }
    case .perColumn:
      var sums = [Double](repeating: 0, count: columns)
      for i in 0..<rows { for j in 0..<columns { sums[j] += Double(elements[i * columns + j]) } }
      means = sums.map { Scalar($0 / Double(rows)) }
      for i in 0..<rows { for j in 0..<columns { out.elements[i * columns + j] -= means[j] } }
    }
    return (out, CenteringOffsets(centering: centering, means: means))
  }
}

enum SVDValidation {
  static func check(rank: Int, rows: Int, columns: Int) throws {
    guard rows > 0, columns > 0 else {
      throw LinalgError(.emptyMatrix, "cannot decompose a \(rows) × \(columns) matrix")
    }
    guard rank >= 1, rank < min(rows, columns) else {
      throw LinalgError(
        .invalidRank,
        "rank \(rank) is not in 1..<\(min(rows, columns)) for a \(rows) × \(columns) matrix")
    }
  }
}

extension TruncatedSVD {
  /// The same decomposition with each singular pair's sign chosen so that the largest-magnitude
  /// entry of each left vector is positive (scikit-learn's `svd_flip` convention), which makes
  /// results comparable between methods.
  func withCanonicalSigns() -> TruncatedSVD {
    var u = self.u
    var vt = self.vt
    let k = rank
    // One row-major pass finds each column's entry of largest magnitude.
    var best = [Scalar](repeating: 0, count: k)
    for i in 0..<u.rows {
      for t in 0..<k {
        let v = u.elements[i * k + t]
        if abs(v) > abs(best[t]) { best[t] = v }
      }
    }
    let flip = best.map { $0 < 0 }
    guard flip.contains(true) else { return self }
    for i in 0..<u.rows {
      for t in 0..<k where flip[t] { u.elements[i * k + t] = -u.elements[i * k + t] }
    }
    for t in 0..<k where flip[t] {
      for j in 0..<vt.columns { vt.elements[t * vt.columns + j] = -vt.elements[t * vt.columns + j] }
    }
    return TruncatedSVD(
      u: u, singularValues: singularValues, vt: vt, totalSquaredNorm: totalSquaredNorm,
      offsets: offsets)
  }
}
