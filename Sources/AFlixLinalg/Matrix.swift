/// A dense matrix of `Float` or `Double` stored row by row (row-major), the layout AFlix's BLAS
/// calls use.
///
/// ```swift
/// var a = Matrix<Double>(rows: 2, columns: 3, elements: [1, 2, 3, 4, 5, 6])
/// a[1, 2] = 7
/// let firstRow = a.row(0)          // a view: no copy
/// let g = a.transposed * a         // 3 × 3, through ?gemm
/// ```
///
/// `Matrix` is a value type with copy-on-write storage (a Swift `Array`). Element `(i, j)` lives at
/// `elements[i * columns + j]`. Shape mismatches between operands are programmer errors and trap;
/// data problems (NaN, empty input to a decomposition) are thrown by the routines that care.
/// Decoding (`Codable`) checks the shape against the elements and throws on a mismatch.
public struct Matrix<Scalar: BLASScalar>: Sendable, Equatable, Codable {
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int
  /// The entries, row after row: `rows * columns` values.
  ///
  /// Mutable for speed (BLAS writes into it in place); code that replaces it must keep
  /// `rows * columns` values. Every BLAS and LAPACK path checks ``isWellFormed`` first, so a
  /// wrong count traps with a message instead of reading memory it does not own.
  public var elements: [Scalar]

  /// Whether ``elements`` holds exactly `rows * columns` values.
  public var isWellFormed: Bool { elements.count == rows * columns }

  /// Traps with a message unless ``isWellFormed``.
  func requireWellFormed() {
    precondition(
      isWellFormed, "a \(rows) × \(columns) matrix holds \(elements.count) elements")
  }

  /// Creates a `rows × columns` matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
    precondition(rows >= 0 && columns >= 0, "negative matrix shape")
    self.rows = rows
    self.columns = columns
    self.elements = [Scalar](repeating: value, count: rows * columns)
  }

  /// Creates a `rows × columns` matrix from its row-major entries.
  ///
  /// - Precondition: `elements.count == rows * columns`.
  public init(rows: Int, columns: Int, elements: [Scalar]) {
    precondition(rows >= 0 && columns >= 0, "negative matrix shape")
    precondition(elements.count == rows * columns, "expected \(rows * columns) elements")
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  private enum CodingKeys: String, CodingKey {
    case rows, columns, elements
  }

  /// Decodes a matrix, checking its shape before anything can compute with it.
  ///
  /// - Throws: `DecodingError.dataCorrupted`, naming the field, when `rows` or `columns` is
  ///   negative, when `rows × columns` overflows `Int`, or when `elements` does not hold exactly
  ///   `rows × columns` values; the decoder's own errors for missing or mistyped fields.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let rows = try container.decode(Int.self, forKey: .rows)
    let columns = try container.decode(Int.self, forKey: .columns)
    guard rows >= 0 else {
      throw DecodingError.dataCorruptedError(
        forKey: .rows, in: container, debugDescription: "matrix rows \(rows) is negative")
    }
    guard columns >= 0 else {
      throw DecodingError.dataCorruptedError(
        forKey: .columns, in: container, debugDescription: "matrix columns \(columns) is negative")
    }
    let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
    guard !overflow else {
      throw DecodingError.dataCorruptedError(
        forKey: .columns, in: container,
        debugDescription: "matrix shape \(rows) × \(columns) overflows the element count")
    }
    let elements = try container.decode([Scalar].self, forKey: .elements)
    guard elements.count == count else {
      throw DecodingError.dataCorruptedError(
        forKey: .elements, in: container,
        debugDescription:
          "matrix elements holds \(elements.count) values; a \(rows) × \(columns) matrix needs \(count)"
      )
    }
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// Creates a matrix from an array of equally long rows.
  ///
  /// - Precondition: every row has the same length.
  public init(_ rowArrays: [[Scalar]]) {
    let columns = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == columns }, "rows of unequal length")
    self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
  }

  /// The `n × n` identity matrix.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.elements[i * n + i] = 1 }
    return m
  }

  /// The entry in row `row` and column `column`.
  @inlinable
  public subscript(row: Int, column: Int) -> Scalar {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index out of range")
      return elements[row * columns + column]
    }
    set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "index out of range")
      elements[row * columns + column] = newValue
    }
  }

  /// Row `index` as a view into the storage (no copy until one of them is mutated).
  ///
  /// - Complexity: O(1).
  @inlinable
  public func row(_ index: Int) -> ArraySlice<Scalar> {
    precondition(index >= 0 && index < rows, "row out of range")
    return elements[(index * columns)..<((index + 1) * columns)]
  }

  /// Column `index`, copied out.
  ///
  /// - Complexity: O(rows).
  public func column(_ index: Int) -> [Scalar] {
    precondition(index >= 0 && index < columns, "column out of range")
    return (0..<rows).map { elements[$0 * columns + index] }
  }

  /// The `rows × count` matrix of the first `count` columns.
  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  public func leadingColumns(_ count: Int) -> Matrix {
    precondition(count >= 0 && count <= columns, "column count out of range")
    if count == columns { return self }
    var out = [Scalar]()
    out.reserveCapacity(rows * count)
    for i in 0..<rows { out.append(contentsOf: elements[(i * columns)..<(i * columns + count)]) }
    return Matrix(rows: rows, columns: count, elements: out)
  }

  /// The `count × columns` matrix of the first `count` rows.
  public func leadingRows(_ count: Int) -> Matrix {
    precondition(count >= 0 && count <= rows, "row count out of range")
    return Matrix(rows: count, columns: columns, elements: Array(elements[0..<(count * columns)]))
  }

  /// The transpose, copied into a new row-major matrix.
  ///
  /// - Complexity: O(rows × columns).
  public var transposed: Matrix { makeTransposed() }

  @_specialize(where Scalar == Double)
  @_specialize(where Scalar == Float)
  func makeTransposed() -> Matrix {
    var out = [Scalar](repeating: 0, count: elements.count)
    elements.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        let blockSize = 32
        for i0 in stride(from: 0, to: rows, by: blockSize) {
          for j0 in stride(from: 0, to: columns, by: blockSize) {
            for i in i0..<min(i0 + blockSize, rows) {
              for j in j0..<min(j0 + blockSize, columns) {
                dst[j * rows + i] = src[i * columns + j]
              }
            }
          }
        }
      }
    }
    return Matrix(rows: columns, columns: rows, elements: out)
  }

  /// Whether every entry is finite (no NaN, no infinity).
  public var isFinite: Bool { elements.allSatisfy { $0.isFinite } }

  /// The matrix with every entry converted to another precision.
  public init<Other: BLASScalar>(converting other: Matrix<Other>) {
    self.init(rows: other.rows, columns: other.columns, elements: other.elements.map { Scalar($0) })
  }
}
