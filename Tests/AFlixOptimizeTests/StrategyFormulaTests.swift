import AFlixOptimize
import Testing

/// The original's composite formulas and the one-standard-error rule, against values computed by
/// hand.
@Suite("K strategies by hand")
struct StrategyFormulaTests {
  @Test func originalCompositeByHand() {
    // 0.4 · 0.2 + 0.3 · 0.01 + 0.2 · (1 − 0.05) + 0.1 · 0 = 0.08 + 0.003 + 0.19 = 0.273
    let c = KSVDCandidate(k: 20, explainedVariance: 0.2, efficiency: 0.01, overfittingRisk: 0.05)
    #expect(abs(OriginalCompositeStrategy().score(c) - 0.273) < 1e-12)
  }

  @Test func originalRMSECompositeByHand() {
    // 0.4 · 0.95 + 0.3 · (1 − 0.2) + 0.2 · 0.05 + 0.1 · (1 − 0.01) = 0.38 + 0.24 + 0.01 + 0.099
    let c = KSVDCandidate(
      k: 20, explainedVariance: 0.2, efficiency: 0.01, overfittingRisk: 0.05, validationRMSE: 0.95)
    #expect(abs(OriginalRMSEStrategy().score(c) - 0.729) < 1e-12)
    let unscored = KSVDCandidate(
      k: 20, explainedVariance: 0.2, efficiency: 0.01, overfittingRisk: 0)
    #expect(OriginalRMSEStrategy().score(unscored) == .infinity)
  }

  @Test func clusterCompositeByHand() {
    // 0.5 · 0.3 + 0.3 · 0.8 + 0.2 / 4 = 0.15 + 0.24 + 0.05 = 0.44
    #expect(
      abs(KClusterCandidate.compositeScore(silhouette: 0.3, balance: 0.8, k: 4) - 0.44) < 1e-12)
  }

  /// RMSE means 0.950, 0.930, 0.925, 0.926 with standard errors 0.006: the best is K = 20 (0.925),
  /// and K = 15 (0.930 ≤ 0.925 + 0.006) is the smallest within one standard error.
  @Test func oneStandardErrorRuleChoosesTheSmallerK() {
    let means = [0.950, 0.930, 0.925, 0.926]
    let candidates = means.enumerated().map { index, rmse in
      var c = KSVDCandidate(
        k: 10 + 5 * index, explainedVariance: 0, efficiency: 0, overfittingRisk: 0,
        validationRMSE: rmse, validationRMSEStandardError: 0.006)
      c.compositeScore = ValidationStrategy().score(c)
      return c
    }
    #expect(ValidationStrategy().choose(candidates) == 1)
    #expect(ValidationStrategy(oneStandardError: false).choose(candidates) == 2)
    // NDCG is maximised: the same rule toward smaller K, below the best.
    let ndcg = [0.30, 0.345, 0.35, 0.349].enumerated().map { index, value in
      var c = KSVDCandidate(
        k: 10 + 5 * index, explainedVariance: 0, efficiency: 0, overfittingRisk: 0,
        validationNDCG: value, validationNDCGStandardError: 0.01)
      c.compositeScore = ValidationStrategy(metric: .ndcg).score(c)
      return c
    }
    #expect(ValidationStrategy(metric: .ndcg).choose(ndcg) == 1)
  }

  @Test func originalCompositeTiesGoToTheSmallerK() {
    let candidates = [10, 15].map {
      var c = KSVDCandidate(k: $0, explainedVariance: 0, efficiency: 0, overfittingRisk: 0)
      c.compositeScore = 0.5
      return c
    }
    #expect(OriginalCompositeStrategy().choose(candidates) == 0)
  }

  @Test func adaptiveCandidatesFollowTheDensity() {
    #expect(
      KSVDCandidates.adaptive.resolved(users: 500, items: 400, density: 0.01).valid == [
        5, 10, 15, 20, 25,
      ])
    #expect(
      KSVDCandidates.adaptive.resolved(users: 500, items: 400, density: 0.07).valid
        == Array(stride(from: 10, through: 50, by: 5)))
    #expect(
      KSVDCandidates.adaptive.resolved(users: 500, items: 400, density: 0.2).valid
        == Array(stride(from: 20, through: 100, by: 10)))
    // K must stay below min(users, items).
    let small = KSVDCandidates.original.resolved(users: 30, items: 22, density: 0.07)
    #expect(small.valid == [10, 15, 20] && small.skipped == [25, 30, 35, 40, 45, 50])
  }
}
