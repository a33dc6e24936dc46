import AFlixCluster
import AFlixLinalg
import Testing

/// AFlixCluster against scikit-learn on the checked-in fixture (values and commands in
/// `Fixtures/REFERENCE.md`).
@Suite("Fixture against scikit-learn")
struct FixtureReferenceTests {
  @Test func silhouetteMatchesScikitLearn() throws {
    let points = try Support.fixturePoints()
    let labels = try Support.fixtureLabels()
    #expect(points.rows == 300 && points.columns == 5)
    let score = try ClusterMetrics.silhouetteScore(points, labels: labels)
    #expect(abs(score - 0.19738558654019936) < 1e-6, "\(score)")
    // The singleton (point 7, label 6) has silhouette 0 by definition.
    let samples = try ClusterMetrics.silhouetteSamples(points, labels: labels)
    #expect(samples[7] == 0)
    // And every sample agrees with the textbook definition.
    let naive = Support.naiveSilhouette(points, labels: labels)
    for i in 0..<samples.count { #expect(abs(samples[i] - naive[i]) < 1e-9) }
  }

  @Test func calinskiHarabaszDaviesBouldinAndBalanceMatchScikitLearn() throws {
    let points = try Support.fixturePoints()
    let labels = try Support.fixtureLabels()
    let ch = try ClusterMetrics.calinskiHarabasz(points, labels: labels)
    let db = try ClusterMetrics.daviesBouldin(points, labels: labels)
    #expect(abs(ch / 194.39557807508038 - 1) < 1e-9, "\(ch)")
    // scikit-learn measures the spread by the expansion ‖x‖² − 2x·c + ‖c‖² (≈ 1e-8 relative
    // rounding here); AFlix subtracts directly.
    #expect(abs(db / 1.2842150194281334 - 1) < 1e-7, "\(db)")
    let balance = ClusterMetrics.balance(labels: labels, clusterCount: 7)
    #expect(abs(balance - 0.43980162243878085) < 1e-12, "\(balance)")
  }

  @Test func bestOfTenRestartsIsWithinOnePercentOfScikitLearn() throws {
    let points = try Support.fixturePoints()
    let reference = 2528.3744291447033
    for seed: UInt64 in [0, 1, 42] {
      let fit = try KMeans(clusterCount: 5, restarts: 10, seed: seed).fit(points)
      #expect(fit.inertia <= reference * 1.01, "seed \(seed): \(fit.inertia)")
      #expect(fit.inertia >= reference * 0.99, "seed \(seed): \(fit.inertia)")
      #expect(fit.restartInertias.count == 10)
      #expect(fit.inertia == fit.restartInertias.min())
      #expect(fit.restartInertias[fit.bestRestart] == fit.inertia)
      // The reported inertia is the inertia of the returned centres and labels.
      let direct = ClusterMetrics.inertia(points, labels: fit.labels, centers: fit.centers)
      #expect(abs(direct - fit.inertia) <= 1e-9 * fit.inertia)
    }
  }
}
