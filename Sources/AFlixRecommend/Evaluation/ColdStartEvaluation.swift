import AFlixData
import Foundation

/// How good top-k lists are for users a model never saw who have rated only `n` films: the
/// protocol of `../shared/anchors/coldstart_eval.py`, deterministic so that both sides score the
/// same users with the same kept ratings.
///
/// - Relevant: held-out ratings that pass ``relevance`` (4 stars and up by default) on items the
///   training data knows. Test users: users with at least one relevant rating who have training
///   ratings, in ascending order of external id (`EntityID`'s order: numeric for integer ids).
/// - Group `g` (`0 ≤ g < groups`) holds the test users at positions `p` with `p mod groups = g`;
///   it is scored by models fitted on the training ratings of every user outside the group, so
///   every scored user is unknown to the model scoring them.
/// - The kept ratings: the user's training ratings sorted by (timestamp, item id), the first `n`
///   (timestamps count as 0 in a dataset without them); users with fewer than `n` training ratings
///   are left out at that `n`. Each model gets them through ``RecommenderModel/scores(forRatings:)``
///   (with their values), so `n = 0` asks the model for its no-history answer.
/// - Candidates: every item of the fitted model (the items of the group's training ratings) except
///   the kept ones; top ``k`` by score, ties to the lower item id; NDCG@k with binary relevance and
///   the ideal DCG over `min(k, |relevant|)`, relevant items the model does not know included.
///
/// ```swift
/// let rows = try ColdStartEvaluation().run(
///   train: split.train, test: split.test,
///   scorers: [ColdStartScorer(name: "ease") { try EASE().fit($0) }])
/// rows[1].ndcg["ease"]   // NDCG@10 from one kept rating
/// ```
public struct ColdStartEvaluation: Sendable, Hashable {
  /// The numbers of kept ratings, `[0, 1, 3, 5, 10]` by default.
  public var counts: [Int]
  /// Which held-out ratings are relevant; `.atLeast(4)` by default.
  public var relevance: Relevance
  /// The number of user groups (models fitted per scorer); 5 by default.
  public var groups: Int
  /// The list length; 10 by default.
  public var k: Int

  /// Creates a protocol; the defaults are `coldstart_eval.py`'s.
  public init(
    counts: [Int] = [0, 1, 3, 5, 10], relevance: Relevance = .atLeast(4), groups: Int = 5,
    k: Int = 10
  ) {
    self.counts = counts
    self.relevance = relevance
    self.groups = groups
    self.k = k
  }

  /// Fits every scorer once per group and scores that group's users at every count.
  ///
  /// - Returns: one row per count, in the order of ``counts``.
  /// - Throws: ``RecommendError`` `.invalidArgument` for a count below 0, fewer than 1 group or
  ///   `k` below 1; what a scorer's fit throws.
  /// - Complexity: `groups` fits per scorer, plus one fold-in and one O(items log items) ranking
  ///   per scorer, user and count.
  public func run(
    train: RatingsDataset, test: RatingsDataset, scorers: [ColdStartScorer]
  ) throws -> [ColdStartRow] {
    guard counts.allSatisfy({ $0 >= 0 }), groups >= 1, k >= 1 else {
      throw RecommendError(
        .invalidArgument,
        "cold-start protocol needs counts ≥ 0, groups ≥ 1 and k ≥ 1 (got counts \(counts), "
          + "groups \(groups), k \(k))")
    }
    let users = testUsers(train: train, test: test)
    // Global item order for ties: ascending external id of the training items.
    let itemOrder = (0..<train.itemCount).sorted { train.items.id(at: $0) < train.items.id(at: $1) }
    var rank = [EntityID: Int](minimumCapacity: train.itemCount)
    for (p, i) in itemOrder.enumerated() { rank[train.items.id(at: i)] = p }

    var sums = [[String: Double]](repeating: [:], count: counts.count)
    var scored = [Int](repeating: 0, count: counts.count)
    let all = train.allRatings()
    for g in 0..<groups {
      let members = users.enumerated().filter { $0.offset % groups == g }.map(\.element)
      guard !members.isEmpty else { continue }
      let inside = Set(members.map(\.id))
      let groupTrain = try RatingsDataset(
        ratings: all.filter { !inside.contains($0.user) }, scale: train.scale)
      let models = try scorers.map { ($0.name, try $0.fit(groupTrain)) }
      for member in members {
        for (c, n) in counts.enumerated() where member.order.count >= n {
          scored[c] += 1
          let kept = Array(member.order.prefix(n))
          for (name, model) in models {
            let ndcg = self.ndcg(
              model: model, kept: kept, relevant: member.relevant, rank: rank)
            sums[c][name, default: 0] += ndcg
          }
        }
      }
    }
    return counts.enumerated().map { c, n in
      ColdStartRow(
        n: n, users: scored[c],
        ndcg: sums[c].mapValues { $0 / Double(max(1, scored[c])) })
    }
  }

