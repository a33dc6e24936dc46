import AFlix
import Foundation
import Hummingbird

extension API {
  /// Now, in whole seconds since 1970: the monitor's clock.
  static var now: Int64 { Int64(Date().timeIntervalSince1970) }

  struct LiveMonitor: Encodable {
    var windowSeconds: Int64
    var snapshot: MonitorSnapshot
    var alerts: [AnyEncodable]
    /// The live accuracy the nightly re-optimisation checks: since its last check.
    var sinceLastCheck: LiveFigures
    /// The scheduled jobs' records, when jobs run.
    var scheduledJobs: [ScheduledJobs.Record]?
  }

  struct LiveFigures: Encodable {
    var ratings: Int
    var rmse: Double?
    var mae: Double?
    var heldOutRmse: Double?
  }

  /// An event encoded as the library encodes it (its own flat snake_case keys).
  struct AnyEncodable: Encodable {
    var event: OptimizationEvent
    func encode(to encoder: any Encoder) throws { try event.encode(to: encoder) }
  }

  /// The live monitor's rolling figures (ratings given against the predictor's predictions, the
  /// served lists) and its alerts and remedies now. Needs an admin token.
  func liveMonitor(request: Request) async throws -> Response {
    try await requireAdmin(request, "the live monitor")
    let now = Self.now
    if let info = service.trainingInfo, let variance = info.explainedVariance,
      let rank = info.svdRank
    {
      // The served model's K figures: explained variance, efficiency and overfitting risk.
      monitor.recordModel(
        explainedVariance: variance, k: rank, users: info.userCount, items: info.filmCount)
    }
    let live = service.liveAccuracy
    return JSON.response(
      LiveMonitor(
        windowSeconds: monitor.window, snapshot: monitor.snapshot(at: now),
        alerts: monitor.check(at: now).map(AnyEncodable.init),
        sinceLastCheck: LiveFigures(
          ratings: live.count, rmse: live.rmse, mae: live.mae,
          heldOutRmse: service.trainingInfo?.heldOutRMSE),
        scheduledJobs: jobs?.records))
  }
}
