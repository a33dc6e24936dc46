import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("EASE")
struct EASETests {
  /// Four users, three items: X = [[1,1,0],[1,0,1],[0,1,1],[1,1,1]].
  static func tiny() throws -> RatingsDataset {
    let rows: [[Int]] = [[0, 1], [0, 2], [1, 2], [0, 1, 2]]
    var ratings: [Rating] = []
    for (u, items) in rows.enumerated() {
      for i in items { ratings.append(Rating(user: .int(u), item: .int(i), value: Float(1 + i))) }
    }
    return try RatingsDataset(ratings: ratings, scale: .oneToFive)
  }

  @Test func matchesTheClosedFormOnAThreeItemCase() throws {
    let data = try Self.tiny()
    let lambda = 2.0
    let model = try EASE(regularization: lambda).fit(data)
    // G = XᵀX + λI = [[5,2,2],[2,5,2],[2,2,5]] (binary X: the rating values do not matter).
    // G = 3I + 2·11ᵀ, so G⁻¹ = (I − 2/(3 + 2·3)·11ᵀ)/3: diagonal 7/27, off-diagonal −2/27, and
    // Bᵢⱼ = −Pᵢⱼ/Pⱼⱼ = 2/7 off the diagonal.
    for i in 0..<3 {
      for j in 0..<3 {
        let expected: Float = i == j ? 0 : 2 / 7
        #expect(abs(model.weights[i, j] - expected) < 1e-6, "B[\(i),\(j)] = \(model.weights[i, j])")
      }
    }
    // User 0 rated items 0 and 1: scores = B₀ + B₁.
    let scores = model.scores(forUser: model.users.index(of: .int(0))!)
    #expect(abs(scores[0] - 2 / 7) < 1e-6 && abs(scores[1] - 2 / 7) < 1e-6)
    #expect(abs(scores[2] - 4 / 7) < 1e-6)
  }

  @Test func matchesAnExplicitInverseAndHasAZeroDiagonal() throws {
    let (data, _, _) = try RankingTestData.blocks(users: 30, itemsPerBlock: 4)
    let lambda = 3.0
    let omega = 0.5
    let model = try EASE(regularization: lambda, dropoutPenalty: omega).fit(data)
    let n = data.itemCount
    // G by hand, then P = G⁻¹ from LAPACK's SVD: P = V Σ⁻¹ Uᵀ.
    var g = Matrix<Double>(rows: n, columns: n)
    for u in 0..<data.userCount {
      let items = data.ratings(ofUser: u).items.map { Int($0) }
      for a in items { for b in items { g[a, b] += 1 } }
    }
    for i in 0..<n { g[i, i] += lambda + omega * g[i, i] }
    var a = g.elements
    var s = [Double](repeating: 0, count: n)
    var uu = [Double](repeating: 0, count: n * n)
    var vt = [Double](repeating: 0, count: n * n)
    #expect(Double.gesdd(m: n, n: n, a: &a, s: &s, u: &uu, vt: &vt) == 0)
    var p = Matrix<Double>(rows: n, columns: n)
    for i in 0..<n {
      for j in 0..<n {
        var sum = 0.0
        for t in 0..<n { sum += vt[t * n + i] * uu[j * n + t] / s[t] }
        p[i, j] = sum
      }
    }
    var worst: Float = 0
    for i in 0..<n {
      #expect(model.weights[i, i] == 0)
      for j in 0..<n where i != j {
        worst = max(worst, abs(model.weights[i, j] - Float(-p[i, j] / p[j, j])))
      }
    }
    #expect(worst < 1e-5, "largest difference \(worst)")
    // Scores are xᵤB, and a history gives the same scores as the user it describes.
    let u = 7
    let history = data.ratings(ofUser: u).items.map { Int($0) }
    #expect(model.scores(forUser: u) == model.scores(forHistory: history))
  }

  @Test func ranksPlantedBlocksFirstAndBeatsPopularity() throws {
    let (data, blockOf, perBlock) = try RankingTestData.blocks()
    let model = try EASE(regularization: 5).fit(data)
    let share = RankingTestData.inBlockShare(
      model, data, blockOfUser: blockOf, itemsPerBlock: perBlock)
    #expect(share > 0.95, "in-block share of the top 3: \(share)")
    let split = try data.split(.stratified(trainFraction: 0.75), seed: 5)[0]
    let ease = RankingReport(
      of: try EASE(regularization: 5).fit(split.train), train: split.train, test: split.test)
    let popularity = RankingReport(
      of: try PopularityAlgorithm().fit(split.train), train: split.train, test: split.test)
    #expect(ease.ndcg > popularity.ndcg + 0.15, "EASE \(ease.ndcg), popularity \(popularity.ndcg)")
  }

  @Test func badInputIsATypedError() throws {
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(RankingTestData.throwsKind(.emptyTrainingData) { _ = try EASE().fit(empty) })
    let data = try Self.tiny()
    for bad in [
      EASE(regularization: 0), EASE(regularization: -1), EASE(regularization: .nan),
      EASE(regularization: .infinity), EASE(dropoutPenalty: -0.1),
    ] {
      #expect(RankingTestData.throwsKind(.invalidHyperparameter) { _ = try bad.fit(data) })
    }
    #expect(EASE().name == "ease")
  }

  @Test func persistenceRoundTripAndDeterminism() throws {
    let (data, _, _) = try RankingTestData.blocks(users: 30)
    let model = try EASE(regularization: 10).fit(data)
    #expect(try EASE(regularization: 10).fit(data) == model)
    let url = try RankingTestData.temporaryFile()
    try model.save(to: url)
    let loaded = try EASEModel.load(from: url)
    #expect(loaded == model)
    for u in 0..<model.users.count {
      #expect(loaded.scores(forUser: u) == model.scores(forUser: u))
    }
    #expect(throws: ModelFileError.self) { _ = try ImplicitALSModel.load(from: url) }
  }
}
