import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Synchronization
import Testing

@Suite struct AsyncFitCancellationTests {
  /// Fits `algorithm` in a task that its own progress handler cancels at step `at` (on the fit's
  /// thread, so a busy cooperative pool cannot delay the cancellation); returns the error thrown
  /// and the top-level steps reported.
  func cancel<A: RecommenderAlgorithm>(
    _ algorithm: A, on data: RatingsDataset, at step: Int
  ) async -> (error: (any Error)?, reported: [Int]) {
    let recorder = ProgressRecorder()
    let box = TaskBox()
    let options = FitOptions(threadCount: 1) { progress in
      recorder.handler(progress)
      if progress.enclosing.isEmpty && progress.step >= step { box.cancel() }
    }
    let task = Task { try await algorithm.fit(data, options: options) }
    box.set(task)
    if case .failure(let error) = await task.result {
      return (error, recorder.topLevel.map(\.step))
    }
    return (nil, recorder.topLevel.map(\.step))
  }

  @Test func aCancelledLongFitThrowsCancellationErrorAtItsNextEpoch() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let epochs = 1_000_000  // hours of epochs: only cancellation ends this fit
    let outcome = await cancel(BiasedMF(factors: 8, epochs: epochs, seed: 2), on: train, at: 3)
    #expect(outcome.error is CancellationError)
    // Cancelled during step 3's report (or, had the task not been stored yet, a later one): the
    // next checkpoint throws, so no step is reported after the one that cancelled.
    let last = try #require(outcome.reported.last)
    #expect(outcome.reported == Array(1...last))
    // Promptly, counted in epochs rather than seconds (the test runner's pool may be busy with
    // other suites): the fit stopped within a few epochs of the request.
    #expect(last >= 3 && last <= 4)
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
    let outcome = await cancel(algorithm, on: train, at: 2)
    #expect(outcome.error is CancellationError, "\(algorithm.name)")
    let last = try #require(outcome.reported.last)
    #expect(outcome.reported == Array(1...last), "\(algorithm.name)")
    #expect(last >= 2 && last < 1_000, "\(algorithm.name)")
  }

  @Test func aBlendStopsInsideAMemberFit() async throws {
    let (train, _) = try FactorTestData.noisyLowRank()
    let blend = Blend(members: [BiasedMF(factors: 4, epochs: 1_000_000, seed: 1)], seed: 1)
    let recorder = ProgressRecorder()
    let box = TaskBox()
    let options = FitOptions { progress in
      recorder.handler(progress)
      if progress.step >= 2 { box.cancel() }  // a member's epoch
    }
    let task = Task { try await blend.fit(train, options: options) }
    box.set(task)
    guard case .failure(let error) = await task.result else {
      Issue.record("the cancelled blend returned a model")
      return
    }
    #expect(error is CancellationError)
    #expect(recorder.topLevel.isEmpty, "no member fit ended")
    #expect(recorder.all.count < 1_000)
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
      let outcome = await cancel(algorithm, on: train, at: 2)
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

/// The task a fit's progress handler cancels: cancelled once both the task is stored and a
/// cancellation was asked for, in whichever order they happen.
final class TaskBox: Sendable {
  private let state = Mutex<(cancel: (@Sendable () -> Void)?, requested: Bool)>((nil, false))

  /// Stores `task`, cancelling it at once when a cancellation was already asked for.
  func set<T: Sendable>(_ task: Task<T, any Error>) {
    let requested = state.withLock { s in
      s.cancel = { task.cancel() }
      return s.requested
    }
    if requested { task.cancel() }
  }

  /// Asks for the cancellation.
  func cancel() {
    let cancel = state.withLock { s in
      s.requested = true
      return s.cancel
    }
    cancel?()
  }
}
