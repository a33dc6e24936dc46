import AFlixData
import Foundation

/// The segment fallback measured against popularity and fold-in, on ``ColdStartEvaluation``'s
/// protocol: how good a brand-new user's top-k list is when all we know is the genres they stated.
///
/// - Users, groups, relevance, candidates and NDCG@k are those of ``ColdStartEvaluation`` (test
///   users in ascending id order, group `g` scored by models fitted without it, relevant =
///   held-out ratings passing its relevance on items the training data knows, ties to the lower
///   item id). Only users with at least `max(foldInCounts)` training ratings are scored, so that
///   every column averages over the **same** users.
/// - **Stated genres** are simulated: a user's ``statedGenreCount`` (3) most frequent genres among
///   their own training ratings ≥ ``statedGenreThreshold`` (4 stars), counting each film once per
///   genre, ties in the catalog's genre order. A user with no such rating states nothing and gets
///   every scorer's no-information answer. These are the user's *training* ratings, which the
///   group's model never saw; the held-out ratings are never read for them.
/// - Columns (keys of ``SegmentFallbackReport/ndcg``), all at n = 0 unless named:
///   `segments-<S>-<clustering>-<matching>` (``UserSegments`` with `S` segments, seeded by
///   ``seed``),
///   `average-user` (the factor model's own no-history answer), `popularity` (rating counts),
///   `popularity-in-stated-genres` (popularity with the films of a stated genre ranked first, the
///   simplest use of the same information), and `fold-in-<n>` (the factor model folding in the
///   user's first `n` training ratings by timestamp, with their values, as in ``ColdStartEvaluation``).
///
/// ```swift
/// let report = try SegmentFallbackEvaluation(segmentCounts: [4]).run(
///   train: split.train, test: split.test, catalog: catalog) { try ImplicitALS().fit($0) }
/// report.ndcg["segments-4-directions-shares"]   // vs ["popularity"], ["fold-in-3"]
/// ```
public struct SegmentFallbackEvaluation: Sendable {
  /// Groups, relevance and `k` of the protocol (its `counts` are not used).
  public var coldStart: ColdStartEvaluation
  /// The segment counts to measure; `[4]` by default.
  public var segmentCounts: [Int]
  /// The matchings to measure; both by default.
  public var matchings: [UserSegments.Matching]
  /// What K-means clusters; both ways by default.
  public var clusterings: [UserSegments.Clustering]
  /// The kept-rating counts of the fold-in columns; `[1, 3]` by default.
  public var foldInCounts: [Int]
  /// How many genres a simulated user states; 3 by default.
  public var statedGenreCount: Int
  /// The training ratings a user's stated genres are drawn from: at least this value; 4 by default.
  public var statedGenreThreshold: Float
  /// The K-means seed of the segments.
  public var seed: UInt64

  /// Creates an evaluation; the defaults are those of the measurement.
  public init(
    coldStart: ColdStartEvaluation = ColdStartEvaluation(), segmentCounts: [Int] = [4],
    matchings: [UserSegments.Matching] = UserSegments.Matching.allCases,
    clusterings: [UserSegments.Clustering] = UserSegments.Clustering.allCases,
    foldInCounts: [Int] = [1, 3], statedGenreCount: Int = 3, statedGenreThreshold: Float = 4,
    seed: UInt64 = 0
  ) {
    self.coldStart = coldStart
    self.segmentCounts = segmentCounts
    self.matchings = matchings
    self.clusterings = clusterings
    self.foldInCounts = foldInCounts
    self.statedGenreCount = statedGenreCount
    self.statedGenreThreshold = statedGenreThreshold
    self.seed = seed
  }

