/// The largest counts AFlixRecommend's algorithms accept. A value above its maximum is refused
/// with ``RecommendError/Kind-swift.enum/invalidHyperparameter`` before anything is allocated;
/// counts that the data bounds (neighbours ≤ items, a ranking cut-off ≤ items) are instead
/// clamped to what the data allows.
///
/// Guards compare without overflow (`a > limit / b` rather than `a * b > limit`).
public enum RecommendLimits {
  /// The most training passes of any kind (epochs, ALS sweeps, Gibbs burn-in and samples):
  /// 2³¹ − 1. A long run inside this bound is valid; the command line stops it cleanly on
  /// `SIGINT` / `SIGTERM`.
  public static let maximumPasses = Int(Int32.max)
  /// The most latent factors of the SGD models (biased MF, SVD++): 4,096.
  public static let maximumFactors = 4_096
  /// The most latent factors of the models that solve a `k × k` system per row (biased ALS,
  /// implicit ALS) and of BPR: 1,024.
  public static let maximumSolvedFactors = 1_024
  /// The most latent factors of Bayesian MF, whose Gibbs sweeps sample `k × k` covariances: 256.
  public static let maximumBayesianFactors = 256
  /// The most factors Bayesian MF keeps (`factors × samples`): 65,536.
  public static let maximumKeptFactors = 65_536
}
