import AFlixLinalg
import Foundation
import Testing

/// LAPACK's own acceptance test for SVD drivers (`svd.in`, threshold 50): the scaled residual
/// `‖A − UΣVᵀ‖ / (‖A‖ · max(m, n) · ε)` and the scaled orthogonality losses `‖UᵀU − I‖ / (k ε)`,
/// `‖VᵀV − I‖ / (k ε)` must stay below 50.
enum LAPACKCheck {
  static let threshold = 50.0

  static func ratios<S: BLASScalar>(_ a: Matrix<S>, _ svd: TruncatedSVD<S>) -> (
    residual: Double, u: Double, v: Double
  ) {
    let k = svd.rank
    let eps = Double(S.epsilon)
    let reconstruction = svd.reconstruction()
    var diff = a
    for t in diff.elements.indices { diff.elements[t] -= reconstruction.elements[t] }
    let norm = max(Double(a.frobeniusNorm), Double.leastNormalMagnitude)
    let residual = Double(diff.frobeniusNorm) / (norm * Double(max(a.rows, a.columns)) * eps)
    func orthogonality(_ q: Matrix<S>) -> Double {
      var g = q.gram()
      for i in 0..<g.rows { g[i, i] -= 1 }
      return Double(g.frobeniusNorm) / (Double(k) * eps)
    }
    return (residual, orthogonality(svd.u), orthogonality(svd.vt.transposed))
  }

  static func assertPasses<S: BLASScalar>(
    _ a: Matrix<S>, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let svd = try a.singularValueDecomposition()
    let r = ratios(a, svd)
    #expect(r.residual < threshold, "residual ratio \(r.residual)", sourceLocation: sourceLocation)
    #expect(r.u < threshold, "UᵀU ratio \(r.u)", sourceLocation: sourceLocation)
    #expect(r.v < threshold, "VᵀV ratio \(r.v)", sourceLocation: sourceLocation)
    #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
    #expect(svd.singularValues.allSatisfy { $0 >= 0 })
  }
}

@Suite("Exact SVD (LAPACK gesdd)")
struct ExactSVDTests {
  @Test(arguments: [(60, 40), (40, 60), (1, 7), (7, 1), (123, 123)])
  func randomMatricesPassLAPACKsTest(shape: (Int, Int)) throws {
    let d: Matrix<Double> = Fixtures.gaussian(shape.0, shape.1, seed: 21)
    try LAPACKCheck.assertPasses(d)
    let f: Matrix<Float> = Fixtures.gaussian(shape.0, shape.1, seed: 22)
    try LAPACKCheck.assertPasses(f)
  }

  @Test func rankDeficientMatrixPassesAndHasZeroTail() throws {
    let left: Matrix<Double> = Fixtures.gaussian(50, 5, seed: 23)
    let right: Matrix<Double> = Fixtures.gaussian(5, 30, seed: 24)
    let a = left * right
    try LAPACKCheck.assertPasses(a)
    let s = try a.singularValueDecomposition().singularValues
    #expect(s[4] > 1e-3 * s[0])
    #expect(s[5...].allSatisfy { $0 < 1e-12 * s[0] })
  }

  @Test func illConditionedMatrixPassesAndKeepsSmallValues() throws {
    let sigma = (0..<20).map { pow(10, -Double($0) * 12 / 19) }
    let a: Matrix<Double> = Fixtures.withSpectrum(40, 20, sigma: sigma, seed: 25)
    try LAPACKCheck.assertPasses(a)
    let s = try a.singularValueDecomposition().singularValues
    // Condition number 1e12: the smallest value is still found to a few digits (absolute error
    // ~ ε‖A‖ ≈ 2e-16).
    #expect(abs(s[19] - 1e-12) < 1e-14)
    #expect(abs(s[0] - 1) < 1e-13)
  }

  @Test func knownSingularValues() throws {
    // AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5.
    let a = Matrix<Double>([[3, 0], [4, 5]])
    let s = try a.singularValueDecomposition().singularValues
    #expect(abs(s[0] - 45.0.squareRoot()) < 1e-14)
    #expect(abs(s[1] - 5.0.squareRoot()) < 1e-14)
  }

  @Test func explainedVarianceOfTheFullDecompositionSumsToOne() throws {
    let a: Matrix<Double> = Fixtures.gaussian(30, 10, seed: 26)
    let svd = try a.singularValueDecomposition()
    #expect(abs(svd.cumulativeExplainedVariance.last! - 1) < 1e-12)
    let top3 = try a.truncatedSVD(rank: 3)
    #expect(top3.rank == 3)
    #expect(top3.singularValues == Array(svd.singularValues.prefix(3)))
    #expect(top3.explainedVarianceRatio == Array(svd.explainedVarianceRatio.prefix(3)))
  }

  @Test func centredDecompositionMatchesAnExplicitlyCentredMatrix() throws {
    let a: Matrix<Double> = Fixtures.gaussian(12, 8, seed: 27)
    for axis in MeanAxis.allCases {
      var centred = a
      for i in 0..<12 {
        for j in 0..<8 {
          switch axis {
          case .global: centred[i, j] -= a.elements.reduce(0, +) / 96
          case .perRow: centred[i, j] -= a.row(i).reduce(0, +) / 8
          case .perColumn: centred[i, j] -= a.column(j).reduce(0, +) / 12
          }
        }
      }
      let viaOption = try a.singularValueDecomposition(centering: .allEntries(axis))
      let explicit = try centred.singularValueDecomposition()
      #expect(
        zip(viaOption.singularValues, explicit.singularValues).allSatisfy { abs($0 - $1) < 1e-12 })
      #expect(abs(viaOption.offsets.offset(row: 3, column: 5) - (a[3, 5] - centred[3, 5])) < 1e-14)
    }
  }

  @Test func invalidRequestsAreTypedErrors() {
    let a: Matrix<Double> = Fixtures.gaussian(5, 4, seed: 28)
    for rank in [0, -1, 4, 5] {
      #expect { _ = try a.truncatedSVD(rank: rank) } throws: {
        ($0 as? LinalgError)?.kind == .invalidRank
      }
    }
    #expect { _ = try Matrix<Double>(rows: 0, columns: 3).singularValueDecomposition() } throws: {
      ($0 as? LinalgError)?.kind == .emptyMatrix
    }
    var nan = a
    nan[2, 1] = .nan
    #expect { _ = try nan.singularValueDecomposition() } throws: {
      ($0 as? LinalgError)?.kind == .nonFiniteValue
    }
    var inf = a
    inf[0, 0] = -.infinity
    #expect { _ = try inf.truncatedSVD(rank: 2) } throws: {
      ($0 as? LinalgError)?.kind == .nonFiniteValue
    }
  }
}
