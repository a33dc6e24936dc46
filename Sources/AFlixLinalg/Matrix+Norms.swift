extension Matrix {
  /// The Euclidean norm of each row.
  ///
  /// - Complexity: O(rows × columns).
  public func rowNorms() -> [Scalar] {
    (0..<rows).map { i in
      elements.withUnsafeBufferPointer { p in
        let start = p.baseAddress! + i * columns
        return Scalar.dot(n: columns, x: start, y: start).squareRoot()
      }
    }
  }

  /// The Euclidean norm of each column.
  ///
  /// - Complexity: O(rows × columns).
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func columnNorms() -> [Scalar] {
    var sums = [Scalar](repeating: 0, count: columns)
    for i in 0..<rows {
      for j in 0..<columns {
        let v = elements[i * columns + j]
        sums[j] += v * v
      }
    }
    return sums.map { $0.squareRoot() }
  }

  /// The squared Frobenius norm `Σ aᵢⱼ²`.
  public var frobeniusNormSquared: Scalar {
    elements.withUnsafeBufferPointer { p in
      p.isEmpty ? 0 : Scalar.dot(n: p.count, x: p.baseAddress!, y: p.baseAddress!)
    }
  }

  /// The Frobenius norm `√Σ aᵢⱼ²`.
  public var frobeniusNorm: Scalar { frobeniusNormSquared.squareRoot() }

  /// The largest absolute entry (0 for an empty matrix); the max-norm used in LAPACK-style checks.
  public var maxAbs: Scalar { elements.reduce(0) { Swift.max($0, abs($1)) } }
}
