import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

/// Item fold-in of the factor models: a film the model was fitted with, folded in from its
/// training ratings, gets back its fitted parameters (the fit's last half-step solves the items),
/// and the SGD fold-in solves its ridge equations.
@Suite("New films: item fold-in")
struct NewFilmFoldInTests {
  static let data = try! FactorTestData.noisyLowRank(users: 150, items: 90, seed: 11).train

  /// Film `i`'s training ratings as the model's ``ItemRatings``.
  static func ratings(ofItem i: Int, model: some RecommenderModel) -> ItemRatings {
    let (users, values) = data.ratings(ofItem: i)
    let pairs = zip(users, values).map {
      (user: model.users.index(of: data.users.id(at: Int($0)))!, value: $1)
    }
    return ItemRatings(pairs, userCount: model.users.count)
  }

  /// The model's row `i` of `m`.
  static func row(_ m: Matrix<Float>, _ i: Int) -> [Float] {
    (0..<m.columns).map { m[i, $0] }
  }

  @Test func implicitALSFoldInOfATrainingFilmGetsItsFittedFactors() throws {
    let model = try ImplicitALS(factors: 6, iterations: 8, regularization: 2, alpha: 4, seed: 1)
      .fit(Self.data)
    let gram = model.userGram()
    for i in [0, 17, 60, 89] {
      let r = Self.ratings(ofItem: i, model: model)
      let folded = try #require(model.foldInItem(ratings: r))
      let fitted = Self.row(model.itemFactors, i)
      let scale = fitted.map { abs($0) }.max()!
      #expect(FoldInCheck.maxDifference(folded.factors, fitted) < 1e-3 * max(1, scale))
      #expect(folded.bias == 0 && folded.ratingCount == r.count)
      // The kept XᵀX gives the same solve as the one computed per call.
      let cached = try #require(model.foldedItemFactors(r, userGram: gram))
      #expect(FoldInCheck.maxDifference(cached, folded.factors) < 1e-5)
      // Its score for a user is the fitted film's.
      for u in [2, 77] {
        #expect(abs(model.score(folded, forUser: u) - model.scores(forUser: u)[i]) < 1e-3)
      }
    }
  }

  @Test func biasedALSFoldInOfATrainingFilmGetsItsFittedParameters() throws {
    let model = try BiasedALS(factors: 6, iterations: 10, seed: 2).fit(Self.data)
    for i in [3, 40, 88] {
      let folded = try #require(model.foldInItem(ratings: Self.ratings(ofItem: i, model: model)))
      #expect(FoldInCheck.maxDifference(folded.factors, Self.row(model.itemFactors, i)) < 1e-3)
      #expect(abs(folded.bias - model.itemBias[i]) < 1e-3)
      for u in [5, 140] {
        #expect(abs(model.score(folded, forUser: u) - model.scores(forUser: u)[i]) < 1e-3)
      }
    }
  }

  @Test func sgdFoldInSolvesTheRidgeNormalEquations() throws {
    let model = try BiasedMF(factors: 5, epochs: 30, seed: 3).fit(Self.data)
    let i = 25
    let r = Self.ratings(ofItem: i, model: model)
    let folded = try #require(model.foldInItem(ratings: r))
    // (XᵀX + nλI) θ − Xᵀ(r − μ − bᵤ) = 0 with rows (pᵤ, 1) and λ = 0.1, rebuilt here.
    let k = model.factorCount
    let theta = folded.factors.map { Double($0) } + [Double(folded.bias)]
    var residual = [Double](repeating: 0, count: k + 1)
    for (u, value) in zip(r.users, r.values) {
      let x = (0..<k).map { Double(model.userFactors[u, $0]) } + [1]
      let prediction = zip(x, theta).reduce(0) { $0 + $1.0 * $1.1 }
      let target = Double(value) - Double(model.globalMean) - Double(model.userBias[u])
      for f in 0...k { residual[f] += x[f] * (prediction - target) }
    }
    for f in 0...k { residual[f] += Double(r.count) * 0.1 * theta[f] }
    #expect(residual.allSatisfy { abs($0) < 1e-3 })
    // The SGD fit sits near that fixed point: folded and fitted films score alike.
    var foldedScores: [Float] = []
    var fittedScores: [Float] = []
    for j in stride(from: 0, to: 90, by: 6) {
      let f = try #require(model.foldInItem(ratings: Self.ratings(ofItem: j, model: model)))
      for u in stride(from: 0, to: 150, by: 10) {
        foldedScores.append(model.score(f, forUser: u))
        fittedScores.append(model.scores(forUser: u)[j])
      }
    }
    #expect(FoldInCheck.correlation(foldedScores, fittedScores) > 0.9)
  }

  @Test func unknownUsersAndNonFiniteValuesAreIgnored() throws {
    let model = try BiasedALS(factors: 4, iterations: 5, seed: 2).fit(Self.data)
    let valid: [(user: Int, value: Float)] = [(3, 4), (10, 2), (42, 5)]
    let noisy = valid + [(-1, 3), (model.users.count, 4), (7, .nan), (8, .infinity)]
    let a = try #require(model.foldInItem(ratings: valid))
    let b = try #require(model.foldInItem(ratings: noisy))
    #expect(a == b && b.ratingCount == 3)
    // A repeated user keeps the last value.
    let c = try #require(model.foldInItem(ratings: [(3, 1), (10, 2), (42, 5), (3, 4)]))
    #expect(c == a)
    #expect(model.foldInItem(ratings: []) == nil)
    #expect(model.foldInItem(ratings: [(-5, 3), (9, .nan)]) == nil)
    let als = try ImplicitALS(factors: 4, iterations: 3).fit(Self.data)
    #expect(als.foldInItem(ratings: ItemRatings([], userCount: als.users.count)) == nil)
  }
}
