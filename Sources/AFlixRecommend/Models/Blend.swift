import AFlixData
import AFlixLinalg

/// A linear blend of rating models whose weights are fitted on held-out ratings — the way the
/// Netflix-prize solutions combined models.
///
/// Fitting: a seeded share ``holdoutFraction`` of each user's training ratings is held out; every
/// member is fitted on the rest and predicts the held-out ratings; ridge-regularised least squares
/// (intercept included, solved through LAPACK `posv`) gives one weight per member; finally every
/// member is refitted on all the training ratings. Prediction: `w₀ + Σⱼ wⱼ r̂ⱼ`, clipped.
///
/// The default members are the tuned ``BayesianMF``, ``BiasedMF``, ``SVDPlusPlus`` and
/// ``BiasedALS``, plus ``KNNBaseline`` (each with its own defaults); adding the neighbourhood
/// model improved every canonical MovieLens 100k fold (<doc:RatingModels>).
public struct Blend: RecommenderAlgorithm {
  /// The models blended.
  public var members: [any RecommenderAlgorithm]
  /// The share of each user's training ratings held out to fit the weights; 0.1 by default.
  public var holdoutFraction: Double
  /// Ridge λ on the weights (not the intercept); 1e-3 by default.
  public var ridge: Double
  /// Seed of the held-out slice.
  public var seed: UInt64

  /// `"blend"`.
  public var name: String { "blend" }

  /// The blend's own settings and its members' names (each fitted member keeps its own record).
  public var fitRecord: FitRecord {
    struct Settings: Encodable {
      var members: [FitRecord]
      var holdoutFraction: Double
      var ridge: Double
      var seed: UInt64
    }
    return FitRecord(
      algorithm: name,
      configuration: Settings(
        members: members.map(\.fitRecord), holdoutFraction: holdoutFraction, ridge: ridge,
        seed: seed))
  }

  /// Creates a blend; `members` nil gives the default five, seeded with `seed`.
  public init(
    members: [any RecommenderAlgorithm]? = nil, holdoutFraction: Double = 0.1, ridge: Double = 1e-3,
    seed: UInt64 = 0
  ) {
    self.members =
      members ?? [
        BayesianMF(seed: seed), BiasedMF(seed: seed), SVDPlusPlus(seed: seed),
        BiasedALS(seed: seed), KNNBaseline(),
      ]
    self.holdoutFraction = holdoutFraction
    self.ridge = ridge
    self.seed = seed
  }

  /// Fits the weights on a held-out slice, then every member on all of `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData`, `.invalidHyperparameter` (no member, a
  ///   hold-out share outside (0, 1), negative or NaN ridge), `.numericalFailure` when the
  ///   weights cannot be solved, and the members' errors.
  public func fit(_ data: RatingsDataset) throws -> BlendModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits the weights on a held-out slice, then every member on all of `data`, calling `monitor` after every member fit and after the weight solve (steps 1…m: the members on the slice, m + 1: the weights, m + 2…2m + 1: the members on all of `data`; the members report their own steps too): the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> BlendModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Checks the blend's settings and every member's hyper-parameters.
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    guard !members.isEmpty, holdoutFraction > 0, holdoutFraction < 1, ridge >= 0, ridge.isFinite
    else {
      throw RecommendError(
        .invalidHyperparameter,
        "a blend needs members, a hold-out share in (0, 1) (got \(holdoutFraction)) and a ridge "
          + "≥ 0 (got \(ridge))")
    }
    for member in members {
      try member.validateHyperparameters()
      guard member.predictsRatings else {
        throw RecommendError(
          .invalidHyperparameter,
          "blend member \(member.name) ranks items but does not predict ratings")
      }
    }
  }

  /// The fit itself; ``fit(_:)`` adds the ``BlendModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor())
    throws -> BlendModel
  {
    guard data.ratingCount > 0 else {
      throw RecommendError(.emptyTrainingData, "cannot fit a blend on a dataset with no rating")
    }
    try validateHyperparameters()
    let slice = try data.split(.userHoldout(testFraction: holdoutFraction), seed: seed)[0]
    let m = members.count
    let total = 2 * m + 1
    var columns: [[Float]] = []
    for member in members {
      let model =
        try member.fit(slice.train, monitor: monitor.member(member.name)) as any RecommenderModel
      guard let predictor = model as? any RatingPredictor else {
        throw RecommendError(
          .invalidHyperparameter, "blend member \(member.name) is not a rating model")
      }
      columns.append(predictor.predictions(for: slice.test).map(\.value))
      try monitor.checkpoint(step: columns.count, total: total)
    }
    var targets: [Float] = []
    for u in 0..<slice.test.userCount {
      targets.append(contentsOf: slice.test.ratings(ofUser: u).values)
    }
    // Normal equations of [1, r̂₁ … r̂ₘ] w = r, ridge on the member weights.
    let d = m + 1
    var gram = Matrix<Double>(rows: d, columns: d)
    var rhs = [Double](repeating: 0, count: d)
    for n in targets.indices {
      var row = [1.0]
      for j in 0..<m { row.append(Double(columns[j][n])) }
      for a in 0..<d {
        rhs[a] += row[a] * Double(targets[n])
        for b in 0..<d { gram[a, b] += row[a] * row[b] }
      }
    }
    for j in 1..<d { gram[j, j] += ridge * Double(targets.count) }
    let info = gram.elements.withUnsafeMutableBufferPointer { g in
      rhs.withUnsafeMutableBufferPointer { r in
        Double.posv(n: d, nrhs: 1, a: g.baseAddress!, b: r.baseAddress!)
      }
    }
    guard info == 0, rhs.allSatisfy(\.isFinite) else {
      throw RecommendError(
        .numericalFailure, "the blend weights could not be solved (info \(info))")
    }
    try monitor.checkpoint(step: m + 1, total: total)
    var fitted: [any RatingPredictor] = []
    for member in members {
      guard
        let predictor = try member.fit(data, monitor: monitor.member(member.name))
          as any RecommenderModel as? any RatingPredictor
      else {
        throw RecommendError(
          .invalidHyperparameter, "blend member \(member.name) is not a rating model")
      }
      fitted.append(predictor)
      try monitor.checkpoint(step: m + 1 + fitted.count, total: total)
    }
    return BlendModel(
      members: fitted, names: members.map(\.name), intercept: Float(rhs[0]),
      weights: rhs.dropFirst().map { Float($0) }, users: data.users, items: data.items,
      scale: data.scale)
  }
}

