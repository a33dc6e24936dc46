/// A threshold the live model crossed (``ModelMonitor``).
public struct MonitorAlert: Sendable, Hashable, Codable {
  /// How serious it is.
  public enum Level: String, Sendable, Hashable, Codable, CaseIterable {
    /// Act now (RMSE above 1.0, no usable model).
    case critical
    /// Watch, or act at the next occasion.
    case warning
  }

  /// What was measured.
  public enum Metric: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rolling RMSE of the live predictions.
    case rmse
    /// Rolling RMSE against the previous window (a rise).
    case rmseRise = "rmse_rise"
    /// Mean live rating against the training mean (data drift).
    case ratingDrift = "rating_drift"
    /// Explained variance of the model against what the optimisation measured (recalibrated: the
    /// original's absolute 0.5 / 0.6 are out of reach on sparse ratings).
    case explainedVariance = "explained_variance"
    /// Explained variance per factor of the model.
    case efficiency
    /// K / min(users, items) of the model.
    case overfittingRisk = "overfitting_risk"
    /// Share of new users served no recommendation.
    case uncoveredNewUsers = "uncovered_new_users"
    /// Mean intra-list diversity of the served lists.
    case diversity
    /// Click-through rate against the previous window (a drop).
    case ctrDrop = "ctr_drop"
  }

  /// How serious it is.
  public var level: Level
  /// What was measured.
  public var metric: Metric
  /// The measured value.
  public var value: Double
  /// The threshold it crossed.
  public var threshold: Double
  /// A sentence with both.
  public var message: String

  /// Creates an alert.
  public init(level: Level, metric: Metric, value: Double, threshold: Double, message: String) {
    self.level = level
    self.metric = metric
    self.value = value
    self.threshold = threshold
    self.message = message
  }
}

/// What to do about alerts: the original's remedies.
public struct MonitorAction: Sendable, Hashable, Codable {
  /// The original's remedies.
  public enum Remedy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Run the K optimisation again (RMSE up more than 10 % over a window, or the model's K
    /// figures out of bounds).
    case reoptimiseK = "reoptimise_k"
    /// Retrain on all data (the data drifted).
    case fullRetrain = "full_retrain"
    /// Raise the content weight of the hybrid (to 0.5) for users with few ratings (cold-start
    /// trouble).
    case raiseContentWeight = "raise_content_weight"
    /// Raise the diversity re-ranking's threshold (lists too alike).
    case raiseDiversityThreshold = "raise_diversity_threshold"
    /// Serve popularity only until a usable model is back.
    case popularityOnly = "popularity_only"
  }

  /// The remedy.
  public var remedy: Remedy
  /// Its setting, where it has one (the content weight 0.5).
  public var value: Double?
  /// Why.
  public var message: String

  /// Creates an action.
  public init(remedy: Remedy, value: Double? = nil, message: String) {
    self.remedy = remedy
    self.value = value
    self.message = message
  }
}

/// Maps alerts to remedies.
public protocol RemedyPolicy: Sendable {
  /// The actions for `alerts` (already raised on `snapshot`), each remedy at most once.
  func actions(for alerts: [MonitorAlert], snapshot: MonitorSnapshot) -> [MonitorAction]
}

/// The original's policy: critical RMSE → popularity only; RMSE up more than 10 % over a window,
/// explained variance down, low efficiency or high overfitting risk → re-optimise K; rating drift → full retrain;
/// uncovered new users → content weight 0.5; low diversity → raise the diversity threshold.
public struct OriginalRemedyPolicy: RemedyPolicy {
  /// Creates the policy.
  public init() {}

  /// The original's mapping, in the order of the alerts, each remedy once.
  public func actions(for alerts: [MonitorAlert], snapshot: MonitorSnapshot) -> [MonitorAction] {
    var out: [MonitorAction] = []
    func add(_ remedy: MonitorAction.Remedy, _ value: Double? = nil, _ why: String) {
      guard !out.contains(where: { $0.remedy == remedy }) else { return }
      out.append(MonitorAction(remedy: remedy, value: value, message: why))
    }
    for alert in alerts {
      switch alert.metric {
      case .rmse where alert.level == .critical:
        add(.popularityOnly, nil, "no usable model: \(alert.message)")
      case .rmseRise, .explainedVariance, .efficiency, .overfittingRisk:
        add(.reoptimiseK, nil, alert.message)
      case .ratingDrift:
        add(.fullRetrain, nil, alert.message)
      case .uncoveredNewUsers:
        add(.raiseContentWeight, 0.5, alert.message)
      case .diversity:
        add(.raiseDiversityThreshold, nil, alert.message)
      case .rmse, .ctrDrop:
        break
      }
    }
    return out
  }
}
