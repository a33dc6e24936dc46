import AFlix

/// Users segmented on a truncated SVD's user factors, as `aflix demo` and `aflix report` show
/// them: the factors scaled to unit length (what K-means compares, and what the report maps),
/// K-means at `k`, readable profiles.
struct FactorSegments {
  /// The clustered points: one unit-length row per user.
  var points: Matrix<Double>
  /// Each user's segment.
  var labels: [Int]
  /// Each segment's profile.
  var profiles: [SegmentProfile]

  init(
    _ svd: TruncatedSVDModel, k: Int, ratings: RatingsDataset, catalog: Catalog?, seed: UInt64,
    films: Int
  ) throws {
    let factors = svd.userFactors
    points = SegmentationFeatures.unitRows(
      Matrix(
        rows: factors.rows, columns: factors.columns,
        elements: factors.elements.map { Double($0) }))
    labels = try KMeans(clusterCount: k, restarts: 3, seed: seed).fit(points).labels
    profiles = try SegmentProfile.profiles(
      labels: labels, clusterCount: k, ratings: ratings, catalog: catalog,
      options: .init(filmCount: films, genreCount: 3))
  }
}
