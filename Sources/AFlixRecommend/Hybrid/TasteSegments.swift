import AFlixCluster
import AFlixData
import AFlixLinalg

/// Users grouped by taste, for explanations ("you are in the Horror · Thriller segment"): K-means
/// (AFlixCluster's `KMeans`, k-means++, seeded) on each user's genre shares — the genres of the
/// films they rated at or above their own mean, each film counting 1 split evenly over its
/// genres, the shares summing to 1.
///
/// Model-agnostic (it needs ratings and genres, not factors), so the default hybrid (EASE) has
/// segments too; a folded-in user gets the segment whose centre is nearest to their shares.
/// Each segment's label names its two genres of highest lift (share in the segment over share
/// among all users).
///
/// ```swift
/// let segments = try TasteSegments(data: train, genres: ItemGenreSets(catalog: catalog, items: train.items))
/// segments.label(ofUser: 0)   // "Horror · Thriller"
/// ```
public struct TasteSegments: Sendable, Hashable, Codable {
  /// The genre names, in column order.
  public let genres: [String]
  /// Each segment's centre: mean genre shares of its users.
  public let centres: [[Double]]
  /// Each segment's label.
  public let labels: [String]
  /// The segment of each user index of the data the segments were built on.
  public let segmentOfUser: [Int]

  /// Builds `count` segments (fewer when there are fewer users) from `data`'s ratings.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for a count below 1 or data without users or
  ///   genres; what K-means throws.
  public init(data: RatingsDataset, genres: ItemGenreSets, count: Int = 5, seed: UInt64 = 0)
    throws
  {
    guard count >= 1, data.userCount > 0, !genres.genres.isEmpty,
      genres.items == data.items
    else {
      throw RecommendError(
        .invalidArgument,
        "taste segments need a count ≥ 1 (got \(count)), users, and the data's items' genres")
    }
    let names = genres.genres.map(\.name)
    var column: [String: Int] = [:]
    for (g, name) in names.enumerated() where column[name] == nil { column[name] = g }
    var points: [Double] = []
    points.reserveCapacity(data.userCount * names.count)
    for u in 0..<data.userCount {
      let (items, values) = data.ratings(ofUser: u)
      points += Self.shares(
        items: items.map { Int($0) }, values: Array(values), genres: genres, column: column,
        width: names.count)
    }
    let k = min(count, data.userCount)
    let result = try KMeans(clusterCount: k, restarts: 4, seed: seed).fit(
      Matrix(rows: data.userCount, columns: names.count, elements: points))
    let centres = (0..<k).map { c in
      (0..<names.count).map { result.centers[c, $0] }
    }
    var overall = [Double](repeating: 0, count: names.count)
    for u in 0..<data.userCount {
      for g in 0..<names.count { overall[g] += points[u * names.count + g] }
    }
    let total = overall.reduce(0, +)
    labels = centres.map { centre in
      let lift = centre.enumerated().map { g, s in
        (g, total > 0 && overall[g] > 0 ? s / (overall[g] / total) : 0)
      }
      let top = lift.filter { centre[$0.0] > 0 }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
      let named = top.prefix(2).map { names[$0.0] }
      return named.isEmpty ? "no stated taste" : named.joined(separator: " · ")
    }
    self.genres = names
    self.centres = centres
    self.segmentOfUser = result.labels
  }

  private enum CodingKeys: String, CodingKey {
    case genres, centres, labels, segmentOfUser
  }

  /// Decodes segments and checks that their parts agree (a centre per label, a share per genre,
  /// finite centres, every user's segment in range).
  ///
  /// - Throws: `DecodingError.dataCorrupted` when they do not.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    genres = try c.decode([String].self, forKey: .genres)
    centres = try c.decode([[Double]].self, forKey: .centres)
    labels = try c.decode([String].self, forKey: .labels)
    segmentOfUser = try c.decode([Int].self, forKey: .segmentOfUser)
    guard !centres.isEmpty, centres.count == labels.count,
      centres.allSatisfy({ $0.count == genres.count && $0.allSatisfy(\.isFinite) }),
      segmentOfUser.allSatisfy({ $0 >= 0 && $0 < centres.count })
    else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(
          codingPath: c.codingPath, debugDescription: "taste segments whose parts disagree"))
    }
  }

  /// A user's genre shares: films rated at or above the mean, each split evenly over its genres.
  static func shares(
    items: [Int], values: [Float], genres: ItemGenreSets, column: [String: Int], width: Int
  ) -> [Double] {
    var out = [Double](repeating: 0, count: width)
    guard !items.isEmpty else { return out }
    let mean = values.reduce(0, +) / Float(values.count)
    var liked = 0.0
    for (i, v) in zip(items, values) where v >= mean && i >= 0 && i < genres.itemCount {
      let own = genres.genres(ofItem: i)
      guard !own.isEmpty else { continue }
      for g in own { if let c = column[g.name] { out[c] += 1 / Double(own.count) } }
      liked += 1
    }
    return liked > 0 ? out.map { $0 / liked } : out
  }

  /// The label of user index `user`'s segment, or `nil` for an index outside the data.
  public func label(ofUser user: Int) -> String? {
    guard user >= 0, user < segmentOfUser.count else { return nil }
    return labels[segmentOfUser[user]]
  }

  /// The label of the segment nearest to the shares of `ratings` (item indices of `genres`), or
  /// `nil` when they name no genre.
  public func label(forRatings ratings: UserRatings, genres: ItemGenreSets) -> String? {
    var column: [String: Int] = [:]
    for (g, name) in self.genres.enumerated() where column[name] == nil { column[name] = g }
    let point = Self.shares(
      items: ratings.items, values: ratings.values, genres: genres, column: column,
      width: self.genres.count)
    guard point.contains(where: { $0 > 0 }) else { return nil }
    let distances = centres.map { centre in
      zip(centre, point).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }
    guard let best = distances.indices.min(by: { distances[$0] < distances[$1] }) else {
      return nil
    }
    return labels[best]
  }
}
