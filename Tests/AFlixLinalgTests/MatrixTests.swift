import AFlixLinalg
import Testing

@Suite("Dense matrices")
struct MatrixTests {
  @Test func productMatchesTheDefinition() {
    let a: Matrix<Double> = Fixtures.gaussian(7, 5, seed: 1)
    let b: Matrix<Double> = Fixtures.gaussian(5, 4, seed: 2)
    let c = a * b
    for i in 0..<7 {
      for j in 0..<4 {
        let expected = (0..<5).reduce(0.0) { $0 + a[i, $1] * b[$1, j] }
        #expect(abs(c[i, j] - expected) < 1e-12)
      }
    }
  }

  @Test func transposedOperandsAgreeWithExplicitTransposes() {
    let a: Matrix<Float> = Fixtures.gaussian(6, 3, seed: 3)
    let b: Matrix<Float> = Fixtures.gaussian(4, 6, seed: 4)
    let viaFlags = a.multiplied(by: b, transposingSelf: true, transposingOther: true)
    let explicit = a.transposed * b.transposed
    #expect(viaFlags.rows == 3 && viaFlags.columns == 4)
    #expect(Fixtures.maxDifference(viaFlags, explicit) < 1e-5)
  }

  @Test func matrixVectorProducts() {
    let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
    #expect(a.multiplied(by: [1, 0, -1]) == [-2, -2])
    #expect(a.multiplied(by: [1, 1], transposingSelf: true) == [5, 7, 9])
  }

  @Test func gramMatchesTheProductWithTheTranspose() {
    let a: Matrix<Double> = Fixtures.gaussian(9, 4, seed: 5)
    #expect(Fixtures.maxDifference(a.gram(), a.transposed * a) < 1e-12)
    #expect(Fixtures.maxDifference(a.outerGram(), a * a.transposed) < 1e-12)
  }

  @Test func rowViewsAndNorms() {
    var a = Matrix<Double>([[3, 4], [0, 0], [1, 0]])
    #expect(Array(a.row(0)) == [3, 4])
    #expect(a.rowNorms() == [5, 0, 1])
    let norms = a.columnNorms()
    #expect(abs(norms[0] - (10.0).squareRoot()) < 1e-15 && norms[1] == 4)
    #expect(a.frobeniusNormSquared == 26)
    a[1, 1] = -7
    #expect(a.maxAbs == 7)
    #expect(a.column(1) == [4, -7, 0])
  }

  @Test func emptyShapesMultiplyToZeros() {
    let a = Matrix<Double>(rows: 3, columns: 0)
    let b = Matrix<Double>(rows: 0, columns: 2)
    let c = a * b
    #expect(c.rows == 3 && c.columns == 2 && c.elements.allSatisfy { $0 == 0 })
  }
}
