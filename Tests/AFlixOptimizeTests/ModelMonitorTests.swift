import AFlixData
import AFlixOptimize
import AFlixRecommend
import AFlixSynth
import Foundation
import Testing

/// The monitor: thresholds and remedies by hand, windows, and a simulated drift.
@Suite("Model monitor")
struct ModelMonitorTests {
  static func remedies(_ events: [OptimizationEvent]) -> [MonitorAction.Remedy] {
    events.compactMap { if case .action(let a, _) = $0 { a.remedy } else { nil } }
  }

  static func metrics(_ events: [OptimizationEvent]) -> [MonitorAlert.Metric] {
    events.compactMap { if case .alert(let a, _) = $0 { a.metric } else { nil } }
  }

  @Test func thresholdsAndRemediesByHand() {
    let thresholds = MonitorThresholds()
    let policy = OriginalRemedyPolicy()
    // RMSE 1.05 on 100 ratings: critical, popularity only.
    var s = MonitorSnapshot(rmse: 1.05, ratings: 100)
    var alerts = thresholds.alerts(for: s, trainingMeanRating: nil)
    #expect(alerts.map(\.level) == [.critical])
    #expect(policy.actions(for: alerts, snapshot: s).map(\.remedy) == [.popularityOnly])
    // 0.95 after 0.85 (+11.8 %): a warning and a rise, re-optimise K.
    s = MonitorSnapshot(rmse: 0.95, ratings: 100, previousRMSE: 0.85)
    alerts = thresholds.alerts(for: s, trainingMeanRating: nil)
    #expect(alerts.map(\.metric) == [.rmse, .rmseRise])
    #expect(abs(alerts[1].value - (0.95 / 0.85 - 1)) < 1e-12)
    #expect(policy.actions(for: alerts, snapshot: s).map(\.remedy) == [.reoptimiseK])
    // 0.93 after 0.85 (+9.4 %): a warning only; too few ratings: nothing.
    s = MonitorSnapshot(rmse: 0.93, ratings: 100, previousRMSE: 0.85)
    #expect(thresholds.alerts(for: s, trainingMeanRating: nil).map(\.metric) == [.rmse])
    s = MonitorSnapshot(rmse: 1.5, ratings: 29)
    #expect(thresholds.alerts(for: s, trainingMeanRating: nil).isEmpty)
    // Drift, K figures, cold start, diversity, CTR.
    s = MonitorSnapshot(
      rmse: 0.8, ratings: 100, meanRating: 3.9, newUsers: 20, uncoveredNewUsers: 0.15,
      diversity: 0.6, ctr: 0.07, previousCTR: 0.1, efficiency: 0.005, overfittingRisk: 0.35)
    alerts = thresholds.alerts(for: s, trainingMeanRating: 3.5)
    #expect(
      alerts.map(\.metric) == [
        .ratingDrift, .efficiency, .overfittingRisk, .uncoveredNewUsers, .diversity, .ctrDrop,
      ])
    let actions = policy.actions(for: alerts, snapshot: s)
    #expect(
      actions.map(\.remedy) == [
        .fullRetrain, .reoptimiseK, .raiseContentWeight, .raiseDiversityThreshold,
      ])
    #expect(actions.first { $0.remedy == .raiseContentWeight }?.value == 0.5)
    // Explained variance, recalibrated to the optimisation's: 0.15 is more than 20 % below 0.2.
    s = MonitorSnapshot(explainedVariance: 0.15, baselineExplainedVariance: 0.2)
    alerts = thresholds.alerts(for: s, trainingMeanRating: nil)
    #expect(alerts.map(\.metric) == [.explainedVariance] && abs(alerts[0].threshold - 0.16) < 1e-12)
    #expect(policy.actions(for: alerts, snapshot: s).map(\.remedy) == [.reoptimiseK])
    s = MonitorSnapshot(explainedVariance: 0.17, baselineExplainedVariance: 0.2)
    #expect(thresholds.alerts(for: s, trainingMeanRating: nil).isEmpty)
  }

  @Test func windowsRollAndEventsEncodeFlat() throws {
    let monitor = ModelMonitor(window: 100, trainingMeanRating: 3.5)
    for t in 0..<50 {
      monitor.recordRating(predicted: 3.5, actual: 3.5 + (t % 2 == 0 ? 0.8 : -0.8), at: Int64(t))
    }
    // The first window (0…49): RMSE 0.8, no window before.
    var s = monitor.snapshot(at: 60)
    #expect(s.ratings == 50 && abs((s.rmse ?? 0) - 0.8) < 1e-12 && s.previousRMSE == nil)
    for t in 150..<200 {
      monitor.recordRating(predicted: 3.5, actual: 3.5 + (t % 2 == 0 ? 1.2 : -1.2), at: Int64(t))
    }
    s = monitor.snapshot(at: 200)
    #expect(abs((s.rmse ?? 0) - 1.2) < 1e-12 && abs((s.previousRMSE ?? 0) - 0.8) < 1e-12)
    let events = monitor.check(at: 200)
    #expect(Self.metrics(events) == [.rmse, .rmseRise])
    #expect(Self.remedies(events) == [.popularityOnly, .reoptimiseK])
    let json =
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(events[0])) as? [String: Any]
    #expect(json?["type"] as? String == "alert" && json?["level"] as? String == "critical")
    #expect(json?["metric"] as? String == "rmse" && json?["threshold"] as? Double == 1.0)
    for e in events {
      #expect(try JSONDecoder().decode(OptimizationEvent.self, from: JSONEncoder().encode(e)) == e)
    }
    // Two windows later the old samples are gone.
    #expect(monitor.snapshot(at: 500).ratings == 0)
  }

  @Test func windowBoundariesAndCountedFeedback() {
    let monitor = ModelMonitor(window: 10)
    // 40 ratings at time 10 (the previous window of now = 20: (0, 10]) and 40 at 20 (the current:
    // (10, 20]); 40 at time 0 are outside both.
    for _ in 0..<40 {
      monitor.recordRating(predicted: 3, actual: 5, at: 0)
      monitor.recordRating(predicted: 3, actual: 4, at: 10)
      monitor.recordRating(predicted: 3, actual: 3.5, at: 20)
    }
    let s = monitor.snapshot(at: 20)
    #expect(s.ratings == 40 && s.rmse == 0.5 && s.previousRMSE == 1)
    // Coverage and CTR count only once the window holds 20 new users and 100 impressions.
    for k in 0..<19 {
      monitor.recordRecommendations(isNewUser: true, covered: k % 2 == 0, at: 20)
    }
    #expect(monitor.snapshot(at: 20).uncoveredNewUsers == nil)
    monitor.recordRecommendations(isNewUser: true, covered: false, at: 20)
    #expect(monitor.snapshot(at: 20).uncoveredNewUsers == 0.5)
    for k in 0..<100 {
      monitor.recordFeedback(click: false, at: 10)
      if k < 10 { monitor.recordFeedback(click: true, at: 10) }
      monitor.recordFeedback(click: false, at: 20)
      if k < 5 { monitor.recordFeedback(click: true, at: 20) }
    }
    monitor.recordModel(explainedVariance: 0.2, k: 40, users: 100, items: 120)
    let events = monitor.check(at: 20)
    #expect(
      Self.metrics(events) == [.efficiency, .overfittingRisk, .uncoveredNewUsers, .ctrDrop])
    #expect(Self.remedies(events) == [.reoptimiseK, .raiseContentWeight])
  }

  /// A model fitted on a synthetic world watches the same users' ratings: first as that world
  /// rates (no alert), then as a world with other tastes over the same films rates them (their
  /// tastes shifted): the RMSE rises by more than 10 % and the policy asks for a new K.
  @Test func aTasteShiftRaisesTheRMSEAndAsksForANewK() throws {
    let configuration = WorldConfiguration(
      users: 300, catalog: .generated(CatalogConfiguration(count: 120)),
      ratingsPerUser: ParameterRange(30...40), noiseSD: ParameterRange(0.3...0.5))
    let before = try SyntheticWorld.generate(configuration, seed: 1)
    var shifted = configuration
    shifted.catalog = .provided(before.catalog)
    let after = try SyntheticWorld.generate(shifted, seed: 2)
    let split = try before.ratings.split(.holdout(testFraction: 0.2), seed: 3)[0]
    let model = try BiasedMF(factors: 8, epochs: 20, seed: 1).fit(split.train)
    let monitor = ModelMonitor(window: 1_000, trainingMeanRating: split.train.globalMean)
    func feed(_ data: RatingsDataset, from start: Int64) {
      var t = start
      for u in 0..<data.userCount {
        let (items, values) = data.ratings(ofUser: u)
        for (i, v) in zip(items, values) {
          let p = model.predict(userID: data.users.id(at: u), itemID: data.items.id(at: Int(i)))
          monitor.recordRating(predicted: Double(p.value), actual: Double(v), at: t)
          t += 1
          if t >= start + 999 { return }
        }
      }
    }
    feed(split.test, from: 0)
    let calm = monitor.check(at: 999)
    #expect(!Self.metrics(calm).contains(.rmseRise))
    feed(after.ratings, from: 1_000)
    let drifted = monitor.check(at: 1_999)
    let snapshot = monitor.snapshot(at: 1_999)
    #expect((snapshot.rmse ?? 0) > (snapshot.previousRMSE ?? .infinity) * 1.1, "\(snapshot)")
    #expect(Self.metrics(drifted).contains(.rmseRise))
    #expect(Self.remedies(drifted).contains(.reoptimiseK))
  }
}
