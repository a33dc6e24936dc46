import AFlixData
import AFlixRecommend
import Testing

/// `scores(forUsers:)`, the batch path, equals one `scores(forUser:)` per user for every model
/// (block products may differ in the last bits).
@Suite("Batch scoring")
struct BatchScoringTests {
  static let algorithms: [any RecommenderAlgorithm] = [
    Baseline(), TruncatedSVDRecommender(rank: 4), BiasedMF(factors: 4, epochs: 3, seed: 1),
    BiasedALS(factors: 4, iterations: 2, seed: 1), SVDPlusPlus(factors: 4, epochs: 2, seed: 1),
    KNNBaseline(), BayesianMF(factors: 2, burnIn: 2, samples: 2, seed: 1),
    Blend(members: [Baseline(), BiasedMF(factors: 4, epochs: 3, seed: 1)], seed: 1),
    ImplicitALS(factors: 4, iterations: 2, seed: 1), EASE(), BPR(factors: 4, epochs: 2, seed: 1),
    PopularityAlgorithm(),
  ]

  @Test(arguments: algorithms.indices)
  func blocksEqualUserByUserScores(index: Int) throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 50, items: 40, seed: 6)
    let model = try Self.algorithms[index].fit(train)
    let block = [3, 0, 49, 3, 17]
    let batch = model.scores(forUsers: block)
    let n = model.items.count
    #expect(batch.count == block.count * n)
    var worst: Float = 0
    for (row, u) in block.enumerated() {
      let single = model.scores(forUser: u)
      for i in 0..<n {
        let scale = max(1, abs(single[i]))
        worst = max(worst, abs(batch[row * n + i] - single[i]) / scale)
      }
    }
    #expect(worst <= 1e-5, "\(model.fitRecord?.algorithm ?? "?")")
  }
}
