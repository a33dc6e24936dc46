/// The flat JSON form of an event (see ``OptimizationEvent``), not Swift's synthesised enum
/// coding, so that a service can forward each event unchanged.
extension OptimizationEvent: Codable {
  enum Key: String, CodingKey {
    case type, progress, message, users, items, ratings, density, phase, score
    case isBest = "is_best"
    case optimalK = "optimal_k"
    case finalKSVD = "final_k_svd"
    case finalKCluster = "final_k_cluster"
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
      // The candidate's own fields at the top level of the same object.
      try r.encode(to: encoder)
      try c.encode(isBest, forKey: .isBest)
    case .kClusterResult(let r, let isBest, _):
      try r.encode(to: encoder)
      try c.encode(isBest, forKey: .isBest)
    case .kSVDOptimal(let k, let score, _), .kClusterOptimal(let k, let score, _):
      try c.encode(k, forKey: .optimalK)
      try c.encodeFinite(score, forKey: .score)
    case .completed(let svd, let cluster, _):
      try c.encode(svd, forKey: .finalKSVD)
      try c.encode(cluster, forKey: .finalKCluster)
    case .alert(let a, _):
      try a.encode(to: encoder)
    case .action(let a, _):
      try a.encode(to: encoder)
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
      self = .kSVDResult(
        try KSVDCandidate(from: decoder), isBest: try c.decode(Bool.self, forKey: .isBest),
        progress: progress)
    case "k_cluster_result":
      self = .kClusterResult(
        try KClusterCandidate(from: decoder), isBest: try c.decode(Bool.self, forKey: .isBest),
        progress: progress)
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
      self = .alert(try MonitorAlert(from: decoder), progress: progress)
    case "action":
      self = .action(try MonitorAction(from: decoder), progress: progress)
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
