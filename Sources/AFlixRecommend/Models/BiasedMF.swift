import AFlixData
import AFlixLinalg

/// Biased matrix factorisation fitted by stochastic gradient descent: Funk's SVD as Surprise's
/// `SVD` implements it.
///
/// The model is `r̂ᵤᵢ = μ + bᵤ + bᵢ + qᵢᵀpᵤ`, minimising
/// `Σ(rᵤᵢ − r̂ᵤᵢ)² + λ(bᵤ² + bᵢ² + ‖pᵤ‖² + ‖qᵢ‖²)`. Factors start as Normal(`initialMean`,
/// `initialStandardDeviation`) draws, biases at 0. Every epoch visits the training ratings in a
/// fresh seeded order (below) and, per rating, applies Surprise's update with the error `e`
/// of the current parameters: `bᵤ += γ(e − λbᵤ)`, `bᵢ += γ(e − λbᵢ)`, then `pᵤ` and `qᵢ`
/// simultaneously (`pᵤ += γ(e·qᵢ − λpᵤ)`, `qᵢ += γ(e·pᵤ − λqᵢ)` with the old values).
///
/// Differences from Surprise: the epochs are shuffled and stratified (Surprise visits ratings in a
/// fixed order),
/// the arithmetic is `Float` (Surprise: `double`), and with `biased: false` the prediction keeps
/// μ (Surprise then predicts `qᵢᵀpᵤ` alone) so that fallbacks stay meaningful.
///
/// Defaults: 100 factors, 40 epochs, γ = 0.01, λ = 0.1 (the grid optimum quoted for Surprise,
/// checked on a validation holdout of `u1.base`: the tuning log in <doc:RatingModels>).
/// Surprise's own defaults are `BiasedMF(factors: 100, epochs: 20, learningRate: 0.005,
/// regularization: 0.02)`.
///
/// Epochs are stratified (Gemulla et al., 2011): users and items fall into 8 contiguous groups,
/// and the 8 blocks of one "diagonal" of the 8 × 8 block grid, which share no user and no item,
/// run concurrently; each block visits its ratings in a fresh seeded Fisher–Yates order and the
/// diagonals run in a seeded order. The schedule depends only on the seed and the data, so the
/// result is bit-identical for every thread count. Arithmetic is `Float` on rows padded to a
/// multiple of 8; the per-rating update runs in a small C kernel compiled twice, for AVX2 and for
/// the baseline instruction set, and chosen at run time (Swift cannot target one function at
/// AVX2, and package-wide CPU flags would bar versioned dependents). Both variants use no fused
/// multiply-add and the same summation order, so they give the same bits.
///
/// Fit times against Surprise's `SVD`, with the command that measures them: <doc:RatingModels>.
///
/// ```swift
/// let model = try BiasedMF().fit(train)
/// model.predict(userID: 196, itemID: 242)     // Prediction(value: 3.9, source: .model)
/// ```
public struct BiasedMF: RecommenderAlgorithm, Hashable, Codable {
  /// The number of latent factors `k`; 100 by default.
  public var factors: Int
  /// Passes over the training ratings; 40 by default.
  public var epochs: Int
  /// γ, the learning rate of every parameter (Surprise's `lr_all`); 0.01 by default.
  public var learningRate: Double
  /// λ, the regularisation of every parameter (Surprise's `reg_all`); 0.1 by default.
  public var regularization: Double
  /// The mean of the initial factor entries; 0 by default.
  public var initialMean: Double
  /// The standard deviation of the initial factor entries; 0.1 by default.
  public var initialStandardDeviation: Double
  /// Whether biases `bᵤ`, `bᵢ` are learned; `true` by default.
  public var biased: Bool
  /// The seed of the initial factors and of the epoch shuffles.
  public var seed: UInt64

  /// The number of user groups and item groups of the stratified epochs (fixed, so results do not
  /// depend on the thread count).
  static let strata = 8

  /// `"mf-sgd"`.
  public var name: String { "mf-sgd" }

  /// Creates a configuration; the defaults are the tuned ones (see the type's documentation).
  public init(
    factors: Int = 100, epochs: Int = 40, learningRate: Double = 0.01,
    regularization: Double = 0.1, initialMean: Double = 0, initialStandardDeviation: Double = 0.1,
    biased: Bool = true, seed: UInt64 = 0
  ) {
    self.factors = factors
    self.epochs = epochs
    self.learningRate = learningRate
    self.regularization = regularization
    self.initialMean = initialMean
    self.initialStandardDeviation = initialStandardDeviation
    self.biased = biased
    self.seed = seed
  }

