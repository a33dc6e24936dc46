import AFlixData
import AFlixLinalg
import Foundation
import Testing
import _AFlixTestSupport

@testable import AFlixRecommend

/// The diversity target on real data: MovieLens 100k u1, EASE fitted on `u1.base`,
/// relevant = `u1.test` ratings ≥ 4, training items excluded. Skipped without the data.
@Suite("Diversity re-ranking on MovieLens 100k")
struct DiversityMovieLensTests {
  @Test(.enabled(if: TestData.hasMovieLens100K))
  func theOriginalRuleReachesTheDiversityTargetAtAMeasuredCost() throws {
    let folder = TestData.movieLens100K
    let split = try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: 1)
    let catalog = try #require(try MovieLens100KLoader.load(folder: folder).catalog)
    let model = try EASE().fit(split.train)
    let genres = ItemGenreSets(catalog: catalog, items: model.items)
    let n = 10
    // Same id space for train, test and model (the model is fitted on `split.train`).
    #expect(model.items == split.train.items)
    let degrees = split.train.itemDegrees()
    var sums: [DiversityReranking: (ndcg: Double, ild: Double)] = [:]
    let modes: [DiversityReranking] = [.off, .original, .mmr(lambda: 0.7)]
    var users = 0
    for tu in 0..<split.test.userCount {
      let (testItems, values) = split.test.ratings(ofUser: tu)
      let relevant = Set(zip(testItems, values).filter { $0.1 >= 4 }.map { Int($0.0) })
      guard !relevant.isEmpty else { continue }
      users += 1
      let seen = Set(split.train.ratings(ofUser: tu).items.map { Int($0) })
      let scores = model.scores(forUser: tu)
      let pool = TopItems.select(scores, count: 2 * n) { degrees[$0] > 0 && !seen.contains($0) }
        .map { RerankCandidate(item: $0, score: scores[$0]) }
      let ideal = (1...min(n, relevant.count)).reduce(0.0) { $0 + 1 / log2(Double($1 + 1)) }
      for mode in modes {
        let list = try mode.rerank(pool, count: n, genres: genres).map(\.item)
        #expect(list.count == n)
        var dcg = 0.0
        for (rank, item) in list.enumerated() where relevant.contains(item) {
          dcg += 1 / log2(Double(rank + 2))
        }
        let previous = sums[mode] ?? (0, 0)
        sums[mode] = (
          previous.ndcg + dcg / ideal,
          previous.ild + intraListDiversity(of: list, genres: genres)
        )
      }
    }
    let figures = sums.mapValues { (ndcg: $0.ndcg / Double(users), ild: $0.ild / Double(users)) }
    for mode in modes {
      let f = figures[mode]!
      print(
        "diversity \(mode): ndcg_at_10 \(f.ndcg), intra_list_diversity \(f.ild) (\(users) users)")
    }
    // The "off" lists are the evaluation's: the same NDCG and diversity as RankingReport.
    let report = RankingReport(
      of: model, train: split.train, test: split.test, k: n, relevance: .atLeast(4),
      catalog: catalog)
    #expect(abs(figures[.off]!.ndcg - report.ndcg) < 1e-9)
    #expect(abs(figures[.off]!.ild - report.intraListDiversity!) < 1e-9)
    // The target: intra-list diversity ≥ 0.7 with the original rule, above the plain lists'.
    #expect(figures[.original]!.ild >= 0.7)
    #expect(figures[.original]!.ild > figures[.off]!.ild)
    #expect(figures[.mmr(lambda: 0.7)]!.ild > figures[.off]!.ild)
  }

  /// Film clusters of MovieLens 100k's films from a truncated SVD's item factors: every film's
  /// own factors are assigned to its cluster, and the profiles account for every film.
  @Test(.enabled(if: TestData.hasMovieLens100K))
  func filmClustersOfMovieLensAreConsistent() throws {
    let folder = TestData.movieLens100K
    let split = try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: 1)
    let catalog = try #require(try MovieLens100KLoader.load(folder: folder).catalog)
    let model = try TruncatedSVDRecommender(rank: 12, seed: 1).fit(split.train)
    let clusters = try FilmClusters(
      itemFactors: model.itemFactors, items: model.items, catalog: catalog,
      ratingCounts: FilmClusters.ratingCounts(of: model.history, itemCount: model.items.count),
      options: .init(clusterCount: 8, seed: 42, normalization: .unitLength))
    #expect(clusters.profiles.map(\.size).reduce(0, +) == model.items.count)
    for profile in clusters.profiles {
      print(
        "cluster \(profile.cluster) \(profile.label) (\(profile.size) films): "
          + profile.topGenres.map { "\($0.name) \(Int(($0.share * 100).rounded()))%" }.joined(
            separator: ", ")
          + " | " + profile.topFilms.compactMap(\.title).prefix(3).joined(separator: "; "))
    }
    var disagreements = 0
    for item in 0..<model.items.count {
      let row = Array(model.itemFactors.row(item))
      if try clusters.assign(factors: row) != clusters.cluster(ofItem: item) { disagreements += 1 }
    }
    // K-means' converged labels are nearest-centroid labels (up to rounding of near ties).
    #expect(disagreements <= 2)
  }
}
