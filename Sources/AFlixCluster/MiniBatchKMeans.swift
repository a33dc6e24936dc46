import AFlixLinalg

/// Mini-batch K-means (Sculley, 2010) for millions of points: each step assigns a seeded random
/// batch to the nearest centres and moves every centre towards its batch points with a
/// per-centre learning rate `1 / (weight it has absorbed so far)`.
///
/// ```swift
/// let fit = try MiniBatchKMeans(clusterCount: 8, seed: 3).fit(manyPoints)  // n in the millions
/// fit.labels        // every point's nearest final centre
/// fit.inertia       // over all points
/// ```
///
/// Initialisation: k-means++ on a seeded sample of ``initializationSize`` points, tried
/// ``initializationTrials`` times; the candidate with the lowest inertia on a second seeded
/// sample is kept (scikit-learn's `MiniBatchKMeans` does the same). Each step draws
/// ``batchSize`` points with replacement. Stopping: after ``maximumEpochs`` passes' worth of
/// steps, or earlier when an exponentially weighted average of the batch inertia has not improved
/// for ``maximumNoImprovement`` consecutive steps (scikit-learn's rule). A final pass assigns every
/// point and measures the inertia. Unlike scikit-learn, centres with few points are not randomly
/// reassigned; a cluster can therefore end empty.
///
/// Steps run in order on one thread (BLAS threads aside); the final pass runs in parallel
/// chunks. The same seed gives the same result bit for bit for a fixed BLAS thread count.
public struct MiniBatchKMeans: Sendable, Equatable {
  /// The number of clusters `k`.
  public var clusterCount: Int
  /// Points per step; 1,024 by default.
  public var batchSize: Int
  /// The most steps, in passes over the data (`⌈n / batchSize⌉` steps each); 100 by default.
  public var maximumEpochs: Int
  /// Steps without improvement of the smoothed batch inertia before stopping; 10 by default.
  public var maximumNoImprovement: Int
  /// Points in the k-means++ sample; `nil` means `3 × batchSize` (at least `3k`, at most `n`).
  public var initializationSize: Int?
  /// Candidate initialisations; 3 by default.
  public var initializationTrials: Int
  /// The seed of the initialisations and batches.
  public var seed: UInt64

  /// Creates a configuration; the defaults are scikit-learn's.
  public init(
    clusterCount: Int, batchSize: Int = 1_024, maximumEpochs: Int = 100,
    maximumNoImprovement: Int = 10, initializationSize: Int? = nil, initializationTrials: Int = 3,
    seed: UInt64 = 0
  ) {
    self.clusterCount = clusterCount
    self.batchSize = batchSize
    self.maximumEpochs = maximumEpochs
    self.maximumNoImprovement = maximumNoImprovement
    self.initializationSize = initializationSize
    self.initializationTrials = initializationTrials
    self.seed = seed
  }

