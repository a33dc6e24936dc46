import AFlixLinalg

/// Validated points as the kernels read them: row-major `n × d` values (shifted by `offset`),
/// their squared norms and their weights.
struct PointSet: Sendable {
  let n: Int
  let d: Int
  /// Row-major values, `x − offset` for every row.
  let values: [Double]
  /// `‖x − offset‖²` per row.
  let squaredNorms: [Double]
  /// Per-row weights; `nil` means every weight is 1.
  let weights: [Double]?
  /// The sum of the weights.
  let totalWeight: Double
  /// What was subtracted from every row.
  let offset: [Double]

  /// Validates `points` and `weights` and shifts the points by `offset` (zeros when `nil`).
  static func validated(
    _ points: Matrix<Double>, weights: [Double]?, centring: Bool
  ) throws -> PointSet {
    let n = points.rows
    let d = points.columns
    guard n > 0, d > 0 else {
      throw ClusterError(.emptyInput, "the points form a \(n) × \(d) matrix: nothing to cluster")
    }
    try checkFinite(points)
    var total = Double(n)
    if let weights {
      guard weights.count == n else {
        throw ClusterError(.invalidWeights, "\(weights.count) weights for \(n) points")
      }
      if let bad = weights.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
        throw ClusterError(
          .invalidWeights, "weight \(bad) is \(weights[bad]): weights must be finite and ≥ 0")
      }
      total = 0
      for w in weights { total += w }
      guard total > 0 else { throw ClusterError(.invalidWeights, "the weights sum to 0") }
    }
    let offset = centring ? columnMeans(points) : [Double](repeating: 0, count: d)
    var values = points.elements
    if centring {
      values.withUnsafeMutableBufferPointer { v in
        for i in 0..<n {
          for j in 0..<d { v[i * d + j] -= offset[j] }
        }
      }
    }
    return PointSet(
      n: n, d: d, values: values, squaredNorms: rowSquaredNorms(values, rows: n, columns: d),
      weights: weights, totalWeight: total, offset: offset)
  }

  /// Throws `.nonFiniteValue` naming the first NaN or infinite coordinate.
  static func checkFinite(_ points: Matrix<Double>) throws {
    if let bad = points.elements.firstIndex(where: { !$0.isFinite }) {
      let (i, j) = bad.quotientAndRemainder(dividingBy: max(1, points.columns))
      throw ClusterError(
        .nonFiniteValue, "coordinate \(j) of point \(i) is \(points.elements[bad])")
    }
  }

  /// The weight of row `i`.
  @inline(__always)
  func weight(_ i: Int) -> Double { weights?[i] ?? 1 }

  /// Whether every row equals the first one exactly.
  var allRowsIdentical: Bool {
    values.withUnsafeBufferPointer { v in
      for i in 1..<max(1, n) {
        for j in 0..<d where v[i * d + j] != v[j] { return false }
      }
      return true
    }
  }

  /// The mean over the features of the per-feature (population, unweighted) variance, as
  /// scikit-learn's `_tolerance`.
  var meanFeatureVariance: Double {
    var total = 0.0
    for j in 0..<d {
      var mean = 0.0
      for i in 0..<n { mean += values[i * d + j] }
      mean /= Double(n)
      var ss = 0.0
      for i in 0..<n {
        let t = values[i * d + j] - mean
        ss += t * t
      }
      total += ss / Double(n)
    }
    return total / Double(d)
  }
}

/// The mean of each column.
func columnMeans(_ points: Matrix<Double>) -> [Double] {
  var sums = [Double](repeating: 0, count: points.columns)
  let d = points.columns
  points.elements.withUnsafeBufferPointer { v in
    for i in 0..<points.rows {
      for j in 0..<d { sums[j] += v[i * d + j] }
    }
  }
  return sums.map { $0 / Double(max(1, points.rows)) }
}

/// `‖row‖²` for every row of a row-major array, summed left to right.
func rowSquaredNorms(_ values: [Double], rows: Int, columns: Int) -> [Double] {
  var out = [Double](repeating: 0, count: rows)
  values.withUnsafeBufferPointer { v in
    for i in 0..<rows {
      var s = 0.0
      for j in 0..<columns {
        let t = v[i * columns + j]
        s += t * t
      }
      out[i] = s
    }
  }
  return out
}

/// `C ← A · Bᵀ` for row-major `A` (`m × d`) and `B` (`k × d`) into `c` (`m × k`), through BLAS on
/// the calling thread only (``SerialBLAS``): the callers run it on each of their own workers, and
/// OpenBLAS threads of its own would oversubscribe the cores.
@inline(__always)
func gemmABt(
  _ a: UnsafePointer<Double>, rows m: Int, _ b: UnsafePointer<Double>, rows k: Int, depth d: Int,
  into c: UnsafeMutablePointer<Double>, ldb: Int? = nil
) {
  SerialBLAS.gemm(
    transposeA: false, transposeB: true, m: m, n: k, k: d, alpha: 1, a: a, lda: d, b: b,
    ldb: ldb ?? d, beta: 0, c: c, ldc: k)
}
