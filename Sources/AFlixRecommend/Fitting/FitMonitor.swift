import Synchronization

/// What a fit's loop calls between its steps: ``checkpoint(step:total:loss:)`` throws
/// `CancellationError` once the fit has been cancelled, and reports progress otherwise.
///
/// ``RecommenderAlgorithm/fit(_:options:)`` makes one per call; ``init()`` makes an inert one
/// (never cancelled, reports nothing), which is what the synchronous ``RecommenderAlgorithm/fit(_:)``
/// uses. An algorithm defined outside AFlix calls it from its own
/// ``RecommenderAlgorithm/fit(_:monitor:)`` to become cancellable.
public struct FitMonitor: Sendable {
  /// The algorithm name progress is reported under.
  let algorithm: String
  /// The names of the enclosing fits, outermost first.
  let enclosing: [String]
  /// Where progress goes; `nil` reports nothing.
  let handler: (@Sendable (FitProgress) -> Void)?
  /// The cancellation flag shared with the caller (and with every member monitor); `nil` for an
  /// inert monitor.
  let flag: FitCancellationFlag?

  /// An inert monitor: never cancelled, reports nothing.
  public init() {
    self.init(algorithm: "", enclosing: [], handler: nil, flag: nil)
  }

  init(
    algorithm: String, enclosing: [String], handler: (@Sendable (FitProgress) -> Void)?,
    flag: FitCancellationFlag?
  ) {
    self.algorithm = algorithm
    self.enclosing = enclosing
    self.handler = handler
    self.flag = flag
  }

  /// Whether the fit has been cancelled.
  public var isCancelled: Bool { flag?.isSet ?? false }

  /// Throws `CancellationError` when the fit has been cancelled.
  public func checkCancellation() throws {
    if isCancelled { throw CancellationError() }
  }

  /// Marks the end of step `step` of `total`: throws `CancellationError` when the fit has been
  /// cancelled, else reports a ``FitProgress`` (with `loss` when the algorithm has one).
  public func checkpoint(step: Int, total: Int, loss: Double? = nil) throws {
    try checkCancellation()
    handler?(
      FitProgress(
        algorithm: algorithm, step: step, totalSteps: total, loss: loss, enclosing: enclosing))
  }

  /// The monitor of a member fit named `name` (a blend's member): the same cancellation, progress
  /// reported under `name` with this fit in ``FitProgress/enclosing``.
  public func member(_ name: String) -> FitMonitor {
    FitMonitor(
      algorithm: name, enclosing: enclosing + [algorithm], handler: handler, flag: flag)
  }

  /// The monitor of a part of this fit whose steps are not reported (the biases a kNN model fits
  /// first): the same cancellation, no progress.
  var silent: FitMonitor {
    FitMonitor(algorithm: algorithm, enclosing: enclosing, handler: nil, flag: flag)
  }
}

/// A cancellation flag set from a task's cancellation handler and read by a fit's thread.
final class FitCancellationFlag: Sendable {
  private let value = Atomic<Bool>(false)

  /// Sets the flag.
  func set() { value.store(true, ordering: .releasing) }

  /// Whether the flag is set.
  var isSet: Bool { value.load(ordering: .acquiring) }
}
