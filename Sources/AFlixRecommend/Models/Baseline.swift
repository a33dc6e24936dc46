import AFlixData
import AFlixLinalg

/// User and item biases fitted by regularised alternating least squares: Surprise's
/// `BaselineOnly` with `method: "als"`.
///
/// The model is `r̂ᵤᵢ = μ + bᵤ + bᵢ`, minimising `Σ(rᵤᵢ − μ − bᵤ − bᵢ)² + λᵤ Σbᵤ² + λᵢ Σbᵢ²` by
/// alternating closed-form updates `bᵢ = Σᵤ(r − μ − bᵤ)/(λᵢ + |R(i)|)` and
/// `bᵤ = Σᵢ(r − μ − bᵢ)/(λᵤ + |R(u)|)`.
///
/// ```swift
/// let model = try Baseline().fit(train)
/// model.predict(userID: 196, itemID: 242).value
/// ```
public struct Baseline: RecommenderAlgorithm, Hashable, Codable {
  /// Alternating passes; 10 by default (Surprise's).
  public var epochs: Int
  /// λᵤ, the user-bias regularisation; 15 by default (Surprise's `reg_u`).
  public var userRegularization: Double
  /// λᵢ, the item-bias regularisation; 10 by default (Surprise's `reg_i`).
  public var itemRegularization: Double

  /// `"baseline"`.
  public var name: String { "baseline" }

  /// Creates a configuration; the defaults are Surprise's.
  public init(epochs: Int = 10, userRegularization: Double = 15, itemRegularization: Double = 10) {
    self.epochs = epochs
    self.userRegularization = userRegularization
    self.itemRegularization = itemRegularization
  }

  /// Fits the biases on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` for negative epochs or regularisation (or NaN).
  public func fit(_ data: RatingsDataset) throws -> BaselineModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits the biases on `data`, calling `monitor` after every epoch (with the training RMSE): the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> BaselineModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Checks the hyper-parameters (what ``fit(_:)`` checks before touching data).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try FactorValidation.requireCount(epochs, "epochs", minimum: 0)
    try FactorValidation.requireNonNegative(userRegularization, "user regularisation")
    try FactorValidation.requireNonNegative(itemRegularization, "item regularisation")
  }

  /// The fit itself, without a record: ``fit(_:)`` adds the ``BaselineModel/fitRecord``, and
  /// models that hold biases as a part (kNN, truncated SVD) call this directly.
  func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor()) throws
    -> BaselineModel
  {
    guard data.ratingCount > 0 else {
      throw RecommendError(.emptyTrainingData, "cannot fit biases on a dataset with no rating")
    }
    try validateHyperparameters()
    let mu = data.globalMean
    var bu = [Double](repeating: 0, count: data.userCount)
    var bi = [Double](repeating: 0, count: data.itemCount)
    let matrix = data.userItemMatrix
    for epoch in 0..<epochs {
      var sums = [Double](repeating: 0, count: data.itemCount)
      var counts = [Int](repeating: 0, count: data.itemCount)
      for u in 0..<data.userCount {
        let (items, values) = matrix.row(u)
        for (i, r) in zip(items, values) {
          sums[Int(i)] += Double(r) - mu - bu[u]
          counts[Int(i)] += 1
        }
      }
      for i in 0..<data.itemCount { bi[i] = sums[i] / (itemRegularization + Double(counts[i])) }
      // Σ(e − bᵤ)² = Σe² − 2bᵤΣe + n·bᵤ² with e = r − μ − bᵢ: the training RMSE after the
      // epoch, from sums this pass makes anyway.
      var squares = 0.0
      for u in 0..<data.userCount {
        let (items, values) = matrix.row(u)
        var s = 0.0
        var s2 = 0.0
        for (i, r) in zip(items, values) {
          let e = Double(r) - mu - bi[Int(i)]
          s += e
          s2 += e * e
        }
        bu[u] = s / (userRegularization + Double(items.count))
        squares += s2 - 2 * bu[u] * s + Double(items.count) * bu[u] * bu[u]
      }
      try monitor.checkpoint(
        step: epoch + 1, total: epochs,
        loss: (max(0, squares) / Double(data.ratingCount)).squareRoot())
    }
    return BaselineModel(
      users: data.users, items: data.items, scale: data.scale, globalMean: Float(mu),
      userBias: bu.map { Float($0) }, itemBias: bi.map { Float($0) })
  }
}

/// Fitted biases: `r̂ᵤᵢ = μ + bᵤ + bᵢ`, clipped to the scale. An unknown user or item contributes
/// no bias (so the fallback is `μ + bᵢ`, `μ + bᵤ` or `μ`).
public struct BaselineModel: RatingPredictor, Hashable {
  /// The users the model knows.
  public let users: IDMap
  /// The items the model knows.
  public let items: IDMap
  /// The rating scale of the training data.
  public let scale: RatingScale
  /// μ, the global mean of the training ratings.
  public let globalMean: Float
  /// bᵤ per user index.
  public let userBias: [Float]
  /// bᵢ per item index.
  public let itemBias: [Float]

  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items, saved with the model: what ``recommend(user:count:excluding:where:)``
  /// leaves out by default. Empty for a model built from its parts.
  public internal(set) var history: UserHistory

  /// Creates a model from its parameters.
  ///
  /// `history`, when given, is the users' training items (what `recommend(user:…)` leaves out;
  /// none when `nil`): one row per user, item indices below the item count (checked).
  public init(
    users: IDMap, items: IDMap, scale: RatingScale, globalMean: Float, userBias: [Float],
    itemBias: [Float], history: UserHistory? = nil
  ) {
    self.history =
      history?.checked(users: users.count, items: items.count) ?? UserHistory(emptyFor: users.count)
    precondition(userBias.count == users.count && itemBias.count == items.count)
    self.users = users
    self.items = items
    self.scale = scale
    self.globalMean = globalMean
    self.userBias = userBias
    self.itemBias = itemBias
  }

  /// `μ + bᵤ + bᵢ` for every item (unclipped, for ranking).
  public func scores(forUser user: Int) -> [Float] {
    precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    let base = globalMean + userBias[user]
    return itemBias.map { base + $0 }
  }

  /// `μ + bᵤ + bᵢ` clipped to the scale, with fallbacks for unknown ids.
  public func predict(user: Int?, item: Int?) -> Prediction {
    requireIndices(user: user, item: item)
    let value = globalMean + (user.map { userBias[$0] } ?? 0) + (item.map { itemBias[$0] } ?? 0)
    let source: PredictionSource
    switch (user, item) {
    case (.some, .some): source = .model
    case (.some, .none): source = .userBaseline
    case (.none, .some): source = .itemBaseline
    case (.none, .none): source = .globalMean
    }
    return Prediction(value: scale.clamp(value), source: source)
  }
}