  /// Clusters the rows of `points` (`n × d`), optionally weighted. All points identical give the
  /// defined result of ``KMeans/fit(_:weights:)``.
  ///
  /// - Throws: ``ClusterError`` as ``KMeans/fit(_:weights:)``; `.invalidArgument` when the
  ///   batch size, epochs, no-improvement steps, trials or initialisation size are below 1 or
  ///   above ``KMeans/maximumIterationLimit`` (trials: ``KMeans/maximumRestarts``).
  /// - Complexity: O(steps · batchSize · d · k + n · d · k).
  public func fit(_ points: Matrix<Double>, weights: [Double]? = nil) throws -> KMeansResult {
    let set = try PointSet.validated(points, weights: weights, centring: false)
    let k = clusterCount
    try KMeans.check(clusterCount: k, points: set.n)
    let limit = KMeans.maximumIterationLimit
    guard (1...limit).contains(batchSize), (1...limit).contains(maximumEpochs),
      (1...limit).contains(maximumNoImprovement),
      (1...KMeans.maximumRestarts).contains(initializationTrials),
      (1...limit).contains(initializationSize ?? 1)
    else {
      throw ClusterError(
        .invalidArgument,
        "batch size, epochs, no-improvement steps and initialisation size must be between 1 and "
          + "\(limit), trials between 1 and \(KMeans.maximumRestarts)")
    }
    let d = set.d
    if set.allRowsIdentical {
      var centers = [Double](repeating: 0, count: k * d)
      for c in 0..<k { Seeding.copyRow(0, of: set, into: &centers, at: c) }
      return KMeansResult(
        centers: Matrix(rows: k, columns: d, elements: centers),
        labels: [Int](repeating: 0, count: set.n), inertia: 0, iterations: 0, converged: true,
        restartInertias: [0], bestRestart: 0)
    }
    let sampleSize = min(set.n, max(initializationSize ?? 3 * batchSize, 3 * k))
    var trialInertias: [Double] = []
    var best: [Double] = []
    for t in 0..<initializationTrials {
      var rng = SeededGenerator(seed: seed, stream: UInt64(t))
      let sample = set.subset(Self.sampleWithoutReplacement(set.n, sampleSize, using: &rng))
      let validation = set.subset(Self.sampleWithoutReplacement(set.n, sampleSize, using: &rng))
      let centers = Seeding.kMeansPlusPlus(sample, k: k, using: &rng)
      var labels = [Int32](repeating: -1, count: validation.n)
      _ = Lloyd.assign(
        validation, centers: centers, k: k, labels: &labels, accumulate: false, threads: 1)
      let inertia = Lloyd.inertia(validation, centers: centers, labels: labels, threads: 1)
      if trialInertias.isEmpty || inertia < trialInertias.min()! { best = centers }
      trialInertias.append(inertia)
    }
    var centers = best
    var counts = [Double](repeating: 0, count: k)
    var rng = SeededGenerator(seed: seed, stream: UInt64(initializationTrials))
    let b = min(batchSize, set.n)
    let stepsPerEpoch = (set.n + b - 1) / b
    let alpha = min(1, 2 * Double(b) / Double(set.n + 1))
    var smoothed = Double.infinity
    var bestSmoothed = Double.infinity
    var stale = 0
    var steps = 0
    var converged = false
    var batch = [Double](repeating: 0, count: b * d)
    var batchIndices = [Int](repeating: 0, count: b)
    var dots = [Double](repeating: 0, count: b * k)
    // Both factors are at most 2³¹ − 1: the product fits in 64 bits.
    let totalSteps = maximumEpochs * stepsPerEpoch
    for step in 1...totalSteps {
      steps = step
      for r in 0..<b {
        let i = Int(rng.nextUnitDouble() * Double(set.n))
        batchIndices[r] = min(set.n - 1, i)
        Seeding.copyRow(batchIndices[r], of: set, into: &batch, at: r)
      }
      let centerNorms = rowSquaredNorms(centers, rows: k, columns: d)
      batch.withUnsafeBufferPointer { x in
        centers.withUnsafeBufferPointer { c in
          dots.withUnsafeMutableBufferPointer { out in
            gemmABt(
              x.baseAddress!, rows: b, c.baseAddress!, rows: k, depth: d,
              into: out.baseAddress!)
          }
        }
      }
      var sums = [Double](repeating: 0, count: k * d)
      var batchWeights = [Double](repeating: 0, count: k)
      var batchInertia = 0.0
      var batchWeight = 0.0
      dots.withUnsafeBufferPointer { t in
        for r in 0..<b {
          let i = batchIndices[r]
          let nearest = Lloyd.nearest(t.baseAddress! + r * k, centerNorms, k)
          let w = set.weight(i)
          let distance = set.squaredNorms[i] + centerNorms[nearest] - 2 * t[r * k + nearest]
          batchInertia += w * max(0, distance)
          batchWeight += w
          batchWeights[nearest] += w
          for j in 0..<d { sums[nearest * d + j] += w * batch[r * d + j] }
        }
      }
      for c in 0..<k where batchWeights[c] > 0 {
        let total = counts[c] + batchWeights[c]
        for j in 0..<d {
          centers[c * d + j] = (centers[c * d + j] * counts[c] + sums[c * d + j]) / total
        }
        counts[c] = total
      }
      let mean = batchWeight > 0 ? batchInertia / batchWeight : 0
      smoothed = smoothed.isFinite ? smoothed * (1 - alpha) + mean * alpha : mean
      if smoothed < bestSmoothed {
        bestSmoothed = smoothed
        stale = 0
      } else {
        stale += 1
        if stale >= maximumNoImprovement {
          converged = true
          break
        }
      }
    }
    var labels = [Int32](repeating: -1, count: set.n)
    _ = Lloyd.assign(
      set, centers: centers, k: k, labels: &labels, accumulate: false,
      threads: ChunkedWork.threads)
    let inertia = Lloyd.inertia(set, centers: centers, labels: labels, threads: ChunkedWork.threads)
    let bestTrial = trialInertias.firstIndex(of: trialInertias.min()!)!
    return KMeansResult(
      centers: Matrix(rows: k, columns: d, elements: centers), labels: labels.map { Int($0) },
      inertia: inertia, iterations: steps, converged: converged, restartInertias: trialInertias,
      bestRestart: bestTrial)
  }

  /// `count` distinct indices of `0..<n`, by a partial Fisher–Yates shuffle (sorted).
  static func sampleWithoutReplacement(
    _ n: Int, _ count: Int, using rng: inout SeededGenerator
  ) -> [Int] {
    if count >= n { return Array(0..<n) }
    var pool = Array(0..<n)
    for s in 0..<count {
      let pick = min(n - 1, s + Int(rng.nextUnitDouble() * Double(n - s)))
      pool.swapAt(s, pick)
    }
    return pool[0..<count].sorted()
  }
}

extension PointSet {
  /// The rows `indices` as a point set of their own (same offset).
  func subset(_ indices: [Int]) -> PointSet {
    var values = [Double]()
    values.reserveCapacity(indices.count * d)
    for i in indices { values.append(contentsOf: self.values[(i * d)..<((i + 1) * d)]) }
    let w = weights.map { all in indices.map { all[$0] } }
    return PointSet(
      n: indices.count, d: d, values: values, squaredNorms: indices.map { squaredNorms[$0] },
      weights: w, totalWeight: w?.reduce(0, +) ?? Double(indices.count), offset: offset)
  }
}
