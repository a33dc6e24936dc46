import AFlixData
import AFlixLinalg
import Foundation
internal import _AFlixSupport

extension RecommenderAlgorithm {
  /// Fits with ``fit(_:)``, checking `monitor` for cancellation before, and reporting one step
  /// after: what an algorithm defined outside AFlix gets unless it calls the monitor from its own
  /// loop. Every AFlix algorithm implements this requirement and checks between its steps.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> Model {
    try monitor.checkCancellation()
    let model = try fit(data)
    try monitor.checkpoint(step: 1, total: 1)
    return model
  }

  /// Fits the model on `data` without blocking Swift's cooperative thread pool: the fit runs on a
  /// thread of its own with `options.threadCount`, reports progress to `options.progress`, and
  /// stops at its next step once the calling task is cancelled.
  ///
  /// The result is the same model as ``fit(_:)`` gives at the same thread count (bit-identical:
  /// the fits are deterministic for a seed, and AFlix's loops give the same bits for every count).
  ///
  /// - Throws: `CancellationError` when the task is cancelled before the fit ends (nothing of the
  ///   partial fit is kept), else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, options: FitOptions) async throws -> Model {
    try await FitRunner.run(name: name, options: options) { monitor in
      try self.fit(data, monitor: monitor)
    }
  }

  /// The fit of ``fit(_:options:)`` as a stream: a ``FitEvent/progress(_:)`` per step, then
  /// ``FitEvent/finished(_:)`` with the model; the stream throws what the fit throws. Ending the
  /// iteration early (or cancelling the consuming task) cancels the fit.
  ///
  /// ```swift
  /// for try await event in BiasedMF(epochs: 40).fitEvents(train) {
  ///   switch event {
  ///   case .progress(let p): print("epoch \(p.step) of \(p.totalSteps)")
  ///   case .finished(let model): save(model)
  ///   }
  /// }
  /// ```
  public func fitEvents(
    _ data: RatingsDataset, options: FitOptions = FitOptions()
  ) -> AsyncThrowingStream<FitEvent<Model>, any Error> {
    let (stream, continuation) = AsyncThrowingStream<FitEvent<Model>, any Error>.makeStream()
    var options = options
    let forward = options.progress
    options.progress = { progress in
      forward?(progress)
      continuation.yield(.progress(progress))
    }
    let task = Task { [options] in
      do {
        let model = try await self.fit(data, options: options)
        continuation.yield(.finished(model))
        continuation.finish()
      } catch {
        continuation.finish(throwing: error)
      }
    }
    continuation.onTermination = { _ in task.cancel() }
    return stream
  }
}

/// One event of ``RecommenderAlgorithm/fitEvents(_:options:)``.
public enum FitEvent<Model: Sendable>: Sendable {
  /// A step of the fit ended.
  case progress(FitProgress)
  /// The fit ended with this model (the last event).
  case finished(Model)
}

/// Runs a fit on a dedicated thread and waits for it without blocking a cooperative thread.
enum FitRunner {
  /// Runs `body` on a new thread with `options.threadCount` bound (else the caller's count) and a
  /// monitor that reports to `options.progress` and is cancelled with the calling task.
  static func run<Model: Sendable>(
    name: String, options: FitOptions,
    _ body: @escaping @Sendable (FitMonitor) throws -> Model
  ) async throws -> Model {
    try Task.checkCancellation()
    // Read here, in the caller's task: a new thread does not inherit task-local values.
    let threads = options.threadCount ?? Parallelism.currentThreadCount
    let flag = FitCancellationFlag()
    let monitor = FitMonitor(
      algorithm: name, enclosing: [], handler: options.progress, flag: flag)
    return try await withTaskCancellationHandler {
      try await DedicatedThread.run(
        name: "AFlix fit (\(name))", lowPriority: options.priority == .background
      ) {
        try Parallelism.withThreadCount(threads) { try body(monitor) }
      }
    } onCancel: {
      flag.set()
    }
  }
}
