import AFlixLinalg
import Testing

@Suite("Randomized SVD")
struct RandomizedSVDTests {
  static let strategies: [RandomizedSVDOptions.Strategy] = [.gram, .direct]

  /// A 300 × 80 matrix with singular values 100·0.8ⁱ (a decaying spectrum), stored sparse.
  static func decaying() -> (SparseMatrix<Double>, [Double]) {
    let sigma = (0..<80).map { 100 * pow08($0) }
    let dense: Matrix<Double> = Fixtures.withSpectrum(300, 80, sigma: sigma, seed: 31)
    return (Fixtures.fullySparse(dense), sigma)
  }

  static func pow08(_ i: Int) -> Double { (0..<i).reduce(1.0) { r, _ in r * 0.8 } }

  @Test(arguments: strategies)
  func topSingularValuesWithinOneInAThousandOfExact(strategy: RandomizedSVDOptions.Strategy) throws
  {
    let (a, _) = Self.decaying()
    let exact = try a.dense().singularValueDecomposition().singularValues
    let svd = try a.truncatedSVD(rank: 10, method: .randomized(.init(seed: 5, strategy: strategy)))
    for t in 0..<10 {
      #expect(abs(svd.singularValues[t] - exact[t]) / exact[t] < 1e-3, "σ\(t + 1)")
    }
    // The vectors span the right subspace: the reconstruction error is the tail energy.
    let tail = exact[10...].reduce(0) { $0 + $1 * $1 }
    var residual = a.dense()
    let r = svd.reconstruction()
    for t in residual.elements.indices { residual.elements[t] -= r.elements[t] }
    #expect(residual.frobeniusNormSquared < tail * 1.01)
  }

  @Test(arguments: strategies)
  func wideMatricesAreDecomposedThroughTheirTranspose(strategy: RandomizedSVDOptions.Strategy)
    throws
  {
    let (tall, _) = Self.decaying()
    let wide = tall.transposed
    let a = try tall.truncatedSVD(rank: 6, method: .randomized(.init(seed: 2, strategy: strategy)))
    let b = try wide.truncatedSVD(rank: 6, method: .randomized(.init(seed: 2, strategy: strategy)))
    #expect(b.u.rows == 80 && b.vt.columns == 300)
    for t in 0..<6 {
      #expect(abs(a.singularValues[t] - b.singularValues[t]) < 1e-8 * a.singularValues[0])
    }
  }

