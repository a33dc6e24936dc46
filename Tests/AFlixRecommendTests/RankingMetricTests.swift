import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

/// A scorer with fixed scores, to check the metrics by hand.
struct FixedScorer: RecommenderModel {
  static let archiveKind = "fixed"
  let users: IDMap
  let items: IDMap
  let table: [[Float]]
  var history: UserHistory
  var fitRecord: FitRecord?

  init(users: IDMap, items: IDMap, table: [[Float]], history: UserHistory? = nil) {
    self.users = users
    self.items = items
    self.table = table
    self.history = history ?? UserHistory(emptyFor: users.count)
  }

  init(archive: ModelArchive) throws { throw ModelFileError(.wrongKind, "a test double") }
  func archive() throws -> ModelArchive { throw ModelFileError(.corrupted, "a test double") }
  func scores(forUser user: Int) -> [Float] { table[user] }
  func scores(forRatings ratings: UserRatings) -> ItemScores { scoresForUnknownUser() }
}

@Suite("Ranking metrics")
struct RankingMetricTests {
  @Test func topItemsIsAPartialSortWithDeterministicTies() {
    let scores: [Float] = [0.5, 2, 2, 1, .nan, -3]
    #expect(TopItems.select(scores, count: 3) == [1, 2, 3])
    #expect(TopItems.select(scores, count: 3) { $0 != 1 } == [2, 3, 0])
    #expect(TopItems.select(scores, count: 10) == [1, 2, 3, 0, 5])
    #expect(TopItems.select(scores, count: 0).isEmpty)
    var rng = SeededGenerator(seed: 17)
    let random = (0..<500).map { _ in Float.random(in: -1...1, using: &rng) }
    let expected = random.indices.sorted { random[$0] > random[$1] }.prefix(25)
    #expect(TopItems.select(random, count: 25) == Array(expected))
  }

  /// Train: user A rated item 1; B rated 2, 3, 4, 5. Test: A rated 3 (5★) and 5 (2★); B rated 1
  /// (4★). A's scores rank the candidates 2, 4, 5, 3; B's only candidate is 1.
  static func fixture() throws -> (FixedScorer, RatingsDataset, RatingsDataset) {
    let train = try RatingsDataset(
      ratings: [
        Rating(user: "A", item: 1, value: 3), Rating(user: "B", item: 2, value: 3),
        Rating(user: "B", item: 3, value: 3), Rating(user: "B", item: 4, value: 3),
        Rating(user: "B", item: 5, value: 3),
      ], scale: .oneToFive)
    let test = try RatingsDataset(
      ratings: [
        Rating(user: "A", item: 3, value: 5), Rating(user: "A", item: 5, value: 2),
        Rating(user: "B", item: 1, value: 4),
      ], scale: .oneToFive)
    let scorer = FixedScorer(
      users: train.users, items: train.items,
      table: [[9, 8, 1, 7, 6], [0, 5, 5, 5, 5]])
    return (scorer, train, test)
  }

  @Test func metricsMatchHandComputedValues() throws {
    let (scorer, train, test) = try Self.fixture()
    let r = RankingReport(of: scorer, train: train, test: test, k: 3)
    let idealA = 1 + 1 / log2(3.0)
    #expect(r.users == 2)
    #expect(abs(r.precision - 1.0 / 3) < 1e-12)
    #expect(abs(r.recall - 0.75) < 1e-12)
    #expect(abs(r.ndcg - (0.5 / idealA + 1) / 2) < 1e-12)
    #expect(abs(r.map - 7.0 / 12) < 1e-12)
    #expect(r.hitRate == 1)
    // Items 1, 2, 4, 5 were recommended, out of 5 candidates.
    #expect(abs(r.coverage - 0.8) < 1e-12)
    // Training degrees: items 1…5 rated by 1 of 2 users each: −log₂(1/2) = 1 bit.
    #expect(abs(r.novelty - 1) < 1e-12)
    #expect(r.intraListDiversity == nil)

    let k2 = RankingReport(of: scorer, train: train, test: test, k: 2)
    #expect(abs(k2.precision - (0 + 0.5) / 2) < 1e-12)
    #expect(abs(k2.ndcg - 0.5) < 1e-12)
  }

  @Test func relevanceThresholdDropsLowRatings() throws {
    let (scorer, train, test) = try Self.fixture()
    let r = RankingReport(of: scorer, train: train, test: test, k: 3, relevance: .atLeast(4))
    // A's only relevant item (3) is ranked 4th: no hit; B as before.
    #expect(r.users == 2)
    #expect(abs(r.recall - 0.5) < 1e-12)
    #expect(abs(r.ndcg - 0.5) < 1e-12)
    #expect(abs(r.hitRate - 0.5) < 1e-12)
    // A user whose held-out ratings are all below the threshold is not averaged.
    let strict = RankingReport(of: scorer, train: train, test: test, k: 3, relevance: .atLeast(5))
    #expect(strict.users == 1)
  }

  @Test func intraListDiversityUsesGenreJaccardDistance() throws {
    let (scorer, train, test) = try Self.fixture()
    func movie(_ id: Int, _ genres: [String]) -> Movie {
      Movie(id: .int(id), title: "M\(id)", genres: genres.map { Genre(id: nil, name: $0) })
    }
    let catalog = try Catalog(movies: [
      movie(1, ["Drama"]), movie(2, ["Action", "Drama"]), movie(3, ["Comedy"]),
      movie(4, ["Action"]), movie(5, ["Action", "Drama"]),
    ])
    let r = RankingReport(of: scorer, train: train, test: test, k: 3, catalog: catalog)
    // A's list 2, 4, 5: d(2,4) = 1/2, d(2,5) = 0, d(4,5) = 1/2 → 1/3. B's list has one item.
    #expect(abs((r.intraListDiversity ?? -1) - 1.0 / 3) < 1e-12)
  }
}
