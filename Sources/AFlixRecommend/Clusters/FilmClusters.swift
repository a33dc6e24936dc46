import AFlixCluster
import AFlixData
import AFlixLinalg

/// Films grouped by K-means on their item factors, each cluster with a readable profile (its top
/// genres and most-rated films), and the way to place a new film in a cluster without
/// re-clustering: ``assign(factors:)``, the nearest centroid of the film's factor vector (for a
/// film folded in from its first ratings).
///
/// The factors are an input, not a model: any `items.count × d` matrix of item factors (a
/// factor model's item matrix, its leading columns for a smaller K, or content vectors).
/// Clustering uses AFlixCluster's `KMeans` (k-means++ seeding, restarts keeping the lowest
/// inertia), so the same seed gives the same clusters on the same machine and BLAS thread count.
///
/// ```swift
/// let clusters = try FilmClusters(
///   itemFactors: itemFactors,                       // Matrix<Float>, items × K
///   items: model.items, catalog: catalog,
///   ratingCounts: FilmClusters.ratingCounts(of: model.history, itemCount: model.items.count),
///   options: .init(clusterCount: 8, seed: 42))
/// clusters.cluster(ofID: 50)                          // Star Wars' cluster
/// clusters.profiles[0].label                          // "Action · Adventure"
/// clusters.profiles[0].topFilms.map(\.title)          // its most-rated films
/// let c = try clusters.assign(factors: newFilmFactors)   // a new film's cluster
/// ```
///
/// `Codable`, so a service can keep the clusters with its model; decoding checks that the parts
/// agree (so no decoded file can make a call trap).
public struct FilmClusters: Sendable, Equatable, Codable {
  /// How factor rows are prepared before clustering (and new films before ``assign(factors:)``).
  public enum Normalization: String, Sendable, Hashable, Codable {
    /// The factors as given: popular films, whose factors tend to be longer, may form clusters
    /// of their own.
    case none
    /// Each row scaled to unit length (cosine geometry: direction, not magnitude, decides); an
    /// all-zero row stays zero.
    case unitLength
  }

  /// How the clusters are fitted and profiled.
  public struct Options: Sendable, Hashable {
    /// The number of clusters `k`, in `1…items`.
    public var clusterCount: Int
    /// The seed of K-means' initialisations.
    public var seed: UInt64
    /// K-means restarts (the lowest inertia wins); 10 by default.
    public var restarts: Int
    /// How factor rows are prepared; ``Normalization/none`` by default.
    public var normalization: Normalization
    /// Genres listed per profile; 3 by default.
    public var topGenreCount: Int
    /// Films listed per profile; 5 by default.
    public var topFilmCount: Int
    /// The smallest share of a cluster's films a genre needs to be listed among its
    /// ``FilmClusterProfile/distinctiveGenres``; 0.1 by default.
    public var distinctiveMinimumShare: Double

    /// Creates options.
    public init(
      clusterCount: Int, seed: UInt64 = 0, restarts: Int = 10,
      normalization: Normalization = .none, topGenreCount: Int = 3, topFilmCount: Int = 5,
      distinctiveMinimumShare: Double = 0.1
    ) {
      self.clusterCount = clusterCount
      self.seed = seed
      self.restarts = restarts
      self.normalization = normalization
      self.topGenreCount = topGenreCount
      self.topFilmCount = topFilmCount
      self.distinctiveMinimumShare = distinctiveMinimumShare
    }
  }

  /// The clustered films, index ↔ external id.
  public let items: IDMap
  /// The cluster of each item index, in `0..<clusterCount`.
  public let clusterOfItem: [Int]
  /// The cluster centres, `clusterCount × dimension`, in the prepared (normalised) factor space.
  public let centroids: Matrix<Double>
  /// One profile per cluster, in cluster order.
  public let profiles: [FilmClusterProfile]
  /// How factor rows were prepared; ``assign(factors:)`` prepares a new film the same way.
  public let normalization: Normalization

