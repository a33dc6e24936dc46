import AFlixLinalg
import Foundation
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
      // One BLAS thread count for both runs: a section keeps other tests from changing it between.
      let (x, y) = try BLAS.withThreadCount(2) {
        (try a.truncatedSVD(rank: 10, method: m), try a.truncatedSVD(rank: 10, method: m))
      }
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

@Suite("Randomized SVD on hard spectra")
struct HardSpectrumTests {
  /// 60 × 30 with σᵢ = 10^(−i/2): a spread of 10¹⁰ over the top 20, far past what squaring keeps.
  static func steep() -> (SparseMatrix<Double>, [Double]) {
    let sigma = (0..<30).map { pow(10, -Double($0) / 2) }
    let dense: Matrix<Double> = Fixtures.withSpectrum(60, 30, sigma: sigma, seed: 41)
    return (Fixtures.fullySparse(dense), sigma)
  }

  static func orthogonalityLoss(_ q: Matrix<Double>) -> Double {
    var g = q.gram()
    for i in 0..<g.rows { g[i, i] -= 1 }
    return g.maxAbs
  }

  @Test func automaticStrategyKeepsSmallSingularValuesAccurate() throws {
    let (a, sigma) = Self.steep()
    let svd = try a.truncatedSVD(rank: 20, method: .randomized(.init(seed: 3)))
    for t in 0..<20 {
      #expect(abs(svd.singularValues[t] - sigma[t]) / sigma[t] < 1e-6, "σ\(t + 1)")
    }
    #expect(Self.orthogonalityLoss(svd.u) < 1e-12)
    #expect(Self.orthogonalityLoss(svd.vt.transposed) < 1e-12)
  }

  @Test func explicitGramStrategyStaysOrthonormalAndAccurateAboveItsLimit() throws {
    let (a, sigma) = Self.steep()
    let svd = try a.truncatedSVD(
      rank: 20, method: .randomized(.init(powerIterations: 20, seed: 3, strategy: .gram)))
    #expect(Self.orthogonalityLoss(svd.u) < 1e-12)
    // Resolvable components (σ ≥ 1e-6 σ₁, well above √ε σ₁) are accurate; none is overestimated
    // beyond rounding (ε σ₁ absolute).
    for t in 0..<13 {
      #expect(abs(svd.singularValues[t] - sigma[t]) / sigma[t] < 1e-4, "σ\(t + 1)")
    }
    #expect(
      svd.singularValues.indices.allSatisfy {
        svd.singularValues[$0] <= sigma[$0] * (1 + 1e-9) + 1e-14
      })
  }

  @Test(arguments: [RandomizedSVDOptions.Strategy.automatic, .gram, .direct])
  func rankDeficientMatrixGivesOrthonormalFactorsAndZeros(strategy: RandomizedSVDOptions.Strategy)
    throws
  {
    let u: Matrix<Double> = Fixtures.gaussian(40, 1, seed: 42)
    let v: Matrix<Double> = Fixtures.gaussian(1, 15, seed: 43)
    let a = Fixtures.fullySparse(u * v)
    let svd = try a.truncatedSVD(rank: 3, method: .randomized(.init(seed: 1, strategy: strategy)))
    #expect(Self.orthogonalityLoss(svd.u) < 1e-10)
    #expect(Self.orthogonalityLoss(svd.vt.transposed) < 1e-10)
    let exact = try (u * v).singularValueDecomposition().singularValues[0]
    #expect(abs(svd.singularValues[0] - exact) < 1e-12 * exact)
    #expect(svd.singularValues[1] < 1e-12 * exact && svd.singularValues[2] < 1e-12 * exact)
  }

  @Test func floatPCACentringOfLargeValuesMatchesDouble() throws {
    // Values 1000…1004: the global mean dwarfs the spread.
    var rng = SeededGenerator(seed: 44)
    let dense = Matrix<Double>(
      rows: 200, columns: 50,
      elements: (0..<10_000).map { _ in 1000 + Double(rng.next() % 5) })
    let reference = try dense.truncatedSVD(rank: 3, centering: .allEntries(.global))
    let f = SparseMatrix<Float>(converting: Fixtures.fullySparse(dense))
    let svd = try f.truncatedSVD(
      rank: 3, centering: .allEntries(.global), method: .randomized(.init(powerIterations: 30)))
    #expect(
      abs(Double(svd.totalSquaredNorm) - reference.totalSquaredNorm) < 1e-4
        * reference.totalSquaredNorm)
    for t in 0..<3 {
      #expect(
        abs(Double(svd.singularValues[t]) - reference.singularValues[t]) < 2e-2
          * reference.singularValues[t])
    }
    #expect(svd.explainedVarianceRatio.allSatisfy { $0 > 0 })
  }
}
