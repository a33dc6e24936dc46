import AFlixLinalg

/// A fitted clustering: centres, labels and how the fit went. Returned by ``KMeans/fit(_:weights:)``
/// and ``MiniBatchKMeans/fit(_:weights:)``.
///
/// ```swift
/// let result = try KMeans(clusterCount: 5, seed: 1).fit(factors)
/// result.clusterSizes                  // points per cluster
/// result.restartInertias               // one inertia per restart; `inertia` is their minimum
/// let segment = try result.predict(Matrix([newUserFactors]))[0]
/// ```
///
/// `Codable`, so a service can store the centres with its model and assign new users later.
public struct KMeansResult: Sendable, Equatable, Codable {
  /// The centres, `k × d`, in the coordinates of the points.
  public let centers: Matrix<Double>
  /// The cluster of each point, in `0..<k`.
  public let labels: [Int]
  /// `Σ wᵢ ‖xᵢ − c_{labelᵢ}‖²` of the returned centres and labels.
  public let inertia: Double
  /// The iterations (Lloyd passes, or mini-batch steps) of the returned run.
  public let iterations: Int
  /// Whether the returned run stopped by its convergence criterion before its iteration limit.
  public let converged: Bool
  /// The final inertia of every restart, in restart order (for ``MiniBatchKMeans``: the inertia
  /// of each candidate initialisation on the initialisation sample).
  public let restartInertias: [Double]
  /// The restart the result comes from (the lowest inertia, ties to the lowest index).
  public let bestRestart: Int
  /// The centres in the shifted coordinates the fit computed in (`centers − offset`), kept so that
  /// ``predict(_:)`` repeats the fit's arithmetic exactly.
  let shiftedCenters: [Double]
  /// What the fit subtracted from every point (the points' mean for ``KMeans``).
  let offset: [Double]

  /// Assembles a result from Lloyd runs in a point set's shifted coordinates.
  init(set: PointSet, runs: [LloydRun], best: Int) {
    let run = runs[best]
    let k = run.centers.count / set.d
    var centers = run.centers
    for c in 0..<k {
      for j in 0..<set.d { centers[c * set.d + j] += set.offset[j] }
    }
    self.centers = Matrix(rows: k, columns: set.d, elements: centers)
    self.labels = run.labels.map { Int($0) }
    self.inertia = run.inertia
    self.iterations = run.iterations
    self.converged = run.converged
    self.restartInertias = runs.map(\.inertia)
    self.bestRestart = best
    self.shiftedCenters = run.centers
    self.offset = set.offset
  }

  /// Creates a result from its parts (mini-batch fits and restored models), with no shift.
  init(
    centers: Matrix<Double>, labels: [Int], inertia: Double, iterations: Int, converged: Bool,
    restartInertias: [Double], bestRestart: Int
  ) {
    self.centers = centers
    self.labels = labels
    self.inertia = inertia
    self.iterations = iterations
    self.converged = converged
    self.restartInertias = restartInertias
    self.bestRestart = bestRestart
    self.shiftedCenters = centers.elements
    self.offset = [Double](repeating: 0, count: centers.columns)
  }

  /// The number of clusters `k`.
  public var clusterCount: Int { centers.rows }

  /// The number of clusters with no point: 0 unless the points had fewer distinct rows than `k`
  /// (the degenerate case; an empty cluster otherwise takes the farthest point).
  public var emptyClusterCount: Int { clusterSizes.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }

  /// The number of points in each cluster (empty clusters count 0).
  public var clusterSizes: [Int] {
    var sizes = [Int](repeating: 0, count: clusterCount)
    for label in labels { sizes[label] += 1 }
    return sizes
  }

  /// The nearest centre of each row of `points` (ties to the lowest index): how a new or
  /// folded-in user gets a segment without re-clustering. For the training points it returns
  /// the training ``labels``.
  ///
  /// - Precondition: `points.columns` is the centres' dimension.
  /// - Throws: ``ClusterError`` `.nonFiniteValue` for a NaN or infinite coordinate.
  /// - Complexity: O(n · d · k), one `gemm` per chunk of 2,048 rows.
  public func predict(_ points: Matrix<Double>) throws -> [Int] {
    precondition(
      points.columns == centers.columns,
      "points have \(points.columns) coordinates, the centres \(centers.columns)")
    guard points.rows > 0 else { return [] }
    try PointSet.checkFinite(points)
    var values = points.elements
    let d = points.columns
    for i in 0..<points.rows {
      for j in 0..<d { values[i * d + j] -= offset[j] }
    }
    let set = PointSet(
      n: points.rows, d: d, values: values,
      squaredNorms: rowSquaredNorms(values, rows: points.rows, columns: d), weights: nil,
      totalWeight: Double(points.rows), offset: offset)
    var labels = [Int32](repeating: -1, count: points.rows)
    _ = Lloyd.assign(
      set, centers: shiftedCenters, k: clusterCount, labels: &labels, accumulate: false,
      threads: ChunkedWork.threads)
    return labels.map { Int($0) }
  }
}
