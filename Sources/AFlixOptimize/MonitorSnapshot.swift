import Foundation

/// The rolling figures of a ``ModelMonitor``'s window (`nil` where the window holds no sample).
public struct MonitorSnapshot: Sendable, Hashable, Codable {
  /// RMSE of the window's rated predictions.
  public var rmse: Double?
  /// MAE of the window's rated predictions.
  public var mae: Double?
  /// Rated predictions in the window.
  public var ratings: Int
  /// RMSE of the window before.
  public var previousRMSE: Double?
  /// Mean of the window's ratings.
  public var meanRating: Double?
  /// New users served in the window.
  public var newUsers: Int
  /// Share of those served no recommendation (once the window holds enough new users).
  public var uncoveredNewUsers: Double?
  /// Mean intra-list diversity of the window's lists.
  public var diversity: Double?
  /// Clicks per impression in the window (once it holds enough impressions).
  public var ctr: Double?
  /// Clicks per impression in the window before.
  public var previousCTR: Double?
  /// The model's explained variance at its K.
  public var explainedVariance: Double?
  /// The explained variance the optimisation measured at the chosen K (the baseline).
  public var baselineExplainedVariance: Double?
  /// The model's explained variance per factor.
  public var efficiency: Double?
  /// The model's K / min(users, items).
  public var overfittingRisk: Double?

  /// Creates a snapshot.
  public init(
    rmse: Double? = nil, mae: Double? = nil, ratings: Int = 0, previousRMSE: Double? = nil,
    meanRating: Double? = nil, newUsers: Int = 0, uncoveredNewUsers: Double? = nil,
    diversity: Double? = nil, ctr: Double? = nil, previousCTR: Double? = nil,
    explainedVariance: Double? = nil, baselineExplainedVariance: Double? = nil,
    efficiency: Double? = nil, overfittingRisk: Double? = nil
  ) {
    self.rmse = rmse
    self.mae = mae
    self.ratings = ratings
    self.previousRMSE = previousRMSE
    self.meanRating = meanRating
    self.newUsers = newUsers
    self.uncoveredNewUsers = uncoveredNewUsers
    self.diversity = diversity
    self.ctr = ctr
    self.previousCTR = previousCTR
    self.explainedVariance = explainedVariance
    self.baselineExplainedVariance = baselineExplainedVariance
    self.efficiency = efficiency
    self.overfittingRisk = overfittingRisk
  }
}

/// The original's thresholds. Its absolute explained-variance thresholds (0.5 / 0.6) are out of
/// reach on sparse ratings (about 0.18 at K = 30 on the default world), so they are recalibrated
/// to the data: a warning when the model's explained variance falls more than
/// ``explainedVarianceDrop`` below what the optimisation measured at the chosen K.
public struct MonitorThresholds: Sendable, Hashable, Codable {
  /// RMSE above which the model is unusable (critical): 1.0.
  public var criticalRMSE: Double
  /// RMSE above which to warn: 0.9.
  public var warningRMSE: Double
  /// The rise of RMSE over the previous window that asks for a new K: 10 %.
  public var rmseRise: Double
  /// The shift of the mean rating from the training mean, in stars, that counts as drift: 0.25.
  public var ratingDrift: Double
  /// The relative fall of explained variance below the optimisation's that warns: 20 %.
  public var explainedVarianceDrop: Double
  /// Efficiency (explained variance per factor) below which to warn: 0.01, half the original's
  /// efficiency target (above 0.02).
  public var minimumEfficiency: Double
  /// Overfitting risk above which to warn: 0.3.
  public var maximumOverfittingRisk: Double
  /// Share of new users without recommendations above which to warn: 10 %.
  public var maximumUncoveredNewUsers: Double
  /// Mean intra-list diversity below which to warn: 0.7.
  public var minimumDiversity: Double
  /// The drop of click-through rate over the previous window that warns: 20 %.
  public var maximumCTRDrop: Double
  /// Rated predictions a window needs before its RMSE figures count: 30.
  public var minimumRatings: Int
  /// Impressions a window needs before its click-through rate counts: 100.
  public var minimumImpressions: Int
  /// New users a window needs before their coverage counts: 20.
  public var minimumNewUsers: Int

