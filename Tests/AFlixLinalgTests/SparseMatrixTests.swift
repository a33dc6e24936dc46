import AFlixLinalg
import Testing

@Suite("Sparse matrices")
struct SparseMatrixTests {
  @Test func duplicatePolicies() throws {
    let entries: [(row: Int, column: Int, value: Double)] = [
      (0, 2, 4), (1, 0, 1), (0, 2, 2), (0, 1, 3),
    ]
    #expect(throws: LinalgError.self) {
      _ = try SparseMatrix(rows: 2, columns: 3, entries: entries, duplicates: .error)
    }
    do {
      _ = try SparseMatrix(rows: 2, columns: 3, entries: entries, duplicates: .error)
    } catch let error as LinalgError {
      #expect(error.kind == .duplicateEntry)
      #expect(error.message.contains("(0, 2)"))
    }
    #expect(try SparseMatrix(rows: 2, columns: 3, entries: entries, duplicates: .sum)[0, 2] == 6)
    #expect(
      try SparseMatrix(rows: 2, columns: 3, entries: entries, duplicates: .keepLast)[0, 2] == 2)
    #expect(try SparseMatrix(rows: 2, columns: 3, entries: entries, duplicates: .mean)[0, 2] == 3)
    let a = try SparseMatrix(rows: 2, columns: 3, entries: entries, duplicates: .sum)
    #expect(a.rowOffsets == [0, 2, 3])
    #expect(a.columnIndices == [1, 2, 0])
    #expect(a[1, 1] == 0)
  }

  @Test func badEntriesAreTypedErrors() {
    #expect(throws: LinalgError(.indexOutOfRange, "entry 0 at (2, 0) lies outside 2 × 2")) {
      _ = try SparseMatrix<Double>(rows: 2, columns: 2, entries: [(2, 0, 1)])
    }
    for bad in [Double.nan, .infinity, -.infinity] {
      #expect {
        _ = try SparseMatrix<Double>(rows: 2, columns: 2, entries: [(0, 0, bad)])
      } throws: { ($0 as? LinalgError)?.kind == .nonFiniteValue }
    }
    #expect {
      _ = try SparseMatrix<Float>(
        rows: 1, columns: 3, rowOffsets: [0, 2], columnIndices: [2, 1], values: [1, 1])
    } throws: { ($0 as? LinalgError)?.kind == .duplicateEntry }
  }

  @Test func productsMatchDenseProducts() {
    let a: SparseMatrix<Double> = Fixtures.sparse(40, 30, degree: 0...12, seed: 11)
    let x: Matrix<Double> = Fixtures.gaussian(30, 5, seed: 12)
    let y: Matrix<Double> = Fixtures.gaussian(40, 5, seed: 13)
    let d = a.dense()
    #expect(Fixtures.maxDifference(a.multiplied(by: x), d * x) < 1e-12)
    #expect(Fixtures.maxDifference(a.transposeMultiplied(by: y), d.transposed * y) < 1e-12)
    #expect(Fixtures.maxDifference(a.gram(), d.gram()) < 1e-10)
    let v = x.column(0)
    let dv = d.multiplied(by: v)
    #expect(zip(a.multiplied(by: v), dv).allSatisfy { abs($0 - $1) < 1e-12 })
    let w = y.column(1)
    let dw = d.multiplied(by: w, transposingSelf: true)
    #expect(zip(a.transposeMultiplied(by: w), dw).allSatisfy { abs($0 - $1) < 1e-12 })
  }

  @Test func largeProductsAreIdenticalToTheSerialDefinition() {
    // Big enough to run in parallel chunks: the result must not depend on the chunking.
    let a: SparseMatrix<Float> = Fixtures.sparse(3000, 200, degree: 10...50, seed: 14)
    let x: Matrix<Float> = Fixtures.gaussian(200, 16, seed: 15)
    let product = a.multiplied(by: x)
    var serial = Matrix<Float>(rows: 3000, columns: 16)
    for i in 0..<3000 {
      let (cols, vals) = a.row(i)
      for (c, v) in zip(cols, vals) {
        for t in 0..<16 { serial[i, t] += v * x[Int(c), t] }
      }
    }
    #expect(product == serial)
  }

  @Test func transposeAndColumnMajorForms() {
    let a: SparseMatrix<Double> = Fixtures.sparse(25, 17, degree: 0...6, seed: 16)
    #expect(a.transposed.dense() == a.dense().transposed)
    #expect(a.transposed.transposed == a)
    let csc = a.columnMajor()
    #expect(csc.rows == 25 && csc.columns == 17 && csc.nonzeroCount == a.nonzeroCount)
    for j in 0..<17 {
      let (rows, vals) = csc.column(j)
      #expect(Array(rows) == rows.sorted())
      for (r, v) in zip(rows, vals) { #expect(a[Int(r), j] == v) }
    }
    #expect(csc.rowMajor() == a)
  }

  @Test func statistics() throws {
    let a = try SparseMatrix<Double>(
      rows: 3, columns: 3, entries: [(0, 0, 1), (0, 2, 3), (2, 2, 5)])
    #expect(a.rowCounts() == [2, 0, 1])
    #expect(a.columnCounts() == [1, 0, 2])
    #expect(a.rowSums() == [4, 0, 5])
    #expect(a.columnSums() == [1, 0, 8])
    #expect(a.rowMeans() == [2, 0, 5])
    #expect(a.columnMeans() == [1, 0, 4])
    #expect(a.meanOfStoredValues == 3)
    #expect(a.frobeniusNormSquared == 35)
    #expect(abs(a.density - 3.0 / 9.0) < 1e-15)
  }
}
