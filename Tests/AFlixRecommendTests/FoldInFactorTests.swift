import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

/// Fold-in of the factor models: the folded-in user solves the fit's own equations, and a
/// training user folded in from their training ratings scores like the fitted one.
@Suite("Fold-in: factor models")
struct FoldInFactorTests {
  static let data = try! FactorTestData.noisyLowRank(users: 150, items: 90, seed: 11).train

  @Test func alsFoldInSolvesTheRidgeNormalEquations() throws {
    let model = try BiasedALS(factors: 6, iterations: 8, seed: 2).fit(Self.data)
    let ratings = FoldInCheck.ratings(Self.data, user: 4, model: model)
    let (bias, p) = try #require(model.foldedUserFactors(ratings))
    // (XᵀX + n·diag(λ, …, λ_b)) θ − Xᵀ(r − μ − bᵢ) = 0, rebuilt here.
    let k = model.factorCount
    let n = Double(ratings.count)
    let theta = p.map { Double($0) } + [Double(bias)]
    var residual = [Double](repeating: 0, count: k + 1)
    for (i, r) in zip(ratings.items, ratings.values) {
      let x = (0..<k).map { Double(model.itemFactors[i, $0]) } + [1]
      let prediction = zip(x, theta).reduce(0) { $0 + $1.0 * $1.1 }
      let target = Double(r) - Double(model.globalMean) - Double(model.itemBias[i])
      for f in 0...k { residual[f] += x[f] * (prediction - target) }
    }
    for f in 0...k { residual[f] += n * (f < k ? 0.1 : 0.02) * theta[f] }
    #expect(residual.allSatisfy { abs($0) < 1e-3 })
    #expect(theta.contains { abs($0) > 1e-3 })
  }

  @Test func alsFoldInOfATrainingUserMatchesTheFittedUser() throws {
    let model = try BiasedALS(factors: 6, iterations: 15, seed: 2).fit(Self.data)
    for u in [0, 33, 120] {
      let folded = model.scores(forRatings: FoldInCheck.ratings(Self.data, user: u, model: model))
      #expect(folded.source == .model)
      // The fit's last pass solves the items, so the users lag one half-step behind.
      #expect(FoldInCheck.maxDifference(folded.values, model.scores(forUser: u)) < 0.05)
    }
  }

  @Test func sgdAndSVDPlusPlusFoldInsTrackTheFittedUsers() throws {
    let sgd = try BiasedMF(factors: 8, epochs: 30, seed: 3).fit(Self.data)
    let svdpp = try SVDPlusPlus(factors: 8, epochs: 20, seed: 3).fit(Self.data)
    #expect(svdpp.implicitFactors != nil && sgd.implicitFactors == nil)
    for model in [sgd, svdpp] {
      var folded: [Float] = []
      var fitted: [Float] = []
      for u in stride(from: 0, to: 150, by: 10) {
        folded +=
          model.scores(forRatings: FoldInCheck.ratings(Self.data, user: u, model: model))
          .values
        fitted += model.scores(forUser: u)
      }
      #expect(FoldInCheck.correlation(folded, fitted) > 0.95)
    }
  }

  @Test func svdPlusPlusFoldInUsesTheImplicitTerm() throws {
    let model = try SVDPlusPlus(factors: 8, epochs: 20, seed: 3).fit(Self.data)
    let ratings = FoldInCheck.ratings(Self.data, user: 7, model: model)
    let withTerm = try #require(model.foldedUserFactors(ratings))
    let plain = BiasedMFModel(
      users: model.users, items: model.items, scale: model.scale, globalMean: model.globalMean,
      userBias: model.userBias, itemBias: model.itemBias, userFactors: model.userFactors,
      itemFactors: model.itemFactors)
    var recorded = plain
    recorded.fitRecord = model.fitRecord
    let without = try #require(recorded.foldedUserFactors(ratings))
    #expect(FoldInCheck.maxDifference(withTerm.factors, without.factors) > 1e-3)
  }

  @Test func bayesianFoldInTracksTheFittedUsers() throws {
    let model = try BayesianMF(factors: 4, burnIn: 10, samples: 20, seed: 5).fit(Self.data)
    var folded: [Float] = []
    var fitted: [Float] = []
    for u in stride(from: 0, to: 150, by: 15) {
      let scores = model.scores(forRatings: FoldInCheck.ratings(Self.data, user: u, model: model))
      #expect(scores.source == .model)
      folded += scores.values
      fitted += model.scores(forUser: u)
    }
    #expect(FoldInCheck.correlation(folded, fitted) > 0.9)
  }

  @Test func implicitALSFoldInSolvesTheHKVSystem() throws {
    let model = try ImplicitALS(factors: 5, iterations: 6, regularization: 2, alpha: 4, seed: 1)
      .fit(Self.data)
    let ratings = FoldInCheck.ratings(Self.data, user: 9, model: model)
    let x = try #require(model.foldedUserFactors(ratings)).map { Double($0) }
    #expect(model.foldedUserFactors(ratings, itemGram: model.itemGram())?.map { Double($0) } == x)
    // (YᵀY + Σ α yᵢyᵢᵀ + λ n^½ I) x − Σ (1 + α) yᵢ = 0, rebuilt here.
    let k = model.factorCount
    var residual = [Double](repeating: 0, count: k)
    for i in 0..<model.items.count {
      let y = (0..<k).map { Double(model.itemFactors[i, $0]) }
      let rated = ratings.items.contains(i)
      let c = rated ? 5.0 : 1.0
      let yx = zip(y, x).reduce(0) { $0 + $1.0 * $1.1 }
      for f in 0..<k { residual[f] += c * y[f] * yx - (rated ? c * y[f] : 0) }
    }
    for f in 0..<k { residual[f] += 2 * Double(ratings.count).squareRoot() * x[f] }
    #expect(residual.allSatisfy { abs($0) < 1e-3 })
    // The fitted user solved the same system against the previous item pass: close, not equal.
    let u9 = model.scores(forUser: 9)
    let folded = model.scores(forRatings: ratings).values
    #expect(FoldInCheck.correlation(folded, u9) > 0.95)
  }

  @Test func truncatedSVDFoldInProjectsOntoTheSingularVectors() throws {
    let model = try TruncatedSVDRecommender(rank: 4).fit(Self.data)
    for u in [1, 60] {
      let (offset, factors) = try #require(
        model.foldedUserFactors(FoldInCheck.ratings(Self.data, user: u, model: model)))
      #expect(abs(offset - model.userOffsets[u]) < 1e-4)
      for f in 0..<4 { #expect(abs(factors[f] - model.userFactors[u, f]) < 0.02) }
    }
  }

  @Test func bprFoldInIsDeterministicAndTracksTheFittedUsers() throws {
    let model = try BPR(factors: 8, epochs: 40, seed: 4).fit(Self.data)
    var folded: [Float] = []
    var fitted: [Float] = []
    for u in stride(from: 0, to: 150, by: 10) {
      let ratings = FoldInCheck.ratings(Self.data, user: u, model: model)
      let once = model.scores(forRatings: ratings)
      #expect(once == model.scores(forRatings: ratings))
      folded += once.values
      fitted += model.scores(forUser: u)
    }
    #expect(FoldInCheck.correlation(folded, fitted) > 0.8)
  }
}
