import AFlixCluster
import AFlixLinalg
import Testing

@Suite("Degenerate input")
struct DegenerateInputTests {
  static func kind(_ body: () throws -> Any) -> ClusterError.Kind? {
    do {
      _ = try body()
      return nil
    } catch let error as ClusterError {
      #expect(!error.description.isEmpty)
      return error.kind
    } catch {
      return nil
    }
  }

  @Test func clusterCountsOutsideOneToN() {
    let points = Support.uniform(n: 10, d: 2, seed: 1)
    #expect(Self.kind { try KMeans(clusterCount: 0).fit(points) } == .invalidClusterCount)
    #expect(Self.kind { try KMeans(clusterCount: -3).fit(points) } == .invalidClusterCount)
    #expect(Self.kind { try KMeans(clusterCount: 11).fit(points) } == .invalidClusterCount)
    #expect(Self.kind { try MiniBatchKMeans(clusterCount: 11).fit(points) } == .invalidClusterCount)
  }

  @Test func emptyInputs() {
    #expect(
      Self.kind { try KMeans(clusterCount: 1).fit(Matrix(rows: 0, columns: 3)) } == .emptyInput)
    #expect(
      Self.kind { try KMeans(clusterCount: 1).fit(Matrix(rows: 4, columns: 0)) } == .emptyInput)
    #expect(
      Self.kind { try ClusterMetrics.silhouetteScore(Matrix(rows: 0, columns: 2), labels: []) }
        == .emptyInput)
  }

  @Test func nonFiniteCoordinates() {
    for bad in [Double.nan, .infinity, -.infinity] {
      var points = Support.uniform(n: 10, d: 2, seed: 1)
      points[3, 1] = bad
      #expect(Self.kind { try KMeans(clusterCount: 2).fit(points) } == .nonFiniteValue)
      #expect(Self.kind { try MiniBatchKMeans(clusterCount: 2).fit(points) } == .nonFiniteValue)
      #expect(
        Self.kind {
          try ClusterMetrics.silhouetteScore(
            points, labels: [0, 1] + [Int](repeating: 0, count: 8))
        }
          == .nonFiniteValue)
    }
    let clean = Support.uniform(n: 10, d: 2, seed: 1)
    let fit = try? KMeans(clusterCount: 2).fit(clean)
    #expect(Self.kind { try fit!.predict(Matrix([[0, .nan]])) } == .nonFiniteValue)
  }

  @Test func unusableWeights() {
    let points = Support.uniform(n: 4, d: 2, seed: 1)
    let kmeans = KMeans(clusterCount: 2)
    #expect(Self.kind { try kmeans.fit(points, weights: [1, 1, -1, 1]) } == .invalidWeights)
    #expect(Self.kind { try kmeans.fit(points, weights: [1, .nan, 1, 1]) } == .invalidWeights)
    #expect(Self.kind { try kmeans.fit(points, weights: [1, .infinity, 1, 1]) } == .invalidWeights)
    #expect(Self.kind { try kmeans.fit(points, weights: [0, 0, 0, 0]) } == .invalidWeights)
    #expect(Self.kind { try kmeans.fit(points, weights: [1, 1]) } == .invalidWeights)
    // Zero weights are allowed when some weight is positive.
    #expect(Self.kind { try kmeans.fit(points, weights: [0, 1, 0, 1]) } == nil)
  }

  @Test func unusableArguments() {
    let points = Support.uniform(n: 10, d: 2, seed: 1)
    #expect(Self.kind { try KMeans(clusterCount: 2, restarts: 0).fit(points) } == .invalidArgument)
    #expect(
      Self.kind { try KMeans(clusterCount: 2, maximumIterations: 0).fit(points) }
        == .invalidArgument)
    #expect(
      Self.kind { try KMeans(clusterCount: 2, tolerance: -1).fit(points) } == .invalidArgument)
    #expect(
      Self.kind { try KMeans(clusterCount: 2, tolerance: .nan).fit(points) } == .invalidArgument)
    let wrongShape = KMeans(clusterCount: 2, initialization: .centers(Matrix(rows: 2, columns: 3)))
    #expect(Self.kind { try wrongShape.fit(points) } == .invalidArgument)
    #expect(
      Self.kind { try MiniBatchKMeans(clusterCount: 2, batchSize: 0).fit(points) }
        == .invalidArgument)
    #expect(
      Self.kind { try ClusterMetrics.silhouetteScore(points, labels: [0, 1]) } == .invalidArgument)
    #expect(
      Self.kind {
        try ClusterMetrics.sampledSilhouetteScore(
          points, labels: [Int](repeating: 0, count: 5) + [1, 1, 1, 1, 1], sampleSize: 1, seed: 0)
      } == .invalidArgument)
  }

  @Test func identicalPointsHaveADefinedResult() throws {
    let points = Matrix(rows: 50, columns: 3, elements: [Double](repeating: 2.5, count: 150))
    for fit in [
      try KMeans(clusterCount: 4, seed: 1).fit(points),
      try MiniBatchKMeans(clusterCount: 4, seed: 1).fit(points),
    ] {
      #expect(fit.labels == [Int](repeating: 0, count: 50))
      #expect(fit.inertia == 0)
      #expect(fit.converged && fit.iterations == 0)
      #expect(fit.centers == Matrix(rows: 4, columns: 3, repeating: 2.5))
      #expect(fit.clusterSizes == [50, 0, 0, 0])
      #expect(try fit.predict(points) == fit.labels)
    }
    // One cluster: the silhouette is not defined.
    #expect(
      Self.kind {
        try ClusterMetrics.silhouetteScore(points, labels: [Int](repeating: 0, count: 50))
      } == .invalidLabelCount)
  }

  @Test func fewerDistinctPointsThanClustersStillFits() throws {
    // Three distinct points, each repeated: k = 5 runs and reaches inertia 0.
    var rows: [[Double]] = []
    for i in 0..<30 { rows.append([Double(i % 3) * 10, 1]) }
    let fit = try KMeans(clusterCount: 5, seed: 2).fit(Matrix(rows))
    #expect(fit.inertia < 1e-20)
    #expect(Set(fit.labels).count >= 3)
    #expect(fit.labels.count == 30)
  }

  @Test func metricsNeedTwoToNMinusOneLabels() {
    let points = Support.uniform(n: 6, d: 2, seed: 1)
    let oneCluster = [Int](repeating: 3, count: 6)
    let allDistinct = [0, 1, 2, 3, 4, 5]
    for labels in [oneCluster, allDistinct] {
      #expect(
        Self.kind { try ClusterMetrics.silhouetteScore(points, labels: labels) }
          == .invalidLabelCount)
      #expect(
        Self.kind { try ClusterMetrics.calinskiHarabasz(points, labels: labels) }
          == .invalidLabelCount)
      #expect(
        Self.kind { try ClusterMetrics.daviesBouldin(points, labels: labels) } == .invalidLabelCount
      )
    }
    #expect(
      Self.kind { try ClusterMetrics.silhouetteScore(points, labels: [0, 0, 1, 1, 2, 7]) } == nil)
  }
}
