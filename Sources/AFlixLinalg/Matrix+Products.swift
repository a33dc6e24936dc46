extension Matrix {
  /// The product `op(self) · op(other)` through BLAS `?gemm`, where `op` transposes when asked.
  ///
  /// - Precondition: the inner dimensions agree.
  /// - Complexity: O(m · n · k) floating-point operations, in BLAS.
  public func multiplied(
    by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false
  ) -> Matrix {
    let m = transposingSelf ? columns : rows
    let k = transposingSelf ? rows : columns
    let k2 = transposingOther ? other.columns : other.rows
    let n = transposingOther ? other.rows : other.columns
    precondition(k == k2, "inner dimensions \(k) and \(k2) differ")
    var out = Matrix(rows: m, columns: n)
    if m == 0 || n == 0 || k == 0 { return out }
    elements.withUnsafeBufferPointer { a in
      other.elements.withUnsafeBufferPointer { b in
        out.elements.withUnsafeMutableBufferPointer { c in
          Scalar.gemm(
            transposeA: transposingSelf, transposeB: transposingOther, m: m, n: n, k: k,
            alpha: 1, a: a.baseAddress!, lda: max(1, columns), b: b.baseAddress!,
            ldb: max(1, other.columns), beta: 0, c: c.baseAddress!, ldc: max(1, n))
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
    let inner = transposingSelf ? rows : columns
    let outer = transposingSelf ? columns : rows
    precondition(vector.count == inner, "vector length \(vector.count) ≠ \(inner)")
    var out = [Scalar](repeating: 0, count: outer)
    if outer == 0 || inner == 0 { return out }
    elements.withUnsafeBufferPointer { a in
      vector.withUnsafeBufferPointer { x in
        out.withUnsafeMutableBufferPointer { y in
          Scalar.gemv(
            transpose: transposingSelf, m: rows, n: columns, alpha: 1, a: a.baseAddress!,
            lda: max(1, columns), x: x.baseAddress!, beta: 0, y: y.baseAddress!)
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