  /// Fits the factorisation on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` for factors outside 1…4096, negative epochs, a learning rate
  ///   that is not positive, negative regularisation or standard deviation, or a NaN;
  ///   `.numericalFailure` when the descent diverges.
  /// - Complexity: O(epochs · ratings · factors), parallel over 8 strata.
  public func fit(_ data: RatingsDataset) throws -> BiasedMFModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits the factorisation on `data`, calling `monitor` after every epoch: the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> BiasedMFModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Checks the hyper-parameters (what ``fit(_:)`` checks before touching data).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try FactorValidation.requireFactors(factors)
    try FactorValidation.requireCount(epochs, "epochs", minimum: 0)
    try FactorValidation.requireNonNegative(learningRate, "learning rate", positive: true)
    try FactorValidation.requireNonNegative(regularization, "regularisation")
    try FactorValidation.requireNonNegative(initialStandardDeviation, "initial standard deviation")
    guard initialMean.isFinite else {
      throw RecommendError(.invalidHyperparameter, "initial mean \(initialMean) must be finite")
    }
  }

  /// The fit itself; ``fit(_:)`` adds the ``BiasedMFModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor())
    throws -> BiasedMFModel
  {
    try FactorValidation.requireRatings(data, model: "biased MF")
    try validateHyperparameters()
    let triples = RatingTriples(data)
    var state = SGDState(
      users: data.userCount, items: data.itemCount, factors: factors, mean: Float(initialMean),
      deviation: Float(initialStandardDeviation), seed: seed)
    defer { state.deallocate() }
    var blocks = StratifiedBlocks(
      triples, users: data.userCount, items: data.itemCount, groups: Self.strata)
    let mu = Float(data.globalMean)
    for epoch in 0..<epochs {
      state.epoch(
        triples, blocks: &blocks, epoch: epoch, seed: seed, mu: mu,
        learningRate: Float(learningRate), regularization: Float(regularization), biased: biased)
      try monitor.checkpoint(step: epoch + 1, total: epochs)
    }
    let model = BiasedMFModel(
      users: data.users, items: data.items, scale: data.scale, globalMean: mu,
      userBias: state.userBias, itemBias: state.itemBias,
      userFactors: state.matrix(users: true), itemFactors: state.matrix(users: false))
    try FactorValidation.requireFinite(model.userBias + model.itemBias, "biased MF")
    try FactorValidation.requireFinite(model.userFactors.elements, "biased MF factors")
    return model
  }
}

/// A fitted biased factorisation `r̂ᵤᵢ = μ + bᵤ + bᵢ + qᵢᵀpᵤ`, clipped to the scale: what
/// ``BiasedMF``, ``BiasedALS`` and ``BayesianMF`` produce.
///
/// Fallbacks: an unknown item gives `μ + bᵤ` (``PredictionSource/userBaseline``), an unknown user
/// `μ + bᵢ` (``PredictionSource/itemBaseline``), both unknown `μ`.
/// ``scores(forUser:)`` is one `sgemv` over the item factors.
public struct BiasedMFModel: RatingPredictor, Equatable {
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
  /// pᵤ as rows: `users.count × k`.
  public let userFactors: Matrix<Float>
  /// qᵢ as rows: `items.count × k`.
  public let itemFactors: Matrix<Float>
  /// SVD++'s implicit-feedback factors `yⱼ` as rows (`items.count × k`), kept so that a new user
  /// is folded in with the implicit term (``foldedUserFactors(_:)``); `nil` for the other fits.
  /// The training users' ``userFactors`` already include `|N(u)|^(−½) Σ yⱼ`.
  public let implicitFactors: Matrix<Float>?

  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items, saved with the model: what ``recommend(user:count:excluding:where:)``
  /// leaves out by default. Empty for a model built from its parts.
  public internal(set) var history: UserHistory

  /// Creates a model from its parameters.
  ///
  /// - Precondition: the shapes agree with the id maps and the factor counts are equal
  ///   (`implicitFactors`, when given, shaped as `itemFactors`).
  ///
  /// `history`, when given, is the users' training items (what `recommend(user:…)` leaves out;
  /// none when `nil`): one row per user, item indices below the item count (checked).
  public init(
    users: IDMap, items: IDMap, scale: RatingScale, globalMean: Float, userBias: [Float],
    itemBias: [Float], userFactors: Matrix<Float>, itemFactors: Matrix<Float>,
    implicitFactors: Matrix<Float>? = nil, history: UserHistory? = nil
  ) {
    precondition(
      userFactors.isWellFormed && itemFactors.isWellFormed,
      "a factor or weight matrix whose elements do not fill its shape")
    self.history =
      history?.checked(users: users.count, items: items.count) ?? UserHistory(emptyFor: users.count)
    precondition(userBias.count == users.count && itemBias.count == items.count)
    precondition(userFactors.rows == users.count && itemFactors.rows == items.count)
    precondition(userFactors.columns == itemFactors.columns)
    precondition(
      implicitFactors.map {
        $0.rows == itemFactors.rows && $0.columns == itemFactors.columns && $0.isWellFormed
      } ?? true)
    self.implicitFactors = implicitFactors
    self.users = users
    self.items = items
    self.scale = scale
    self.globalMean = globalMean
    self.userBias = userBias
    self.itemBias = itemBias
    self.userFactors = userFactors
    self.itemFactors = itemFactors
  }

  /// The number of latent factors `k`.
  public var factorCount: Int { userFactors.columns }

  /// `μ + bᵤ + bᵢ + qᵢᵀpᵤ` for every item (unclipped, for ranking), by one `sgemv`.
  public func scores(forUser user: Int) -> [Float] {
    precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    let k = factorCount
    return userFactors.elements.withUnsafeBufferPointer { p in
      FactorPrediction.scores(
        itemFactors: itemFactors,
        userVector: UnsafeBufferPointer(rebasing: p[(user * k)..<(user * k + k)]),
        base: globalMean + userBias[user], itemBias: itemBias)
    }
  }

  /// `μ + bᵤ + bᵢ + qᵢᵀpᵤ` clipped to the scale, with the fallbacks above.
  public func predict(user: Int?, item: Int?) -> Prediction {
    requireIndices(user: user, item: item)
    var value = globalMean
    if let user { value += userBias[user] }
    if let item { value += itemBias[item] }
    if let user, let item {
      let k = factorCount
      value += userFactors.elements.withUnsafeBufferPointer { p in
        itemFactors.elements.withUnsafeBufferPointer { q in
          FactorPrediction.dot(p.baseAddress! + user * k, q.baseAddress! + item * k, k)
        }
      }
    }
    return Prediction(
      value: scale.clamp(value), source: FactorPrediction.source(user: user, item: item))
  }
}
