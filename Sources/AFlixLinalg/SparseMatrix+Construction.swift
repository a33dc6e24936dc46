/// What to do when the same (row, column) pair is given more than once.
public enum DuplicatePolicy: String, Sendable, Hashable, Codable, CaseIterable {
  /// Throw ``LinalgError/Kind-swift.enum/duplicateEntry`` naming the pair.
  case error
  /// Store the sum of the values.
  case sum
  /// Store the value given last (in input order).
  case keepLast
  /// Store the mean of the values.
  case mean
}

/// One stored entry of a sparse matrix: its row, its column and its value.
public struct SparseEntry<Scalar: BLASScalar>: Sendable, Hashable {
  /// The row index.
  public var row: Int
  /// The column index.
  public var column: Int
  /// The value.
  public var value: Scalar

  /// Creates an entry.
  public init(row: Int, column: Int, value: Scalar) {
    self.row = row
    self.column = column
    self.value = value
  }
}

extension SparseMatrix {
  /// Creates a CSR matrix from (row, column, value) triples in any order.
  ///
  /// - Parameters:
  ///   - rows: the number of rows.
  ///   - columns: the number of columns.
  ///   - entries: the (row, column, value) triples.
  ///   - duplicates: how to combine values given for the same (row, column) pair.
  /// - Throws: ``LinalgError`` `.indexOutOfRange` for an index outside the shape,
  ///   `.nonFiniteValue` for NaN or infinity, `.duplicateEntry` under ``DuplicatePolicy/error``.
  /// - Complexity: O(nnz · log(row degree)).
  public init(
    rows: Int, columns: Int, entries: [(row: Int, column: Int, value: Scalar)],
    duplicates: DuplicatePolicy = .error
  ) throws {
    try self.init(
      rows: rows, columns: columns, rowIndices: entries.map(\.row),
      columnIndices: entries.map(\.column), values: entries.map(\.value), duplicates: duplicates)
  }

  /// Creates a CSR matrix from parallel arrays of row indices, column indices and values.
  ///
  /// See ``init(rows:columns:entries:duplicates:)``.
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public init(
    rows: Int, columns: Int, rowIndices: [Int], columnIndices: [Int], values: [Scalar],
    duplicates: DuplicatePolicy = .error
  ) throws {
    precondition(rowIndices.count == columnIndices.count && columnIndices.count == values.count)
    guard rows >= 0, columns >= 0, columns <= Int(Int32.max) else {
      throw LinalgError(.invalidArgument, "shape \(rows) × \(columns) is not usable")
    }
    let n = values.count
    var offsets = [Int](repeating: 0, count: rows + 1)
    for p in 0..<n {
      let r = rowIndices[p]
      let c = columnIndices[p]
      guard r >= 0 && r < rows && c >= 0 && c < columns else {
        throw LinalgError(
          .indexOutOfRange, "entry \(p) at (\(r), \(c)) lies outside \(rows) × \(columns)")
      }
      guard values[p].isFinite else {
        throw LinalgError(.nonFiniteValue, "entry \(p) at (\(r), \(c)) is \(values[p])")
      }
      offsets[r + 1] += 1
    }
    for i in 0..<rows { offsets[i + 1] += offsets[i] }
    // Stable counting sort by row: within a row, input order is kept.
    var order = [Int](repeating: 0, count: n)
    var cursor = offsets
    for p in 0..<n {
      let r = rowIndices[p]
      order[cursor[r]] = p
      cursor[r] += 1
    }
    var outOffsets = [Int](repeating: 0, count: rows + 1)
    var outColumns = [Int32]()
    var outValues = [Scalar]()
    outColumns.reserveCapacity(n)
    outValues.reserveCapacity(n)
    var rowItems: [(column: Int, position: Int)] = []
    for i in 0..<rows {
      rowItems.removeAll(keepingCapacity: true)
      for q in offsets[i]..<offsets[i + 1] {
        let p = order[q]
        rowItems.append((columnIndices[p], p))
      }
      rowItems.sort { $0.column != $1.column ? $0.column < $1.column : $0.position < $1.position }
      var q = 0
      while q < rowItems.count {
        let column = rowItems[q].column
        var end = q + 1
        while end < rowItems.count && rowItems[end].column == column { end += 1 }
        let value: Scalar
        if end - q == 1 {
          value = values[rowItems[q].position]
        } else {
          switch duplicates {
          case .error:
            throw LinalgError(
              .duplicateEntry,
              "(\(i), \(column)) is given \(end - q) times (entries \(rowItems[q].position) and "
                + "\(rowItems[q + 1].position))")
          case .sum:
            value = rowItems[q..<end].reduce(0) { $0 + values[$1.position] }
          case .keepLast:
            value = values[rowItems[end - 1].position]
          case .mean:
            value = rowItems[q..<end].reduce(0) { $0 + values[$1.position] } / Scalar(end - q)
          }
        }
        outColumns.append(Int32(column))
        outValues.append(value)
        q = end
      }
      outOffsets[i + 1] = outColumns.count
    }
    self.init(
      unchecked: rows, columns: columns, rowOffsets: outOffsets, columnIndices: outColumns,
      values: outValues)
  }
}
