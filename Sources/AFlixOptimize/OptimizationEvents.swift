/// The events of ``KOptimizer/optimize(_:)``: an `AsyncSequence` that also stops the work.
///
/// Events are buffered as the optimiser produces them; a consumer whose task is cancelled gets
/// `CancellationError` from its next `next()` (buffered events are not handed out), and the
/// optimiser stops before its next candidate, fold or K-means fit. Ending the iteration early
/// stops it too.
public struct OptimizationEvents: AsyncSequence, Sendable {
  /// An event.
  public typealias Element = OptimizationEvent

  let stream: AsyncThrowingStream<OptimizationEvent, any Error>
  let flag: CancellationFlag

  /// Iterates the events.
  public struct AsyncIterator: AsyncIteratorProtocol {
    var base: AsyncThrowingStream<OptimizationEvent, any Error>.AsyncIterator
    let flag: CancellationFlag

    /// The next event; `nil` after the last; throws the optimiser's error, or
    /// `CancellationError` once the consuming task is cancelled.
    public mutating func next() async throws -> OptimizationEvent? {
      if Task.isCancelled {
        flag.set()
        throw CancellationError()
      }
      return try await base.next()
    }
  }

  /// An iterator over the events.
  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: stream.makeAsyncIterator(), flag: flag)
  }
}
