extension SparseMatrix {
  /// The product `A · x` with a dense `columns × k` matrix, giving a dense `rows × k` matrix.
  ///
  /// Rows are computed in parallel chunks; each output row depends on one input row only, so the
  /// result does not depend on the thread count.
  ///
  /// - Precondition: `x.rows == columns`.
  /// - Complexity: O(nonzeroCount · k).
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func multiplied(by x: Matrix<Scalar>) -> Matrix<Scalar> {
    precondition(x.rows == columns, "A is \(rows) × \(columns) but x has \(x.rows) rows")
    let k = x.columns
    var out = Matrix<Scalar>(rows: rows, columns: k)
    if k == 0 || rows == 0 { return out }
    withRawBuffers { offsets, indices, vals in
      x.elements.withUnsafeBufferPointer { xp in
        out.elements.withUnsafeMutableBufferPointer { op in
          let xBase = xp.baseAddress!
          let oBase = op.baseAddress!
          Parallel.forEachChunk(
            count: rows, chunkCount: Parallel.chunkCount(forWork: nonzeroCount * k)
          ) { _, range in
            for i in range {
              let o = oBase + i * k
              for p in offsets[i]..<offsets[i + 1] {
                let v = vals[p]
                let xr = xBase + Int(indices[p]) * k
                for t in 0..<k { o[t] += v * xr[t] }
              }
            }
          }
        }
      }
    }
    return out
  }

  /// The product `Aᵀ · y` with a dense `rows × k` matrix, giving a dense `columns × k` matrix.
  ///
  /// Computed as `transposed.multiplied(by: y)`; when multiplying by the transpose repeatedly,
  /// keep ``transposed`` and call ``multiplied(by:)-(Matrix<Scalar>)`` on it.
  ///
  /// - Precondition: `y.rows == rows`.
  /// - Complexity: O(nonzeroCount · k + rows + columns).
  public func transposeMultiplied(by y: Matrix<Scalar>) -> Matrix<Scalar> {
    precondition(y.rows == rows, "A is \(rows) × \(columns) but y has \(y.rows) rows")
    return transposed.multiplied(by: y)
  }

  /// The matrix–vector product `A · x`.
  ///
  /// - Precondition: `x.count == columns`.
  public func multiplied(by x: [Scalar]) -> [Scalar] {
    precondition(x.count == columns, "vector length \(x.count) ≠ \(columns)")
    return (0..<rows).map { i in
      var s: Scalar = 0
      for p in rowOffsets[i]..<rowOffsets[i + 1] { s += values[p] * x[Int(columnIndices[p])] }
      return s
    }
  }

  /// The matrix–vector product `Aᵀ · y`.
  ///
  /// - Precondition: `y.count == rows`.
  public func transposeMultiplied(by y: [Scalar]) -> [Scalar] {
    precondition(y.count == rows, "vector length \(y.count) ≠ \(rows)")
    var out = [Scalar](repeating: 0, count: columns)
    for i in 0..<rows {
      let yi = y[i]
      for p in rowOffsets[i]..<rowOffsets[i + 1] { out[Int(columnIndices[p])] += values[p] * yi }
    }
    return out
  }

  /// The dense Gram matrix `AᵀA` (`columns × columns`), accumulated from the outer products of
  /// the sparse rows.
  ///
  /// Chunks of rows accumulate into private matrices that are then summed in chunk order, so the
  /// result does not depend on the thread count. Meant for matrices with few columns (hundreds to
  /// a few thousand): it needs `columns²` memory per chunk.
  ///
  /// - Complexity: O(Σᵢ degree(i)² / 2 + columns²).
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func gram() -> Matrix<Scalar> {
    let n = columns
    let work = rowOffsets.indices.dropLast().reduce(0) { acc, i in
      let d = rowOffsets[i + 1] - rowOffsets[i]
      return acc + d * d
    }
    let memoryCap = max(1, (64 << 20) / max(1, n * n * MemoryLayout<Scalar>.stride))
    let chunks = max(1, min(Parallel.chunkCount(forWork: work / 2), 8, memoryCap))
    var partials = [Scalar](repeating: 0, count: chunks * n * n)
    withRawBuffers { offsets, indices, vals in
      partials.withUnsafeMutableBufferPointer { pp in
        let base = pp.baseAddress!
        Parallel.forEachChunk(count: rows, chunkCount: chunks) { chunk, range in
          let g = base + chunk * n * n
          for i in range {
            let end = offsets[i + 1]
            for a in offsets[i]..<end {
              let va = vals[a]
              let rowBase = g + Int(indices[a]) * n
              for b in a..<end { rowBase[Int(indices[b])] += va * vals[b] }
            }
          }
        }
      }
    }
    var out = Matrix<Scalar>(rows: n, columns: n)
    out.elements.withUnsafeMutableBufferPointer { op in
      partials.withUnsafeBufferPointer { pp in
        for c in 0..<chunks {
          let src = pp.baseAddress! + c * n * n
          for t in 0..<(n * n) { op[t] += src[t] }
        }
      }
    }
    out.mirrorUpperTriangle()
    return out
  }
}

extension SparseMatrix {
  /// Calls `body` with unchecked views of the CSR arrays, for the hot loops.
  @inline(__always)
  func withRawBuffers<R>(
    _ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Scalar>)
      throws -> R
  ) rethrows -> R {
    try rowOffsets.withUnsafeBufferPointer { o in
      try columnIndices.withUnsafeBufferPointer { c in
        try values.withUnsafeBufferPointer { v in try body(o, c, v) }
      }
    }
  }
}
