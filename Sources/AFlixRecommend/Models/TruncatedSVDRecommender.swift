import AFlixData
import AFlixLinalg

/// The original AFlix model: a truncated SVD of the mean-centred sparse rating matrix, by
/// AFlixLinalg's randomized SVD.
///
/// The observed ratings minus an offset `oᵤᵢ` form a sparse residual matrix (missing entries stay
/// empty, i.e. zero); its rank-`k` SVD `U Σ Vᵀ` gives `r̂ᵤᵢ = oᵤᵢ + uᵤ Σ vᵢᵀ`. The offset is
/// ``Centering-swift.enum/biases`` (`μ + bᵤ + bᵢ` from a fitted ``Baseline``, the default) or
/// ``Centering-swift.enum/userMeans`` (each user's mean rating).
///
/// Treating missing entries as zeros shrinks every interaction towards the offset, so the model is
/// weaker than factorisations fitted to the observed entries only (``BiasedMF``, ``BiasedALS``).
/// It ranks between ``BiasedMF`` and the biases alone (<doc:RatingModels>).
///
/// Defaults (rank 12, bias centring) were chosen on a seeded 10% validation holdout of `u1.base`,
/// the test file never read (the tuning log in <doc:RatingModels>); per-user means are much worse
/// (the item effects then have to be carried by the factors, shrunk towards zero).
///
/// ```swift
/// let model = try TruncatedSVDRecommender(rank: 20).fit(train)
/// model.explainedVariance                         // Σσ² / ‖R − O‖_F²
/// ```
public struct TruncatedSVDRecommender: RecommenderAlgorithm, Hashable, Codable {
  /// What is subtracted from the observed ratings before the decomposition.
  public enum Centering: String, Sendable, Hashable, Codable {
    /// `μ + bᵤ + bᵢ` from a ``Baseline`` fit (its defaults).
    case biases
    /// Each user's mean rating (observed per-row centring).
    case userMeans
  }

  /// The rank `k` of the decomposition; 12 by default.
  public var rank: Int
  /// The offset subtracted before the decomposition; ``Centering-swift.enum/biases`` by default.
  public var centering: Centering
  /// The seed of the randomized SVD's sketch.
  public var seed: UInt64

  /// `"svd"`.
  public var name: String { "svd" }

  /// Creates a configuration; the defaults are the tuned ones (see the type's documentation).
  public init(rank: Int = 12, centering: Centering = .biases, seed: UInt64 = 0) {
    self.rank = rank
    self.centering = centering
    self.seed = seed
  }

  /// Fits the decomposition on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` unless `1 ≤ rank < min(users, items)`, `.numericalFailure`
  ///   when the SVD fails.
  public func fit(_ data: RatingsDataset) throws -> TruncatedSVDModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits the baselines and the truncated SVD on `data`, calling `monitor` after every phase (1: the biases, 2: the SVD): the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> TruncatedSVDModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Checks the hyper-parameters (what ``fit(_:)`` checks before touching data).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    guard rank >= 1 else {
      throw RecommendError(.invalidHyperparameter, "rank \(rank) must be at least 1")
    }
  }

  /// The fit itself; ``fit(_:)`` adds the ``TruncatedSVDModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor())
    throws -> TruncatedSVDModel
  {
    try FactorValidation.requireRatings(data, model: "a truncated SVD")
    guard rank >= 1, rank < min(data.userCount, data.itemCount) else {
      throw RecommendError(
        .invalidHyperparameter,
        "rank \(rank) must be between 1 and min(users, items) − 1 = "
          + "\(min(data.userCount, data.itemCount) - 1)")
    }
    // A part: the SVD's record is the whole; its epochs check cancellation, unreported.
    let baseline = try Baseline().fitParameters(data, monitor: monitor.silent)
    try monitor.checkpoint(step: 1, total: 2)
    let matrix = data.userItemMatrix
    let offsets: [Float]
    switch centering {
    case .biases:
      offsets = (0..<data.userCount).map { baseline.globalMean + baseline.userBias[$0] }
    case .userMeans:
      offsets = (0..<data.userCount).map { u in
        let values = data.ratings(ofUser: u).values
        guard !values.isEmpty else { return baseline.globalMean }
        var s = 0.0
        for v in values { s += Double(v) }
        return Float(s / Double(values.count))
      }
    }
    let itemOffsets =
      centering == .biases ? baseline.itemBias : [Float](repeating: 0, count: data.itemCount)
    let residual = matrix.mapValues { u, i, v in v - offsets[u] - itemOffsets[i] }
    let svd: TruncatedSVD<Float>
    do {
      svd = try residual.truncatedSVD(
        rank: rank, centering: .none, method: .randomized(RandomizedSVDOptions(seed: seed)))
    } catch {
      throw RecommendError(.numericalFailure, "the truncated SVD failed: \(error)")
    }
    try monitor.checkpoint(step: 2, total: 2)
    // User factors U·Σ, item factors V: r̂ = o + (UΣ)ᵤ · Vᵢ.
    var userFactors = svd.u
    for u in 0..<userFactors.rows {
      for t in 0..<rank { userFactors.elements[u * rank + t] *= svd.singularValues[t] }
    }
    return TruncatedSVDModel(
      baseline: baseline, centering: centering, userOffsets: offsets, itemOffsets: itemOffsets,
      userFactors: userFactors, itemFactors: svd.vt.transposed,
      singularValues: svd.singularValues,
      explainedVariance: svd.cumulativeExplainedVariance.last ?? 0)
  }
}

