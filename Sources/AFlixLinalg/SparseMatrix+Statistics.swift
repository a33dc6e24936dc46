extension SparseMatrix {
  /// The number of stored entries in each row.
  public func rowCounts() -> [Int] {
    (0..<rows).map { rowOffsets[$0 + 1] - rowOffsets[$0] }
  }

  /// The number of stored entries in each column.
  public func columnCounts() -> [Int] {
    var counts = [Int](repeating: 0, count: columns)
    for c in columnIndices { counts[Int(c)] += 1 }
    return counts
  }

  /// The sum of each row's stored values.
  public func rowSums() -> [Scalar] {
    (0..<rows).map { i in values[rowOffsets[i]..<rowOffsets[i + 1]].reduce(0, +) }
  }

  /// The sum of each column's stored values.
  public func columnSums() -> [Scalar] {
    var sums = [Scalar](repeating: 0, count: columns)
    for p in 0..<nonzeroCount { sums[Int(columnIndices[p])] += values[p] }
    return sums
  }

  /// The mean of each row's **stored** values (the observed mean of a rating matrix); 0 for a row
  /// with no stored entry.
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func rowMeans() -> [Scalar] {
    zip(rowSums(), rowCounts()).map { $1 == 0 ? 0 : $0 / Scalar($1) }
  }

  /// The mean of each column's **stored** values; 0 for a column with no stored entry.
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func columnMeans() -> [Scalar] {
    zip(columnSums(), columnCounts()).map { $1 == 0 ? 0 : $0 / Scalar($1) }
  }

  /// The sum of all stored values.
  public var sum: Scalar { values.reduce(0, +) }

  /// The mean of the stored values (0 when there are none).
  public var meanOfStoredValues: Scalar {
    nonzeroCount == 0 ? 0 : sum / Scalar(nonzeroCount)
  }

  /// The squared Frobenius norm, `Σ` of the squared stored values.
  public var frobeniusNormSquared: Scalar {
    values.withUnsafeBufferPointer { p in
      p.isEmpty ? 0 : Scalar.dot(n: p.count, x: p.baseAddress!, y: p.baseAddress!)
    }
  }
}