  @Test func sparseRatingMatrixAgreesWithExactOnLeadingValues() throws {
    let a: SparseMatrix<Double> = Fixtures.sparse(2000, 150, degree: 5...40, seed: 32)
    let exact = try a.truncatedSVD(rank: 20, method: .exact).singularValues
    let gram = try a.truncatedSVD(
      rank: 20, method: .randomized(.init(powerIterations: 40, seed: 1, strategy: .gram)))
    #expect(abs(gram.singularValues[0] - exact[0]) / exact[0] < 1e-9)
    #expect(
      gram.singularValues.indices.allSatisfy {
        abs(gram.singularValues[$0] - exact[$0]) / exact[$0] < 2e-2
      })
    // Never above the exact values (Rayleigh–Ritz values interlace from below).
    #expect(
      gram.singularValues.indices.allSatisfy { gram.singularValues[$0] <= exact[$0] * (1 + 1e-12) })
  }

  @Test(arguments: strategies, MeanAxis.allCases)
  func pcaCentringEqualsTheExplicitlyCentredDenseMatrix(
    strategy: RandomizedSVDOptions.Strategy, axis: MeanAxis
  ) throws {
    let a: SparseMatrix<Double> = Fixtures.sparse(120, 40, degree: 3...15, seed: 33)
    let explicit = try a.dense().truncatedSVD(rank: 8, centering: .allEntries(axis))
    let implicit = try a.truncatedSVD(
      rank: 8, centering: .allEntries(axis),
      method: .randomized(.init(oversampling: 32, powerIterations: 30, seed: 3, strategy: strategy))
    )
    for t in 0..<8 {
      #expect(
        abs(implicit.singularValues[t] - explicit.singularValues[t]) < 1e-8
          * explicit.singularValues[0])
    }
    #expect(
      abs(implicit.totalSquaredNorm - explicit.totalSquaredNorm) < 1e-9 * explicit.totalSquaredNorm)
    #expect(implicit.offsets == explicit.offsets)
  }

  @Test(arguments: MeanAxis.allCases)
  func observedCentringShiftsOnlyStoredEntries(axis: MeanAxis) throws {
    let a: SparseMatrix<Double> = Fixtures.sparse(90, 30, degree: 2...12, seed: 34)
    let means: [Double]
    switch axis {
    case .global: means = [a.meanOfStoredValues]
    case .perRow: means = a.rowMeans()
    case .perColumn: means = a.columnMeans()
    }
    var shifted = a.dense()
    for i in 0..<a.rows {
      let (cols, vals) = a.row(i)
      for (c, v) in zip(cols, vals) {
        let m = axis == .global ? means[0] : axis == .perRow ? means[i] : means[Int(c)]
        shifted[i, Int(c)] = v - m
      }
    }
    let explicit = try shifted.truncatedSVD(rank: 5)
    let implicit = try a.truncatedSVD(
      rank: 5, centering: .observedEntries(axis),
      method: .randomized(.init(oversampling: 25, powerIterations: 30, seed: 4)))
    for t in 0..<5 {
      #expect(
        abs(implicit.singularValues[t] - explicit.singularValues[t]) < 1e-8
          * explicit.singularValues[0])
    }
    #expect(implicit.offsets.means == means)
    let exact = try a.truncatedSVD(rank: 5, centering: .observedEntries(axis), method: .exact)
    #expect(zip(exact.singularValues, explicit.singularValues).allSatisfy { abs($0 - $1) < 1e-10 })
  }

  @Test func sameSeedSameBitsOtherSeedOtherSketch() throws {
    let a: SparseMatrix<Double> = Fixtures.sparse(500, 60, degree: 3...20, seed: 35)
    for strategy in Self.strategies {
      let m = SVDMethod.randomized(.init(powerIterations: 1, seed: 9, strategy: strategy))
      let x = try a.truncatedSVD(rank: 10, method: m)
      let y = try a.truncatedSVD(rank: 10, method: m)
      #expect(x == y)
      let z = try a.truncatedSVD(
        rank: 10, method: .randomized(.init(powerIterations: 1, seed: 10, strategy: strategy)))
      #expect(x.singularValues != z.singularValues)
    }
  }

  @Test func floatPrecisionWorks() throws {
    let (a, sigma) = Self.decaying()
    let f = SparseMatrix<Float>(converting: a)
    let svd = try f.truncatedSVD(rank: 5, method: .randomized(.init(seed: 1)))
    for t in 0..<5 { #expect(abs(Double(svd.singularValues[t]) - sigma[t]) / sigma[t] < 1e-4) }
  }

  @Test func prefixServesASmallerRank() throws {
    let (a, _) = Self.decaying()
    let svd = try a.truncatedSVD(rank: 12, method: .randomized(.init(seed: 1)))
    let p = svd.prefix(4)
    #expect(p.rank == 4 && p.u.columns == 4 && p.vt.rows == 4)
    #expect(p.singularValues == Array(svd.singularValues.prefix(4)))
    #expect(p.u.column(3) == svd.u.column(3))
  }

  @Test func invalidRequestsAreTypedErrors() throws {
    let a: SparseMatrix<Double> = Fixtures.sparse(20, 10, degree: 1...4, seed: 36)
    for rank in [0, -3, 10, 11] {
      #expect { _ = try a.truncatedSVD(rank: rank) } throws: {
        ($0 as? LinalgError)?.kind == .invalidRank
      }
    }
    let empty = try SparseMatrix<Double>(rows: 5, columns: 5, entries: [])
    #expect { _ = try empty.truncatedSVD(rank: 2) } throws: {
      ($0 as? LinalgError)?.kind == .emptyMatrix
    }
    let noShape = try SparseMatrix<Double>(rows: 0, columns: 0, entries: [])
    #expect { _ = try noShape.truncatedSVD(rank: 1) } throws: {
      ($0 as? LinalgError)?.kind == .emptyMatrix
    }
    #expect {
      _ = try a.truncatedSVD(rank: 2, method: .randomized(.init(oversampling: -1)))
    } throws: { ($0 as? LinalgError)?.kind == .invalidArgument }
  }
}