/// A fitted ``Blend``: `w₀ + Σⱼ wⱼ r̂ⱼ`, clipped to the scale. Fallbacks come from the members
/// (each handles unknown ids itself); the source reported is the first member's.
public struct BlendModel: RatingPredictor {
  /// The fitted members, all on the same id maps.
  public let members: [any RatingPredictor]
  /// The members' algorithm names, in order.
  public let names: [String]
  /// w₀.
  public let intercept: Float
  /// wⱼ per member.
  public let weights: [Float]
  /// The users of the training data.
  public let users: IDMap
  /// The items of the training data.
  public let items: IDMap
  /// The training data's scale.
  public let scale: RatingScale
  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items, saved with the model: what ``recommend(user:count:excluding:where:)``
  /// leaves out by default. Empty for a model built from its parts.
  public internal(set) var history: UserHistory

  /// Creates a blend from fitted members (all on `users` and `items`), its intercept and one
  /// weight per member.
  ///
  /// - Precondition: `members`, `names` and `weights` have the same length.
  public init(
    members: [any RatingPredictor], names: [String], intercept: Float, weights: [Float],
    users: IDMap, items: IDMap, scale: RatingScale
  ) {
    precondition(members.count == names.count && members.count == weights.count)
    precondition(
      members.allSatisfy { $0.users == users && $0.items == items },
      "every blend member must be fitted on the blend's users and items")
    self.members = members
    self.names = names
    self.intercept = intercept
    self.weights = weights
    self.users = users
    self.items = items
    self.scale = scale
    self.history = members.first?.history ?? UserHistory(emptyFor: users.count)
  }

  /// The blended scores of every item: `w₀ + Σⱼ wⱼ sⱼ` over the members' unclipped scores.
  ///
  /// The weights were fitted on clipped predictions; applied to unclipped scores they keep the
  /// order between items that a member would clip to the same bound (two films both predicted
  /// above 5 stars), which ranking needs. ``predict(user:item:)`` blends clipped predictions.
  public func scores(forUser user: Int) -> [Float] {
    precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    var out = [Float](repeating: intercept, count: items.count)
    for (member, w) in zip(members, weights) {
      for (i, s) in member.scores(forUser: user).enumerated() { out[i] += w * s }
    }
    return out
  }

  /// The blended prediction, clipped to the scale.
  public func predict(user: Int?, item: Int?) -> Prediction {
    requireIndices(user: user, item: item)
    var value = intercept
    var source = PredictionSource.model
    for (j, (member, w)) in zip(members, weights).enumerated() {
      let p = member.predict(user: user, item: item)
      value += w * p.value
      if j == 0 { source = p.source }
    }
    return Prediction(value: scale.clamp(value), source: source)
  }
}
