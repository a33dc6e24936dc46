/// A model's variants at a few factor counts, built once, each request picking one by K: the
/// original's A/B tests of K (25/30/35) and its emergency K = 20, without a refit.
///
/// The model's factors are ordered once (``FactorRankServing/orderedFactors()``) and each variant
/// keeps the leading K of them; the fitted K is always a rung (the ordered model, the same scores
/// as the original). Requests choose exactly (``model(forFactors:)``, a typed error for a K the
/// ladder does not hold) or leniently (``nearestModel(toFactors:)``: the closest rung, ties to the
/// larger K). A ladder is an immutable `Sendable` value: share it between concurrent requests.
/// A hybrid gets one too (``init(hybrid:factors:)``): its collaborative model's rungs, the rest
/// shared.
///
/// ```swift
/// let ladder = try FactorLadder(model: try ImplicitALS(factors: 35).fit(train),
///                               factors: FactorLadder<ImplicitALSModel>.originalFactors)
/// let variant = try ladder.model(forFactors: 25)     // an A/B arm
/// let top = variant.recommend(user: 42, count: 10)
/// let emergency = ladder.nearestModel(toFactors: 20)
/// ```
public struct FactorLadder<Model: RecommenderModel>: Sendable {
  /// The factor counts of the original's A/B test (25, 30, 35) and its emergency K (20).
  public static var originalFactors: [Int] { [20, 25, 30, 35] }

  /// The factor count the model was fitted with (the largest rung; a hybrid's collaborative K).
  public let fittedFactors: Int
  /// The rungs, ascending (the requested counts and the fitted one).
  public let availableFactors: [Int]
  /// The variant of each rung.
  private let variants: [Int: Model]

  /// Orders `model`'s factors once and keeps the leading K for every K of `factors` (the fitted
  /// K is added when absent; repeats are merged).
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for a K outside `1…model.factorCount`, and
  ///   what ``FactorRankServing/orderedFactors()`` throws.
  /// - Complexity: one ordering plus O((users + items) · K) per rung; memory for every rung.
  public init(model: Model, factors: [Int]) throws where Model: FactorRankServing {
    try self.init(fittedFactors: model.factorCount, factors: factors) {
      try model.orderedFactors()
    } keepingLeading: { ordered, k in
      try ordered.keepingLeadingFactors(k)
    }
  }

  /// A ladder whose rungs are `keepingLeading(ordered, k)` of one `order()`ed model, the fitted K
  /// being the ordered model itself.
  init(
    fittedFactors full: Int, factors: [Int], order: () throws -> Model,
    keepingLeading: (Model, Int) throws -> Model
  ) throws {
    for k in factors { try FactorRankValidation.requireFactorCount(k, of: full) }
    let ordered = try order()
    let rungs = Set(factors + [full]).sorted()
    var variants: [Int: Model] = [:]
    for k in rungs { variants[k] = k == full ? ordered : try keepingLeading(ordered, k) }
    self.fittedFactors = full
    self.availableFactors = rungs
    self.variants = variants
  }

  /// The variant with exactly `factors` factors.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` naming the available rungs when `factors` is
  ///   not one of them.
  public func model(forFactors factors: Int) throws -> Model {
    guard let model = variants[factors] else {
      throw RecommendError(
        .invalidArgument,
        "no variant with \(factors) factors: this ladder serves K ∈ \(availableFactors)")
    }
    return model
  }

  /// The variant whose factor count is closest to `factors` (ties to the larger count, which
  /// loses less accuracy); any `Int` is accepted, so a request cannot fail here.
  public func nearestModel(toFactors factors: Int) -> Model {
    // Clamped first, so that no distance overflows (`Int.min` is a valid request).
    let target = min(max(factors, availableFactors[0]), fittedFactors)
    var best = fittedFactors
    for k in availableFactors {
      let d = abs(k - target)
      let b = abs(best - target)
      if d < b || (d == b && k > best) { best = k }
    }
    return variants[best]!
  }

  /// The ordered model at the fitted K: the same scores as the model the ladder was built from.
  public var fullModel: Model { variants[fittedFactors]! }
}
