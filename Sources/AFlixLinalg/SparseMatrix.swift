/// A sparse matrix in compressed sparse row (CSR) form: for each row, its stored entries sorted by
/// column, with no column repeated.
///
/// ```swift
/// let a = try SparseMatrix<Float>(
///   rows: 2, columns: 3,
///   entries: [(0, 2, 4.0), (1, 0, 1.0), (0, 2, 1.0)],
///   duplicates: .sum)                      // (0, 2) holds 5
/// let (columns, values) = a.row(0)         // views, no copy
/// let csc = a.columnMajor()                // compressed sparse columns
/// ```
///
/// Entries not stored are zero. Row `i`'s entries are `columnIndices[rowOffsets[i]..<rowOffsets[i+1]]`
/// and the matching `values`. Column indices are `Int32` to halve the index memory of large rating
/// matrices (tens of millions of entries). Decoding (`Codable`) checks the same invariants as
/// ``init(rows:columns:rowOffsets:columnIndices:values:)`` and throws on a broken one.
public struct SparseMatrix<Scalar: BLASScalar>: Sendable, Equatable, Codable {
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int
  /// `rows + 1` offsets into ``columnIndices`` and ``values``; row `i` spans
  /// `rowOffsets[i]..<rowOffsets[i + 1]`.
  public let rowOffsets: [Int]
  /// The column of each stored entry, ascending within a row.
  public let columnIndices: [Int32]
  /// The value of each stored entry.
  public let values: [Scalar]

