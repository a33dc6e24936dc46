import AFlixData

/// A fitted recommender: it scores every item for a user, recommends by external id, folds a new
/// user in from their ratings, saves to a model file, and carries the record of its fit.
///
/// Every model of the library conforms, and the protocol is meant to be used as an existential:
/// ``ModelRegistry/load(from:)`` returns `any RecommenderModel`, and everything a service needs
/// is reachable from it without a cast:
///
/// ```swift
/// let model = try ModelRegistry.load(from: URL(fileURLWithPath: "model.aflix"))
/// let top = model.recommend(user: 42, count: 10)        // not what user 42 rated in training
/// let similar = model.similarItems(to: 50, count: 5)
/// let newcomer = model.recommend(forRatings: [50: 5, 172: 4.5, 181: 4], count: 10)
/// ```
///
/// Users and items of the index-based requirements are the dense indices of ``users`` and
/// ``items``; scores are comparable within one user, higher is better. The id-based calls
/// (``recommend(user:count:excluding:where:)`` and its siblings) never trap: unknown ids take the
/// documented fallbacks and say so in their ``Recommendations/source``.
public protocol RecommenderModel: PersistableModel {
  /// The users the model knows, index ↔ external id.
  var users: IDMap { get }
  /// The items the model knows, index ↔ external id.
  var items: IDMap { get }
  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts. Settable, so that a caller can add a ``FitRecord/provenance``.
  var fitRecord: FitRecord? { get set }
  /// Each user's training items (sorted indices), kept with the model and saved in its file: the
  /// items ``recommend(user:count:excluding:where:)`` leaves out by default.
  var history: UserHistory { get }
  /// A score for every item (`items.count` values) for user index `user`.
  ///
  /// - Precondition: `0 ≤ user < users.count` (checked; a request should use the id-based
  ///   ``scores(forUserID:)`` or ``recommend(user:count:excluding:where:)``, which cannot trap).
  func scores(forUser user: Int) -> [Float]
  /// A score for every item for a user the model has not seen, and which fallback gave them.
  ///
  /// Rating predictors use their item baselines (``PredictionSource/itemBaseline``), as
  /// `predict` does for an unknown user. Ranking models use the mean of every known user's
  /// scores (``PredictionSource/averageUser``) — for the linear models (implicit ALS, BPR, EASE)
  /// exactly the scores of the average user, and for popularity its scores. The default
  /// implementation computes that mean user by user; the models answer in closed form.
  func scoresForUnknownUser() -> ItemScores
  /// Scores for every item for a user described only by their ratings (item indices of this
  /// model, values on the training scale): the user is folded in with the item side fixed, and
  /// nothing of the model changes.
  ///
  /// An empty `ratings` gives ``scoresForUnknownUser()``.
  func scores(forRatings ratings: UserRatings) -> ItemScores
  /// Scores for a block of known users, `users.count × items.count` row-major: the batch path.
  /// Factor models answer with one matrix product per block; the default calls
  /// ``scores(forUser:)`` per user.
  ///
  /// - Precondition: every index is in `0..<self.users.count`.
  func scores(forUsers users: [Int]) -> [Float]
  /// How similar every item is to item index `item` (higher is more similar), or `nil` when the
  /// model has no notion of item similarity (baseline, popularity, blend).
  ///
  /// - Precondition: `0 ≤ item < items.count`.
  func similarities(toItem item: Int) -> [Float]?
  /// For each item of `sources`, how similar it is to `item` in the sense of
  /// ``similarities(toItem:)`` (`similarities(toItem: source)[item]`), or `nil` when the model has
  /// no item similarity: what explanations use to name the rated films that pulled a
  /// recommendation up. The factor models, EASE and item-based kNN answer in O(|sources| · k) or
  /// O(|sources|); the default computes every source's full similarity list.
  ///
  /// - Precondition: `item` and every source are in `0..<items.count` (checked).
  func similarities(from sources: [Int], to item: Int) -> [Float]?
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

extension RecommenderModel {
  /// Traps with a message when an index given to an index-based call is out of range: those calls
  /// document the precondition, and an out-of-range index must never read memory.
  func requireIndices(user: Int?, item: Int?) {
    if let user {
      precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    }
    if let item {
      precondition(item >= 0 && item < items.count, "item index \(item) out of 0..<\(items.count)")
    }
  }

