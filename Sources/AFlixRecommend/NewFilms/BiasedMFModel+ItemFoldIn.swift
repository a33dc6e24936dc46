import AFlixData
import AFlixLinalg

extension BiasedMFModel: ItemFoldIn {
  /// The bias `bᵢ` and factors `qᵢ` of a film described only by `ratings` (user indices of this
  /// model), with every user parameter fixed, by the fit's own criterion
  /// (``FitRecord/algorithm``), the mirror of ``foldedUserFactors(_:)``:
  ///
  /// - `mf-als` (``BiasedALS``): `(XᵀX + n·diag(λ,…,λ,λ_b)) (qᵢ, bᵢ) = Xᵀ(r − μ − bᵤ)` over the
  ///   rows `X = (pᵤ, 1)` of the users who rated it, with the λ and λ_b it was fitted with —
  ///   the fit's last half-step, so a training film gets back its fitted parameters.
  /// - `mf-sgd` (``BiasedMF``) and `svdpp` (``SVDPlusPlus``): the same ridge with `n·λ` on every
  ///   coordinate, the fixed point of their per-rating item updates; without biases
  ///   (`biased: false`) `bᵢ = 0`. For SVD++ the rows are the stored user factors, which hold
  ///   `pᵤ + |N(u)|^(−½) Σ yⱼ`; the new film gets no implicit factor `yᵢ` (the users' implicit
  ///   sums stay as fitted).
  /// - Anything else (no record, `bpmf`): ``BiasedALS``'s default ridge (λ = 0.1, λ_b = 0.02 per
  ///   rating) on the stored user factors — for `bpmf`, whose stored factors are its samples side
  ///   by side, an approximation.
  ///
  /// - Returns: `nil` for empty ratings or a failed solve.
  /// - Complexity: O(n·k² + k³) for `n` ratings and `k` factors, on the calling thread.
  public func foldInItem(ratings: ItemRatings) -> FoldedItem? {
    guard !ratings.isEmpty, ratings.users.last! < users.count else { return nil }
    let n = Double(ratings.count)
    let k = factorCount
    let targets = zip(ratings.users, ratings.values).map { u, r in
      Double(r) - Double(globalMean) - Double(userBias[u])
    }
    let (biased, ridge) = foldInRidge(ratingCount: n)
    guard
      let theta = FoldInSolver.solve(
        factors: userFactors, columns: 0..<k, items: ratings.users, targets: targets,
        bias: biased, ridge: ridge)
    else { return nil }
    return FoldedItem(
      factors: (0..<k).map { Float(theta[$0]) }, bias: biased ? Float(theta[k]) : 0,
      ratingCount: ratings.count)
  }

  /// `μ + bᵤ + bᵢ + qᵢᵀpᵤ`, unclipped like ``scores(forUser:)``.
  ///
  /// - Precondition: `0 ≤ user < users.count` and `k` factors (checked).
  public func score(_ item: FoldedItem, forUser user: Int) -> Float {
    requireIndices(user: user, item: nil)
    ItemFoldInMath.requireShape(item, factors: factorCount)
    let k = factorCount
    return ItemFoldInMath.dot(
      userFactors.elements[(user * k)..<(user * k + k)], item.factors,
      base: globalMean + userBias[user] + item.bias)
  }

  /// `μ + bᵤ + bᵢ + qᵢᵀpᵤ` with `(bᵤ, pᵤ)` folded in from `ratings` (``foldedUserFactors(_:)``);
  /// `μ + bᵢ` (the unknown user's item baseline) when that gives none.
  ///
  /// - Precondition: `k` factors (checked).
  public func score(_ item: FoldedItem, forRatings ratings: UserRatings) -> Float {
    ItemFoldInMath.requireShape(item, factors: factorCount)
    guard let user = foldedUserFactors(ratings) else { return globalMean + item.bias }
    return ItemFoldInMath.dot(
      user.factors[...], item.factors, base: globalMean + user.bias + item.bias)
  }
}
