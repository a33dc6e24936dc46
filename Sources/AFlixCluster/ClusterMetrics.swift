import AFlixLinalg
import Foundation

/// Quality measures of a clustering, defined exactly as scikit-learn's.
///
/// ```swift
/// let result = try KMeans(clusterCount: 4, seed: 7).fit(points)
/// try ClusterMetrics.silhouetteScore(points, labels: result.labels)   // −1…1, higher is better
/// ClusterMetrics.balance(sizes: result.clusterSizes)                  // 1 = equal sizes
/// try ClusterMetrics.calinskiHarabasz(points, labels: result.labels)  // higher is better
/// try ClusterMetrics.daviesBouldin(points, labels: result.labels)     // lower is better
/// ClusterMetrics.adjustedRandIndex(result.labels, truth)              // 1 = same partition
/// ```
///
/// Labels are arbitrary integers (only equality matters). The silhouette, Calinski–Harabasz and
/// Davies–Bouldin indices need 2…n − 1 distinct labels, as in scikit-learn, and throw
/// ``ClusterError`` `.invalidLabelCount` otherwise.
public enum ClusterMetrics {
  /// The silhouette of each point: `s(i) = (b(i) − a(i)) / max(a(i), b(i))` with `a(i)` the mean
  /// Euclidean distance from point `i` to the other points of its cluster and `b(i)` the smallest
  /// mean distance to the points of another cluster; 0 for a point alone in its cluster
  /// (scikit-learn's `silhouette_samples`).
  ///
  /// Computed exactly, in blocks of 256 rows × 1,024 columns with one `gemm` per tile, in
  /// parallel over blocks: memory stays O(n · d + n · k) whatever `n`.
  ///
  /// - Throws: ``ClusterError`` `.emptyInput`, `.invalidArgument` (label count ≠ point count),
  ///   `.nonFiniteValue`, `.invalidLabelCount` (fewer than 2 or more than n − 1 clusters).
  /// - Complexity: O(n² · d) floating-point operations (in BLAS) and O(n²) square roots.
  public static func silhouetteSamples(_ points: Matrix<Double>, labels: [Int]) throws -> [Double] {
    let coding = try MetricInput.check(points, labels: labels)
    return SilhouetteKernel.samples(points, coding: coding)
  }

  /// The mean silhouette over all points (scikit-learn's `silhouette_score`); see
  /// ``silhouetteSamples(_:labels:)``.
  ///
  /// - Throws: as ``silhouetteSamples(_:labels:)``.
  /// - Complexity: O(n² · d).
  public static func silhouetteScore(_ points: Matrix<Double>, labels: [Int]) throws -> Double {
    let samples = try silhouetteSamples(points, labels: labels)
    return samples.reduce(0, +) / Double(samples.count)
  }

  /// The silhouette of each point under each of several labellings of the same points (a sweep
  /// over k): the same values as ``silhouetteSamples(_:labels:)`` for each labelling, to within
  /// rounding (~1e-15), from **one** pass over the pairwise distances instead of one per
  /// labelling.
  ///
  /// The points are split into the classes that share a label in every labelling (for K-means
  /// fits at k = 2…8 of the same points, typically a few hundred); each point's distances are
  /// summed per class in the blocked `gemm` pass of ``silhouetteSamples(_:labels:)``, and each
  /// labelling's per-cluster sums are added up from those. When the classes are too many for
  /// the sums to stay below 256 MB (`n × classes` over 32 million), the labellings run one by
  /// one.
  ///
  /// ```swift
  /// let fits = try (2...8).map { try KMeans(clusterCount: $0, seed: 1).fit(points) }
  /// let scores = try ClusterMetrics.silhouetteScores(points, labelings: fits.map(\.labels))
  /// ```
  ///
  /// - Throws: as ``silhouetteSamples(_:labels:)``, for the first labelling that fails.
  /// - Complexity: O(n² · d) floating-point operations (in BLAS) and O(n²) square roots in all,
  ///   plus O(n · classes · labellings).
  public static func silhouetteSamples(_ points: Matrix<Double>, labelings: [[Int]]) throws
    -> [[Double]]
  {
    let codings = try labelings.map { try MetricInput.check(points, labels: $0) }
    return SilhouetteKernel.samples(points, codings: codings)
  }

