import AFlixData
import AFlixLinalg
import AFlixRecommend
import Testing

/// Random factor models for the factor-rank tests, and dense reference computations done here
/// (plain loops in `Double`), independently of the library's BLAS paths.
enum FactorRankFixtures {
  static func matrix(_ rows: Int, _ columns: Int, _ rng: inout SeededGenerator) -> Matrix<Float> {
    Matrix(
      rows: rows, columns: columns,
      elements: (0..<(rows * columns)).map { _ in Float(rng.nextGaussian()) })
  }

  static func ids(_ n: Int, times: Int = 1) -> IDMap { IDMap((0..<n).map { .int($0 * times) }) }

  /// An implicit-ALS model built from random Gaussian factors.
  static func implicitModel(users: Int = 40, items: Int = 30, k: Int = 6, seed: UInt64 = 3)
    -> ImplicitALSModel
  {
    var rng = SeededGenerator(seed: seed)
    return ImplicitALSModel(
      users: ids(users), items: ids(items, times: 10), userFactors: matrix(users, k, &rng),
      itemFactors: matrix(items, k, &rng))
  }

  /// A biased MF model with random biases and factors (and SVD++-style implicit factors).
  static func biasedModel(users: Int = 35, items: Int = 25, k: Int = 5, seed: UInt64 = 4)
    -> BiasedMFModel
  {
    var rng = SeededGenerator(seed: seed)
    return BiasedMFModel(
      users: ids(users), items: ids(items), scale: RatingScale(minimum: 1, maximum: 5),
      globalMean: 3.5, userBias: (0..<users).map { _ in Float(rng.nextGaussian()) * 0.3 },
      itemBias: (0..<items).map { _ in Float(rng.nextGaussian()) * 0.3 },
      userFactors: matrix(users, k, &rng), itemFactors: matrix(items, k, &rng),
      implicitFactors: matrix(items, k, &rng))
  }

  /// `P Qᵀ` by plain loops, row-major `users × items`.
  static func interactions(_ p: Matrix<Float>, _ q: Matrix<Float>) -> [Double] {
    let k = p.columns
    var out = [Double](repeating: 0, count: p.rows * q.rows)
    for u in 0..<p.rows {
      for i in 0..<q.rows {
        var s = 0.0
        for f in 0..<k { s += Double(p.elements[u * k + f]) * Double(q.elements[i * k + f]) }
        out[u * q.rows + i] = s
      }
    }
    return out
  }

  /// Every known user's scores, rows concatenated, one `scores(forUser:)` at a time.
  static func allScores(_ model: some RecommenderModel) -> [Double] {
    (0..<model.users.count).flatMap { model.scores(forUser: $0).map(Double.init) }
  }

  /// The largest `|a − b|` over equal-length arrays.
  static func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }
}

@Suite("Factor rank: ordered factors")
struct FactorRankOrderingTests {
  /// Tolerance: the ordering runs in `Double` and stores `Float`, so scores of magnitude ~‖p‖‖q‖
  /// (≈ 6 here) agree to a few `Float` ulps of that: 1e-4 absolute.
  static let tolerance = 1e-4

  @Test func orderingKeepsEveryScoreOfAnImplicitModel() throws {
    let model = FactorRankFixtures.implicitModel()
    let ordered = try model.orderedFactors()
    #expect(ordered.factorCount == model.factorCount)
    let before = FactorRankFixtures.allScores(model)
    let after = FactorRankFixtures.allScores(ordered)
    #expect(FactorRankFixtures.maxDifference(before, after) < Self.tolerance)
    // The unknown user (the mean factor) is linear in the factors: unchanged too.
    let unknownBefore = model.scoresForUnknownUser().values.map(Double.init)
    let unknownAfter = ordered.scoresForUnknownUser().values.map(Double.init)
    #expect(FactorRankFixtures.maxDifference(unknownBefore, unknownAfter) < Self.tolerance)
  }

  @Test func orderingKeepsBiasedAndBPRScores() throws {
    let biased = FactorRankFixtures.biasedModel()
    let orderedBiased = try biased.orderedFactors()
    #expect(
      FactorRankFixtures.maxDifference(
        FactorRankFixtures.allScores(biased), FactorRankFixtures.allScores(orderedBiased))
        < Self.tolerance)
    #expect(orderedBiased.userBias == biased.userBias && orderedBiased.itemBias == biased.itemBias)
    #expect(orderedBiased.implicitFactors?.columns == biased.factorCount)

    var rng = SeededGenerator(seed: 11)
    let bpr = BPRModel(
      users: FactorRankFixtures.ids(20), items: FactorRankFixtures.ids(15),
      userFactors: FactorRankFixtures.matrix(20, 4, &rng),
      itemFactors: FactorRankFixtures.matrix(15, 4, &rng),
      itemBias: (0..<15).map { Float($0) / 10 })
    #expect(
      FactorRankFixtures.maxDifference(
        FactorRankFixtures.allScores(bpr), FactorRankFixtures.allScores(try bpr.orderedFactors()))
        < Self.tolerance)
  }

  /// The ordered columns are balanced and orthogonal: `P′ᵀP′ = Q′ᵀQ′ = diag(σ)`, σ descending,
  /// and `factorStrengths()` reads σ back.
  @Test func orderedColumnsAreOrthogonalBalancedAndDescending() throws {
    let ordered = try FactorRankFixtures.implicitModel().orderedFactors()
    let k = ordered.factorCount
    func gram(_ m: Matrix<Float>) -> [Double] {
      var g = [Double](repeating: 0, count: k * k)
      for r in 0..<m.rows {
        for a in 0..<k {
          for b in 0..<k {
            g[a * k + b] += Double(m.elements[r * k + a]) * Double(m.elements[r * k + b])
          }
        }
      }
      return g
    }
    let gp = gram(ordered.userFactors)
    let gq = gram(ordered.itemFactors)
    let strengths = ordered.factorStrengths().map(Double.init)
    for a in 0..<k {
      for b in 0..<k {
        #expect(abs(gp[a * k + b] - gq[a * k + b]) < 1e-3 * max(1, gp[0]))
        if a != b { #expect(abs(gp[a * k + b]) < 1e-3 * max(1, gp[0])) }
      }
      #expect(abs(gp[a * k + a] - strengths[a]) < 1e-3 * max(1, strengths[0]))
    }
    #expect(zip(strengths, strengths.dropFirst()).allSatisfy { $0 >= $1 })
  }

  @Test func aFittedTruncatedSVDIsOrderedAlready() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let model = try TruncatedSVDRecommender(rank: 6).fit(train)
    let s = model.singularValues
    #expect(zip(s, s.dropFirst()).allSatisfy { $0 >= $1 })
    #expect(try model.orderedFactors() == model)
    let strengths = model.factorStrengths()
    for (a, b) in zip(strengths, s) { #expect(abs(a - b) < 1e-3 * s[0]) }
  }
}
