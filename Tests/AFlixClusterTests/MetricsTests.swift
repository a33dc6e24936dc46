import AFlixLinalg
import Testing

@testable import AFlixCluster

@Suite("Cluster metrics")
struct MetricsTests {
  @Test func blockedSilhouetteEqualsTheTextbookOneAcrossBlockAndTileEdges() throws {
    // 1,300 points: several 256-row blocks and a partial 1,024-column tile; uneven clusters.
    let points = Support.uniform(n: 1_300, d: 3, seed: 8)
    var rng = SeededGenerator(seed: 2)
    let labels = (0..<1_300).map { _ in Int(rng.nextUnitDouble() * 5) * 7 - 3 }  // arbitrary ids
    let samples = try ClusterMetrics.silhouetteSamples(points, labels: labels)
    let naive = Support.naiveSilhouette(points, labels: labels)
    var worst = 0.0
    for i in 0..<samples.count { worst = max(worst, abs(samples[i] - naive[i])) }
    #expect(worst < 1e-10, "\(worst)")
    let score = try ClusterMetrics.silhouetteScore(points, labels: labels)
    #expect(abs(score - naive.reduce(0, +) / 1_300) < 1e-12)
  }

  @Test func oneSweepPassEqualsOneCallPerLabelling() throws {
    // 1,100 points: three 512-row blocks of the symmetric kernel, a partial 1,024-column tile of
    // the one-sided one; K-means labellings for k = 2…6, an arbitrary one with a singleton.
    let points = Support.uniform(n: 1_100, d: 4, seed: 5)
    var labelings = try (2...6).map {
      try KMeans(clusterCount: $0, restarts: 2, seed: 1).fit(points).labels
    }
    labelings.append((0..<1_100).map { $0 == 17 ? 99 : ($0 * 7) % 3 })
    let sweep = try ClusterMetrics.silhouetteSamples(points, labelings: labelings)
    let scores = try ClusterMetrics.silhouetteScores(points, labelings: labelings)
    #expect(sweep.count == labelings.count)
    let codings = labelings.map { LabelCoding($0) }
    let oneSided = SilhouetteKernel.samples(points, codings: codings, symmetric: false)
    for (index, labels) in labelings.enumerated() {
      let single = try ClusterMetrics.silhouetteSamples(points, labels: labels)
      var worst = 0.0
      for i in 0..<single.count {
        worst = max(worst, abs(sweep[index][i] - single[i]), abs(oneSided[index][i] - single[i]))
      }
      #expect(worst < 1e-12, "labelling \(index): \(worst)")
      #expect(
        abs(scores[index] - (try ClusterMetrics.silhouetteScore(points, labels: labels))) < 1e-12)
    }
    #expect(sweep[5][17] == 0)  // the singleton
    // One labelling through the sweep is the single-labelling call, bit for bit.
    #expect(
      try ClusterMetrics.silhouetteSamples(points, labelings: [labelings[2]])[0]
        == ClusterMetrics.silhouetteSamples(points, labels: labelings[2]))
    #expect(try ClusterMetrics.silhouetteScores(points, labelings: []) == [])
    #expect(throws: ClusterError.self) {
      try ClusterMetrics.silhouetteScores(
        points, labelings: [labelings[0], [Int](repeating: 0, count: 1_100)])
    }
  }

  @Test func sampledSilhouetteIsSeededAndClose() throws {
    let (points, truth) = Support.blobs(clusters: 3, perCluster: 400, d: 4, separation: 2)
    let exact = try ClusterMetrics.silhouetteScore(points, labels: truth)
    let a = try ClusterMetrics.sampledSilhouetteScore(
      points, labels: truth, sampleSize: 500, seed: 1)
    let b = try ClusterMetrics.sampledSilhouetteScore(
      points, labels: truth, sampleSize: 500, seed: 1)
    let c = try ClusterMetrics.sampledSilhouetteScore(
      points, labels: truth, sampleSize: 500, seed: 2)
    #expect(a == b)
    #expect(a != c)
    #expect(abs(a - exact) < 0.05, "\(a) vs \(exact)")
    let all = try ClusterMetrics.sampledSilhouetteScore(
      points, labels: truth, sampleSize: 5_000, seed: 1)
    #expect(all == exact)
  }

  @Test func balanceIsOneMinusTheCoefficientOfVariation() {
    #expect(ClusterMetrics.balance(sizes: [10, 10, 10]) == 1)
    // sizes 1, 3: mean 2, population std 1 → 0.5.
    #expect(ClusterMetrics.balance(sizes: [1, 3]) == 0.5)
    #expect(ClusterMetrics.balance(labels: [0, 1, 1, 1], clusterCount: 2) == 0.5)
    // An empty cluster counts: sizes 2, 2, 0 → mean 4/3, population std √(8/9).
    let b = ClusterMetrics.balance(labels: [0, 0, 1, 1], clusterCount: 3)
    #expect(abs(b - (1 - (8.0 / 9).squareRoot() / (4.0 / 3))) < 1e-15)
    #expect(ClusterMetrics.balance(sizes: []) == 0)
  }

  @Test func adjustedRandIndexMatchesScikitLearn() {
    // Values printed by scikit-learn 1.9.1's adjusted_rand_score.
    #expect(ClusterMetrics.adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]) == 1)
    #expect(
      abs(ClusterMetrics.adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]) - 0.5714285714285714)
        < 1e-15)
    #expect(abs(ClusterMetrics.adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) + 0.5) < 1e-15)
    let x = [0, 0, 1, 1, 2, 2, 2, 3]
    let y = ["a", "a", "b", "c", "c", "c", "a", "d"]
    #expect(abs(ClusterMetrics.adjustedRandIndex(x, y) - 0.20967741935483872) < 1e-15)
    #expect(ClusterMetrics.adjustedRandIndex([0, 0, 0], [1, 1, 1]) == 1)
    #expect(ClusterMetrics.adjustedRandIndex([0, 1, 2], [0, 1, 2]) == 1)
    #expect(ClusterMetrics.adjustedRandIndex([Int](), [Int]()) == 1)
  }

  @Test func normalizedMutualInformationMatchesScikitLearn() {
    let x = [0, 0, 1, 1, 2, 2, 2, 3]
    let y = ["a", "a", "b", "c", "c", "c", "a", "d"]
    #expect(abs(ClusterMetrics.normalizedMutualInformation(x, y) - 0.6547991927540455) < 1e-12)
    #expect(ClusterMetrics.normalizedMutualInformation([0, 0, 1, 1], [1, 1, 0, 0]) == 1)
    #expect(ClusterMetrics.normalizedMutualInformation([0, 0, 0, 0], [0, 1, 2, 3]) == 0)
    #expect(ClusterMetrics.normalizedMutualInformation([5, 5], ["x", "x"]) == 1)
  }

  @Test func calinskiHarabaszIsOneWithoutWithinClusterSpread() throws {
    let points = Matrix([[0.0, 0], [0, 0], [1, 1], [1, 1]])
    #expect(try ClusterMetrics.calinskiHarabasz(points, labels: [0, 0, 1, 1]) == 1)
    #expect(try ClusterMetrics.daviesBouldin(points, labels: [0, 0, 1, 1]) == 0)
  }
}

