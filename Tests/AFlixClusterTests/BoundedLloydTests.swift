import AFlixCluster
import AFlixLinalg
import Testing

/// Elkan's bounds and restarts in lockstep change how much is computed and how, never the
/// result: from the same centres, every iteration gives the same labels as plain Lloyd, and the
/// fit is bit-identical.
@Suite("Accelerated K-means against plain Lloyd")
struct BoundedLloydTests {
  /// Fits from `start` with both algorithms, capped at `1…cap` iterations, and checks that every
  /// capped fit agrees bit for bit: the labels after each iteration are the same.
  static func checkEveryIteration(
    _ points: Matrix<Double>, start: Matrix<Double>, weights: [Double]? = nil,
    tolerance: Double = 0, cap: Int
  ) throws -> Int {
    var iterations = 0
    for t in 1...cap {
      let configuration = { (algorithm: KMeans.Algorithm) in
        KMeans(
          clusterCount: start.rows, maximumIterations: t, tolerance: tolerance,
          initialization: .centers(start), algorithm: algorithm)
      }
      let plain = try configuration(.lloyd).fit(points, weights: weights)
      let bounded = try configuration(.elkan).fit(points, weights: weights)
      let batched = try configuration(.batched).fit(points, weights: weights)
      #expect(plain == bounded, "iteration \(t)")
      #expect(plain == batched, "iteration \(t)")
      iterations = plain.iterations
      if plain.converged { break }
    }
    return iterations
  }

  /// The first `k` rows of `points` as centres.
  static func firstRows(_ points: Matrix<Double>, _ k: Int) -> Matrix<Double> {
    Matrix(
      rows: k, columns: points.columns, elements: Array(points.elements[0..<(k * points.columns)]))
  }

  @Test func uniformPointsManyIterations() throws {
    // No structure: centres keep drifting for dozens of iterations, many points near ties.
    let points = Support.uniform(n: 1_500, d: 6, seed: 21)
    let iterations = try Self.checkEveryIteration(
      points, start: Self.firstRows(points, 7), cap: 300)
    #expect(iterations > 10)
  }

  @Test func blobsWithWeightsAndTolerance() throws {
    let (points, _) = Support.blobs(clusters: 5, perCluster: 300, d: 8, separation: 1.5, seed: 4)
    var rng = SeededGenerator(seed: 3)
    let weights = (0..<points.rows).map { i in i % 17 == 0 ? 0 : 0.1 + rng.nextUnitDouble() * 3 }
    _ = try Self.checkEveryIteration(
      points, start: Self.firstRows(points, 6), weights: weights, tolerance: 1e-9, cap: 300)
  }

  @Test func emptyClustersAreRepairedIdentically() throws {
    // Two centres far away: both empty after the first assignment, relocated to far points.
    var points = Support.uniform(n: 2_000, d: 3, seed: 8)
    points[5, 0] = 4
    points[6, 1] = -3
    var start = Self.firstRows(points, 5)
    for j in 0..<3 {
      start[3, j] = 1_000
      start[4, j] = -1_000
    }
    _ = try Self.checkEveryIteration(points, start: start, cap: 300)
  }

  @Test func fullFitsWithRestartsAgree() throws {
    let (points, _) = Support.blobs(clusters: 6, perCluster: 400, d: 10, separation: 0.8, seed: 9)
    for k in [1, 2, 5, 8] {
      let plain = try KMeans(clusterCount: k, seed: 13, algorithm: .lloyd).fit(points)
      let bounded = try KMeans(clusterCount: k, seed: 13, algorithm: .elkan).fit(points)
      let batched = try KMeans(clusterCount: k, seed: 13).fit(points)
      #expect(plain == bounded, "k = \(k)")
      #expect(plain == batched, "k = \(k)")
      // Weighted, with a tolerance that stops restarts at different iterations.
      var rng = SeededGenerator(seed: UInt64(k))
      let weights = (0..<points.rows).map { _ in 0.5 + rng.nextUnitDouble() }
      let configuration = { (algorithm: KMeans.Algorithm) in
        KMeans(clusterCount: k, restarts: 4, tolerance: 1e-3, seed: 2, algorithm: algorithm)
      }
      #expect(
        try configuration(.lloyd).fit(points, weights: weights)
          == configuration(.batched).fit(points, weights: weights), "k = \(k), weighted")
    }
  }
}
