import AFlixLinalg

/// A factor model that can serve from fewer factors than it was fitted with: the original's
/// per-request K (A/B tests of K = 25/30/35, an emergency K = 20), without a refit.
///
/// Factors of ALS, SGD and BPR fits come in no particular order, so the leading columns mean
/// nothing by themselves. ``orderedFactors()`` rewrites a model in the basis of the singular
/// vectors of its known users' interaction scores `PQᵀ`, columns by decreasing singular value,
/// **without changing any score** (to `Float` rounding: the computation runs in `Double`, the
/// stored factors are `Float`, so scores agree to about `1e-5 · ‖pᵤ‖‖qᵢ‖`). Then the leading
/// `r` columns (``truncated(toFactors:)``) give the best rank-`r` approximation of that score
/// matrix in the Frobenius norm (Eckart–Young). Biases, offsets and the fit record are kept
/// unchanged; the record still says the K the model was *fitted* with, ``factorCount`` says the K
/// it serves.
///
/// How the basis is chosen: with `Q = U_q S_q V_qᵀ` and `P V_q S_q = U Σ Wᵀ` (LAPACK SVDs),
/// `P′ = U Σ^½` and `Q′ = U_q W Σ^½`, so that `P′ᵀP′ = Q′ᵀQ′ = Σ`. An even split rather than
/// orthonormal item factors, because the ridge fold-ins penalise `λ‖x‖²` in the factor basis: for a
/// balanced fit (an L2-regularised optimum is balanced, `PᵀP = QᵀQ`) the change of basis is then
/// orthogonal and a fold-in at full K gives the original's factors rotated, i.e. the same scores.
/// Fits with frequency-weighted λ (iALS's `λnᵛ`, ALS's `nλ`) are only nearly balanced, so a
/// full-K fold-in of the ordered model is close to, not equal to, the original's. A fold-in at a
/// reduced K solves the model's own system (its λ, α … from the fit record) in the leading
/// columns of the rotated basis: an approximation of the full-K fold-in, not a refit at that K.
/// ``TruncatedSVDModel`` is ordered already (singular values descending; its fold-in is a
/// projection, exact at every K).
///
/// ```swift
/// let model = try ImplicitALS(factors: 64).fit(train)
/// let k20 = try model.truncated(toFactors: 20)      // the leading 20 ordered factors
/// let top = k20.recommend(user: 42, count: 10)
/// let newcomer = k20.recommend(forRatings: [50: 5, 172: 4], count: 10)
/// ```
///
/// Ordering is a model-building step, not a request step: it runs LAPACK SVDs and BLAS products
/// on OpenBLAS's threads. To serve several K values, order once and keep the variants —
/// ``FactorLadder`` — so that a request only picks one.
///
/// What it costs on MovieLens 100k: an implicit ALS
/// model truncated to a smaller K ranks about as well as a refit at that K, and a truncated biased
/// ALS (`mf-als`) model predicts *better* than a refit at that K: the leading directions of a
/// large fit generalise better than a small fit with the same λ. The figures, with their command:
/// <doc:HybridRecommender>.
public protocol FactorRankServing: RecommenderModel {
  /// The number of latent factors the model serves with.
  var factorCount: Int { get }
  /// The user factors as rows, `users.count × factorCount`.
  var userFactors: Matrix<Float> { get }
  /// The item factors as rows, `items.count × factorCount`.
  var itemFactors: Matrix<Float> { get }
  /// The same model with its factors ordered by the singular values of `userFactors ·
  /// itemFactorsᵀ` (see the protocol's documentation): every score unchanged up to `Float`
  /// rounding, history and fit record kept.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for a model with no user or item, or
  ///   whose factors cannot be reordered (a ``BayesianMF`` model: its columns are posterior
  ///   samples side by side), `.numericalFailure` when the SVD fails.
  /// - Complexity: O((users + items) · k²) plus two SVDs of `… × k` matrices.
  func orderedFactors() throws -> Self
  /// The model with only its leading `count` factors, **as they are** (no ordering): call it on
  /// an ordered model, or use ``truncated(toFactors:)``.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` unless `1 ≤ count ≤ factorCount`.
  func keepingLeadingFactors(_ count: Int) throws -> Self
  /// The model served from the leading `count` of its ordered factors: ``orderedFactors()`` then
  /// ``keepingLeadingFactors(_:)``. `count == factorCount` gives the ordered model (the same
  /// scores as this one).
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` unless `1 ≤ count ≤ factorCount`, and what
  ///   ``orderedFactors()`` throws.
  func truncated(toFactors count: Int) throws -> Self
}

extension FactorRankServing {
  /// ``orderedFactors()`` followed by ``keepingLeadingFactors(_:)``; the range is checked first,
  /// so an out-of-range `count` costs nothing.
  public func truncated(toFactors count: Int) throws -> Self {
    try FactorRankValidation.requireFactorCount(count, of: factorCount)
    return try orderedFactors().keepingLeadingFactors(count)
  }

  /// `‖pⱼ‖ · ‖qⱼ‖` for every factor column `j`: for an ordered model (``orderedFactors()``,
  /// ``TruncatedSVDModel``) the singular values of the known users' interaction scores `PQᵀ`,
  /// descending — how much each column carries. `Σᵢ<ᵣ σᵢ² / Σ σᵢ²` is the share of that score
  /// matrix's energy kept by the leading `r` columns.
  public func factorStrengths() -> [Float] {
    let k = factorCount
    var users = [Double](repeating: 0, count: k)
    var items = [Double](repeating: 0, count: k)
    for (t, v) in userFactors.elements.enumerated() { users[t % k] += Double(v) * Double(v) }
    for (t, v) in itemFactors.elements.enumerated() { items[t % k] += Double(v) * Double(v) }
    return (0..<k).map { Float((users[$0] * items[$0]).squareRoot()) }
  }
}

/// The checks shared by the ``FactorRankServing`` conformances.
enum FactorRankValidation {
  /// Throws unless `1 ≤ count ≤ factors`.
  static func requireFactorCount(_ count: Int, of factors: Int) throws {
    guard count >= 1, count <= factors else {
      throw RecommendError(
        .invalidArgument,
        "cannot serve \(count) factors from a model with \(factors): choose K in 1…\(factors)")
    }
  }
}