  /// The mean silhouette of each labelling (scikit-learn's `silhouette_score` for each), from
  /// one pass over the pairwise distances; see ``silhouetteSamples(_:labelings:)``.
  ///
  /// - Throws: as ``silhouetteSamples(_:labels:)``.
  /// - Complexity: O(n² · d) in all.
  public static func silhouetteScores(_ points: Matrix<Double>, labelings: [[Int]]) throws
    -> [Double]
  {
    try silhouetteSamples(points, labelings: labelings).map {
      $0.reduce(0, +) / Double($0.count)
    }
  }

  /// The silhouette score of a seeded random sample of `sampleSize` points (drawn without
  /// replacement), distances taken within the sample only, as scikit-learn's
  /// `silhouette_score(sample_size:)`: O(s² · d) instead of O(n² · d). With `sampleSize ≥ n` it is
  /// the exact score.
  ///
  /// - Throws: as ``silhouetteSamples(_:labels:)``, and `.invalidArgument` when `sampleSize < 2`;
  ///   `.invalidLabelCount` when the sample holds fewer than 2 (or more than s − 1) clusters.
  public static func sampledSilhouetteScore(
    _ points: Matrix<Double>, labels: [Int], sampleSize: Int, seed: UInt64
  ) throws -> Double {
    guard sampleSize >= 2 else {
      throw ClusterError(.invalidArgument, "sample size \(sampleSize) must be at least 2")
    }
    _ = try MetricInput.check(points, labels: labels)
    guard sampleSize < points.rows else { return try silhouetteScore(points, labels: labels) }
    var rng = SeededGenerator(seed: seed)
    var indices = Array(0..<points.rows)
    for s in 0..<sampleSize {
      let pick = s + Int(rng.nextUnitDouble() * Double(points.rows - s))
      indices.swapAt(s, min(points.rows - 1, pick))
    }
    let chosen = indices[0..<sampleSize]
    let d = points.columns
    var values = [Double]()
    values.reserveCapacity(sampleSize * d)
    for i in chosen { values.append(contentsOf: points.row(i)) }
    return try silhouetteScore(
      Matrix(rows: sampleSize, columns: d, elements: values), labels: chosen.map { labels[$0] })
  }

  /// `Σ wᵢ ‖xᵢ − c_{labelᵢ}‖²`, the K-means objective, computed directly.
  ///
  /// - Precondition: `labels.count == points.rows`, every label in `0..<centers.rows`, the same
  ///   dimension, `weights` (when given) of length `points.rows`.
  public static func inertia(
    _ points: Matrix<Double>, labels: [Int], centers: Matrix<Double>, weights: [Double]? = nil
  ) -> Double {
    precondition(labels.count == points.rows && centers.columns == points.columns)
    precondition(weights.map { $0.count == points.rows } ?? true)
    let d = points.columns
    var total = 0.0
    for i in 0..<points.rows {
      let c = labels[i]
      precondition(c >= 0 && c < centers.rows, "label \(c) has no centre")
      var s = 0.0
      for j in 0..<d {
        let t = points.elements[i * d + j] - centers.elements[c * d + j]
        s += t * t
      }
      total += (weights?[i] ?? 1) * s
    }
    return total
  }

  /// `1 − std(sizes) / mean(sizes)` with the population standard deviation (NumPy's `std`): 1
  /// when every cluster has the same size, lower (possibly negative) as sizes spread. Empty
  /// clusters count as size 0. 0 when there are no sizes or they sum to 0.
  public static func balance(sizes: [Int]) -> Double {
    guard !sizes.isEmpty else { return 0 }
    let mean = Double(sizes.reduce(0, +)) / Double(sizes.count)
    guard mean > 0 else { return 0 }
    var ss = 0.0
    for s in sizes {
      let t = Double(s) - mean
      ss += t * t
    }
    return 1 - (ss / Double(sizes.count)).squareRoot() / mean
  }

  /// ``balance(sizes:)`` of the cluster sizes of `labels` over clusters `0..<clusterCount`
  /// (labels outside that range are ignored).
  public static func balance(labels: [Int], clusterCount: Int) -> Double {
    var sizes = [Int](repeating: 0, count: max(0, clusterCount))
    for label in labels where label >= 0 && label < clusterCount { sizes[label] += 1 }
    return balance(sizes: sizes)
  }