  /// A test user of the protocol: id, kept-rating order and relevant items.
  struct TestUser {
    var id: EntityID
    var order: [(item: EntityID, value: Float)]
    var relevant: Set<EntityID>
  }

  /// The protocol's test users in ascending id order, with their training ratings in
  /// (timestamp, item id) order.
  func testUsers(train: RatingsDataset, test: RatingsDataset) -> [TestUser] {
    var result: [TestUser] = []
    for tu in 0..<test.userCount {
      let id = test.users.id(at: tu)
      guard let u = train.users.index(of: id) else { continue }
      let (items, values) = test.ratings(ofUser: tu)
      var relevant = Set<EntityID>()
      for (i, v) in zip(items, values) where relevance.isRelevant(v) {
        let item = test.items.id(at: Int(i))
        if train.items.index(of: item) != nil { relevant.insert(item) }
      }
      guard !relevant.isEmpty else { continue }
      let (trainItems, trainValues) = train.ratings(ofUser: u)
      let stamps = train.timestamps(ofUser: u).map(Array.init)
      var order = zip(trainItems, trainValues).enumerated().map { k, pair in
        (stamp: stamps?[k] ?? 0, item: train.items.id(at: Int(pair.0)), value: pair.1)
      }
      order.sort { ($0.stamp, $0.item) < ($1.stamp, $1.item) }
      result.append(
        TestUser(id: id, order: order.map { ($0.item, $0.value) }, relevant: relevant))
    }
    return result.sorted { $0.id < $1.id }
  }

  /// NDCG@k of `model`'s list for a user who kept `kept`.
  func ndcg(
    model: any RecommenderModel, kept: [(item: EntityID, value: Float)],
    relevant: Set<EntityID>, rank: [EntityID: Int]
  ) -> Double {
    let (ratings, _) = model.userRatings(kept)
    let scores = model.scores(forRatings: ratings).values
    var excluded = Set(ratings.items)
    // Kept items the model does not know are not candidates either way.
    excluded.formUnion(kept.compactMap { model.items.index(of: $0.item) })
    let candidates = (0..<model.items.count).filter { !excluded.contains($0) }
    return ndcg(
      ranking: candidates, by: scores, items: model.items, relevant: relevant, rank: rank)
  }

  /// NDCG@k of `candidates` (indices of `items`) ranked by `scores`, best first, NaN last, ties
  /// to the lower position in `rank` (the global item order; unknown ids last): the protocol's
  /// ranking, shared with the segment-fallback evaluation.
  func ndcg(
    ranking candidates: [Int], by scores: [Float], items: IDMap, relevant: Set<EntityID>,
    rank: [EntityID: Int]
  ) -> Double {
    let position = candidates.map { rank[items.id(at: $0)] ?? Int.max }
    let order = candidates.indices.sorted {
      let a = scores[candidates[$0]]
      let b = scores[candidates[$1]]
      let sa = a.isNaN ? -Float.infinity : a
      let sb = b.isNaN ? -Float.infinity : b
      return sa != sb ? sa > sb : position[$0] < position[$1]
    }
    return BinaryNDCG.value(
      hits: order.lazy.map { relevant.contains(items.id(at: candidates[$0])) },
      relevantCount: relevant.count, k: k)
  }
}

/// A named way to fit a model for ``ColdStartEvaluation``.
public struct ColdStartScorer: Sendable {
  /// The name the rows report the scorer's NDCG under.
  public var name: String
  /// Fits the scorer on one group's training ratings.
  public var fit: @Sendable (RatingsDataset) throws -> any RecommenderModel

  /// Creates a scorer.
  public init(
    name: String, fit: @escaping @Sendable (RatingsDataset) throws -> any RecommenderModel
  ) {
    self.name = name
    self.fit = fit
  }
}

/// One count of ``ColdStartEvaluation``: how many users were scored with `n` kept ratings and each
/// scorer's mean NDCG@k over them.
public struct ColdStartRow: Sendable, Hashable, Codable {
  /// The number of kept ratings.
  public var n: Int
  /// The users scored (test users with at least `n` training ratings).
  public var users: Int
  /// Mean NDCG@k by scorer name.
  public var ndcg: [String: Double]

  /// Creates a row.
  public init(n: Int, users: Int, ndcg: [String: Double]) {
    self.n = n
    self.users = users
    self.ndcg = ndcg
  }
}
