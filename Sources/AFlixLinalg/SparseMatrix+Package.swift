// Constructors for AFlix's own modules (`package` access, not API) that assemble sparse matrices
// from arrays they have already validated, so that an incremental update (a dataset's live
// `add`) does not pay for a whole-matrix check.

extension SparseMatrix {
  /// A CSR matrix from arrays the caller guarantees valid (offsets from 0 to the entry count,
  /// non-decreasing; columns in range and strictly ascending within each row; finite values).
  /// Nothing is checked.
  package init(
    validRows rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32],
    values: [Scalar]
  ) {
    self.init(
      unchecked: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices,
      values: values)
  }
}

extension SparseColumnMatrix {
  /// A CSC matrix from arrays the caller guarantees valid (as for
  /// `SparseMatrix.init(validRows:columns:rowOffsets:columnIndices:values:)`, with rows and
  /// columns exchanged). Nothing is checked.
  package init(
    validRows rows: Int, columns: Int, columnOffsets: [Int], rowIndices: [Int32],
    values: [Scalar]
  ) {
    self.init(
      transposeStorage: SparseMatrix(
        unchecked: columns, columns: rows, rowOffsets: columnOffsets, columnIndices: rowIndices,
        values: values))
  }
}