  /// The Calinski–Harabasz index (variance ratio): `[B / (k − 1)] / [W / (n − k)]`, `B` the
  /// between-cluster and `W` the within-cluster sum of squares; 1 when `W = 0` (scikit-learn's
  /// `calinski_harabasz_score`). Higher is better.
  ///
  /// - Throws: as ``silhouetteSamples(_:labels:)``.
  /// - Complexity: O(n · d).
  public static func calinskiHarabasz(_ points: Matrix<Double>, labels: [Int]) throws -> Double {
    let coding = try MetricInput.check(points, labels: labels)
    let (means, sizes) = clusterMeans(points, coding: coding)
    let overall = columnMeans(points)
    let d = points.columns
    var between = 0.0
    for c in 0..<coding.count {
      var s = 0.0
      for j in 0..<d {
        let t = means[c * d + j] - overall[j]
        s += t * t
      }
      between += Double(sizes[c]) * s
    }
    var within = 0.0
    for i in 0..<points.rows {
      let c = coding.codes[i]
      for j in 0..<d {
        let t = points.elements[i * d + j] - means[c * d + j]
        within += t * t
      }
    }
    let n = Double(points.rows)
    let k = Double(coding.count)
    return within == 0 ? 1 : between * (n - k) / (within * (k - 1))
  }

  /// The Davies–Bouldin index: the mean over clusters of `maxⱼ (sᵢ + sⱼ) / dᵢⱼ`, `sᵢ` the mean
  /// distance of cluster `i`'s points to its centroid and `dᵢⱼ` the distance between centroids
  /// (coincident centroids are skipped); 0 when every `sᵢ` or every `dᵢⱼ` is within 1e-8 of 0
  /// (scikit-learn's `davies_bouldin_score`). Lower is better.
  ///
  /// - Throws: as ``silhouetteSamples(_:labels:)``.
  /// - Complexity: O(n · d + k² · d).
  public static func daviesBouldin(_ points: Matrix<Double>, labels: [Int]) throws -> Double {
    let coding = try MetricInput.check(points, labels: labels)
    let (means, sizes) = clusterMeans(points, coding: coding)
    let d = points.columns
    let k = coding.count
    var spread = [Double](repeating: 0, count: k)
    for i in 0..<points.rows {
      let c = coding.codes[i]
      var s = 0.0
      for j in 0..<d {
        let t = points.elements[i * d + j] - means[c * d + j]
        s += t * t
      }
      spread[c] += s.squareRoot()
    }
    for c in 0..<k { spread[c] /= Double(sizes[c]) }
    var centroidDistances = [Double](repeating: 0, count: k * k)
    for a in 0..<k {
      for b in 0..<k {
        var s = 0.0
        for j in 0..<d {
          let t = means[a * d + j] - means[b * d + j]
          s += t * t
        }
        centroidDistances[a * k + b] = s.squareRoot()
      }
    }
    if spread.allSatisfy({ abs($0) <= 1e-8 }) || centroidDistances.allSatisfy({ abs($0) <= 1e-8 }) {
      return 0
    }
    var total = 0.0
    for a in 0..<k {
      var worst = -Double.infinity
      for b in 0..<k {
        let distance = centroidDistances[a * k + b]
        let ratio = distance == 0 ? 0 : (spread[a] + spread[b]) / distance
        worst = max(worst, ratio)
      }
      total += worst
    }
    return total / Double(k)
  }

  /// The centroid (`k × d`, row-major) and size of each coded cluster.
  static func clusterMeans(_ points: Matrix<Double>, coding: LabelCoding) -> ([Double], [Int]) {
    let d = points.columns
    var sums = [Double](repeating: 0, count: coding.count * d)
    for i in 0..<points.rows {
      let c = coding.codes[i]
      for j in 0..<d { sums[c * d + j] += points.elements[i * d + j] }
    }
    let sizes = coding.sizes
    for c in 0..<coding.count {
      for j in 0..<d { sums[c * d + j] /= Double(sizes[c]) }
    }
    return (sums, sizes)
  }
}
