import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("BPR")
struct BPRTests {
  static let small = BPR(factors: 8, epochs: 40, learningRate: 0.05, regularization: 0.01, seed: 4)

  @Test func ranksPlantedBlocksFirstAndBeatsPopularity() throws {
    let (data, blockOf, perBlock) = try RankingTestData.blocks()
    let model = try Self.small.fit(data)
    let share = RankingTestData.inBlockShare(
      model, data, blockOfUser: blockOf, itemsPerBlock: perBlock)
    #expect(share > 0.9, "in-block share of the top 3: \(share)")
    let split = try data.split(.stratified(trainFraction: 0.75), seed: 5)[0]
    let bpr = RankingReport(
      of: try Self.small.fit(split.train), train: split.train, test: split.test)
    let popularity = RankingReport(
      of: try PopularityAlgorithm().fit(split.train), train: split.train, test: split.test)
    #expect(bpr.ndcg > popularity.ndcg + 0.1, "BPR \(bpr.ndcg), popularity \(popularity.ndcg)")
  }

  @Test func seeded() throws {
    let (data, _, _) = try RankingTestData.blocks(users: 40)
    let a = try Self.small.fit(data)
    #expect(try Self.small.fit(data) == a)
    var other = Self.small
    other.seed = 5
    #expect(try other.fit(data) != a)
    #expect(Self.small.name == "bpr")
  }

  @Test func badInputIsATypedError() throws {
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(RankingTestData.throwsKind(.emptyTrainingData) { _ = try BPR().fit(empty) })
    let (data, _, _) = try RankingTestData.blocks(users: 8)
    for bad in [
      BPR(factors: 0), BPR(epochs: 0), BPR(learningRate: 0), BPR(learningRate: .nan),
      BPR(regularization: -1), BPR(initialStandardDeviation: -1),
    ] {
      #expect(RankingTestData.throwsKind(.invalidHyperparameter) { _ = try bad.fit(data) })
    }
    // A step far too large diverges: a typed error, not a NaN model.
    #expect(
      RankingTestData.throwsKind(.numericalFailure) {
        _ = try BPR(factors: 4, epochs: 50, learningRate: 1e30, initialStandardDeviation: 10).fit(
          data)
      })
  }

  @Test func persistenceRoundTrip() throws {
    let (data, _, _) = try RankingTestData.blocks(users: 30)
    let model = try BPR(factors: 4, epochs: 3).fit(data)
    let url = try RankingTestData.temporaryFile()
    try model.save(to: url)
    let loaded = try BPRModel.load(from: url)
    #expect(loaded == model)
    for u in 0..<model.users.count {
      #expect(loaded.scores(forUser: u) == model.scores(forUser: u))
    }
    #expect(throws: ModelFileError.self) { _ = try ImplicitALSModel.load(from: url) }
  }
}