  /// Creates thresholds; the defaults are the original's, except ``explainedVarianceDrop`` (which
  /// replaces its absolute explained-variance thresholds) and ``minimumEfficiency``.
  public init(
    criticalRMSE: Double = 1.0, warningRMSE: Double = 0.9, rmseRise: Double = 0.10,
    ratingDrift: Double = 0.25, explainedVarianceDrop: Double = 0.20,
    minimumEfficiency: Double = 0.01,
    maximumOverfittingRisk: Double = 0.3, maximumUncoveredNewUsers: Double = 0.10,
    minimumDiversity: Double = 0.7, maximumCTRDrop: Double = 0.20, minimumRatings: Int = 30,
    minimumImpressions: Int = 100, minimumNewUsers: Int = 20
  ) {
    self.criticalRMSE = criticalRMSE
    self.warningRMSE = warningRMSE
    self.rmseRise = rmseRise
    self.ratingDrift = ratingDrift
    self.explainedVarianceDrop = explainedVarianceDrop
    self.minimumEfficiency = minimumEfficiency
    self.maximumOverfittingRisk = maximumOverfittingRisk
    self.maximumUncoveredNewUsers = maximumUncoveredNewUsers
    self.minimumDiversity = minimumDiversity
    self.maximumCTRDrop = maximumCTRDrop
    self.minimumRatings = minimumRatings
    self.minimumImpressions = minimumImpressions
    self.minimumNewUsers = minimumNewUsers
  }

  /// The alerts `snapshot` raises.
  public func alerts(for s: MonitorSnapshot, trainingMeanRating: Double?) -> [MonitorAlert] {
    var out: [MonitorAlert] = []
    func f(_ x: Double) -> String { String(format: "%.4f", x) }
    if s.ratings >= minimumRatings, let rmse = s.rmse {
      if rmse > criticalRMSE {
        out.append(
          .init(
            level: .critical, metric: .rmse, value: rmse, threshold: criticalRMSE,
            message: "rolling RMSE \(f(rmse)) above \(f(criticalRMSE))"))
      } else if rmse > warningRMSE {
        out.append(
          .init(
            level: .warning, metric: .rmse, value: rmse, threshold: warningRMSE,
            message: "rolling RMSE \(f(rmse)) above \(f(warningRMSE))"))
      }
      if let previous = s.previousRMSE, previous > 0, rmse > previous * (1 + rmseRise) {
        out.append(
          .init(
            level: .warning, metric: .rmseRise, value: rmse / previous - 1, threshold: rmseRise,
            message: "RMSE rose from \(f(previous)) to \(f(rmse)) over one window"))
      }
      if let mean = s.meanRating, let trained = trainingMeanRating,
        abs(mean - trained) > ratingDrift
      {
        out.append(
          .init(
            level: .warning, metric: .ratingDrift, value: mean - trained, threshold: ratingDrift,
            message: "mean rating \(f(mean)) drifted from the training mean \(f(trained))"))
      }
    }
    if let ev = s.explainedVariance, let baseline = s.baselineExplainedVariance, baseline > 0,
      ev < baseline * (1 - explainedVarianceDrop)
    {
      out.append(
        .init(
          level: .warning, metric: .explainedVariance, value: ev,
          threshold: baseline * (1 - explainedVarianceDrop),
          message: "explained variance \(f(ev)) fell below \(f(baseline)) (the optimisation's) by "
            + "more than \(f(100 * explainedVarianceDrop)) %"))
    }
    if let e = s.efficiency, e < minimumEfficiency {
      out.append(
        .init(
          level: .warning, metric: .efficiency, value: e, threshold: minimumEfficiency,
          message: "efficiency \(f(e)) below \(f(minimumEfficiency))"))
    }
    if let r = s.overfittingRisk, r > maximumOverfittingRisk {
      out.append(
        .init(
          level: .warning, metric: .overfittingRisk, value: r, threshold: maximumOverfittingRisk,
          message: "overfitting risk \(f(r)) above \(f(maximumOverfittingRisk))"))
    }
    if let u = s.uncoveredNewUsers, u > maximumUncoveredNewUsers {
      out.append(
        .init(
          level: .warning, metric: .uncoveredNewUsers, value: u,
          threshold: maximumUncoveredNewUsers,
          message: "\(f(100 * u)) % of \(s.newUsers) new users got no recommendation"))
    }
    if let d = s.diversity, d < minimumDiversity {
      out.append(
        .init(
          level: .warning, metric: .diversity, value: d, threshold: minimumDiversity,
          message: "mean intra-list diversity \(f(d)) below \(f(minimumDiversity))"))
    }
    if let ctr = s.ctr, let previous = s.previousCTR, previous > 0,
      ctr < previous * (1 - maximumCTRDrop)
    {
      out.append(
        .init(
          level: .warning, metric: .ctrDrop, value: 1 - ctr / previous, threshold: maximumCTRDrop,
          message: "click-through rate fell from \(f(previous)) to \(f(ctr))"))
    }
    return out
  }
}