  /// Clusters the films of `items` by their rows of `itemFactors` and profiles each cluster.
  ///
  /// - Parameters:
  ///   - itemFactors: `items.count × d` factors, finite, `d ≥ 1`.
  ///   - items: the films, index ↔ id (row `i` of the factors is film `i`).
  ///   - catalog: genres and titles (films matched by id; films it lacks have no genre and no
  ///     title), or `nil` for profiles without genres or titles.
  ///   - ratingCounts: each film's number of ratings (`items.count` values, ≥ 0): the order of
  ///     ``FilmClusterProfile/topFilms``. ``ratingCounts(of:itemCount:)`` derives them from a
  ///     model's history.
  ///   - options: `k`, seed, normalisation and profile lengths.
  /// - Throws: `ClusterError` `.emptyInput` (no film or `d = 0`), `.invalidClusterCount`
  ///   (`k < 1` or `k > items.count`), `.nonFiniteValue` (a NaN or infinite factor),
  ///   `.invalidArgument` (row count ≠ `items.count`, rating counts of the wrong length or
  ///   negative, negative profile lengths, a non-finite distinctive share, restarts outside
  ///   K-means' range).
  /// - Complexity: K-means (O(restarts · iterations · items · d · k)) plus O(items · genres).
  public init(
    itemFactors: Matrix<Float>, items: IDMap, catalog: Catalog?, ratingCounts: [Int],
    options: Options
  ) throws {
    guard itemFactors.isWellFormed, itemFactors.rows == items.count else {
      throw ClusterError(
        .invalidArgument,
        "item factors have \(itemFactors.rows) rows (\(itemFactors.elements.count) values for "
          + "\(itemFactors.columns) columns) for \(items.count) items")
    }
    guard items.count > 0, itemFactors.columns > 0 else {
      throw ClusterError(
        .emptyInput, "\(items.count) items with \(itemFactors.columns) factors: nothing to cluster")
    }
    guard ratingCounts.count == items.count, ratingCounts.allSatisfy({ $0 >= 0 }) else {
      throw ClusterError(
        .invalidArgument,
        "rating counts: \(ratingCounts.count) values (need \(items.count), each ≥ 0)")
    }
    guard options.topGenreCount >= 0, options.topFilmCount >= 0,
      options.distinctiveMinimumShare.isFinite
    else {
      throw ClusterError(
        .invalidArgument,
        "profile lengths \(options.topGenreCount) genres, \(options.topFilmCount) films must be ≥ 0"
          + " and the distinctive share (\(options.distinctiveMinimumShare)) finite")
    }
    if let bad = itemFactors.elements.firstIndex(where: { !$0.isFinite }) {
      throw ClusterError(
        .nonFiniteValue,
        "item \(bad / itemFactors.columns) (id \(items.id(at: bad / itemFactors.columns))) has "
          + "a non-finite factor \(itemFactors.elements[bad])")
    }
    let points = Self.prepared(
      Matrix<Double>(converting: itemFactors), normalization: options.normalization)
    let fit = try KMeans(
      clusterCount: options.clusterCount, restarts: options.restarts, seed: options.seed
    ).fit(points)
    self.items = items
    self.clusterOfItem = fit.labels
    self.centroids = fit.centers
    self.normalization = options.normalization
    self.profiles = Self.profiles(
      labels: fit.labels, clusterCount: fit.clusterCount, items: items, catalog: catalog,
      ratingCounts: ratingCounts, topGenres: options.topGenreCount,
      topFilms: options.topFilmCount, minimumShare: options.distinctiveMinimumShare)
  }

  /// The number of clusters.
  public var clusterCount: Int { centroids.rows }

  /// The factor dimension `d` the clusters were fitted in.
  public var dimension: Int { centroids.columns }

  /// The films of each cluster (item indices, ascending), in cluster order.
  public var members: [[Int]] {
    var out = [[Int]](repeating: [], count: clusterCount)
    for (item, c) in clusterOfItem.enumerated() { out[c].append(item) }
    return out
  }

