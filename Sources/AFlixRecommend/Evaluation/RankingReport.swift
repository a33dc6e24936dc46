import AFlixData
import Foundation

/// Top-k ranking quality, with the definitions of `../shared/anchors` (and so of implicit's and
/// Microsoft Recommenders' comparisons).
///
/// For each test user with at least one relevant held-out rating, every item seen in training
/// that the user did not rate in training is a candidate; the model ranks them and keeps the top
/// `k`. With `hits` the relevant items among those `k`:
/// - precision@k = hits / k; recall@k = hits / |relevant|;
/// - NDCG@k = Σ_{hit at rank i} 1/log₂(i+1) over the ideal Σ_{i=1}^{min(k,|relevant|)} 1/log₂(i+1);
/// - MAP@k = (Σ_{hit at rank i} hits-so-far / i) / min(k, |relevant|);
/// - hit rate = share of users with at least one hit;
/// each averaged over those users. Catalog coverage is the share of candidate items that appear
/// in at least one list; novelty is the mean of −log₂(share of training users who rated the item)
/// over recommended items; intra-list diversity (with a catalog) is the mean Jaccard distance
/// between the genre sets of the pairs in a list, averaged over lists.
public struct RankingReport: Sendable, Hashable, Codable {
  /// The cut-off `k`.
  public var k: Int
  /// The users averaged over (test users with a relevant rating).
  public var users: Int
  /// Mean precision@k.
  public var precision: Double
  /// Mean recall@k.
  public var recall: Double
  /// Mean NDCG@k (binary relevance).
  public var ndcg: Double
  /// Mean average precision at k.
  public var map: Double
  /// Share of users with at least one hit.
  public var hitRate: Double
  /// Share of candidate items recommended to someone.
  public var coverage: Double
  /// Mean self-information of recommended items, in bits.
  public var novelty: Double
  /// Mean genre Jaccard distance within lists, or nil without a catalog.
  public var intraListDiversity: Double?

  /// Evaluates `scorer` (fitted on `train`) on the held-out `test` ratings.
  ///
  /// A `k` above the number of items gives lists of every candidate (the precision denominator
  /// stays `k`); no cost or allocation grows with `k` itself.
  ///
  /// - Complexity: per test user, O(n log k) to score and select among n items, plus
  ///   O(k + m²) for intra-list diversity, m ≤ min(k, distinct genre sets in the catalog).
  /// Users and items of `test` are matched to the scorer's by external id; test users the scorer
  /// does not know get an empty list (they count, with no hits), as in the anchors.
  ///
  /// - Parameters:
  ///   - scorer: the fitted model.
  ///   - train: the ratings the model was fitted on (they define candidates and exclusions).
  ///   - test: the held-out ratings.
  ///   - k: the cut-off.
  ///   - relevance: which held-out ratings are relevant.
  ///   - catalog: genres for intra-list diversity (items matched by id), optional.
  public init(
    of scorer: some RecommenderModel, train: RatingsDataset, test: RatingsDataset, k: Int = 10,
    relevance: Relevance = .all, catalog: Catalog? = nil
  ) {
    precondition(k >= 1, "k must be at least 1")
    let items = scorer.items
    // Training degree of each model item (by id): candidates are items seen in training.
    var trainDegree = [Int](repeating: 0, count: items.count)
    let trainItemToModel = (0..<train.itemCount).map { items.index(of: train.items.id(at: $0)) }
    let trainDegrees = train.itemDegrees()
    for i in 0..<train.itemCount {
      if let m = trainItemToModel[i] { trainDegree[m] += trainDegrees[i] }
    }
    let candidateCount = trainDegree.filter { $0 > 0 }.count
    let trainUsers = max(1, train.userCount)
    let genres = catalog.map { ItemGenreSets(catalog: $0, items: items) }
    var sums = (precision: 0.0, recall: 0.0, ndcg: 0.0, map: 0.0, hits: 0.0)
    var noveltySum = 0.0
    var recommendedCount = 0
    var diversitySum = 0.0
    var diversityLists = 0
    var recommended = Set<Int>()
    var evaluated = 0
    for tu in 0..<test.userCount {
      let id = test.users.id(at: tu)
      let (testItems, testValues) = test.ratings(ofUser: tu)
      var relevant = Set<EntityID>()
      for (i, v) in zip(testItems, testValues) where relevance.isRelevant(v) {
        relevant.insert(test.items.id(at: Int(i)))
      }
      guard !relevant.isEmpty else { continue }
      evaluated += 1
      var list: [Int] = []
      if let su = scorer.users.index(of: id) {
        // The served path: the model's own history left out, plus any training item of `train`
        // it does not hold; only items seen in training are candidates.
        var seen = Array(scorer.history.items(ofUser: su).lazy.map { Int($0) })
        if let trU = train.users.index(of: id) {
          for i in train.ratings(ofUser: trU).items {
            if let m = trainItemToModel[Int(i)] { seen.append(m) }
          }
        }
        list = scorer.topIndices(forUser: su, count: k, excluding: seen) { trainDegree[$0] > 0 }
      }
      var hits = 0
      var dcg = 0.0
      var ap = 0.0
      for (rank, item) in list.enumerated() where relevant.contains(items.id(at: item)) {
        hits += 1
        dcg += 1 / log2(Double(rank + 2))
        ap += Double(hits) / Double(rank + 1)
      }
      let ideal = (1...min(k, relevant.count)).reduce(0.0) { $0 + 1 / log2(Double($1 + 1)) }
      sums.precision += Double(hits) / Double(k)
      sums.recall += Double(hits) / Double(relevant.count)
      sums.ndcg += dcg / ideal
      sums.map += ap / Double(min(k, relevant.count))
      sums.hits += hits > 0 ? 1 : 0
      for item in list {
        recommended.insert(item)
        noveltySum += -log2(Double(max(1, trainDegree[item])) / Double(trainUsers))
      }
      recommendedCount += list.count
      if let genres, list.count >= 2 {
        diversitySum += AFlixRecommend.intraListDiversity(of: list, genres: genres)
        diversityLists += 1
      }
    }
    let n = Double(max(1, evaluated))
    self.k = k
    self.users = evaluated
    self.precision = sums.precision / n
    self.recall = sums.recall / n
    self.ndcg = sums.ndcg / n
    self.map = sums.map / n
    self.hitRate = sums.hits / n
    self.coverage = candidateCount == 0 ? 0 : Double(recommended.count) / Double(candidateCount)
    self.novelty = recommendedCount == 0 ? 0 : noveltySum / Double(recommendedCount)
    self.intraListDiversity =
      genres == nil ? nil : (diversityLists == 0 ? 0 : diversitySum / Double(diversityLists))
  }
}
