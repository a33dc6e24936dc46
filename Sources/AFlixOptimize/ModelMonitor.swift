import Synchronization

/// Watches a live model, the original's monitoring loop: fed with rated predictions, served
/// recommendations and (where the host reports them) impressions and clicks, it keeps rolling
/// figures over a time window and, on ``check(at:)``, raises alerts at the original's thresholds
/// and maps them to remedies (``RemedyPolicy``), all as ``OptimizationEvent``s.
///
/// Times are the caller's (seconds, e.g. Unix time), so a replay or a test drives the clock. The
/// window ending at `now` is `(now − window, now]`, the one before `(now − 2·window, now − window]`.
/// Safe to feed from many threads: each record appends under a lock; ``snapshot(at:)`` and
/// ``check(at:)`` scan the samples and drop those older than the window before (a sample with a
/// time in the future stays until its window has passed). At most ``sampleLimit`` samples of each
/// kind are kept (the oldest half is dropped beyond).
///
/// Click-through rate is clicks over impressions: a served recommendation is recorded as an
/// impression (`recordFeedback(click: false, …)`), and a click on it as a click as well.
///
/// ```swift
/// let monitor = ModelMonitor(trainingMeanRating: 3.53)
/// monitor.recordRating(predicted: 3.9, actual: 5, at: now)
/// for event in monitor.check(at: now) { forward(event) }   // alert / action events
/// ```
public final class ModelMonitor: Sendable {
  /// The window the rolling figures cover, in seconds.
  public let window: Int64
  /// The thresholds.
  public let thresholds: MonitorThresholds
  /// The mean rating of the training data (for drift), when known.
  public let trainingMeanRating: Double?
  /// The explained variance the optimisation measured at the chosen K (see
  /// ``MonitorThresholds/explainedVarianceDrop``), when known.
  public let baselineExplainedVariance: Double?
  /// How alerts become actions.
  public let policy: any RemedyPolicy
  private let state = Mutex(State())
  /// The most samples of each kind kept between checks: 1,000,000.
  public static let sampleLimit = 1_000_000

  struct State {
    var ratings: [(time: Int64, predicted: Double, actual: Double)] = []
    var served: [(time: Int64, isNew: Bool, covered: Bool, diversity: Double?)] = []
    var feedback: [(time: Int64, click: Bool)] = []
    var explainedVariance: Double?
    var efficiency: Double?
    var overfittingRisk: Double?

    /// Drops samples at or before `limit`.
    mutating func prune(through limit: Int64) {
      ratings.removeAll { $0.time <= limit }
      served.removeAll { $0.time <= limit }
      feedback.removeAll { $0.time <= limit }
    }

    /// Drops the oldest half of an array past ``ModelMonitor/sampleLimit``.
    static func cap<T>(_ samples: inout [T]) {
      if samples.count > ModelMonitor.sampleLimit { samples.removeFirst(samples.count / 2) }
    }
  }

  /// Creates a monitor with a window of `window` seconds (one hour by default).
  public init(
    window: Int64 = 3_600, thresholds: MonitorThresholds = MonitorThresholds(),
    trainingMeanRating: Double? = nil, baselineExplainedVariance: Double? = nil,
    policy: any RemedyPolicy = OriginalRemedyPolicy()
  ) {
    self.window = max(1, window)
    self.thresholds = thresholds
    self.trainingMeanRating = trainingMeanRating
    self.baselineExplainedVariance = baselineExplainedVariance
    self.policy = policy
  }

  /// A rating the model predicted and the user gave (non-finite values are ignored).
  public func recordRating(predicted: Double, actual: Double, at time: Int64) {
    guard predicted.isFinite, actual.isFinite else { return }
    state.withLock {
      $0.ratings.append((time, predicted, actual))
      State.cap(&$0.ratings)
    }
  }