  /// The cluster of item index `item`.
  ///
  /// - Precondition: `0 ≤ item < items.count` (checked); ``cluster(ofID:)`` never traps.
  public func cluster(ofItem item: Int) -> Int {
    precondition(
      item >= 0 && item < clusterOfItem.count,
      "item index \(item) out of 0..<\(clusterOfItem.count)")
    return clusterOfItem[item]
  }

  /// The cluster of the film with external id `id`, or `nil` for a film not clustered (a new
  /// film: see ``assign(factors:)``).
  public func cluster(ofID id: EntityID) -> Int? {
    items.index(of: id).map { clusterOfItem[$0] }
  }

  /// The cluster of a film given by its factor vector (`dimension` values, the same factor space
  /// as the clustering — e.g. a new film folded in from its first ratings): the nearest centroid
  /// by Euclidean distance after the clustering's ``normalization``, ties to the lowest cluster.
  ///
  /// Pure and allocation-light: safe on the request path.
  ///
  /// - Throws: `ClusterError` `.invalidArgument` for a vector of another length,
  ///   `.nonFiniteValue` for a NaN or infinite value.
  /// - Complexity: O(clusterCount · dimension).
  public func assign(factors: [Float]) throws -> Int {
    guard factors.count == dimension else {
      throw ClusterError(
        .invalidArgument,
        "a film factor vector of \(factors.count) values; clusters are in "
          + "\(dimension) dimensions")
    }
    guard factors.allSatisfy(\.isFinite) else {
      throw ClusterError(.nonFiniteValue, "a film factor vector holds a non-finite value")
    }
    var x = factors.map(Double.init)
    if normalization == .unitLength { Self.normalise(&x) }
    var best = 0
    var bestDistance = Double.infinity
    for c in 0..<clusterCount {
      var distance = 0.0
      for j in 0..<dimension {
        let d = x[j] - centroids.elements[c * dimension + j]
        distance += d * d
      }
      if distance < bestDistance {
        best = c
        bestDistance = distance
      }
    }
    return best
  }

