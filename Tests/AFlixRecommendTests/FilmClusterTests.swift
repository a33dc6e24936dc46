import AFlixCluster
import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixRecommend

@Suite("Film clusters")
struct FilmClusterTests {
  /// `perBlob` films around each centre (2-D), noise ±0.5; film `i` has id `i`.
  static func blobs(_ centres: [[Float]], perBlob: Int, seed: UInt64) -> (Matrix<Float>, IDMap) {
    var rng = SeededGenerator(seed: seed)
    var rows: [[Float]] = []
    for centre in centres {
      for _ in 0..<perBlob {
        rows.append(centre.map { $0 + Float.random(in: -0.5...0.5, using: &rng) })
      }
    }
    return (Matrix(rows), IDMap((0..<rows.count).map { EntityID.int($0) }))
  }

  @Test func separableFactorsFallIntoTheirBlobs() throws {
    let centres: [[Float]] = [[0, 0], [10, 0], [0, 10], [10, 10]]
    let (factors, items) = Self.blobs(centres, perBlob: 12, seed: 3)
    let clusters = try FilmClusters(
      itemFactors: factors, items: items, catalog: nil,
      ratingCounts: [Int](repeating: 1, count: items.count),
      options: .init(clusterCount: 4, seed: 1))
    #expect(clusters.clusterCount == 4)
    for blob in 0..<4 {
      let labels = Set((0..<12).map { clusters.cluster(ofItem: blob * 12 + $0) })
      #expect(labels.count == 1, "blob \(blob) split over \(labels)")
    }
    let blobLabels = Set((0..<4).map { clusters.cluster(ofItem: $0 * 12) })
    #expect(blobLabels.count == 4)
    // Every centroid lies within the noise of its blob's centre.
    for blob in 0..<4 {
      let c = clusters.cluster(ofItem: blob * 12)
      for j in 0..<2 {
        #expect(abs(clusters.centroids[c, j] - Double(centres[blob][j])) < 0.5)
      }
    }
    #expect(clusters.members.map(\.count) == [12, 12, 12, 12])
    #expect(clusters.cluster(ofID: 5) == clusters.cluster(ofItem: 5))
    #expect(clusters.cluster(ofID: 999) == nil)
  }