@Suite("Mini-batch K-means")
struct MiniBatchKMeansTests {
  @Test func findsBlobsCloseToFullKMeans() throws {
    let (points, truth) = Support.blobs(clusters: 5, perCluster: 4_000, d: 8, separation: 4)
    let mini = try MiniBatchKMeans(clusterCount: 5, seed: 4).fit(points)
    let full = try KMeans(clusterCount: 5, restarts: 3, seed: 4).fit(points)
    #expect(ClusterMetrics.adjustedRandIndex(mini.labels, truth) > 0.99)
    #expect(mini.inertia <= full.inertia * 1.02, "\(mini.inertia) vs \(full.inertia)")
    #expect(mini.restartInertias.count == 3)
    #expect(mini.iterations < 100 * 20)  // stopped early
    #expect(mini.converged)
    #expect(try mini.predict(points) == mini.labels)
    let again = try MiniBatchKMeans(clusterCount: 5, seed: 4).fit(points)
    #expect(again == mini)
  }
}

@Suite("Silhouette kernels")
struct SilhouetteKernelTests {
  @Test func symmetricAndOneSidedKernelsAgreeWithTheTextbook() throws {
    // 1,100 points: three 512-row blocks (symmetric), five 256-row blocks and two 1,024-column
    // tiles (one-sided); a singleton cluster and uneven sizes.
    let points = Support.uniform(n: 1_100, d: 4, seed: 12)
    var rng = SeededGenerator(seed: 5)
    var labels = (0..<1_100).map { _ in Int(rng.nextUnitDouble() * 4) }
    labels[600] = 99
    let coding = LabelCoding(labels)
    let symmetric = SilhouetteKernel.samples(points, coding: coding, symmetric: true)
    let oneSided = SilhouetteKernel.samples(points, coding: coding, symmetric: false)
    let naive = Support.naiveSilhouette(points, labels: labels)
    #expect(symmetric[600] == 0 && oneSided[600] == 0)
    for i in 0..<naive.count {
      #expect(abs(symmetric[i] - naive[i]) < 1e-10)
      #expect(abs(oneSided[i] - naive[i]) < 1e-10)
    }
  }
}