  /// Each film's number of ratings in `history` (a model's ``RecommenderModel/history``): the
  /// `ratingCounts` argument of ``init(itemFactors:items:catalog:ratingCounts:options:)``.
  /// Item indices at or above `itemCount` are not counted.
  public static func ratingCounts(of history: UserHistory, itemCount: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: max(0, itemCount))
    for item in history.itemIndices where Int(item) >= 0 && Int(item) < counts.count {
      counts[Int(item)] += 1
    }
    return counts
  }

  // MARK: - Implementation

  /// `points` prepared for clustering.
  static func prepared(_ points: Matrix<Double>, normalization: Normalization) -> Matrix<Double> {
    guard normalization == .unitLength else { return points }
    var elements = points.elements
    let d = points.columns
    for i in 0..<points.rows {
      var row = Array(elements[(i * d)..<(i * d + d)])
      normalise(&row)
      elements.replaceSubrange((i * d)..<(i * d + d), with: row)
    }
    return Matrix(rows: points.rows, columns: d, elements: elements)
  }

  /// Scales `x` to unit length (a zero vector stays zero).
  static func normalise(_ x: inout [Double]) {
    let norm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else { return }
    for j in x.indices { x[j] /= norm }
  }

  /// The profile of every cluster.
  static func profiles(
    labels: [Int], clusterCount k: Int, items: IDMap, catalog: Catalog?, ratingCounts: [Int],
    topGenres: Int, topFilms: Int, minimumShare: Double
  ) -> [FilmClusterProfile] {
    let genres = catalog?.genres ?? []
    var genreIndex: [Genre: Int] = [:]
    for (g, genre) in genres.enumerated() { genreIndex[genre] = g }
    var sizes = [Int](repeating: 0, count: k)
    var genreFilms = [[Int]](repeating: [Int](repeating: 0, count: genres.count), count: k)
    var overall = [Int](repeating: 0, count: genres.count)
    var titles = [String?](repeating: nil, count: items.count)
    for (item, c) in labels.enumerated() {
      sizes[c] += 1
      guard let movie = catalog?.movie(withID: items.id(at: item)) else { continue }
      titles[item] = movie.title
      // A genre listed twice for one film counts once.
      for g in Set(movie.genres.compactMap { genreIndex[$0] }) {
        genreFilms[c][g] += 1
        overall[g] += 1
      }
    }
    var members = [[Int]](repeating: [], count: k)
    for (item, c) in labels.enumerated() { members[c].append(item) }
    let n = Double(labels.count)
    return (0..<k).map { c in
      let shares = (0..<genres.count).filter { genreFilms[c][$0] > 0 }
        .map { g -> FilmClusterProfile.GenreShare in
          let share = Double(genreFilms[c][g]) / Double(sizes[c])
          return FilmClusterProfile.GenreShare(
            name: genres[g].name, films: genreFilms[c][g], share: share,
            lift: share / (Double(overall[g]) / n))
        }
      // Stable sort: equal shares keep catalog genre order.
      let top = shares.enumerated().sorted {
        $0.element.films != $1.element.films
          ? $0.element.films > $1.element.films : $0.offset < $1.offset
      }.prefix(topGenres).map(\.element)
      let films = members[c].sorted {
        ratingCounts[$0] != ratingCounts[$1] ? ratingCounts[$0] > ratingCounts[$1] : $0 < $1
      }.prefix(topFilms).map {
        FilmClusterProfile.Film(
          item: $0, id: items.id(at: $0), title: titles[$0], ratingCount: ratingCounts[$0])
      }
      // By lift, then by films, then catalog order (`shares` is in catalog order).
      let distinctive = shares.enumerated()
        .filter { $0.element.lift > 1 && $0.element.share >= minimumShare }
        .sorted { a, b in
          if a.element.lift != b.element.lift { return a.element.lift > b.element.lift }
          if a.element.films != b.element.films { return a.element.films > b.element.films }
          return a.offset < b.offset
        }.prefix(topGenres).map(\.element)
      return FilmClusterProfile(
        cluster: c, size: sizes[c], topGenres: top, distinctiveGenres: distinctive,
        topFilms: films)
    }
  }

  // MARK: - Codable

  private enum CodingKeys: String, CodingKey {
    case items, clusterOfItem, centroids, profiles, normalization
  }

  /// Decodes clusters, checking that the parts agree: one cluster per item, each in
  /// `0..<centroids.rows`, finite centroids with at least one row and column, one profile per
  /// cluster.
  ///
  /// - Throws: `DecodingError.dataCorrupted` naming the part that disagrees.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let items = try container.decode(IDMap.self, forKey: .items)
    let labels = try container.decode([Int].self, forKey: .clusterOfItem)
    let centroids = try container.decode(Matrix<Double>.self, forKey: .centroids)
    let profiles = try container.decode([FilmClusterProfile].self, forKey: .profiles)
    let normalization = try container.decode(Normalization.self, forKey: .normalization)
    func corrupt(_ key: CodingKeys, _ message: String) -> DecodingError {
      DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
    }
    guard centroids.rows > 0, centroids.columns > 0, centroids.isFinite else {
      throw corrupt(.centroids, "centroids must be a non-empty finite matrix")
    }
    guard labels.count == items.count, labels.allSatisfy({ $0 >= 0 && $0 < centroids.rows })
    else {
      throw corrupt(
        .clusterOfItem,
        "\(labels.count) cluster labels for \(items.count) items, each in 0..<\(centroids.rows)")
    }
    guard profiles.count == centroids.rows else {
      throw corrupt(.profiles, "\(profiles.count) profiles for \(centroids.rows) clusters")
    }
    self.items = items
    self.clusterOfItem = labels
    self.centroids = centroids
    self.profiles = profiles
    self.normalization = normalization
  }
}
