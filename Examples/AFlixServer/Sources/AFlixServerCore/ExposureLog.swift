import AFlix
import Foundation

/// The exposures of the experiment that changes the lists, written in batches off the request
/// path: a list's request only notes its user's exposure (once per user and process); a task
/// writes what is noted every ``exposureBatchDelay`` in one transaction. One write per list would
/// queue the lists' requests behind the store's writes — with 2,000 users' first lists at the
/// start of a load run, p99 went from 5.6 ms to 28.7 ms.
extension RecommendationService {
  /// The time noted exposures wait for their batch write.
  public static let exposureBatchDelay: Duration = .milliseconds(50)
  /// The most exposures kept waiting while the store refuses them (older ones are dropped,
  /// and logged).
  static let pendingExposureLimit = 100_000

  /// Notes `user`'s exposure to `assignment`'s variant of the serving experiment, unless noted
  /// already by this process; its batch is written within ``exposureBatchDelay``.
  public func noteExposure(_ assignment: ExperimentAssignment, user: String, at time: Int64) {
    let schedule = state.withLock { s -> Bool in
      guard s.listTreatment?.experiment.name == assignment.experiment else { return false }
      // Bounded: past a million users the set starts again (the store ignores repeats).
      if s.exposed.count >= 1_000_000 { s.exposed = [] }
      guard s.exposed.insert(user).inserted else { return false }
      s.pendingExposures.append(Exposure(assignment, user: user, at: time))
      if s.pendingExposures.count > Self.pendingExposureLimit {
        s.pendingExposures.removeFirst(s.pendingExposures.count - Self.pendingExposureLimit)
      }
      guard !s.exposureFlushScheduled else { return false }
      s.exposureFlushScheduled = true
      return true
    }
    if schedule {
      Task {
        try? await Task.sleep(for: Self.exposureBatchDelay)
        await flushExposures()
      }
    }
  }

  /// Writes the noted exposures now, in one transaction, and passes the new ones to the handler
  /// of ``onExposuresStored(_:)``; returns once every batch taken before is written too. On a
  /// store error they wait for the next batch. Called by the batch task, before an experiment's
  /// report, and at shutdown.
  public func flushExposures() async {
    let batch = state.withLock { s -> [Exposure] in
      s.exposureFlushScheduled = false
      defer { s.pendingExposures = [] }
      if !s.pendingExposures.isEmpty { s.exposureWritesInFlight += 1 }
      return s.pendingExposures
    }
    if !batch.isEmpty {
      await write(batch)
      state.withLock { $0.exposureWritesInFlight -= 1 }
    }
    // A batch another task took just before is being written: wait for it (milliseconds).
    while state.withLock({ $0.exposureWritesInFlight > 0 }) {
      try? await Task.sleep(for: .milliseconds(1))
    }
  }

  private func write(_ batch: [Exposure]) async {
    do {
      let new = try await store.recordExposures(batch)
      let stored = zip(batch, new).filter(\.1).map(\.0)
      if !stored.isEmpty, let handler = exposureHandler.withLock({ $0 }) { handler(stored) }
    } catch {
      logger.error("\(batch.count) exposures not stored yet: \(error)")
      let retry = state.withLock { s -> Bool in
        s.pendingExposures = Array((batch + s.pendingExposures).suffix(Self.pendingExposureLimit))
        guard !s.exposureFlushScheduled else { return false }
        s.exposureFlushScheduled = true
        return true
      }
      if retry {
        Task {
          try? await Task.sleep(for: .seconds(1))
          await flushExposures()
        }
      }
    }
  }

  /// Calls `handler` with the exposures each batch write found new (the metrics count them).
  public func onExposuresStored(_ handler: @escaping @Sendable ([Exposure]) -> Void) {
    exposureHandler.withLock { $0 = handler }
  }
}
