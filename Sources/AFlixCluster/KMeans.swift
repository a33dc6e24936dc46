import AFlixLinalg

/// K-means clustering (Lloyd's algorithm) of the rows of a dense matrix: k-means++ seeding,
/// restarts keeping the lowest inertia, distances through BLAS.
///
/// ```swift
/// let kmeans = KMeans(clusterCount: 5, seed: 42)        // 10 restarts, 300 iterations, tol 1e-4
/// let result = try kmeans.fit(userFactors)              // n × d, Double
/// result.labels            // a cluster index per row, 0..<5
/// result.inertia           // Σ w‖x − c‖², the lowest of the restarts
/// try result.predict(newUsers)     // the nearest centre of new rows (a folded-in user)
/// ```
///
/// The algorithm is scikit-learn's `KMeans(algorithm="lloyd")`: the points are shifted by their
/// mean for accuracy; each iteration assigns every point to its nearest centre, with
/// `‖x‖² − 2x·c + ‖c‖²` computed by `gemm`, and moves each centre to the weighted mean of its
/// points. By default (``Algorithm/batched``) the restarts iterate in lockstep, one `gemm` per
/// chunk of points for the centres of all of them; ``algorithm`` selects the other ways of
/// computing the same iterations. An empty cluster takes the point farthest from its centre.
/// Iterations stop when the labels stop changing, when the summed squared centre shift is at
/// most ``tolerance`` × the mean per-feature variance of the points, or after
/// ``maximumIterations``.
///
/// **Determinism.** Restart `r` draws from `SeededGenerator(seed: seed, stream: r)`; seedings run
/// in parallel (on `Parallelism.maximumThreadCount` threads), then the chunks of each lockstep
/// iteration (or, with ``Algorithm/lloyd`` and ``Algorithm/elkan``, the restarts), and the lowest
/// inertia wins, ties to the lowest restart index. Chunk boundaries and reduction orders depend only on the size of the
/// problem: the same seed gives the same labels, bit for bit, on the same machine and BLAS thread
/// count. Across BLAS thread counts `gemm` may round differently in the last bits; labels then
/// agree except for points equidistant to two centres to within rounding (none in practice).
public struct KMeans: Sendable, Equatable {
  /// How the initial centres of each restart are chosen.
  public enum Initialization: Sendable, Equatable {
    /// Greedy k-means++, as scikit-learn: the first centre drawn with probability proportional to
    /// the weights, each next one the best of `2 + ⌊ln k⌋` candidates drawn with probability
    /// proportional to `w·D(x)²`.
    case kMeansPlusPlus
    /// `k` distinct points drawn with probability proportional to their weights.
    case random
    /// The given `k × d` centres (one run: ``KMeans/restarts`` is ignored).
    case centers(Matrix<Double>)
  }

  /// How each Lloyd iteration finds the nearest centres. Both give the same iterations: the same
  /// labels at every iteration, hence the same result.
  public enum Algorithm: Sendable, Equatable {
    /// Plain Lloyd iterations of every restart in lockstep: each iteration multiplies the points
    /// by the centres of all running restarts in one `gemm` per chunk (`restarts × k` columns,
    /// where BLAS runs near its peak; `k` alone leaves most of its kernel idle), and cluster
    /// sums move only with the points that changed cluster. The default: the fastest on dense,
    /// unstructured factors such as users' (in 50 dimensions the triangle inequality prunes
    /// little).
    case batched
    /// Elkan's triangle-inequality bounds: a point whose bounds prove its centre is still the
    /// nearest (by more than the rounding error of the distances) skips its distance
    /// computations; a point that may change cluster gets every distance by `gemm` as in
    /// ``lloyd``, and cluster sums move only with the points that changed cluster (scikit-learn's
    /// `algorithm="elkan"`, kept exact). Several times faster on well-separated clusters in few
    /// dimensions; on the users' factors of a synthetic world (50 dimensions, no clear
    /// structure) half the points still need their distances every iteration.
    case elkan
    /// Plain Lloyd: every distance of every point at every iteration (scikit-learn's
    /// `algorithm="lloyd"`); the reference the default is tested against.
    case lloyd
  }

  /// The number of clusters `k`.
  public var clusterCount: Int
  /// Independent runs from different seeds (`n_init`); the lowest inertia wins. 10 by default.
  public var restarts: Int
  /// The most Lloyd iterations per run; 300 by default.
  public var maximumIterations: Int
  /// Relative tolerance on the centre shift, as scikit-learn: a run has converged when the summed
  /// squared shift of the centres in one iteration is at most `tolerance` × the mean per-feature
  /// variance of the points. 1e-4 by default; 0 stops only when the labels stop changing.
  public var tolerance: Double
  /// The seed of the initialisations.
  public var seed: UInt64
  /// How initial centres are chosen.
  public var initialization: Initialization
  /// How the iterations find the nearest centres; ``Algorithm/batched`` by default.
  public var algorithm: Algorithm

  /// The most restarts a fit accepts: 10,000 (each restart is a whole K-means run; memory for
  /// the initial centres grows with it). More is refused with `.invalidArgument`.
  public static let maximumRestarts = 10_000
  /// The largest ``maximumIterations`` accepted: 2³¹ − 1.
  public static let maximumIterationLimit = Int(Int32.max)

  /// Creates a configuration; the defaults are scikit-learn's.
  public init(
    clusterCount: Int, restarts: Int = 10, maximumIterations: Int = 300, tolerance: Double = 1e-4,
    seed: UInt64 = 0, initialization: Initialization = .kMeansPlusPlus,
    algorithm: Algorithm = .batched
  ) {
    self.clusterCount = clusterCount
    self.restarts = restarts
    self.maximumIterations = maximumIterations
    self.tolerance = tolerance
    self.seed = seed
    self.initialization = initialization
    self.algorithm = algorithm
  }

