import Synchronization

/// A sparse matrix minus an optional rank-one term, `A − a bᵀ`, with the products a randomized SVD
/// needs. The rank-one term implements PCA centring without forming the dense matrix.
struct CenteredOperator<S: BLASScalar>: Sendable {
  let matrix: SparseMatrix<S>
  /// `Aᵀ` in CSR form, built on first use (the Gram strategy never needs it).
  private let transposeCache: TransposeCache<S>
  var transposedMatrix: SparseMatrix<S> { transposeCache.value(of: matrix) }
  /// `a` (length `rows`) and `b` (length `columns`), or nil for no correction.
  let left: [S]?
  let right: [S]?

  var rows: Int { matrix.rows }
  var columns: Int { matrix.columns }

  init(matrix: SparseMatrix<S>, left: [S]? = nil, right: [S]? = nil) {
    self.init(matrix: matrix, cache: TransposeCache(), left: left, right: right)
  }

  private init(matrix: SparseMatrix<S>, cache: TransposeCache<S>, left: [S]?, right: [S]?) {
    self.matrix = matrix
    self.transposeCache = cache
    self.left = left
    self.right = right
  }

  /// The operator of the transpose, `Aᵀ − b aᵀ`.
  var transposed: CenteredOperator {
    CenteredOperator(
      matrix: transposedMatrix, cache: TransposeCache(known: matrix), left: right, right: left)
  }

  /// `(A − a bᵀ) X`.
  func apply(_ x: Matrix<S>) -> Matrix<S> {
    var out = matrix.multiplied(by: x)
    if let left, let right {
      subtractOuter(&out, left, x.multiplied(by: right, transposingSelf: true))
    }
    return out
  }

  /// `(A − a bᵀ)ᵀ Y`.
  func applyTransposed(_ y: Matrix<S>) -> Matrix<S> {
    var out = transposedMatrix.multiplied(by: y)
    if let left, let right {
      subtractOuter(&out, right, y.multiplied(by: left, transposingSelf: true))
    }
    return out
  }

  /// `(A − a bᵀ)ᵀ(A − a bᵀ) = AᵀA − b wᵀ − w bᵀ + (aᵀa) b bᵀ` with `w = Aᵀa`.
  func gram() -> Matrix<S> {
    var g = matrix.gram()
    guard let left, let right else { return g }
    let w = matrix.transposeMultiplied(by: left)
    let aa = left.reduce(0) { $0 + $1 * $1 }
    let n = columns
    for i in 0..<n {
      for j in 0..<n {
        g.elements[i * n + j] += -right[i] * w[j] - w[i] * right[j] + aa * right[i] * right[j]
      }
    }
    return g
  }

  /// `‖A − a bᵀ‖_F² = ‖A‖_F² − 2 aᵀAb + ‖a‖²‖b‖²`.
  var frobeniusNormSquared: S {
    let base = matrix.frobeniusNormSquared
    guard let left, let right else { return base }
    let ab = zip(left, matrix.multiplied(by: right)).reduce(0) { $0 + $1.0 * $1.1 }
    let aa = left.reduce(0) { $0 + $1 * $1 }
    let bb = right.reduce(0) { $0 + $1 * $1 }
    return max(0, base - 2 * ab + aa * bb)
  }

  /// `out[i, :] -= v[i] · row` for every row `i`.
  private func subtractOuter(_ out: inout Matrix<S>, _ v: [S], _ row: [S]) {
    let k = out.columns
    for i in 0..<out.rows where v[i] != 0 {
      let vi = v[i]
      for t in 0..<k { out.elements[i * k + t] -= vi * row[t] }
    }
  }
}

/// Holds a lazily computed transpose. Guarded by a lock so that the operator stays `Sendable`.
final class TransposeCache<S: BLASScalar>: Sendable {
  private let storage: Mutex<SparseMatrix<S>?>

  init(known: SparseMatrix<S>? = nil) { storage = Mutex(known) }

  func value(of matrix: SparseMatrix<S>) -> SparseMatrix<S> {
    storage.withLock { cached in
      if let cached { return cached }
      let t = matrix.transposed
      cached = t
      return t
    }
  }
}
