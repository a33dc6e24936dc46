import AFlixLinalg
import Foundation
import Testing

/// Decoding `Matrix` and `SparseMatrix` from tampered JSON: each broken invariant is a
/// `DecodingError.dataCorrupted` naming its field, never a value that reaches BLAS.
struct MatrixDecodingTests {
  /// The key at the end of a `dataCorrupted` error's coding path, or `nil` for other errors.
  static func corruptedField<T: Decodable>(_ type: T.Type, _ json: String) -> String? {
    do {
      _ = try JSONDecoder().decode(type, from: Data(json.utf8))
      return nil
    } catch DecodingError.dataCorrupted(let context) {
      #expect(!context.debugDescription.isEmpty)
      return context.codingPath.last?.stringValue
    } catch {
      Issue.record("expected dataCorrupted, got \(error)")
      return nil
    }
  }

  @Test func matricesRoundTrip() throws {
    let a: Matrix<Float> = Fixtures.gaussian(3, 4, seed: 1)
    let empty = Matrix<Double>(rows: 0, columns: 7)
    #expect(try JSONDecoder().decode(Matrix<Float>.self, from: JSONEncoder().encode(a)) == a)
    #expect(
      try JSONDecoder().decode(Matrix<Double>.self, from: JSONEncoder().encode(empty)) == empty)
  }

  @Test(arguments: [
    (#"{"rows":2,"columns":2,"elements":[1,2,3]}"#, "elements"),
    (#"{"rows":2,"columns":2,"elements":[1,2,3,4,5]}"#, "elements"),
    (#"{"rows":-1,"columns":2,"elements":[]}"#, "rows"),
    (#"{"rows":-2,"columns":-2,"elements":[1,2,3,4]}"#, "rows"),
    (#"{"rows":2,"columns":-3,"elements":[]}"#, "columns"),
    // 2^62 × 4 = 2^64 wraps to 0 in unchecked arithmetic: must not match the empty array.
    (#"{"rows":4611686018427387904,"columns":4,"elements":[]}"#, "columns"),
    (#"{"rows":3037000500,"columns":3037000500,"elements":[]}"#, "columns"),
  ])
  func tamperedMatrixIsRefused(json: String, field: String) {
    #expect(Self.corruptedField(Matrix<Float>.self, json) == field)
  }

  @Test func missingOrMistypedMatrixFieldsStillFail() {
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Matrix<Float>.self, from: Data(#"{"rows":1,"columns":1}"#.utf8))
    }
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(
        Matrix<Float>.self, from: Data(#"{"rows":"1","columns":1,"elements":[1]}"#.utf8))
    }
  }

  @Test func sparseMatricesRoundTrip() throws {
    let a: SparseMatrix<Double> = Fixtures.sparse(30, 12, degree: 0...5, seed: 2)
    #expect(
      try JSONDecoder().decode(SparseMatrix<Double>.self, from: JSONEncoder().encode(a)) == a)
  }

  /// A valid 2 × 3 CSR matrix `[[0, 5, 0], [1, 0, 2]]` with one field replaced.
  static func csr(
    rows: String = "2", columns: String = "3", rowOffsets: String = "[0,1,3]",
    columnIndices: String = "[1,0,2]", values: String = "[5,1,2]"
  ) -> String {
    #"{"rows":\#(rows),"columns":\#(columns),"rowOffsets":\#(rowOffsets),"#
      + #""columnIndices":\#(columnIndices),"values":\#(values)}"#
  }

  @Test func untamperedCSRDecodes() throws {
    let a = try JSONDecoder().decode(SparseMatrix<Float>.self, from: Data(Self.csr().utf8))
    #expect(a.dense() == Matrix<Float>([[0, 5, 0], [1, 0, 2]]))
  }

  @Test(arguments: [
    (csr(rows: "-1", rowOffsets: "[0]", columnIndices: "[]", values: "[]"), "rows"),
    (csr(columns: "-3"), "columns"),
    (csr(columns: "4294967296"), "columns"),
    // Int.max rows: rows + 1 would overflow.
    (csr(rows: "9223372036854775807"), "rowOffsets"),
    (csr(rowOffsets: "[0,3]"), "rowOffsets"),
    (csr(rowOffsets: "[0,1,2,3]"), "rowOffsets"),
    (csr(rowOffsets: "[]"), "rowOffsets"),
    (csr(rowOffsets: "[1,1,3]"), "rowOffsets"),
    // Not monotone, and the middle offset points past the arrays.
    (csr(rowOffsets: "[0,5,3]"), "rowOffsets"),
    (csr(rowOffsets: "[0,1,2]"), "columnIndices"),
    (csr(rowOffsets: "[0,1,4]"), "columnIndices"),
    (csr(values: "[5,1]"), "values"),
    (csr(values: "[5,1,2,7]"), "values"),
    (csr(columnIndices: "[3,0,2]"), "columnIndices"),
    (csr(columnIndices: "[1,-1,2]"), "columnIndices"),
    (csr(columnIndices: "[1,2,0]"), "columnIndices"),
    (csr(columnIndices: "[1,2,2]"), "columnIndices"),
  ])
  func tamperedCSRIsRefused(json: String, field: String) {
    #expect(Self.corruptedField(SparseMatrix<Float>.self, json) == field)
  }

  @Test func nonFiniteSparseValuesAreRefused() {
    // JSON has no NaN literal; Foundation's decoder reads these strings when told to.
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let json = Self.csr(values: #"[5,"nan",2]"#)
    #expect {
      try decoder.decode(SparseMatrix<Float>.self, from: Data(json.utf8))
    } throws: { error in
      guard case DecodingError.dataCorrupted(let context) = error else { return false }
      return context.codingPath.last?.stringValue == "values"
    }
  }

  @Test func validatingInitializerRefusesOffsetsPastTheArrays() {
    // Offsets decreasing after pointing past the arrays used to index out of bounds (a trap).
    #expect(throws: LinalgError.self) {
      try SparseMatrix<Float>(
        rows: 2, columns: 3, rowOffsets: [0, 5, 3], columnIndices: [1, 0, 2], values: [5, 1, 2])
    }
    #expect(throws: LinalgError.self) {
      try SparseMatrix<Float>(
        rows: Int.max, columns: 3, rowOffsets: [0], columnIndices: [], values: [])
    }
  }
}
