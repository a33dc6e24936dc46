import AFlixCluster
import AFlixData
import AFlixLinalg

/// Users grouped by K-means on their factors, with each segment's **mean factor** — the
/// original engine's `U_avg`: a brand-new user placed in a segment (from stated preferences, or
/// from a first folded-in factor vector) can be scored with it as if they were that segment's
/// average member.
///
/// The factors are an input, not a model: any `users.count × d` matrix of user factors. Clustering
/// uses AFlixCluster's `KMeans` (k-means++, seeded restarts); the same seed gives the same
/// segments on the same machine and BLAS thread count. For readable profiles of the segments
/// (their over-represented genres and films) see AFlixCluster's `SegmentProfile`.
///
/// ```swift
/// let segments = try UserSegments(
///   userFactors: userFactors, users: model.users, clusterCount: 5, seed: 42)
/// let s = segments.segment(ofID: 42)!                 // user 42's segment
/// let uAvg = segments.meanFactor(ofSegment: s)        // score items with it: V · uAvg
/// let t = try segments.assign(factors: foldedInFactors)   // a new user's segment
/// ```
public struct UserSegments: Sendable, Equatable, Codable {
  /// The clustered users, index ↔ external id.
  public let users: IDMap
  /// The segment of each user index, in `0..<segmentCount`.
  public let segmentOfUser: [Int]
  /// Each segment's mean user factor, `segmentCount × d`: the mean of its members' rows (for an
  /// empty segment — only when the factors have fewer distinct rows than segments — the K-means
  /// centre).
  public let meanFactors: Matrix<Float>
  /// The number of users in each segment.
  public let sizes: [Int]

  /// Clusters the rows of `userFactors` into `clusterCount` segments and averages each.
  ///
  /// - Throws: `ClusterError` `.emptyInput` (no user or `d = 0`), `.invalidClusterCount`
  ///   (`k < 1` or `k > users.count`), `.nonFiniteValue` (a NaN or infinite factor),
  ///   `.invalidArgument` (row count ≠ `users.count`, restarts outside K-means' range).
  /// - Complexity: K-means, O(restarts · iterations · users · d · k).
  public init(
    userFactors: Matrix<Float>, users: IDMap, clusterCount: Int, seed: UInt64 = 0,
    restarts: Int = 10
  ) throws {
    guard userFactors.isWellFormed, userFactors.rows == users.count else {
      throw ClusterError(
        .invalidArgument,
        "user factors have \(userFactors.rows) rows for \(users.count) users (or do not fill "
          + "their shape)")
    }
    guard users.count > 0, userFactors.columns > 0 else {
      throw ClusterError(
        .emptyInput, "\(users.count) users with \(userFactors.columns) factors: nothing to cluster")
    }
    if let bad = userFactors.elements.firstIndex(where: { !$0.isFinite }) {
      throw ClusterError(
        .nonFiniteValue,
        "user \(bad / userFactors.columns) has a non-finite factor \(userFactors.elements[bad])")
    }
    let fit = try KMeans(clusterCount: clusterCount, restarts: restarts, seed: seed).fit(
      Matrix<Double>(converting: userFactors))
    let k = fit.clusterCount
    let d = userFactors.columns
    var sums = [Double](repeating: 0, count: k * d)
    var sizes = [Int](repeating: 0, count: k)
    for (u, s) in fit.labels.enumerated() {
      sizes[s] += 1
      for j in 0..<d { sums[s * d + j] += Double(userFactors.elements[u * d + j]) }
    }
    var means = [Float](repeating: 0, count: k * d)
    for s in 0..<k {
      for j in 0..<d {
        means[s * d + j] =
          sizes[s] > 0 ? Float(sums[s * d + j] / Double(sizes[s])) : Float(fit.centers[s, j])
      }
    }
    self.users = users
    self.segmentOfUser = fit.labels
    self.meanFactors = Matrix(rows: k, columns: d, elements: means)
    self.sizes = sizes
  }

  /// The number of segments.
  public var segmentCount: Int { meanFactors.rows }

  /// The factor dimension `d`.
  public var dimension: Int { meanFactors.columns }

  /// The segment of the user with external id `id`, or `nil` for a user not clustered.
  public func segment(ofID id: EntityID) -> Int? {
    users.index(of: id).map { segmentOfUser[$0] }
  }

  /// The mean factor (`U_avg`) of segment `segment`, `dimension` values.
  ///
  /// - Precondition: `0 ≤ segment < segmentCount` (checked).
  public func meanFactor(ofSegment segment: Int) -> [Float] {
    precondition(
      segment >= 0 && segment < segmentCount, "segment \(segment) out of 0..<\(segmentCount)")
    return Array(meanFactors.row(segment))
  }

  /// The segment whose mean factor is nearest (Euclidean) to `factors` — a new or folded-in
  /// user's segment; ties to the lowest segment. Pure: safe on the request path.
  ///
  /// - Throws: `ClusterError` `.invalidArgument` for a vector of another length,
  ///   `.nonFiniteValue` for a NaN or infinite value.
  /// - Complexity: O(segmentCount · dimension).
  public func assign(factors: [Float]) throws -> Int {
    guard factors.count == dimension else {
      throw ClusterError(
        .invalidArgument,
        "a user factor vector of \(factors.count) values; segments are in \(dimension) dimensions")
    }
    guard factors.allSatisfy(\.isFinite) else {
      throw ClusterError(.nonFiniteValue, "a user factor vector holds a non-finite value")
    }
    var best = 0
    var bestDistance = Double.infinity
    for s in 0..<segmentCount {
      var distance = 0.0
      for j in 0..<dimension {
        let d = Double(factors[j]) - Double(meanFactors.elements[s * dimension + j])
        distance += d * d
      }
      if distance < bestDistance {
        best = s
        bestDistance = distance
      }
    }
    return best
  }

  private enum CodingKeys: String, CodingKey {
    case users, segmentOfUser, meanFactors, sizes
  }

  /// Decodes segments, checking that the parts agree: one segment per user, each in
  /// `0..<meanFactors.rows`, finite mean factors with at least one row and column, sizes that
  /// count the labels.
  ///
  /// - Throws: `DecodingError.dataCorrupted` naming the part that disagrees.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let users = try container.decode(IDMap.self, forKey: .users)
    let labels = try container.decode([Int].self, forKey: .segmentOfUser)
    let means = try container.decode(Matrix<Float>.self, forKey: .meanFactors)
    let sizes = try container.decode([Int].self, forKey: .sizes)
    guard means.rows > 0, means.columns > 0, means.isFinite else {
      throw DecodingError.dataCorruptedError(
        forKey: .meanFactors, in: container,
        debugDescription: "mean factors must be a non-empty finite matrix")
    }
    guard labels.count == users.count, labels.allSatisfy({ $0 >= 0 && $0 < means.rows }) else {
      throw DecodingError.dataCorruptedError(
        forKey: .segmentOfUser, in: container,
        debugDescription:
          "\(labels.count) segment labels for \(users.count) users, each in 0..<\(means.rows)")
    }
    var counted = [Int](repeating: 0, count: means.rows)
    for s in labels { counted[s] += 1 }
    guard sizes == counted else {
      throw DecodingError.dataCorruptedError(
        forKey: .sizes, in: container, debugDescription: "segment sizes do not count the labels")
    }
    self.users = users
    self.segmentOfUser = labels
    self.meanFactors = means
    self.sizes = sizes
  }
}
