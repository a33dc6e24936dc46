import AFlixCluster
import AFlixLinalg
import Testing

@Suite("K-means")
struct KMeansTests {
  @Test func separatedBlobsAreFoundExactly() throws {
    let (points, truth) = Support.blobs(clusters: 4, perCluster: 150, d: 6)
    for initialization in [KMeans.Initialization.kMeansPlusPlus, .random] {
      let fit = try KMeans(clusterCount: 4, seed: 3, initialization: initialization).fit(points)
      #expect(ClusterMetrics.adjustedRandIndex(fit.labels, truth) == 1)
      #expect(fit.converged)
      #expect(fit.clusterSizes.sorted() == [150, 150, 150, 150])
      #expect(try ClusterMetrics.silhouetteScore(points, labels: fit.labels) > 0.7)
    }
  }

  @Test func sameSeedSameLabelsAndPredictGivesTheTrainingLabels() throws {
    let points = Support.uniform(n: 5_000, d: 7, seed: 11)  // no structure: many local minima
    // One BLAS thread count for both fits (a section keeps other tests from changing it).
    let (a, b) = try BLAS.withThreadCount(2) {
      (
        try KMeans(clusterCount: 6, seed: 5).fit(points),
        try KMeans(clusterCount: 6, seed: 5).fit(points)
      )
    }
    #expect(a == b)
    #expect(try a.predict(points) == a.labels)
    let other = try KMeans(clusterCount: 6, seed: 6).fit(points)
    #expect(other.restartInertias != a.restartInertias)
    // A folded-in point lands in the cluster of the nearest centre.
    let centre = Matrix(rows: 1, columns: 7, elements: Array(a.centers.row(2)))
    #expect(try a.predict(centre) == [2])
  }

  @Test func explicitCentresRunOnceFromThoseCentres() throws {
    let (points, truth) = Support.blobs(clusters: 3, perCluster: 100, d: 4)
    // Start from one point of each blob: converges to the blobs in a few iterations.
    let start = Matrix([Array(points.row(0)), Array(points.row(100)), Array(points.row(200))])
    let fit = try KMeans(clusterCount: 3, restarts: 7, initialization: .centers(start)).fit(points)
    #expect(fit.restartInertias.count == 1)
    #expect(fit.labels == truth)
    #expect(fit.iterations <= 5)
  }

  @Test func integerWeightsActLikeRepeatedPoints() throws {
    let (points, _) = Support.blobs(clusters: 3, perCluster: 40, d: 3, separation: 3)
    var weights = [Double](repeating: 1, count: points.rows)
    var repeated = points.elements
    for i in stride(from: 0, to: points.rows, by: 3) {
      weights[i] = 3
      repeated.append(contentsOf: points.row(i))
      repeated.append(contentsOf: points.row(i))
    }
    let start = Matrix([Array(points.row(0)), Array(points.row(40)), Array(points.row(80))])
    let kmeans = KMeans(clusterCount: 3, tolerance: 0, initialization: .centers(start))
    let weighted = try kmeans.fit(points, weights: weights)
    let copies = try kmeans.fit(
      Matrix(rows: repeated.count / 3, columns: 3, elements: repeated))
    #expect(abs(weighted.inertia - copies.inertia) <= 1e-9 * copies.inertia)
    for (x, y) in zip(weighted.centers.elements, copies.centers.elements) {
      #expect(abs(x - y) < 1e-9)
    }
    #expect(Array(copies.labels.prefix(points.rows)) == weighted.labels)
  }

  @Test func anEmptyClusterTakesTheFarthestPoint() throws {
    // Centre 2 starts far from every point: after the first assignment it is empty and must be
    // moved to the point farthest from its centre (the outlier at x = 50).
    var rows: [[Double]] = (0..<20).map { [Double($0 % 5) * 0.1, 0] }
    rows.append([50, 0])
    let points = Matrix(rows)
    let start = Matrix([[0, 0], [0.4, 0], [1_000, 1_000]])
    let fit = try KMeans(clusterCount: 3, initialization: .centers(start)).fit(points)
    #expect(fit.labels[20] == 2)
    #expect(fit.clusterSizes[2] == 1)
    #expect(abs(fit.centers[2, 0] - 50) < 1e-12)
  }

  @Test func kEqualToNGivesEveryPointItsOwnCluster() throws {
    let points = Support.uniform(n: 12, d: 2, seed: 3)
    let fit = try KMeans(clusterCount: 12, seed: 1).fit(points)
    #expect(Set(fit.labels).count == 12)
    #expect(fit.inertia < 1e-20)
  }

  @Test func oneClusterIsTheMean() throws {
    let points = Support.uniform(n: 100, d: 3, seed: 4)
    let fit = try KMeans(clusterCount: 1, seed: 1).fit(points)
    #expect(fit.labels == [Int](repeating: 0, count: 100))
    for j in 0..<3 {
      let mean = (0..<100).map { points[$0, j] }.reduce(0, +) / 100
      #expect(abs(fit.centers[0, j] - mean) < 1e-12)
    }
  }
}
