import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite struct AsyncFitCancellationTests {
  /// Cancels `algorithm`'s fit once `after` steps were reported; returns the error thrown, the
  /// steps reported when cancelling and in all, and the seconds from cancelling to the throw.
  func cancel<A: RecommenderAlgorithm>(
    _ algorithm: A, on data: RatingsDataset, after: Int
  ) async throws -> (error: (any Error)?, atCancel: Int, reported: Int, seconds: Double) {
    let recorder = ProgressRecorder()
    let task = Task {
      try await algorithm.fit(data, options: FitOptions(threadCount: 1, progress: recorder.handler))
    }
    let reached = try await AsyncFitTestSupport.wait(for: after, in: recorder)
    #expect(reached)
    let atCancel = recorder.topLevel.count
    let start = ContinuousClock.now
    task.cancel()
    let result = await task.result
    let seconds = (ContinuousClock.now - start) / .seconds(1)
    var error: (any Error)?
    if case .failure(let e) = result { error = e }
    return (error, atCancel, recorder.topLevel.count, seconds)
  }

  @Test func aCancelledLongFitThrowsCancellationErrorAtItsNextEpoch() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let epochs = 1_000_000  // hours of epochs: only cancellation ends this fit
    let outcome = try await cancel(
      BiasedMF(factors: 8, epochs: epochs, seed: 2), on: train, after: 3)
    #expect(outcome.error is CancellationError)
    // The epoch running when the flag was set may report; the next checkpoint throws.
    #expect(outcome.reported <= outcome.atCancel + 1)
    #expect(outcome.reported < epochs / 1_000)
    #expect(outcome.seconds < 1)
  }

  @Test(arguments: [
    ImplicitALS(factors: 8, iterations: 100_000, seed: 2) as any RecommenderAlgorithm,
    BayesianMF(factors: 4, burnIn: 100_000, samples: 1, seed: 2),
    SVDPlusPlus(factors: 8, epochs: 100_000, seed: 2),
    BPR(factors: 8, epochs: 100_000, seed: 2),
    Baseline(epochs: 10_000_000),
  ])
  func everyIterativeFitStopsWhenCancelled(_ algorithm: any RecommenderAlgorithm) async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let outcome = try await cancel(algorithm, on: train, after: 2)
    #expect(outcome.error is CancellationError, "\(algorithm.name)")
    #expect(outcome.reported <= outcome.atCancel + 1, "\(algorithm.name)")
    #expect(outcome.seconds < 1, "\(algorithm.name)")
  }

  @Test func aBlendStopsInsideAMemberFit() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let blend = Blend(members: [BiasedMF(factors: 4, epochs: 1_000_000, seed: 1)], seed: 1)
    let recorder = ProgressRecorder()
    let task = Task { try await blend.fit(train, options: FitOptions(progress: recorder.handler)) }
    while recorder.all.count < 2 { try await Task.sleep(for: .milliseconds(1)) }
    task.cancel()
    let result = await task.result
    guard case .failure(let error) = result else {
      Issue.record("the cancelled blend returned a model")
      return
    }
    #expect(error is CancellationError)
    #expect(recorder.topLevel.isEmpty, "no member fit ended")
  }

  @Test func aTaskCancelledBeforeTheFitRunsNoStep() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let recorder = ProgressRecorder()
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await BiasedMF(factors: 4, epochs: 5).fit(
        train, options: FitOptions(progress: recorder.handler))
    }
    let result = await task.result
    guard case .failure(let error) = result else {
      Issue.record("the cancelled fit returned a model")
      return
    }
    #expect(error is CancellationError)
    #expect(recorder.all.isEmpty)
  }

  @Test func fitsAfterACancelledFitAreUnaffected() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    // The ALS fits hold the BLAS section while they run: a cancelled one must release it.
    for algorithm in [
      ImplicitALS(factors: 8, iterations: 100_000, seed: 5) as any RecommenderAlgorithm,
      BiasedMF(factors: 8, epochs: 1_000_000, seed: 5),
    ] {
      let outcome = try await cancel(algorithm, on: train, after: 2)
      #expect(outcome.error is CancellationError)
    }
    let ials = ImplicitALS(factors: 8, iterations: 3, seed: 5)
    let mf = BiasedMF(factors: 8, epochs: 3, seed: 5)
    let (ialsSync, ialsAsync) = try await AsyncFitTestSupport.syncAndAsync(ials, train, threads: 2)
    #expect(ialsSync == ialsAsync)
    let (mfSync, mfAsync) = try await AsyncFitTestSupport.syncAndAsync(mf, train, threads: 2)
    #expect(mfSync == mfAsync)
  }
}
