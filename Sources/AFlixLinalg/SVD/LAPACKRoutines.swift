/// Thin wrappers that call LAPACK on ``Matrix`` values and turn `info ≠ 0` into ``LinalgError``.
enum LAPACK {
  /// The thin SVD `A = U Σ Vᵀ` of a dense matrix (`?gesdd`).
  static func thinSVD<S: BLASScalar>(_ a: Matrix<S>) throws -> (
    u: Matrix<S>, s: [S], vt: Matrix<S>
  ) {
    let m = a.rows
    let n = a.columns
    let r = min(m, n)
    var work = a.elements
    var s = [S](repeating: 0, count: r)
    var u = Matrix<S>(rows: m, columns: r)
    var vt = Matrix<S>(rows: r, columns: n)
    let info = work.withUnsafeMutableBufferPointer { ap in
      s.withUnsafeMutableBufferPointer { sp in
        u.elements.withUnsafeMutableBufferPointer { up in
          vt.elements.withUnsafeMutableBufferPointer { vp in
            S.gesdd(
              m: m, n: n, a: ap.baseAddress!, s: sp.baseAddress!, u: up.baseAddress!,
              vt: vp.baseAddress!)
          }
        }
      }
    }
    guard info == 0 else {
      throw LinalgError(.lapackFailure, "gesdd on a \(m) × \(n) matrix returned info = \(info)")
    }
    return (u, s, vt)
  }

  /// Eigenvalues (descending) and eigenvectors (as columns, same order) of a symmetric matrix
  /// (`?syevd`).
  static func symmetricEigen<S: BLASScalar>(_ a: Matrix<S>) throws -> (
    values: [S], vectors: Matrix<S>
  ) {
    precondition(a.rows == a.columns)
    let n = a.rows
    var v = a
    var w = [S](repeating: 0, count: n)
    let info = v.elements.withUnsafeMutableBufferPointer { vp in
      w.withUnsafeMutableBufferPointer { wp in
        S.syevd(n: n, a: vp.baseAddress!, w: wp.baseAddress!, vectors: true)
      }
    }
    guard info == 0 else {
      throw LinalgError(.lapackFailure, "syevd on a \(n) × \(n) matrix returned info = \(info)")
    }
    // Reverse to descending order.
    var vectors = Matrix<S>(rows: n, columns: n)
    for i in 0..<n {
      for j in 0..<n { vectors.elements[i * n + j] = v.elements[i * n + (n - 1 - j)] }
    }
    return (w.reversed(), vectors)
  }

  /// Orthonormalises the columns of `X` where `xt` holds `Xᵀ` (`k × n`, `n ≥ k`), in place.
  static func orthonormalizeRows<S: BLASScalar>(_ xt: inout Matrix<S>) throws {
    precondition(xt.columns >= xt.rows)
    let (k, n) = (xt.rows, xt.columns)
    let info = xt.elements.withUnsafeMutableBufferPointer { p in
      S.orthonormalizeTransposed(m: n, n: k, a: p.baseAddress!)
    }
    guard info == 0 else {
      throw LinalgError(.lapackFailure, "QR of a \(n) × \(k) matrix returned info = \(info)")
    }
  }

  /// Replaces the columns of a tall `m × n` matrix (`m ≥ n`) by an orthonormal basis of their span
  /// (`?geqrf` + `?orgqr`, run column-major on the transpose: cheaper than LAPACKE's row-major
  /// path, which converts layouts naïvely and scans for NaN).
  static func orthonormalize<S: BLASScalar>(_ a: inout Matrix<S>) throws {
    precondition(a.rows >= a.columns)
    var t = a.transposed
    try orthonormalizeRows(&t)
    a = t.transposed
  }

  /// Replaces a tall `m × n` matrix (`m ≥ n`) by `P L` from its LU factorisation with partial
  /// pivoting, `A = P L U` (scikit-learn's "LU" normaliser for power iterations): a basis of the
  /// same column space, well conditioned (`L` is unit lower trapezoidal with entries ≤ 1), at a
  /// quarter of the cost of a Householder QR.
  static func luNormalize<S: BLASScalar>(_ a: inout Matrix<S>) throws {
    precondition(a.rows >= a.columns)
    let (m, n) = (a.rows, a.columns)
    var t = a.transposed  // row-major n × m = column-major m × n
    var pivots = [Int32](repeating: 0, count: max(1, n))
    let info = t.elements.withUnsafeMutableBufferPointer { p in
      pivots.withUnsafeMutableBufferPointer { piv in
        S.getrfColumnMajor(m: m, n: n, a: p.baseAddress!, pivots: piv.baseAddress!)
      }
    }
    guard info >= 0 else {
      throw LinalgError(.lapackFailure, "LU of a \(m) × \(n) matrix returned info = \(info)")
    }
    // Column j of L (stored as row j of t): zeros above the diagonal, 1 on it.
    t.elements.withUnsafeMutableBufferPointer { p in
      for j in 0..<n {
        let column = p.baseAddress! + j * m
        for i in 0..<j { column[i] = 0 }
        column[j] = 1
      }
    }
    // P L: undo the interchanges, last first.
    var l = t.transposed  // row-major m × n
    l.elements.withUnsafeMutableBufferPointer { p in
      for i in stride(from: n - 1, through: 0, by: -1) {
        let r = Int(pivots[i]) - 1
        if r != i {
          for c in 0..<n { p.swapAt(i * n + c, r * n + c) }
        }
      }
    }
    a = l
  }
}