  /// Creates a CSR matrix from its arrays, validating them.
  ///
  /// - Throws: ``LinalgError`` with `.invalidArgument` when the arrays are inconsistent,
  ///   `.indexOutOfRange` for a column outside `0..<columns`, `.duplicateEntry` when a row's
  ///   columns are not strictly ascending, `.nonFiniteValue` for NaN or infinite values.
  public init(
    rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Scalar]
  ) throws {
    if let problem = Self.problem(
      rows: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices,
      values: values)
    {
      throw problem.error
    }
    self.init(
      unchecked: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices,
      values: values)
  }

  private enum CodingKeys: String, CodingKey {
    case rows, columns, rowOffsets, columnIndices, values
  }

  /// Decodes a CSR matrix, checking every invariant of the type before anything can compute with
  /// it (the same checks as ``init(rows:columns:rowOffsets:columnIndices:values:)``).
  ///
  /// - Throws: `DecodingError.dataCorrupted`, naming the offending field, when the shape is
  ///   negative, `rowOffsets` does not have `rows + 1` entries starting at 0 and never
  ///   decreasing, its last entry differs from the number of `columnIndices` and `values`, a
  ///   column lies outside `0..<columns`, a row's columns are not strictly ascending, or a value is
  ///   not finite; the decoder's own errors for missing or mistyped fields.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let rows = try container.decode(Int.self, forKey: .rows)
    let columns = try container.decode(Int.self, forKey: .columns)
    let rowOffsets = try container.decode([Int].self, forKey: .rowOffsets)
    let columnIndices = try container.decode([Int32].self, forKey: .columnIndices)
    let values = try container.decode([Scalar].self, forKey: .values)
    if let problem = Self.problem(
      rows: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices,
      values: values)
    {
      throw DecodingError.dataCorruptedError(
        forKey: problem.field, in: container,
        debugDescription: "\(problem.field.stringValue): \(problem.error.message)")
    }
    self.init(
      unchecked: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices,
      values: values)
  }

  /// The first invariant the arrays break, with the field at fault, or `nil` for valid arrays.
  /// Offsets are checked whole before any is used as an index, so no input can trap.
  private static func problem(
    rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Scalar]
  ) -> (field: CodingKeys, error: LinalgError)? {
    func invalid(_ field: CodingKeys, _ message: String) -> (CodingKeys, LinalgError) {
      (field, LinalgError(.invalidArgument, message))
    }
    guard rows >= 0 else { return invalid(.rows, "rows \(rows) is negative") }
    guard columns >= 0, columns <= Int(Int32.max) else {
      return invalid(.columns, "columns \(columns) is outside 0...\(Int32.max)")
    }
    guard rowOffsets.count - 1 == rows else {
      return invalid(
        .rowOffsets, "\(rowOffsets.count) row offsets for \(rows) rows (need rows + 1)")
    }
    guard rowOffsets[0] == 0 else {
      return invalid(.rowOffsets, "row offsets start at \(rowOffsets[0]), not 0")
    }
    for i in 0..<rows where rowOffsets[i] > rowOffsets[i + 1] {
      return invalid(
        .rowOffsets, "row offsets decrease at row \(i): \(rowOffsets[i]) > \(rowOffsets[i + 1])")
    }
    guard rowOffsets[rows] == columnIndices.count else {
      return invalid(
        .columnIndices,
        "\(columnIndices.count) column indices; the row offsets end at \(rowOffsets[rows])")
    }
    guard values.count == columnIndices.count else {
      return invalid(
        .values, "\(values.count) values for \(columnIndices.count) column indices")
    }
    for i in 0..<rows {
      var previous = -1
      for p in rowOffsets[i]..<rowOffsets[i + 1] {
        let c = Int(columnIndices[p])
        guard c >= 0 && c < columns else {
          return (
            .columnIndices,
            LinalgError(.indexOutOfRange, "column \(c) in row \(i) is outside 0..<\(columns)")
          )
        }
        guard c > previous else {
          return (
            .columnIndices,
            LinalgError(.duplicateEntry, "row \(i): columns not strictly ascending at \(c)")
          )
        }
        guard values[p].isFinite else {
          return (.values, LinalgError(.nonFiniteValue, "entry (\(i), \(c)) is \(values[p])"))
        }
        previous = c
      }
    }
    return nil
  }

  /// Creates a CSR matrix from arrays known to be valid.
  init(
    unchecked rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Scalar]
  ) {
    self.rows = rows
    self.columns = columns
    self.rowOffsets = rowOffsets
    self.columnIndices = columnIndices
    self.values = values
  }

  /// The number of stored entries.
  public var nonzeroCount: Int { values.count }

  /// Stored entries over all entries, `nonzeroCount / (rows · columns)` (0 for an empty shape).
  public var density: Double {
    rows == 0 || columns == 0 ? 0 : Double(nonzeroCount) / (Double(rows) * Double(columns))
  }

  /// Row `index`'s columns and values, as views into the storage.
  ///
  /// - Complexity: O(1).
  @inlinable
  public func row(_ index: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Scalar>) {
    let range = rowOffsets[index]..<rowOffsets[index + 1]
    return (columnIndices[range], values[range])
  }

  /// The entry at (`row`, `column`): the stored value, or 0.
  ///
  /// - Complexity: O(log(row degree)).
  public subscript(row: Int, column: Int) -> Scalar {
    precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index out of range")
    var lo = rowOffsets[row]
    var hi = rowOffsets[row + 1]
    let target = Int32(column)
    while lo < hi {
      let mid = (lo + hi) / 2
      if columnIndices[mid] < target { lo = mid + 1 } else { hi = mid }
    }
    return lo < rowOffsets[row + 1] && columnIndices[lo] == target ? values[lo] : 0
  }

  /// The transpose, in CSR form (equivalently, this matrix in CSC form).
  ///
  /// - Complexity: O(nonzeroCount + rows + columns), a counting sort.
  public var transposed: SparseMatrix { makeTransposed() }

  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  func makeTransposed() -> SparseMatrix {
    var counts = [Int](repeating: 0, count: columns + 1)
    for c in columnIndices { counts[Int(c) + 1] += 1 }
    for j in 0..<columns { counts[j + 1] += counts[j] }
    let offsets = counts
    var cursor = counts
    var newIndices = [Int32](repeating: 0, count: nonzeroCount)
    var newValues = [Scalar](repeating: 0, count: nonzeroCount)
    for i in 0..<rows {
      for p in rowOffsets[i]..<rowOffsets[i + 1] {
        let c = Int(columnIndices[p])
        let q = cursor[c]
        newIndices[q] = Int32(i)
        newValues[q] = values[p]
        cursor[c] = q + 1
      }
    }
    return SparseMatrix(
      unchecked: columns, columns: rows, rowOffsets: offsets, columnIndices: newIndices,
      values: newValues)
  }

  /// This matrix in compressed sparse column form.
  public func columnMajor() -> SparseColumnMatrix<Scalar> {
    SparseColumnMatrix(transposeStorage: transposed)
  }

  /// The same sparsity pattern with `transform` applied to each stored value; `transform` receives
  /// the row, the column and the value.
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func mapValues(_ transform: (Int, Int, Scalar) -> Scalar) -> SparseMatrix {
    var newValues = values
    for i in 0..<rows {
      for p in rowOffsets[i]..<rowOffsets[i + 1] {
        newValues[p] = transform(i, Int(columnIndices[p]), values[p])
      }
    }
    return SparseMatrix(
      unchecked: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices,
      values: newValues)
  }

  /// The dense matrix with the same entries.
  ///
  /// - Complexity: O(rows × columns) memory.
  public func dense() -> Matrix<Scalar> {
    var out = Matrix<Scalar>(rows: rows, columns: columns)
    for i in 0..<rows {
      for p in rowOffsets[i]..<rowOffsets[i + 1] {
        out.elements[i * columns + Int(columnIndices[p])] = values[p]
      }
    }
    return out
  }

  /// The matrix with values converted to another precision.
  public init<Other: BLASScalar>(converting other: SparseMatrix<Other>) {
    self.init(
      unchecked: other.rows, columns: other.columns, rowOffsets: other.rowOffsets,
      columnIndices: other.columnIndices, values: other.values.map { Scalar($0) })
  }
}

/// A sparse matrix in compressed sparse column (CSC) form: for each column, its stored entries
/// sorted by row. Obtained from ``SparseMatrix/columnMajor()``.
public struct SparseColumnMatrix<Scalar: BLASScalar>: Sendable, Equatable {
  /// The storage: the CSR form of the transpose.
  private let storage: SparseMatrix<Scalar>

  init(transposeStorage: SparseMatrix<Scalar>) {
    self.storage = transposeStorage
  }

  /// The number of rows.
  public var rows: Int { storage.columns }
  /// The number of columns.
  public var columns: Int { storage.rows }
  /// `columns + 1` offsets into ``rowIndices`` and ``values``.
  public var columnOffsets: [Int] { storage.rowOffsets }
  /// The row of each stored entry, ascending within a column.
  public var rowIndices: [Int32] { storage.columnIndices }
  /// The value of each stored entry.
  public var values: [Scalar] { storage.values }
  /// The number of stored entries.
  public var nonzeroCount: Int { storage.nonzeroCount }

  /// Column `index`'s rows and values, as views into the storage.
  ///
  /// - Complexity: O(1).
  public func column(_ index: Int) -> (rows: ArraySlice<Int32>, values: ArraySlice<Scalar>) {
    let r = storage.row(index)
    return (r.columns, r.values)
  }

  /// The same matrix in compressed sparse row form.
  public func rowMajor() -> SparseMatrix<Scalar> { storage.transposed }
}
