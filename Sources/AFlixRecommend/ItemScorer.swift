import AFlixData

/// A fitted model that scores every item for a user: the one call ranking, recommendation and
/// evaluation need. Factor models answer it with one BLAS matrix–vector product.
///
/// Users and items are the dense indices of the `IDMap`s the model was fitted with
/// (``users``, ``items``); scores are comparable within one user, higher is better.
public protocol ItemScorer: Sendable {
  /// The users the model knows, index ↔ external id.
  var users: IDMap { get }
  /// The items the model knows, index ↔ external id.
  var items: IDMap { get }
  /// A score for every item (`items.count` values) for user index `user`.
  ///
  /// - Precondition: `0 ≤ user < users.count`.
  func scores(forUser user: Int) -> [Float]
  /// A score for every item for a user the model has not seen, and which fallback gave them.
  ///
  /// Rating predictors use their item baselines (``PredictionSource/itemBaseline``), as
  /// `predict` does for an unknown user. Ranking models use the mean of every known user's
  /// scores (``PredictionSource/averageUser``) — for the linear models (implicit ALS, BPR, EASE)
  /// exactly the scores of the average user, and for popularity its scores. The default
  /// implementation computes that mean user by user; the models answer in closed form.
  func scoresForUnknownUser() -> ItemScores
}

/// A score for every item of a model, with where the scores came from.
public struct ItemScores: Sendable, Hashable {
  /// One score per item index of the model; higher is better.
  public var values: [Float]
  /// ``PredictionSource/model`` for a known user, else the fallback used.
  public var source: PredictionSource

  /// Creates scores.
  public init(values: [Float], source: PredictionSource) {
    self.values = values
    self.source = source
  }
}

extension ItemScorer {
  /// Scores every item for the user with external id `id`: ``scores(forUser:)`` for a user
  /// the model knows, ``scoresForUnknownUser()`` for one it does not — never a crash.
  public func scores(forUserID id: EntityID) -> ItemScores {
    if let user = users.index(of: id) {
      return ItemScores(values: scores(forUser: user), source: .model)
    }
    return scoresForUnknownUser()
  }

  /// The mean of every known user's scores (zeros for a model with no user), as
  /// ``PredictionSource/averageUser``.
  ///
  /// - Complexity: `users.count` calls of ``scores(forUser:)``; models override it.
  public func scoresForUnknownUser() -> ItemScores {
    var sum = [Double](repeating: 0, count: items.count)
    for u in 0..<users.count {
      for (i, s) in scores(forUser: u).enumerated() { sum[i] += Double(s) }
    }
    let n = Double(max(1, users.count))
    return ItemScores(values: sum.map { Float($0 / n) }, source: .averageUser)
  }
}

/// Where a rating prediction came from: the model itself, or a documented fallback for users or
/// items it has not seen (the way Surprise marks an impossible prediction).
public enum PredictionSource: String, Sendable, Hashable, Codable {
  /// The full model: user and item both known.
  case model
  /// The item is unknown: the user's baseline (global mean + user bias).
  case userBaseline
  /// The user is unknown: the item's baseline (global mean + item bias).
  case itemBaseline
  /// Neither is known: the global mean.
  case globalMean
  /// The user is unknown to a ranking model: the mean of every known user's scores.
  case averageUser
}

/// A predicted rating, clipped to the rating scale, with where it came from.
public struct Prediction: Sendable, Hashable, Codable {
  /// The predicted rating, within the model's rating scale.
  public var value: Float
  /// Whether the full model or a fallback produced it.
  public var source: PredictionSource

  /// Creates a prediction.
  public init(value: Float, source: PredictionSource) {
    self.value = value
    self.source = source
  }
}

/// A fitted model that predicts ratings (stars), and so also scores items.
///
/// `predict` never fails: an unknown user or item falls back to biases, then to the global mean,
/// and says so in ``Prediction/source``.
public protocol RatingPredictor: ItemScorer {
  /// The scale predictions are clipped to.
  var scale: RatingScale { get }
  /// The predicted rating of item index `item` by user index `user`; `nil` means unknown.
  func predict(user: Int?, item: Int?) -> Prediction
}

extension RatingPredictor {
  /// The item baselines: `predict(user: nil, item: i)` for every item, as
  /// ``PredictionSource/itemBaseline`` (``PredictionSource/globalMean`` for a model without
  /// item biases is reported by `predict` itself).
  public func scoresForUnknownUser() -> ItemScores {
    var source = PredictionSource.itemBaseline
    let values = (0..<items.count).map { i -> Float in
      let p = predict(user: nil, item: i)
      source = p.source
      return p.value
    }
    return ItemScores(values: values, source: items.count == 0 ? .itemBaseline : source)
  }

  /// The predicted rating of `item` by `user`, by external ids (unknown ids fall back).
  public func predict(userID: EntityID, itemID: EntityID) -> Prediction {
    predict(user: users.index(of: userID), item: items.index(of: itemID))
  }

  /// Predictions for every rating of `dataset`, in its user-major order. The dataset's id maps
  /// may differ from the model's: ids are matched.
  public func predictions(for dataset: RatingsDataset) -> [Prediction] {
    let userMap = (0..<dataset.userCount).map { users.index(of: dataset.users.id(at: $0)) }
    let itemMap = (0..<dataset.itemCount).map { items.index(of: dataset.items.id(at: $0)) }
    var out: [Prediction] = []
    out.reserveCapacity(dataset.ratingCount)
    for u in 0..<dataset.userCount {
      let (rated, _) = dataset.ratings(ofUser: u)
      for i in rated { out.append(predict(user: userMap[u], item: itemMap[Int(i)])) }
    }
    return out
  }
}

/// A configured, unfitted rating model (Surprise calls these algorithms): hyper-parameters in,
/// a fitted ``RatingPredictor`` out. Generic code (cross-validation, blends, the command line)
/// works with any of them.
public protocol RatingAlgorithm: Sendable {
  /// The fitted model this algorithm produces.
  associatedtype Model: RatingPredictor
  /// A short, stable name (`"baseline"`, `"mf-sgd"` …), as the command line spells it.
  var name: String { get }
  /// Checks the hyper-parameters alone, as ``fit(_:)`` does before touching data: callers can
  /// refuse a configuration before loading a dataset.
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  func validateHyperparameters() throws
  /// Fits the model on `data`.
  ///
  /// - Throws: ``RecommendError`` for empty data or invalid hyper-parameters.
  func fit(_ data: RatingsDataset) throws -> Model
}

/// A configured, unfitted ranking model (implicit ALS, EASE …): fitted on ratings, it scores
/// items for users without predicting stars.
public protocol RankingAlgorithm: Sendable {
  /// The fitted model this algorithm produces.
  associatedtype Model: ItemScorer
  /// A short, stable name (`"ials"`, `"ease"` …), as the command line spells it.
  var name: String { get }
  /// Checks the hyper-parameters alone, as ``fit(_:)`` does before touching data: callers can
  /// refuse a configuration before loading a dataset.
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  func validateHyperparameters() throws
  /// Fits the model on `data`.
  ///
  /// - Throws: ``RecommendError`` for empty data or invalid hyper-parameters.
  func fit(_ data: RatingsDataset) throws -> Model
}

extension RatingAlgorithm {
  /// No checks beyond those of ``fit(_:)``.
  public func validateHyperparameters() throws {}
}

extension RankingAlgorithm {
  /// No checks beyond those of ``fit(_:)``.
  public func validateHyperparameters() throws {}
}