  /// A served list: whether the user was new, whether they got any recommendation, and the
  /// list's intra-list diversity when known.
  public func recordRecommendations(
    isNewUser: Bool, covered: Bool, intraListDiversity: Double? = nil, at time: Int64
  ) {
    state.withLock {
      $0.served.append(
        (time, isNewUser, covered, intraListDiversity.flatMap { $0.isFinite ? $0 : nil }))
      State.cap(&$0.served)
    }
  }

  /// An impression (`click` false) or a click of a served recommendation.
  public func recordFeedback(click: Bool, at time: Int64) {
    state.withLock {
      $0.feedback.append((time, click))
      State.cap(&$0.feedback)
    }
  }

  /// The model's K figures: explained variance at K and the matrix's shape.
  public func recordModel(explainedVariance: Double, k: Int, users: Int, items: Int) {
    guard k >= 1, users >= 1, items >= 1, explainedVariance.isFinite else { return }
    state.withLock {
      $0.explainedVariance = explainedVariance
      $0.efficiency = explainedVariance / Double(k)
      $0.overfittingRisk = Double(k) / Double(min(users, items))
    }
  }

  /// The rolling figures of the window ending at `now` (and of the window before it).
  public func snapshot(at now: Int64) -> MonitorSnapshot {
    state.withLock { s in
      let current = now - window
      let previousStart = now - 2 * window
      s.prune(through: previousStart)
      func rmse(_ rows: some Sequence<(time: Int64, predicted: Double, actual: Double)>)
        -> (rmse: Double?, mae: Double?, mean: Double?, count: Int)
      {
        var (sq, ab, sum, n) = (0.0, 0.0, 0.0, 0)
        for r in rows {
          let e = r.predicted - r.actual
          sq += e * e
          ab += abs(e)
          sum += r.actual
          n += 1
        }
        guard n > 0 else { return (nil, nil, nil, 0) }
        return ((sq / Double(n)).squareRoot(), ab / Double(n), sum / Double(n), n)
      }
      let latest = rmse(s.ratings.lazy.filter { $0.time > current && $0.time <= now })
      let before = rmse(s.ratings.lazy.filter { $0.time > previousStart && $0.time <= current })
      // The window before must hold enough ratings for its RMSE to count.
      let previous = before.count >= thresholds.minimumRatings ? before.rmse : nil
      let served = s.served.filter { $0.time > current && $0.time <= now }
      let newUsers = served.filter(\.isNew)
      let diversities = served.compactMap(\.diversity)
      // Clicks over impressions, once the window holds enough impressions to count.
      func ctr(_ rows: [(time: Int64, click: Bool)]) -> Double? {
        let impressions = rows.filter { !$0.click }.count
        guard impressions >= max(1, thresholds.minimumImpressions) else { return nil }
        return Double(rows.filter(\.click).count) / Double(impressions)
      }
      return MonitorSnapshot(
        rmse: latest.rmse, mae: latest.mae, ratings: latest.count, previousRMSE: previous,
        meanRating: latest.mean, newUsers: newUsers.count,
        uncoveredNewUsers: newUsers.count < max(1, thresholds.minimumNewUsers)
          ? nil : Double(newUsers.filter { !$0.covered }.count) / Double(newUsers.count),
        diversity: diversities.isEmpty
          ? nil : diversities.reduce(0, +) / Double(diversities.count),
        ctr: ctr(s.feedback.filter { $0.time > current && $0.time <= now }),
        previousCTR: ctr(s.feedback.filter { $0.time > previousStart && $0.time <= current }),
        explainedVariance: s.explainedVariance,
        baselineExplainedVariance: baselineExplainedVariance, efficiency: s.efficiency,
        overfittingRisk: s.overfittingRisk)
    }
  }

  /// The alerts of the window ending at `now`, then the policy's actions, as events.
  public func check(at now: Int64) -> [OptimizationEvent] {
    let snapshot = snapshot(at: now)
    let alerts = thresholds.alerts(for: snapshot, trainingMeanRating: trainingMeanRating)
    return alerts.map { OptimizationEvent.alert($0, progress: 0) }
      + policy.actions(for: alerts, snapshot: snapshot).map {
        OptimizationEvent.action($0, progress: 0)
      }
  }
}
