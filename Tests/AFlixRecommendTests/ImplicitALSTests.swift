import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

/// Planted block structure for the ranking-model tests.
enum RankingTestData {
  /// `users` users in `blocks` groups, each group owning `itemsPerBlock` items: a user rates each
  /// item of their block with probability `density` and one random item of another block.
  /// Returns the data and each user id's block.
  static func blocks(
    users: Int = 80, blocks: Int = 4, itemsPerBlock: Int = 10, density: Double = 0.6,
    seed: UInt64 = 3
  ) throws -> (data: RatingsDataset, blockOfUser: (EntityID) -> Int, itemsPerBlock: Int) {
    var rng = SeededGenerator(seed: seed)
    var ratings: [Rating] = []
    for u in 0..<users {
      let b = u % blocks
      for i in 0..<itemsPerBlock where rng.nextUnitDouble() < density {
        ratings.append(Rating(user: .int(u), item: .int(b * itemsPerBlock + i), value: 4))
      }
      let other = (b + 1 + Int(rng.next() % UInt64(blocks - 1))) % blocks
      let item = other * itemsPerBlock + Int(rng.next() % UInt64(itemsPerBlock))
      ratings.append(Rating(user: .int(u), item: .int(item), value: 2))
    }
    let data = try RatingsDataset(ratings: ratings, scale: .oneToFive)
    return (
      data, { id in if case .int(let u) = id { return u % blocks } else { return -1 } },
      itemsPerBlock
    )
  }

  /// The share of in-block items among each user's top `m` unseen items, `m` = min(`k`, the
  /// number of in-block items the user has not rated).
  static func inBlockShare(
    _ model: some RecommenderModel, _ data: RatingsDataset, blockOfUser: (EntityID) -> Int,
    itemsPerBlock: Int, k: Int = 3
  ) -> Double {
    func block(ofItem i: Int) -> Int {
      if case .int(let item) = data.items.id(at: i) { return item / itemsPerBlock }
      return -1
    }
    var hits = 0
    var total = 0
    for u in 0..<data.userCount {
      let seen = Set(data.ratings(ofUser: u).items.map { Int($0) })
      let b = blockOfUser(data.users.id(at: u))
      let unseenInBlock = (0..<data.itemCount).filter {
        !seen.contains($0) && block(ofItem: $0) == b
      }
      let top = TopItems.select(model.scores(forUser: u), count: min(k, unseenInBlock.count)) {
        !seen.contains($0)
      }
      hits += top.filter { block(ofItem: $0) == b }.count
      total += top.count
    }
    return Double(hits) / Double(max(1, total))
  }

  /// A temporary file URL.
  static func temporaryFile() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-rank-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.appendingPathComponent("model.aflix")
  }

  /// Whether `body` throws a ``RecommendError`` of `kind`.
  static func throwsKind(_ kind: RecommendError.Kind, _ body: () throws -> Void) -> Bool {
    do {
      try body()
      return false
    } catch let error as RecommendError {
      return error.kind == kind
    } catch {
      return false
    }
  }
}

@Suite("Implicit ALS")
struct ImplicitALSTests {
  static let small = ImplicitALS(factors: 4, iterations: 10, regularization: 3, alpha: 10)

  @Test func ranksPlantedBlocksFirstAndBeatsPopularity() throws {
    let (data, blockOf, perBlock) = try RankingTestData.blocks()
    let model = try Self.small.fit(data)
    let share = RankingTestData.inBlockShare(
      model, data, blockOfUser: blockOf, itemsPerBlock: perBlock)
    #expect(share > 0.95, "in-block share of the top 3: \(share)")
    let split = try data.split(.stratified(trainFraction: 0.75), seed: 5)[0]
    let als = RankingReport(
      of: try Self.small.fit(split.train), train: split.train, test: split.test)
    let popularity = RankingReport(
      of: try PopularityAlgorithm().fit(split.train), train: split.train, test: split.test)
    #expect(als.ndcg > popularity.ndcg + 0.15, "iALS \(als.ndcg), popularity \(popularity.ndcg)")
  }

  @Test func itemFactorsSolveTheirNormalEquations() throws {
    // The last half-step solves every item exactly given the users:
    // (XᵀX + α Σ xᵤxᵤᵀ + λ nᵛ I) yᵢ = (1 + α) Σ xᵤ over the item's raters.
    let (data, _, _) = try RankingTestData.blocks(users: 24, itemsPerBlock: 5)
    let algorithm = ImplicitALS(
      factors: 3, iterations: 3, regularization: 0.7, alpha: 2, frequencyExponent: 0.5)
    let model = try algorithm.fit(data)
    let k = 3
    let x = model.userFactors
    var gram = [Double](repeating: 0, count: k * k)
    for u in 0..<x.rows {
      for a in 0..<k { for b in 0..<k { gram[a * k + b] += Double(x[u, a]) * Double(x[u, b]) } }
    }
    var worst = 0.0
    for i in 0..<data.itemCount {
      let raters = data.ratings(ofItem: i).users.map { Int($0) }
      var lhs = gram
      var rhs = [Double](repeating: 0, count: k)
      for u in raters {
        for a in 0..<k {
          rhs[a] += 3 * Double(x[u, a])
          for b in 0..<k { lhs[a * k + b] += 2 * Double(x[u, a]) * Double(x[u, b]) }
        }
      }
      for a in 0..<k { lhs[a * k + a] += 0.7 * Double(raters.count).squareRoot() }
      for a in 0..<k {
        var r = -rhs[a]
        for b in 0..<k { r += lhs[a * k + b] * Double(model.itemFactors[i, b]) }
        worst = max(worst, abs(r) / max(1, abs(rhs[a])))
      }
    }
    #expect(worst < 1e-4, "largest relative residual \(worst)")
  }

  @Test func seededAndIndependentOfThreadCount() throws {
    let (data, _, _) = try RankingTestData.blocks()
    let saved = Parallelism.maximumThreadCount
    Parallelism.maximumThreadCount = 1
    let one = try Self.small.fit(data)
    Parallelism.maximumThreadCount = 4
    let four = try Self.small.fit(data)
    Parallelism.maximumThreadCount = saved
    #expect(one == four)
    var other = Self.small
    other.seed = 99
    #expect(try other.fit(data) != one)
    #expect(Self.small.name == "ials")
  }

  @Test func badInputIsATypedError() throws {
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(RankingTestData.throwsKind(.emptyTrainingData) { _ = try ImplicitALS().fit(empty) })
    let (data, _, _) = try RankingTestData.blocks(users: 8)
    for bad in [
      ImplicitALS(factors: 0), ImplicitALS(factors: 2_000), ImplicitALS(iterations: 0),
      ImplicitALS(regularization: 0), ImplicitALS(regularization: .nan), ImplicitALS(alpha: -1),
      ImplicitALS(frequencyExponent: -0.5), ImplicitALS(initialStandardDeviation: .infinity),
    ] {
      #expect(RankingTestData.throwsKind(.invalidHyperparameter) { _ = try bad.fit(data) })
    }
  }

  @Test func persistenceRoundTrip() throws {
    let (data, _, _) = try RankingTestData.blocks(users: 30)
    let model = try ImplicitALS(factors: 4, iterations: 3, weightByRating: true).fit(data)
    let url = try RankingTestData.temporaryFile()
    try model.save(to: url)
    let loaded = try ImplicitALSModel.load(from: url)
    #expect(loaded == model)
    for u in 0..<model.users.count {
      #expect(loaded.scores(forUser: u) == model.scores(forUser: u))
    }
    #expect(throws: ModelFileError.self) { _ = try EASEModel.load(from: url) }
  }
}
