import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Synchronization

/// Collects the progress reports of a fit (they arrive on the fit's thread).
final class ProgressRecorder: Sendable {
  private let events = Mutex<[FitProgress]>([])

  /// A handler that records every report.
  var handler: @Sendable (FitProgress) -> Void { { p in self.events.withLock { $0.append(p) } } }

  /// Every report so far, in arrival order.
  var all: [FitProgress] { events.withLock { $0 } }

  /// The reports of the fit that was called (not those of its members).
  var topLevel: [FitProgress] { all.filter(\.enclosing.isEmpty) }
}

/// Helpers of the async-fit tests.
enum AsyncFitTestSupport {
  /// Small algorithms of every kind, quick on ``FactorTestData/noisyLowRank``.
  static let algorithms: [any RecommenderAlgorithm] = [
    Baseline(epochs: 4),
    BiasedMF(factors: 8, epochs: 5, seed: 3),
    SVDPlusPlus(factors: 8, epochs: 4, seed: 3),
    BPR(factors: 8, epochs: 4, seed: 3),
    BiasedALS(factors: 8, iterations: 3, seed: 3),
    ImplicitALS(factors: 8, iterations: 3, seed: 3),
    BayesianMF(factors: 4, burnIn: 2, samples: 3, seed: 3),
    KNNBaseline(neighbours: 10),
    TruncatedSVDRecommender(rank: 3, seed: 3),
    EASE(regularization: 50),
    PopularityAlgorithm(),
  ]

  /// Every known user's scores, rows concatenated: a fingerprint of a fitted model.
  static func scores(_ model: any RecommenderModel) -> [Float] {
    model.scores(forUsers: Array(0..<model.users.count))
  }

  /// The synchronous fit's and the asynchronous fit's fingerprints, both at `threads` threads.
  static func syncAndAsync<A: RecommenderAlgorithm>(
    _ algorithm: A, _ data: RatingsDataset, threads: Int, recorder: ProgressRecorder? = nil
  ) async throws -> (sync: [Float], async: [Float]) {
    let sync = try Parallelism.withThreadCount(threads) { try algorithm.fit(data) }
    let async = try await algorithm.fit(
      data, options: FitOptions(threadCount: threads, progress: recorder?.handler))
    return (scores(sync), scores(async))
  }

  /// Waits until `recorder` holds at least `count` top-level reports; `false` after 20 s.
  static func wait(for count: Int, in recorder: ProgressRecorder) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(20)
    while recorder.topLevel.count < count {
      if ContinuousClock.now > deadline { return false }
      try await Task.sleep(for: .milliseconds(1))
    }
    return true
  }
}
