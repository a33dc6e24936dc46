import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

/// Fold-in of the models without factors: biases, neighbourhoods, EASE, popularity, the blend.
@Suite("Fold-in: biases, neighbourhoods, EASE, popularity, blend")
struct FoldInNeighbourTests {
  static let data = try! FactorTestData.noisyLowRank(users: 100, items: 70, seed: 12).train

  @Test func baselineFoldInReproducesTheFittedBias() throws {
    let model = try Baseline(userRegularization: 5).fit(Self.data)
    for u in [0, 50, 99] {
      let bias = try #require(
        model.foldedUserBias(FoldInCheck.ratings(Self.data, user: u, model: model)))
      #expect(abs(bias - model.userBias[u]) < 1e-4)
    }
  }

  @Test(arguments: [true, false])
  func knnFoldInOfATrainingUserGivesTheirScores(itemBased: Bool) throws {
    let model = try KNNBaseline(neighbours: 10, shrinkage: 50, itemBased: itemBased).fit(Self.data)
    for u in [3, 77] {
      let ratings = FoldInCheck.ratings(Self.data, user: u, model: model)
      let folded = model.scores(forRatings: ratings)
      #expect(folded.source == .model)
      // User-based, the training user stays in the model as the folded-in user's twin: on the
      // items they rated, the twin is a neighbour with a shrunk similarity where the fitted user
      // is their own with similarity 1. The other items must agree.
      let unrated = (0..<model.items.count).filter { !ratings.items.contains($0) }
      let fitted = model.scores(forUser: u)
      #expect(
        FoldInCheck.maxDifference(unrated.map { folded.values[$0] }, unrated.map { fitted[$0] })
          < 1e-3)
      if itemBased { #expect(FoldInCheck.maxDifference(folded.values, fitted) < 1e-3) }
    }
  }

  @Test func easeFoldInIsTheUsersRow() throws {
    let model = try EASE(regularization: 20).fit(Self.data)
    let folded = model.scores(forRatings: FoldInCheck.ratings(Self.data, user: 8, model: model))
    #expect(FoldInCheck.maxDifference(folded.values, model.scores(forUser: 8)) < 1e-5)
  }

  @Test func popularityFoldInIsItsScores() throws {
    let model = try PopularityModel(fitting: Self.data)
    let folded = model.scores(forRatings: FoldInCheck.ratings(Self.data, user: 2, model: model))
    #expect(folded == ItemScores(values: model.scores(forUser: 2), source: .model))
  }

  @Test func blendFoldInBlendsItsMembersFoldIns() throws {
    let model = try Blend(members: [Baseline(), BiasedALS(factors: 4, iterations: 5)]).fit(
      Self.data)
    let ratings = FoldInCheck.ratings(Self.data, user: 30, model: model)
    let folded = model.scores(forRatings: ratings)
    var expected = [Float](repeating: model.intercept, count: model.items.count)
    for (member, w) in zip(model.members, model.weights) {
      for (i, s) in member.scores(forRatings: ratings).values.enumerated() { expected[i] += w * s }
    }
    #expect(FoldInCheck.maxDifference(folded.values, expected) < 1e-5)
    #expect(FoldInCheck.correlation(folded.values, model.scores(forUser: 30)) > 0.95)
  }
}