  @Test func profilesMatchTheHandCount() throws {
    // Films 0, 1, 2 near (0, 0); 3, 4, 5 near (10, 10); film 6 near (10, 10) has no catalog entry.
    // Genres: 0 {Action, Comedy}, 1 {Action}, 2 {Drama} | 3 {Drama}, 4 {Drama, Romance},
    // 5 {Romance}. Catalog genre order: Action, Comedy, Drama, Romance.
    // Rating counts: 5, 50, 7 | 3, 3, 9, 1.
    let factors = Matrix<Float>([
      [0, 0], [0.1, 0], [0, 0.1], [10, 10], [10.1, 10], [10, 10.1], [10, 9.9],
    ])
    let items = IDMap((0..<7).map { EntityID.int($0) })
    let names = [
      ["Action", "Comedy"], ["Action"], ["Drama"], ["Drama"], ["Drama", "Romance"], ["Romance"],
    ]
    let catalog = try Catalog(
      movies: names.enumerated().map { i, genres in
        Movie(id: .int(i), title: "Film \(i)", genres: genres.map { Genre(id: nil, name: $0) })
      })
    let clusters = try FilmClusters(
      itemFactors: factors, items: items, catalog: catalog, ratingCounts: [5, 50, 7, 3, 3, 9, 1],
      options: .init(clusterCount: 2, seed: 7, topGenreCount: 3, topFilmCount: 3))
    let first = clusters.profiles[clusters.cluster(ofItem: 0)]
    let second = clusters.profiles[clusters.cluster(ofItem: 3)]
    #expect(first.cluster != second.cluster)
    #expect(first.size == 3)
    #expect(second.size == 4)
    // First cluster: Action 2/3, Comedy 1/3, Drama 1/3 (tie: catalog order). Shares over all 7
    // clustered films: Action 2/7, Comedy 1/7, Drama 3/7 → lifts (2/3)/(2/7) = 7/3,
    // (1/3)/(1/7) = 7/3, (1/3)/(3/7) = 7/9.
    #expect(first.topGenres.map(\.name) == ["Action", "Comedy", "Drama"])
    #expect(first.topGenres.map(\.films) == [2, 1, 1])
    let firstShares = first.topGenres.map(\.share)
    let firstLifts = first.topGenres.map(\.lift)
    for (got, want) in zip(firstShares, [2.0 / 3, 1.0 / 3, 1.0 / 3]) {
      #expect(abs(got - want) < 1e-12)
    }
    for (got, want) in zip(firstLifts, [7.0 / 3, 7.0 / 3, 7.0 / 9]) {
      #expect(abs(got - want) < 1e-12)
    }
    // Top films by count: 1 (50), 2 (7), 0 (5).
    #expect(first.topFilms.map(\.item) == [1, 2, 0])
    #expect(first.topFilms.map(\.title) == ["Film 1", "Film 2", "Film 0"])
    #expect(first.topFilms.map(\.ratingCount) == [50, 7, 5])
    // Distinctive (lift > 1, share ≥ 0.1): Action and Comedy (lift 7/3 each; Action has more
    // films); Drama's lift is below 1.
    #expect(first.distinctiveGenres.map(\.name) == ["Action", "Comedy"])
    #expect(first.label == "Action · Comedy")
    // Second cluster (4 films, film 6 without genres): Drama 2/4, Romance 2/4 (tie: catalog
    // order); lifts (1/2)/(3/7) = 7/6 and (1/2)/(2/7) = 7/4. Top films: 5 (9), then 3 and 4
    // (3 each, lower index first).
    #expect(second.topGenres.map(\.name) == ["Drama", "Romance"])
    for (got, want) in zip(second.topGenres.map(\.lift), [7.0 / 6, 7.0 / 4]) {
      #expect(abs(got - want) < 1e-12)
    }
    #expect(second.topFilms.map(\.item) == [5, 3, 4])
    // Distinctive: Romance (7/4) before Drama (7/6); the label follows them.
    #expect(second.distinctiveGenres.map(\.name) == ["Romance", "Drama"])
    #expect(second.label == "Romance · Drama")
    // A minimum share above 1/2 leaves the second cluster with none: the label falls back to
    // the top genres.
    let strict = try FilmClusters(
      itemFactors: factors, items: items, catalog: catalog, ratingCounts: [5, 50, 7, 3, 3, 9, 1],
      options: .init(clusterCount: 2, seed: 7, distinctiveMinimumShare: 0.6))
    let strictSecond = strict.profiles[strict.cluster(ofItem: 3)]
    #expect(strictSecond.distinctiveGenres.isEmpty)
    #expect(strictSecond.label == "Drama · Romance")
    #expect(strict.profiles[strict.cluster(ofItem: 0)].distinctiveGenres.map(\.name) == ["Action"])
    // Without a catalog: no genres, no titles, and the label names the cluster.
    let bare = try FilmClusters(
      itemFactors: factors, items: items, catalog: nil, ratingCounts: [5, 50, 7, 3, 3, 9, 1],
      options: .init(clusterCount: 2, seed: 7))
    #expect(
      bare.profiles.allSatisfy {
        $0.topGenres.isEmpty && $0.topFilms.allSatisfy { $0.title == nil }
      })
    #expect(bare.profiles[0].label == "Cluster 0")
  }

  @Test func assignIsTheNearestCentroidByBruteForce() throws {
    var rng = SeededGenerator(seed: 21)
    let rows = (0..<200).map { _ in (0..<6).map { _ in Float.random(in: -1...1, using: &rng) } }
    let items = IDMap((0..<200).map { EntityID.int($0) })
    for normalization in [FilmClusters.Normalization.none, .unitLength] {
      let clusters = try FilmClusters(
        itemFactors: Matrix(rows), items: items, catalog: nil,
        ratingCounts: [Int](repeating: 0, count: 200),
        options: .init(clusterCount: 7, seed: 5, normalization: normalization))
      for _ in 0..<300 {
        let x = (0..<6).map { _ in Float.random(in: -2...2, using: &rng) }
        var point = x.map(Double.init)
        if normalization == .unitLength {
          let norm = point.reduce(0) { $0 + $1 * $1 }.squareRoot()
          point = point.map { $0 / norm }
        }
        let distances = (0..<7).map { c in
          (0..<6).reduce(0.0) { s, j in
            let d = point[j] - clusters.centroids[c, j]
            return s + d * d
          }
        }
        let nearest = distances.indices.min { distances[$0] < distances[$1] }!
        #expect(try clusters.assign(factors: x) == nearest)
      }
    }
  }

  @Test func unitLengthClustersByDirection() throws {
    // Two directions, lengths 1…10: by direction they are two clusters; raw, length dominates.
    let rows = (1...10).flatMap { s -> [[Float]] in [[Float(s), 0.1], [0.1, Float(s)]] }
    let items = IDMap((0..<20).map { EntityID.int($0) })
    let clusters = try FilmClusters(
      itemFactors: Matrix(rows), items: items, catalog: nil,
      ratingCounts: [Int](repeating: 0, count: 20),
      options: .init(clusterCount: 2, seed: 2, normalization: .unitLength))
    let even = Set(stride(from: 0, to: 20, by: 2).map { clusters.cluster(ofItem: $0) })
    let odd = Set(stride(from: 1, to: 20, by: 2).map { clusters.cluster(ofItem: $0) })
    #expect(even.count == 1 && odd.count == 1 && even != odd)
    // A new film pointing along the first axis, however long, joins the even films.
    #expect(try clusters.assign(factors: [100, 1]) == even.first!)
  }

  @Test func theSameSeedGivesIdenticalClusters() throws {
    let (factors, items) = Self.blobs([[0, 0], [3, 1], [1, 3]], perBlob: 30, seed: 9)
    let counts = (0..<90).map { $0 % 13 }
    let a = try FilmClusters(
      itemFactors: factors, items: items, catalog: nil, ratingCounts: counts,
      options: .init(clusterCount: 5, seed: 123))
    let b = try FilmClusters(
      itemFactors: factors, items: items, catalog: nil, ratingCounts: counts,
      options: .init(clusterCount: 5, seed: 123))
    #expect(a == b)
  }

  @Test func badInputIsATypedError() throws {
    let (factors, items) = Self.blobs([[0, 0]], perBlob: 4, seed: 1)
    let counts = [1, 1, 1, 1]
    func kind(_ body: () throws -> Void) -> ClusterError.Kind? {
      do {
        try body()
        return nil
      } catch let error as ClusterError {
        return error.kind
      } catch {
        return nil
      }
    }
    #expect(
      kind {
        _ = try FilmClusters(
          itemFactors: factors, items: items, catalog: nil, ratingCounts: counts,
          options: .init(clusterCount: 5))
      } == .invalidClusterCount)
    #expect(
      kind {
        _ = try FilmClusters(
          itemFactors: factors, items: items, catalog: nil, ratingCounts: counts,
          options: .init(clusterCount: 0))
      } == .invalidClusterCount)
    var withNaN = factors
    withNaN.elements[5] = .nan
    #expect(
      kind {
        _ = try FilmClusters(
          itemFactors: withNaN, items: items, catalog: nil, ratingCounts: counts,
          options: .init(clusterCount: 2))
      } == .nonFiniteValue)
    #expect(
      kind {
        _ = try FilmClusters(
          itemFactors: factors, items: IDMap([1, 2, 3]), catalog: nil, ratingCounts: [1, 1, 1],
          options: .init(clusterCount: 2))
      } == .invalidArgument)
    #expect(
      kind {
        _ = try FilmClusters(
          itemFactors: factors, items: items, catalog: nil, ratingCounts: [1, 1, -1, 1],
          options: .init(clusterCount: 2))
      } == .invalidArgument)
    #expect(
      kind {
        _ = try FilmClusters(
          itemFactors: Matrix(rows: 0, columns: 2), items: IDMap(), catalog: nil,
          ratingCounts: [], options: .init(clusterCount: 1))
      } == .emptyInput)
    let clusters = try FilmClusters(
      itemFactors: factors, items: items, catalog: nil, ratingCounts: counts,
      options: .init(clusterCount: 2))
    #expect(kind { _ = try clusters.assign(factors: [1, 2, 3]) } == .invalidArgument)
    #expect(kind { _ = try clusters.assign(factors: [.nan, 0]) } == .nonFiniteValue)
    #expect(kind { _ = try clusters.assign(factors: [.infinity, 0]) } == .nonFiniteValue)
  }

  @Test func codableRoundTripsAndRefusesDisagreeingParts() throws {
    let (factors, items) = Self.blobs([[0, 0], [5, 5]], perBlob: 5, seed: 4)
    let clusters = try FilmClusters(
      itemFactors: factors, items: items, catalog: nil,
      ratingCounts: [Int](repeating: 2, count: 10), options: .init(clusterCount: 2, seed: 1))
    let data = try JSONEncoder().encode(clusters)
    #expect(try JSONDecoder().decode(FilmClusters.self, from: data) == clusters)
    // A label outside the clusters, and a label list of the wrong length, are refused.
    var object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    var labels = try #require(object["clusterOfItem"] as? [Int])
    labels[3] = 2
    object["clusterOfItem"] = labels
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(
        FilmClusters.self, from: try JSONSerialization.data(withJSONObject: object))
    }
    object["clusterOfItem"] = Array(labels.prefix(9)).map { min($0, 1) }
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(
        FilmClusters.self, from: try JSONSerialization.data(withJSONObject: object))
    }
  }

  @Test func ratingCountsComeFromTheHistory() throws {
    // Users: {0, 2}, {2}, {1, 2, 3} over 5 items → counts 1, 1, 3, 1, 0.
    let history = try UserHistory(
      offsets: [0, 2, 3, 6], itemIndices: [0, 2, 2, 1, 2, 3], items: 5)
    #expect(FilmClusters.ratingCounts(of: history, itemCount: 5) == [1, 1, 3, 1, 0])
  }
}
