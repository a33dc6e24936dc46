/// The figures of one K-SVD candidate: what every strategy reports, whichever it scores by.
public struct KSVDCandidate: Sendable, Hashable, Codable {
  /// The number of latent factors.
  public var k: Int
  /// `Σᵢ≤k σᵢ² / ‖R‖_F²` of the ratings matrix `R` (uncentred, as the original computes it).
  public var explainedVariance: Double
  /// Explained variance per factor: `explainedVariance / k`.
  public var efficiency: Double
  /// `k / min(users, items)`, the original's overfitting risk.
  public var overfittingRisk: Double
  /// Mean held-out RMSE over the validation folds (strategies that validate).
  public var validationRMSE: Double?
  /// Standard error of ``validationRMSE`` over the folds.
  public var validationRMSEStandardError: Double?
  /// Mean held-out NDCG@10 over the validation folds (strategies that validate).
  public var validationNDCG: Double?
  /// Standard error of ``validationNDCG`` over the folds.
  public var validationNDCGStandardError: Double?
  /// The strategy's score of the candidate (its own direction: see ``KSVDStrategy``).
  public var compositeScore: Double
  /// Seconds spent on this candidate.
  public var seconds: Double

  enum CodingKeys: String, CodingKey {
    case k
    case explainedVariance = "explained_variance"
    case efficiency
    case overfittingRisk = "overfitting_risk"
    case validationRMSE = "validation_rmse"
    case validationRMSEStandardError = "validation_rmse_standard_error"
    case validationNDCG = "validation_ndcg_at_10"
    case validationNDCGStandardError = "validation_ndcg_at_10_standard_error"
    case compositeScore = "composite_score"
    case seconds
  }

  /// Encodes the figures in snake_case, a non-finite number as `null`, an absent one not at all.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(k, forKey: .k)
    try c.encodeFinite(explainedVariance, forKey: .explainedVariance)
    try c.encodeFinite(efficiency, forKey: .efficiency)
    try c.encodeFinite(overfittingRisk, forKey: .overfittingRisk)
    try c.encodeFinite(validationRMSE, forKey: .validationRMSE)
    try c.encodeFinite(validationRMSEStandardError, forKey: .validationRMSEStandardError)
    try c.encodeFinite(validationNDCG, forKey: .validationNDCG)
    try c.encodeFinite(validationNDCGStandardError, forKey: .validationNDCGStandardError)
    try c.encodeFinite(compositeScore, forKey: .compositeScore)
    try c.encodeFinite(seconds, forKey: .seconds)
  }

  /// Decodes what ``encode(to:)`` writes (`null` as NaN, or as absent for optional figures).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
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
  }

  /// Creates a candidate's figures.
  public init(
    k: Int, explainedVariance: Double, efficiency: Double, overfittingRisk: Double,
    validationRMSE: Double? = nil, validationRMSEStandardError: Double? = nil,
    validationNDCG: Double? = nil, validationNDCGStandardError: Double? = nil,
    compositeScore: Double = 0, seconds: Double = 0
  ) {
    self.k = k
    self.explainedVariance = explainedVariance
    self.efficiency = efficiency
    self.overfittingRisk = overfittingRisk
    self.validationRMSE = validationRMSE
    self.validationRMSEStandardError = validationRMSEStandardError
    self.validationNDCG = validationNDCG
    self.validationNDCGStandardError = validationNDCGStandardError
    self.compositeScore = compositeScore
    self.seconds = seconds
  }
}

/// The figures of one K-cluster candidate.
public struct KClusterCandidate: Sendable, Hashable, Codable {
  /// The number of clusters.
  public var k: Int
  /// The mean silhouette over every user; `nil` when the clustering has fewer than two distinct
  /// clusters (or one user per cluster), where it is undefined.
  public var silhouetteScore: Double?
  /// `1 − std(cluster sizes) / mean(cluster sizes)`.
  public var balance: Double
  /// The K-means objective (sum of squared distances to the centres).
  public var inertia: Double
  /// The original's composite `0.5 · silhouette + 0.3 · balance + 0.2 / k` (maximised); `nil`
  /// without a silhouette.
  public var compositeScore: Double?
  /// Seconds spent on this candidate (K-means and its share of the silhouettes).
  public var seconds: Double

  enum CodingKeys: String, CodingKey {
    case k
    case silhouetteScore = "silhouette_score"
    case balance, inertia
    case compositeScore = "composite_score"
    case seconds
  }

  /// Encodes the figures in snake_case, a non-finite number as `null`, an absent one not at all.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(k, forKey: .k)
    try c.encodeFinite(silhouetteScore, forKey: .silhouetteScore)
    try c.encodeFinite(balance, forKey: .balance)
    try c.encodeFinite(inertia, forKey: .inertia)
    try c.encodeFinite(compositeScore, forKey: .compositeScore)
    try c.encodeFinite(seconds, forKey: .seconds)
  }

  /// Decodes what ``encode(to:)`` writes.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      k: try c.decode(Int.self, forKey: .k),
      silhouetteScore: try c.decodeIfPresent(Double.self, forKey: .silhouetteScore),
      balance: try c.decodeNumber(forKey: .balance), inertia: try c.decodeNumber(forKey: .inertia),
      compositeScore: try c.decodeIfPresent(Double.self, forKey: .compositeScore),
      seconds: try c.decodeNumber(forKey: .seconds))
  }

  /// Creates a candidate's figures.
  public init(
    k: Int, silhouetteScore: Double?, balance: Double, inertia: Double, compositeScore: Double?,
    seconds: Double = 0
  ) {
    self.k = k
    self.silhouetteScore = silhouetteScore
    self.balance = balance
    self.inertia = inertia
    self.compositeScore = compositeScore
    self.seconds = seconds
  }

  /// The original's composite: `0.5 · silhouette + 0.3 · balance + 0.2 / k`.
  public static func compositeScore(silhouette: Double, balance: Double, k: Int) -> Double {
    0.5 * silhouette + 0.3 * balance + 0.2 / Double(k)
  }
}
