extension Matrix {
  /// The product `op(self) · op(other)` through BLAS `?gemm`, where `op` transposes when asked.
  ///
  /// - Precondition: the inner dimensions agree.
  /// - Complexity: O(m · n · k) floating-point operations, in BLAS.
  public func multiplied(
    by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false
  ) -> Matrix {
    product(
      other, transposingSelf: transposingSelf, transposingOther: transposingOther, serial: false)
  }

  /// `op(self) · op(other)` by `?gemm`, or by ``SerialBLAS/gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``
  /// when `serial`.
  func product(
    _ other: Matrix, transposingSelf: Bool, transposingOther: Bool, serial: Bool
  ) -> Matrix {
    requireWellFormed()
    other.requireWellFormed()
    let m = transposingSelf ? columns : rows
    let k = transposingSelf ? rows : columns
    let k2 = transposingOther ? other.columns : other.rows
    let n = transposingOther ? other.rows : other.columns
    precondition(k == k2, "inner dimensions \(k) and \(k2) differ")
    var out = Matrix(rows: m, columns: n)
    if m == 0 || n == 0 || k == 0 { return out }
    let gemm = serial ? SerialBLAS.gemm : Scalar.gemm
    elements.withUnsafeBufferPointer { a in
      other.elements.withUnsafeBufferPointer { b in
        out.elements.withUnsafeMutableBufferPointer { c in
          gemm(
            transposingSelf, transposingOther, m, n, k, 1, a.baseAddress!, max(1, columns),
            b.baseAddress!, max(1, other.columns), 0, c.baseAddress!, max(1, n))
        }
      }
    }
    return out
  }

  /// The matrix product `lhs · rhs` (BLAS `?gemm`).
  public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
    lhs.multiplied(by: rhs)
  }

  /// The matrix–vector product `op(self) · vector` through BLAS `?gemv`.
  ///
  /// - Precondition: `vector.count` is `columns` (or `rows` when transposing).
  public func multiplied(by vector: [Scalar], transposingSelf: Bool = false) -> [Scalar] {
    product(vector, transposingSelf: transposingSelf, serial: false)
  }

  /// `op(self) · vector` by `?gemv`, or by ``SerialBLAS/gemv(transpose:m:n:alpha:a:lda:x:beta:y:)``
  /// when `serial`.
  func product(_ vector: [Scalar], transposingSelf: Bool, serial: Bool) -> [Scalar] {
    requireWellFormed()
    let inner = transposingSelf ? rows : columns
    let outer = transposingSelf ? columns : rows
    precondition(vector.count == inner, "vector length \(vector.count) ≠ \(inner)")
    var out = [Scalar](repeating: 0, count: outer)
    if outer == 0 || inner == 0 { return out }
    let gemv = serial ? SerialBLAS.gemv : Scalar.gemv
    elements.withUnsafeBufferPointer { a in
      vector.withUnsafeBufferPointer { x in
        out.withUnsafeMutableBufferPointer { y in
          gemv(
            transposingSelf, rows, columns, 1, a.baseAddress!, max(1, columns), x.baseAddress!, 0,
            y.baseAddress!)
        }
      }
    }
    return out
  }

  /// The Gram matrix `AᵀA` (`columns × columns`) through BLAS `?syrk`, both triangles filled.
  ///
  /// - Complexity: O(rows · columns²) / 2 floating-point operations.
  public func gram() -> Matrix {
    symmetricProduct(transposing: true)
  }

  /// The outer Gram matrix `AAᵀ` (`rows × rows`) through BLAS `?syrk`, both triangles filled.
  public func outerGram() -> Matrix {
    symmetricProduct(transposing: false)
  }

  private func symmetricProduct(transposing: Bool) -> Matrix {
    requireWellFormed()
    let n = transposing ? columns : rows
    let k = transposing ? rows : columns
    var out = Matrix(rows: n, columns: n)
    if n == 0 || k == 0 { return out }
    elements.withUnsafeBufferPointer { a in
      out.elements.withUnsafeMutableBufferPointer { c in
        Scalar.syrk(
          transpose: transposing, n: n, k: k, alpha: 1, a: a.baseAddress!, lda: max(1, columns),
          beta: 0, c: c.baseAddress!, ldc: n)
      }
    }
    out.mirrorUpperTriangle()
    return out
  }

  /// Copies the upper triangle onto the lower one (for the results of `?syrk`, `?syevd` inputs).
  mutating func mirrorUpperTriangle() {
    precondition(rows == columns)
    let n = rows
    elements.withUnsafeMutableBufferPointer { c in
      for i in 0..<n {
        for j in (i + 1)..<max(i + 1, n) { c[j * n + i] = c[i * n + j] }
      }
    }
  }
}