  /// Fits `fit` (and popularity) once per group and scores that group's users in every column.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for fewer than 1 group, `k` < 1, a negative
  ///   fold-in count or a stated-genre count < 1; what the fits and ``UserSegments`` throw (a
  ///   segment count above a group's users).
  public func run(
    train: RatingsDataset, test: RatingsDataset, catalog: Catalog,
    fit: (RatingsDataset) throws -> any FactorRankServing
  ) throws -> SegmentFallbackReport {
    let groups = coldStart.groups
    let k = coldStart.k
    guard groups >= 1, k >= 1, foldInCounts.allSatisfy({ $0 >= 0 }), statedGenreCount >= 1 else {
      throw RecommendError(
        .invalidArgument,
        "segment evaluation needs groups ≥ 1, k ≥ 1, fold-in counts ≥ 0 and stated genres ≥ 1 "
          + "(got \(groups), \(k), \(foldInCounts), \(statedGenreCount))")
    }
    let needed = foldInCounts.max() ?? 0
    let users = coldStart.testUsers(train: train, test: test).filter { $0.order.count >= needed }
    let itemOrder = (0..<train.itemCount).sorted { train.items.id(at: $0) < train.items.id(at: $1) }
    var rank = [EntityID: Int](minimumCapacity: train.itemCount)
    for (p, i) in itemOrder.enumerated() { rank[train.items.id(at: i)] = p }
    var sums: [String: Double] = [:]
    var stating = 0
    let all = train.allRatings()
    for g in 0..<groups {
      let members = users.enumerated().filter { $0.offset % groups == g }.map(\.element)
      guard !members.isEmpty else { continue }
      let inside = Set(members.map(\.id))
      let groupTrain = try RatingsDataset(
        ratings: all.filter { !inside.contains($0.user) }, scale: train.scale)
      let model = try fit(groupTrain)
      let popularity = try PopularityModel(fitting: groupTrain)
      var segmenters: [(String, UserSegments)] = []
      for s in segmentCounts {
        for c in clusterings {
          for m in matchings {
            let segments = try UserSegments(
              model: model, catalog: catalog, segmentCount: s, seed: seed, matching: m,
              clustering: c)
            segmenters.append(("segments-\(s)-\(c.rawValue)-\(m.rawValue)", segments))
          }
        }
      }
      let popular = popularity.scoresForUnknownUser().values
      let average = model.scoresForUnknownUser().values
      for member in members {
        let stated = statedGenres(of: member, catalog: catalog)
        if !stated.isEmpty { stating += 1 }
        func add(_ name: String, _ scores: [Float]) {
          sums[name, default: 0] += ndcg(
            scores: scores, items: model.items, relevant: member.relevant, rank: rank)
        }
        for (name, segments) in segmenters { add(name, segments.scores(forGenres: stated).values) }
        add("average-user", average)
        add("popularity", popular)
        add(
          "popularity-in-stated-genres",
          steered(popular, by: stated, items: model.items, catalog: catalog))
        for n in foldInCounts {
          sums["fold-in-\(n)", default: 0] += coldStart.ndcg(
            model: model, kept: Array(member.order.prefix(n)), relevant: member.relevant,
            rank: rank)
        }
      }
    }
    return SegmentFallbackReport(
      users: users.count, usersStatingGenres: stating,
      ndcg: sums.mapValues { $0 / Double(max(1, users.count)) })
  }

  /// The user's simulated stated genres (see the type's documentation).
  func statedGenres(of user: ColdStartEvaluation.TestUser, catalog: Catalog) -> [Genre] {
    var counts = [Genre: Int]()
    for (item, value) in user.order where value >= statedGenreThreshold {
      for genre in catalog.movie(withID: item)?.genres ?? [] { counts[genre, default: 0] += 1 }
    }
    let order = catalog.genres
    return order.indices
      .filter { counts[order[$0], default: 0] > 0 }
      .sorted {
        counts[order[$0]]! != counts[order[$1]]! ? counts[order[$0]]! > counts[order[$1]]! : $0 < $1
      }
      .prefix(statedGenreCount)
      .map { order[$0] }
  }

  /// Popularity with every film of a stated genre ahead of the others (order kept within each).
  func steered(_ popular: [Float], by stated: [Genre], items: IDMap, catalog: Catalog) -> [Float] {
    guard !stated.isEmpty, let low = popular.min(), let high = popular.max() else { return popular }
    let wanted = Set(stated)
    let lift = high - low + 1
    return popular.indices.map { i in
      let genres = catalog.movie(withID: items.id(at: i))?.genres ?? []
      return genres.contains(where: wanted.contains) ? popular[i] + lift : popular[i]
    }
  }

  /// NDCG@k of a no-history list (every item a candidate, ties to the lower item id), as
  /// ``ColdStartEvaluation`` ranks at n = 0.
  func ndcg(scores: [Float], items: IDMap, relevant: Set<EntityID>, rank: [EntityID: Int])
    -> Double
  {
    coldStart.ndcg(
      ranking: Array(0..<items.count), by: scores, items: items, relevant: relevant, rank: rank)
  }
}

/// The figures of a ``SegmentFallbackEvaluation``: mean NDCG@k by column over the same users.
public struct SegmentFallbackReport: Sendable, Hashable, Codable {
  /// The users scored.
  public var users: Int
  /// How many of them state at least one genre (the others get the no-information answers).
  public var usersStatingGenres: Int
  /// Mean NDCG@k by column name (see ``SegmentFallbackEvaluation``).
  public var ndcg: [String: Double]

  /// Creates a report.
  public init(users: Int, usersStatingGenres: Int, ndcg: [String: Double]) {
    self.users = users
    self.usersStatingGenres = usersStatingGenres
    self.ndcg = ndcg
  }
}
