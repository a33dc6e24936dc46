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
  /// Fits the model on `data`.
  ///
  /// - Throws: ``RecommendError`` for empty data or invalid hyper-parameters.
  func fit(_ data: RatingsDataset) throws -> Model
}