  /// Scores every item for the user with external id `id`: ``scores(forUser:)`` for a user
  /// the model knows, ``scoresForUnknownUser()`` for one it does not — never a crash.
  public func scores(forUserID id: EntityID) -> ItemScores {
    if let user = users.index(of: id) {
      return ItemScores(values: scores(forUser: user), source: .model)
    }
    return scoresForUnknownUser()
  }

  /// One ``scores(forUser:)`` per user, rows concatenated.
  public func scores(forUsers users: [Int]) -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(users.count * items.count)
    for u in users { out += scores(forUser: u) }
    return out
  }

  /// `nil`: no item similarity unless the model defines one.
  public func similarities(toItem item: Int) -> [Float]? { nil }

  /// `similarities(toItem: source)[item]` for each source: one full list per source.
  public func similarities(from sources: [Int], to item: Int) -> [Float]? {
    requireIndices(user: nil, item: item)
    var out: [Float] = []
    out.reserveCapacity(sources.count)
    for source in sources {
      requireIndices(user: nil, item: source)
      guard let row = similarities(toItem: source) else { return nil }
      out.append(row[item])
    }
    return out
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
public protocol RatingPredictor: RecommenderModel {
  /// The scale predictions are clipped to.
  var scale: RatingScale { get }
  /// The predicted rating of item index `item` by user index `user`; `nil` means unknown.
  ///
  /// - Precondition: a given index is in range (checked: out of range traps rather than reads
  ///   memory). Requests should use ``predict(userID:itemID:)``, which cannot trap.
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

/// A configured, unfitted model (Surprise calls these algorithms): hyper-parameters in, a fitted
/// ``RecommenderModel`` out. Generic code (cross-validation, blends, the optimiser, the command
/// line) works with any of them, as `any RecommenderAlgorithm` too; ``AlgorithmRegistry`` builds
/// them from a name and hyper-parameters.
public protocol RecommenderAlgorithm: Sendable {
  /// The fitted model this algorithm produces.
  associatedtype Model: RecommenderModel
  /// A short, stable name (`"mf-sgd"`, `"ials"` …), as the command line and ``AlgorithmRegistry``
  /// spell it.
  var name: String { get }
  /// The record a fit of this configuration carries: ``name`` and every hyper-parameter.
  var fitRecord: FitRecord { get }
  /// Checks the hyper-parameters alone, as ``fit(_:)`` does before touching data: callers can
  /// refuse a configuration before loading a dataset.
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  func validateHyperparameters() throws
  /// Fits the model on `data`.
  ///
  /// - Throws: ``RecommendError`` for empty data or invalid hyper-parameters.
  func fit(_ data: RatingsDataset) throws -> Model
  /// Fits the model on `data`, calling `monitor`'s ``FitMonitor/checkpoint(step:total:loss:)``
  /// between steps (epochs, iterations, phases): the loop behind ``fit(_:options:)``. The default
  /// implementation calls ``fit(_:)`` and reports one step.
  ///
  /// - Throws: `CancellationError` once the monitor is cancelled, else what ``fit(_:)`` throws.
  func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> Model
  /// Fits the model on `data` asynchronously, on a thread outside Swift's cooperative pool, with
  /// the options' thread count and progress handler; cancelling the calling task stops the fit at
  /// its next step. The default implementation runs ``fit(_:monitor:)``.
  ///
  /// - Throws: `CancellationError` when cancelled, else what ``fit(_:)`` throws.
  func fit(_ data: RatingsDataset, options: FitOptions) async throws -> Model
}

extension RecommenderAlgorithm {
  /// No checks beyond those of ``fit(_:)``.
  public func validateHyperparameters() throws {}

  /// Whether the fitted model predicts ratings (stars): a ``RatingPredictor``.
  public var predictsRatings: Bool { Model.self is any RatingPredictor.Type }
}

extension RecommenderAlgorithm where Self: Encodable {
  /// This configuration's record: ``name`` and its `Encodable` form.
  public var fitRecord: FitRecord { FitRecord(algorithm: name, configuration: self) }
}