  /// Clusters the rows of `points` (`n × d`), optionally weighted.
  ///
  /// Defined results rather than errors:
  /// - **All points identical**: every point is in cluster 0, every centre is that point, the
  ///   inertia is 0, with 0 iterations and `converged` true (clusters 1…k−1 are empty; ties of
  ///   ``KMeansResult/predict(_:)`` go to the lowest index, so it agrees).
  /// - **Fewer distinct points than `k`**: the fit runs as usual; some centres coincide and some
  ///   clusters end empty, as ``KMeansResult/emptyClusterCount`` says (scikit-learn warns in this
  ///   case). With at least `k` distinct points no cluster ends empty: an empty cluster takes the
  ///   point farthest from its centre.
  /// - `k = n`: every point its own cluster (inertia 0) for distinct points.
  ///
  /// - Parameters:
  ///   - points: `n × d`, finite.
  ///   - weights: `n` finite, non-negative weights summing to more than 0, or `nil` for 1 each.
  /// - Throws: ``ClusterError`` `.emptyInput` (`n = 0` or `d = 0`), `.invalidClusterCount`
  ///   (`k < 1` or `k > n`), `.nonFiniteValue`, `.invalidWeights`, `.invalidArgument` (restarts
  ///   or iterations below 1 or above ``maximumRestarts`` / ``maximumIterationLimit``, a negative or NaN tolerance, initial centres not `k × d` or not
  ///   finite).
  /// - Complexity: O(restarts · iterations · n · d · k), the distances in BLAS.
  public func fit(_ points: Matrix<Double>, weights: [Double]? = nil) throws -> KMeansResult {
    let set = try PointSet.validated(points, weights: weights, centring: true)
    let k = clusterCount
    try Self.check(clusterCount: k, points: set.n)
    guard (1...Self.maximumRestarts).contains(restarts),
      (1...Self.maximumIterationLimit).contains(maximumIterations)
    else {
      throw ClusterError(
        .invalidArgument,
        "restarts (\(restarts)) must be between 1 and \(Self.maximumRestarts) and maximum "
          + "iterations (\(maximumIterations)) between 1 and \(Self.maximumIterationLimit)")
    }
    guard tolerance >= 0 else {
      throw ClusterError(.invalidArgument, "tolerance \(tolerance) must be ≥ 0")
    }
    var given: [Double]?
    if case .centers(let initial) = initialization {
      guard initial.rows == k, initial.columns == set.d else {
        throw ClusterError(
          .invalidArgument,
          "initial centres are \(initial.rows) × \(initial.columns), expected \(k) × \(set.d)")
      }
      try PointSet.checkFinite(initial)
      var shifted = initial.elements
      for c in 0..<k {
        for j in 0..<set.d { shifted[c * set.d + j] -= set.offset[j] }
      }
      given = shifted
    }
    if set.allRowsIdentical {
      var centers = [Double](repeating: 0, count: k * set.d)
      for c in 0..<k { Seeding.copyRow(0, of: set, into: &centers, at: c) }
      let run = LloydRun(
        centers: centers, labels: [Int32](repeating: 0, count: set.n), inertia: 0, iterations: 0,
        converged: true)
      return KMeansResult(set: set, runs: [run], best: 0)
    }
    let absoluteTolerance = tolerance * set.meanFeatureVariance
    let runCount = given == nil ? restarts : 1
    let threads = ChunkedWork.threads
    // Initial centres of every restart, in parallel.
    var initials = [[Double]](repeating: [], count: runCount)
    initials.withUnsafeMutableBufferPointer { out in
      ChunkedWork.forEach(count: runCount, threads: threads) { r in
        // Restart `r` writes only `out[r]`.
        var rng = SeededGenerator(seed: seed, stream: UInt64(r))
        switch initialization {
        case .kMeansPlusPlus: out[r] = Seeding.kMeansPlusPlus(set, k: k, using: &rng)
        case .random: out[r] = Seeding.random(set, k: k, using: &rng)
        case .centers: out[r] = given!
        }
      }
    }
    let all: [LloydRun]
    if algorithm == .batched {
      // Every restart in lockstep, the chunks of each iteration in parallel.
      all = BatchedLloyd.run(
        set, initials: initials, k: k, maximumIterations: maximumIterations,
        tolerance: absoluteTolerance, threads: threads)
    } else {
      // Restarts in parallel when there are several; each then runs its chunks serially.
      let inner = runCount > 1 ? 1 : threads
      var runs = [LloydRun?](repeating: nil, count: runCount)
      runs.withUnsafeMutableBufferPointer { out in
        ChunkedWork.forEach(count: runCount, threads: threads) { r in
          // Restart `r` writes only `out[r]`.
          out[r] = Lloyd.run(
            set, initial: initials[r], k: k, maximumIterations: maximumIterations,
            tolerance: absoluteTolerance, threads: inner, algorithm: algorithm)
        }
      }
      all = runs.map { $0! }
    }
    var best = 0
    for r in 1..<all.count where all[r].inertia < all[best].inertia { best = r }
    return KMeansResult(set: set, runs: all, best: best)
  }

  /// Throws `.invalidClusterCount` unless `1 ≤ k ≤ n`.
  static func check(clusterCount k: Int, points n: Int) throws {
    guard k >= 1, k <= n else {
      throw ClusterError(
        .invalidClusterCount, "\(k) clusters asked for \(n) points: need 1 ≤ k ≤ \(n)")
    }
  }
}
