/// The flat JSON form of an event (see ``OptimizationEvent``), not Swift's synthesised enum
/// coding, so that a service can forward each event unchanged.
extension OptimizationEvent: Codable {
  enum Key: String, CodingKey {
    case type, progress, message, users, items, ratings, density, phase, k, score
    case explainedVariance = "explained_variance"
    case efficiency
    case overfittingRisk = "overfitting_risk"
    case validationRMSE = "validation_rmse"
    case validationRMSEStandardError = "validation_rmse_standard_error"
    case validationNDCG = "validation_ndcg_at_10"
    case validationNDCGStandardError = "validation_ndcg_at_10_standard_error"
    case compositeScore = "composite_score"
    case isBest = "is_best"
    case seconds
    case silhouetteScore = "silhouette_score"
    case balance, inertia
    case optimalK = "optimal_k"
    case finalKSVD = "final_k_svd"
    case finalKCluster = "final_k_cluster"
    case level, metric, value, threshold, remedy
  }

  /// Encodes the event as one flat object: `type`, `progress` and its fields in snake_case; a
  /// non-finite number (a candidate a strategy could not score) as `null`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    try c.encode(type, forKey: .type)
    try c.encodeFinite(progress, forKey: .progress)
    switch self {
    case .status(let message, _), .error(let message, _):
      try c.encode(message, forKey: .message)
    case .matrixInfo(let users, let items, let ratings, let density, _):
      try c.encode(users, forKey: .users)
      try c.encode(items, forKey: .items)
      try c.encode(ratings, forKey: .ratings)
      try c.encodeFinite(density, forKey: .density)
    case .phase(let phase, _):
      try c.encode(phase, forKey: .phase)
    case .kSVDResult(let r, let isBest, _):
      try c.encode(r.k, forKey: .k)
      try c.encodeFinite(r.explainedVariance, forKey: .explainedVariance)
      try c.encodeFinite(r.efficiency, forKey: .efficiency)
      try c.encodeFinite(r.overfittingRisk, forKey: .overfittingRisk)
      try c.encodeFinite(r.validationRMSE, forKey: .validationRMSE)
      try c.encodeFinite(r.validationRMSEStandardError, forKey: .validationRMSEStandardError)
      try c.encodeFinite(r.validationNDCG, forKey: .validationNDCG)
      try c.encodeFinite(r.validationNDCGStandardError, forKey: .validationNDCGStandardError)
      try c.encodeFinite(r.compositeScore, forKey: .compositeScore)
      try c.encodeFinite(r.seconds, forKey: .seconds)
      try c.encode(isBest, forKey: .isBest)
    case .kClusterResult(let r, let isBest, _):
      try c.encode(r.k, forKey: .k)
      try c.encodeFinite(r.silhouetteScore, forKey: .silhouetteScore)
      try c.encodeFinite(r.balance, forKey: .balance)
      try c.encodeFinite(r.inertia, forKey: .inertia)
      try c.encodeFinite(r.compositeScore, forKey: .compositeScore)
      try c.encodeFinite(r.seconds, forKey: .seconds)
      try c.encode(isBest, forKey: .isBest)
    case .kSVDOptimal(let k, let score, _), .kClusterOptimal(let k, let score, _):
      try c.encode(k, forKey: .optimalK)
      try c.encodeFinite(score, forKey: .score)
    case .completed(let svd, let cluster, _):
      try c.encode(svd, forKey: .finalKSVD)
      try c.encode(cluster, forKey: .finalKCluster)
    case .alert(let a, _):
      try c.encode(a.level, forKey: .level)
      try c.encode(a.metric, forKey: .metric)
      try c.encodeFinite(a.value, forKey: .value)
      try c.encodeFinite(a.threshold, forKey: .threshold)
      try c.encode(a.message, forKey: .message)
    case .action(let a, _):
      try c.encode(a.remedy, forKey: .remedy)
      try c.encodeFinite(a.value, forKey: .value)
      try c.encode(a.message, forKey: .message)
    }
  }

  /// Decodes the flat object ``encode(to:)`` writes.
  ///
  /// - Throws: `DecodingError` for an unknown `type` or a missing field.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    let type = try c.decode(String.self, forKey: .type)
    let progress = try c.decodeNumber(forKey: .progress)
    switch type {
    case "status":
      self = .status(message: try c.decode(String.self, forKey: .message), progress: progress)
    case "error":
      self = .error(message: try c.decode(String.self, forKey: .message), progress: progress)
    case "matrix_info":
      self = .matrixInfo(
        users: try c.decode(Int.self, forKey: .users),
        items: try c.decode(Int.self, forKey: .items),
        ratings: try c.decode(Int.self, forKey: .ratings),
        density: try c.decodeNumber(forKey: .density), progress: progress)
    case "phase":
      self = .phase(try c.decode(OptimizationPhase.self, forKey: .phase), progress: progress)
    case "k_svd_result":
      let candidate = KSVDCandidate(
        k: try c.decode(Int.self, forKey: .k),
        explainedVariance: try c.decodeNumber(forKey: .explainedVariance),
        efficiency: try c.decodeNumber(forKey: .efficiency),
        overfittingRisk: try c.decodeNumber(forKey: .overfittingRisk),
        validationRMSE: try c.decodeIfPresent(Double.self, forKey: .validationRMSE),
        validationRMSEStandardError: try c.decodeIfPresent(
          Double.self, forKey: .validationRMSEStandardError),
        validationNDCG: try c.decodeIfPresent(Double.self, forKey: .validationNDCG),
        validationNDCGStandardError: try c.decodeIfPresent(
          Double.self, forKey: .validationNDCGStandardError),
        compositeScore: try c.decodeNumber(forKey: .compositeScore),
        seconds: try c.decodeNumber(forKey: .seconds))
      self = .kSVDResult(
        candidate, isBest: try c.decode(Bool.self, forKey: .isBest), progress: progress)
    case "k_cluster_result":
      let candidate = KClusterCandidate(
        k: try c.decode(Int.self, forKey: .k),
        silhouetteScore: try c.decodeIfPresent(Double.self, forKey: .silhouetteScore),
        balance: try c.decodeNumber(forKey: .balance),
        inertia: try c.decodeNumber(forKey: .inertia),
        compositeScore: try c.decodeIfPresent(Double.self, forKey: .compositeScore),
        seconds: try c.decodeNumber(forKey: .seconds))
      self = .kClusterResult(
        candidate, isBest: try c.decode(Bool.self, forKey: .isBest), progress: progress)
    case "k_svd_optimal":
      self = .kSVDOptimal(
        k: try c.decode(Int.self, forKey: .optimalK),
        score: try c.decodeNumber(forKey: .score),
        progress: progress)
    case "k_cluster_optimal":
      self = .kClusterOptimal(
        k: try c.decode(Int.self, forKey: .optimalK),
        score: try c.decodeNumber(forKey: .score),
        progress: progress)
    case "completed":
      self = .completed(
        finalKSVD: try c.decode(Int.self, forKey: .finalKSVD),
        finalKCluster: try c.decode(Int.self, forKey: .finalKCluster), progress: progress)
    case "alert":
      self = .alert(
        MonitorAlert(
          level: try c.decode(MonitorAlert.Level.self, forKey: .level),
          metric: try c.decode(MonitorAlert.Metric.self, forKey: .metric),
          value: try c.decodeNumber(forKey: .value),
          threshold: try c.decodeNumber(forKey: .threshold),
          message: try c.decode(String.self, forKey: .message)), progress: progress)
    case "action":
      self = .action(
        MonitorAction(
          remedy: try c.decode(MonitorAction.Remedy.self, forKey: .remedy),
          value: try c.decodeIfPresent(Double.self, forKey: .value),
          message: try c.decode(String.self, forKey: .message)), progress: progress)
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: c, debugDescription: "unknown optimisation event type '\(type)'")
    }
  }
}

extension KeyedEncodingContainer {
  /// `value` when finite, else `null` (JSON has no NaN or infinity).
  mutating func encodeFinite(_ value: Double, forKey key: Key) throws {
    if value.isFinite {
      try encode(value, forKey: key)
    } else {
      try encodeNil(forKey: key)
    }
  }

  /// Nothing for `nil`, else as ``encodeFinite(_:forKey:)``.
  mutating func encodeFinite(_ value: Double?, forKey key: Key) throws {
    if let value { try encodeFinite(value, forKey: key) }
  }
}

extension KeyedDecodingContainer {
  /// The number at `key`; NaN for `null` (a non-finite number encoded by `encodeFinite`).
  func decodeNumber(forKey key: Key) throws -> Double {
    try decodeIfPresent(Double.self, forKey: key) ?? .nan
  }
}
