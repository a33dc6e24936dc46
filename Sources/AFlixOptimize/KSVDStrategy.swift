/// How the K-SVD candidates are scored and one is chosen.
///
/// Three implementations: ``OriginalCompositeStrategy`` (the original's explained-variance
/// composite, what `seed_pipeline.py` reproduces), ``OriginalRMSEStrategy`` (the original's
/// cross-validated RMSE composite) and ``ValidationStrategy`` (held-out error with the
/// one-standard-error rule: the honest default). Explained variance only grows with K, so a score
/// without a held-out error picks whatever its weights favour.
public protocol KSVDStrategy: Sendable {
  /// The name `aflix optimize --strategy` takes and results record.
  var name: String { get }
  /// The validation folds the strategy needs (0: none; its candidates then carry no validation
  /// figures).
  var validationFolds: Int { get }
  /// The candidate's composite score (in the strategy's direction, see ``choose(_:)``).
  func score(_ candidate: KSVDCandidate) -> Double
  /// The index of the chosen candidate among `candidates` (scored, in ascending K), or `nil` for
  /// none.
  func choose(_ candidates: [KSVDCandidate]) -> Int?
  /// The index of the best candidate so far (what `k_svd_result`'s `is_best` marks): by default
  /// ``choose(_:)``; the validation strategy's best mean, before its one-standard-error rule
  /// (which may move the final choice to a smaller K, see `k_svd_optimal`).
  func bestSoFar(_ candidates: [KSVDCandidate]) -> Int?
}

extension KSVDStrategy {
  /// ``choose(_:)``.
  public func bestSoFar(_ candidates: [KSVDCandidate]) -> Int? { choose(candidates) }
}

/// The original's composite (maximised): `0.4 · explained variance + 0.3 · efficiency + 0.2 ·
/// (1 − overfitting risk) + 0.1 · diversity bonus`.
///
/// The original never defined its diversity bonus; like `seed_pipeline.py` this takes it as 0
/// (the term is dropped, not invented). Ties go to the smaller K.
public struct OriginalCompositeStrategy: KSVDStrategy {
  /// `"original"`.
  public var name: String { "original" }
  /// No validation: the score uses the decomposition only.
  public var validationFolds: Int { 0 }

  /// Creates the strategy.
  public init() {}

  /// `0.4 · EV + 0.3 · EV/k + 0.2 · (1 − k / min(users, items))`.
  public func score(_ c: KSVDCandidate) -> Double {
    0.4 * c.explainedVariance + 0.3 * c.efficiency + 0.2 * (1 - c.overfittingRisk) + 0.1 * 0
  }

  /// The highest score (the smaller K on a tie).
  public func choose(_ candidates: [KSVDCandidate]) -> Int? {
    candidates.indices.max {
      candidates[$0].compositeScore != candidates[$1].compositeScore
        ? candidates[$0].compositeScore < candidates[$1].compositeScore : $0 > $1
    }
  }
}

/// The original's second composite (minimised), with cross-validated RMSE:
/// `0.4 · RMSE + 0.3 · (1 − explained variance) + 0.2 · overfitting risk + 0.1 · (1 − efficiency)`.
///
/// Explained variance is `Σσ² / ‖R‖_F²` (the original divided by the number of ratings here,
/// which exceeds 1). Without a validation RMSE (no fold could be scored) it falls back to the
/// original's K = 30, or the candidate nearest to it.
public struct OriginalRMSEStrategy: KSVDStrategy {
  /// `"original-rmse"`.
  public var name: String { "original-rmse" }
  /// The folds of the cross-validation (the original's 3).
  public var validationFolds: Int

  /// Creates the strategy with `folds`-fold cross-validation (at least 2).
  public init(folds: Int = 3) {
    validationFolds = max(2, folds)
  }

  /// The composite; `+∞` without a validation RMSE.
  public func score(_ c: KSVDCandidate) -> Double {
    guard let rmse = c.validationRMSE else { return .infinity }
    return 0.4 * rmse + 0.3 * (1 - c.explainedVariance) + 0.2 * c.overfittingRisk + 0.1
      * (1 - c.efficiency)
  }

  /// The lowest finite score (the smaller K on a tie); the candidate nearest K = 30 when none is
  /// finite.
  public func choose(_ candidates: [KSVDCandidate]) -> Int? {
    let finite = candidates.indices.filter { candidates[$0].compositeScore.isFinite }
    guard !finite.isEmpty else {
      return candidates.indices.min { abs(candidates[$0].k - 30) < abs(candidates[$1].k - 30) }
    }
    return finite.min {
      candidates[$0].compositeScore != candidates[$1].compositeScore
        ? candidates[$0].compositeScore < candidates[$1].compositeScore : $0 < $1
    }
  }
}

/// The honest default: K by held-out error over seeded folds, with the one-standard-error rule
/// toward smaller K — the smallest K whose mean error is within one standard error (over the
/// folds) of the best mean.
public struct ValidationStrategy: KSVDStrategy {
  /// What the folds measure.
  public enum Metric: String, Sendable, Hashable, Codable, CaseIterable {
    /// Held-out RMSE (minimised).
    case rmse
    /// Held-out NDCG@10, every held-out item relevant (maximised).
    case ndcg
  }

  /// `"validation"`.
  public var name: String { "validation" }
  /// The metric chosen by.
  public var metric: Metric
  /// Folds of the seeded k-fold split of the ratings (at least 2).
  public var validationFolds: Int
  /// Whether the one-standard-error rule applies (else the best mean wins).
  public var oneStandardError: Bool

  /// Creates the strategy.
  public init(metric: Metric = .rmse, folds: Int = 3, oneStandardError: Bool = true) {
    self.metric = metric
    self.validationFolds = max(2, folds)
    self.oneStandardError = oneStandardError
  }

  /// The mean held-out error (RMSE, or NDCG@10); NaN without one.
  public func score(_ c: KSVDCandidate) -> Double {
    switch metric {
    case .rmse: c.validationRMSE ?? .nan
    case .ndcg: c.validationNDCG ?? .nan
    }
  }

  /// The best mean so far (ties to the smaller K), without the rule.
  public func bestSoFar(_ candidates: [KSVDCandidate]) -> Int? {
    OneStandardErrorRule.choose(
      means: candidates.map(\.compositeScore), errors: candidates.map { _ in nil },
      lowerIsBetter: metric == .rmse, rule: false)
  }

  /// The best mean, then (with the rule) the smallest K within one standard error of it.
  public func choose(_ candidates: [KSVDCandidate]) -> Int? {
    let lowerIsBetter = metric == .rmse
    return OneStandardErrorRule.choose(
      means: candidates.map(\.compositeScore),
      errors: candidates.map {
        lowerIsBetter ? $0.validationRMSEStandardError : $0.validationNDCGStandardError
      }, lowerIsBetter: lowerIsBetter, rule: oneStandardError)
  }
}
