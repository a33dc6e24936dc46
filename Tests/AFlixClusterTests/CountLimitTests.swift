import AFlixCluster
import AFlixLinalg
import Testing

/// Restart, iteration and epoch counts beyond the documented maxima are typed errors, never an
/// allocation failure or an overflow trap; degenerate inputs say so (issue #10).
@Suite("Cluster count limits")
struct ClusterCountLimitTests {
  static let points = Support.uniform(n: 40, d: 3, seed: 5)

  static func isInvalidArgument(_ body: () throws -> Void) -> Bool {
    do {
      try body()
      return false
    } catch let error as ClusterError {
      return error.kind == .invalidArgument
    } catch {
      return false
    }
  }

  @Test(arguments: [Int.max, 1 << 40, KMeans.maximumRestarts + 1, 0])
  func restartsOutsideTheRangeAreRefused(restarts: Int) {
    #expect(
      Self.isInvalidArgument {
        _ = try KMeans(clusterCount: 3, restarts: restarts).fit(Self.points)
      })
  }

  @Test(arguments: [Int.max, Int(Int32.max) + 1])
  func hugeIterationAndEpochCountsAreRefused(count: Int) {
    #expect(
      Self.isInvalidArgument {
        _ = try KMeans(clusterCount: 3, maximumIterations: count).fit(Self.points)
      })
    #expect(
      Self.isInvalidArgument {
        _ = try MiniBatchKMeans(clusterCount: 3, maximumEpochs: count).fit(Self.points)
      })
    #expect(
      Self.isInvalidArgument {
        _ = try MiniBatchKMeans(clusterCount: 3, batchSize: count).fit(Self.points)
      })
  }

  @Test func theLargestIterationCountStillRunsToConvergence() throws {
    let result = try KMeans(
      clusterCount: 3, restarts: 1, maximumIterations: KMeans.maximumIterationLimit
    ).fit(Self.points)
    #expect(result.converged)
  }

  /// Fewer distinct points than k: the result says how many clusters are empty.
  @Test(arguments: [1, 2])
  func fewerDistinctPointsThanKLeaveCountedEmptyClusters(distinct: Int) throws {
    let rows = (0..<30).map { i in [Double(i % distinct), 1.0] }
    let result = try KMeans(clusterCount: 4, seed: 3).fit(Matrix(rows))
    #expect(result.emptyClusterCount == 4 - distinct)
    #expect(result.clusterSizes.filter { $0 > 0 }.count == distinct)
  }

  @Test func distinctPointsLeaveNoClusterEmpty() throws {
    let result = try KMeans(clusterCount: 5, seed: 3).fit(Self.points)
    #expect(result.emptyClusterCount == 0)
  }
}