/// A fitted truncated-SVD model: `r̂ᵤᵢ = oᵤ + oᵢ + (UΣ)ᵤ · Vᵢ`, clipped to the scale.
///
/// Fallbacks come from the ``Baseline`` fitted alongside: an unknown item gives `μ + bᵤ`
/// (``PredictionSource/userBaseline``), an unknown user `μ + bᵢ`
/// (``PredictionSource/itemBaseline``), both unknown `μ`.
public struct TruncatedSVDModel: RatingPredictor, Equatable {
  /// The biases used for fallbacks (and, with bias centring, as the offset).
  public let baseline: BaselineModel
  /// How the residual was centred.
  public let centering: TruncatedSVDRecommender.Centering
  /// `oᵤ` per user: `μ + bᵤ`, or the user's mean rating.
  public let userOffsets: [Float]
  /// `oᵢ` per item: `bᵢ`, or 0 with per-user centring.
  public let itemOffsets: [Float]
  /// `U Σ`, `users.count × k`.
  public let userFactors: Matrix<Float>
  /// `V`, `items.count × k`.
  public let itemFactors: Matrix<Float>
  /// `σ₁ ≥ … ≥ σₖ`.
  public let singularValues: [Float]
  /// `Σσᵢ² / ‖R − O‖_F²`: the share of the centred residual's energy the rank-`k` SVD captures.
  public let explainedVariance: Float

  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items, saved with the model: what ``recommend(user:count:excluding:where:)``
  /// leaves out by default. Empty for a model built from its parts.
  public internal(set) var history: UserHistory

  /// Creates a model from its parameters.
  ///
  /// - Precondition: the shapes agree with the baseline's id maps.
  ///
  /// `history`, when given, is the users' training items (what `recommend(user:…)` leaves out;
  /// none when `nil`): one row per user, item indices below the item count (checked).
  public init(
    baseline: BaselineModel, centering: TruncatedSVDRecommender.Centering, userOffsets: [Float],
    itemOffsets: [Float], userFactors: Matrix<Float>, itemFactors: Matrix<Float>,
    singularValues: [Float], explainedVariance: Float, history: UserHistory? = nil
  ) {
    precondition(
      userFactors.isWellFormed && itemFactors.isWellFormed,
      "a factor or weight matrix whose elements do not fill its shape")
    self.history =
      history?.checked(users: baseline.users.count, items: baseline.items.count)
      ?? UserHistory(emptyFor: baseline.users.count)
    precondition(userOffsets.count == baseline.users.count && userFactors.rows == userOffsets.count)
    precondition(itemOffsets.count == baseline.items.count && itemFactors.rows == itemOffsets.count)
    precondition(userFactors.columns == itemFactors.columns)
    self.baseline = baseline
    self.centering = centering
    self.userOffsets = userOffsets
    self.itemOffsets = itemOffsets
    self.userFactors = userFactors
    self.itemFactors = itemFactors
    self.singularValues = singularValues
    self.explainedVariance = explainedVariance
  }

  /// The users the model knows.
  public var users: IDMap { baseline.users }
  /// The items the model knows.
  public var items: IDMap { baseline.items }
  /// The rating scale of the training data.
  public var scale: RatingScale { baseline.scale }
  /// The rank `k`.
  public var rank: Int { singularValues.count }

  /// `oᵤ + oᵢ + (UΣ)ᵤ · Vᵢ` for every item (unclipped, for ranking), by one `sgemv`.
  public func scores(forUser user: Int) -> [Float] {
    precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    let k = rank
    return userFactors.elements.withUnsafeBufferPointer { p in
      FactorPrediction.scores(
        itemFactors: itemFactors,
        userVector: UnsafeBufferPointer(rebasing: p[(user * k)..<(user * k + k)]),
        base: userOffsets[user], itemBias: itemOffsets)
    }
  }

  /// `oᵤ + oᵢ + (UΣ)ᵤ · Vᵢ` clipped to the scale, with the baseline's fallbacks.
  public func predict(user: Int?, item: Int?) -> Prediction {
    requireIndices(user: user, item: item)
    guard let user, let item else { return baseline.predict(user: user, item: item) }
    let k = rank
    let interaction = userFactors.elements.withUnsafeBufferPointer { p in
      itemFactors.elements.withUnsafeBufferPointer { q in
        FactorPrediction.dot(p.baseAddress! + user * k, q.baseAddress! + item * k, k)
      }
    }
    return Prediction(
      value: scale.clamp(userOffsets[user] + itemOffsets[item] + interaction), source: .model)
  }
}
