import AFlixData
import AFlixLinalg

/// EASE, the "embarrassingly shallow autoencoder" (Steck, 2019): a closed-form item–item model
/// for ranking, fitted by one matrix inversion.
///
/// With `X` the binary `users × items` matrix of training ratings (every rating is a positive,
/// whatever its value), EASE minimises `‖X − XB‖² + λ‖B‖²` subject to `diag(B) = 0`, whose
/// solution is
///
/// ```
/// G = XᵀX + λI,   P = G⁻¹,   Bᵢⱼ = −Pᵢⱼ / Pⱼⱼ (i ≠ j),   Bⱼⱼ = 0.
/// ```
///
/// A user's scores are `xᵤB`, the sum of the rows of `B` of the items they rated. `G` comes from
/// the sparse Gram product (`SparseMatrix/gram()`), the inverse from LAPACK's
/// Cholesky solver `dposv` against the identity, in `Double`; `B` is kept in `Float`.
///
/// The default λ = 500 was chosen on validation splits carved from the training part only
/// (`aflix-bench-ranking --validate`): MovieLens 100k split per user 75/25 with
/// `SplitProtocol/stratified(trainFraction:)` (seeds 1…5), the training part split
/// again per user (seed + 1000), NDCG@10 with every validation rating relevant.
/// ``dropoutPenalty`` gained nothing beyond noise there, so the default stays plain EASE. The
/// tuning log and the test figures are in <doc:RatingModels>.
///
/// ```swift
/// let model = try EASE().fit(train)
/// let top = TopItems.select(model.scores(forUser: 0), count: 10)
/// ```
public struct EASE: RecommenderAlgorithm, Hashable, Codable {
  /// λ, the L2 penalty on the item–item weights (added to the Gram matrix's diagonal); 500 by
  /// default. Larger values shrink towards popularity-like scores, smaller ones overfit rare
  /// co-occurrences.
  public var regularization: Double
  /// ω, an extra penalty proportional to each item's training count: the Gram diagonal becomes
  /// `(1 + ω)·nᵢ + λ` (Steck's 2020 EDLAE, the penalty of dropout with keep rate `1/(1 + ω)`);
  /// 0 by default (plain EASE).
  public var dropoutPenalty: Double
  /// The most memory, in bytes, a fit may allocate: EASE holds about `20 · items²` bytes while
  /// fitting (the Gram matrix and its inverse in `Double`, the weights in `Float`), so a fit whose
  /// estimate exceeds the budget is refused before anything is allocated. 16 GiB by default
  /// (about 29,000 items); `Int.max` lifts the limit. Not a hyper-parameter: it is not part of the
  /// configuration's `Codable` form or its ``FitRecord``.
  public var memoryBudget: Int = 16 << 30

  private enum CodingKeys: String, CodingKey {
    case regularization
    case dropoutPenalty
  }

  /// The bytes a fit on `items` items allocates at its peak (`20 · items²`), saturating at
  /// `Int.max`.
  public static func estimatedFitMemory(items: Int) -> Int {
    let (square, overflow) = max(0, items).multipliedReportingOverflow(by: max(0, items))
    guard !overflow else { return Int.max }
    let (bytes, overflow2) = square.multipliedReportingOverflow(by: 20)
    return overflow2 ? Int.max : bytes
  }

  /// `"ease"`.
  public var name: String { "ease" }

  /// Creates a configuration; the default is the tuned one (see the type's documentation).
  public init(regularization: Double = 500, dropoutPenalty: Double = 0) {
    self.regularization = regularization
    self.dropoutPenalty = dropoutPenalty
  }

  /// Fits the item–item weights on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` when λ is not finite and positive, `.memoryBudgetExceeded` when
  ///   ``estimatedFitMemory(items:)`` exceeds ``memoryBudget`` (before any allocation),
  ///   `.numericalFailure` when the Cholesky factorisation fails.
  /// - Complexity: O(Σᵤ nᵤ² + items³) time and O(items²) memory (a 10,000-item catalog needs
  ///   about 2.4 GB while fitting).
  public func fit(_ data: RatingsDataset) throws -> EASEModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits the item weights on `data`, calling `monitor` after every phase (1: the Gram matrix, 2: its inverse, 3: the weights): the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> EASEModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Checks the hyper-parameters (what ``fit(_:)`` checks before touching data).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try FactorValidation.requireNonNegative(regularization, "λ", positive: true)
    try FactorValidation.requireNonNegative(dropoutPenalty, "ω")
  }

  /// The fit itself; ``fit(_:)`` adds the ``EASEModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor())
    throws -> EASEModel
  {
    try FactorValidation.requireRatings(data, model: "EASE")
    try validateHyperparameters()
    let n = data.itemCount
    let needed = Self.estimatedFitMemory(items: n)
    guard needed <= memoryBudget else {
      let gib = { (bytes: Int) in "\((Double(bytes) / Double(1 << 30) * 10).rounded() / 10) GiB" }
      throw RecommendError(
        .memoryBudgetExceeded,
        "EASE on \(n) items needs about \(gib(needed)) (20 bytes × items²), above its memory "
          + "budget of \(gib(memoryBudget)); raise EASE.memoryBudget or use implicit ALS")
    }
    let binary = data.userItemMatrix.mapValues { _, _, _ in 1 }
    var gram = SparseMatrix<Double>(converting: binary).gram()
    for i in 0..<n {
      gram.elements[i * n + i] += regularization + dropoutPenalty * gram.elements[i * n + i]
    }
    try monitor.checkpoint(step: 1, total: 3)
    var inverse = Matrix<Double>.identity(n)
    let info = gram.elements.withUnsafeMutableBufferPointer { a in
      inverse.elements.withUnsafeMutableBufferPointer { b in
        Double.posv(n: n, nrhs: n, a: a.baseAddress!, b: b.baseAddress!)
      }
    }
    guard info == 0 else {
      throw RecommendError(
        .numericalFailure, "the Cholesky factorisation of XᵀX + λI failed (LAPACK info \(info))")
    }
    try monitor.checkpoint(step: 2, total: 3)
    var weights = Matrix<Float>(rows: n, columns: n)
    inverse.elements.withUnsafeBufferPointer { p in
      weights.elements.withUnsafeMutableBufferPointer { w in
        for i in 0..<n {
          for j in 0..<n where j != i {
            w[i * n + j] = Float(-p[i * n + j] / p[j * n + j])
          }
        }
      }
    }
    try FactorValidation.requireFinite(weights.elements, "the EASE weights")
    try monitor.checkpoint(step: 3, total: 3)
    return EASEModel(
      users: data.users, items: data.items, regularization: regularization, weights: weights,
      interactions: binary)
  }
}

/// A fitted ``EASE`` model: the item–item weights `B` and each user's training items.
public struct EASEModel: RecommenderModel, Equatable {
  /// The users of the training data.
  public let users: IDMap
  /// The items of the training data.
  public let items: IDMap
  /// The λ the model was fitted with.
  public let regularization: Double
  /// `B`, `items.count × items.count`, zero diagonal: item `i`'s contribution to item `j`'s
  /// score is `weights[i, j]`.
  public let weights: Matrix<Float>
  /// The binary `users × items` matrix of training ratings (all stored values 1): the rows `xᵤ`
  /// that scores are computed from.
  public let interactions: SparseMatrix<Float>

  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items, saved with the model: what ``recommend(user:count:excluding:where:)``
  /// leaves out by default. Empty for a model built from its parts.
  public internal(set) var history: UserHistory
  /// The unknown user's scores (`x̄B`), computed once when the model is built.
  let averageUserScores: [Float]

  /// Creates a model from its parts.
  ///
  /// - Precondition: `weights` is `items.count × items.count` and `interactions` is
  ///   `users.count × items.count`.
  ///
  /// `history`, when given, is the users' training items (what `recommend(user:…)` leaves out;
  /// none when `nil`): one row per user, item indices below the item count (checked).
  public init(
    users: IDMap, items: IDMap, regularization: Double, weights: Matrix<Float>,
    interactions: SparseMatrix<Float>, history: UserHistory? = nil
  ) {
    precondition(
      weights.isWellFormed, "a factor or weight matrix whose elements do not fill its shape")
    self.history =
      history?.checked(users: users.count, items: items.count) ?? UserHistory(emptyFor: users.count)
    precondition(weights.rows == items.count && weights.columns == items.count)
    precondition(interactions.rows == users.count && interactions.columns == items.count)
    self.users = users
    self.items = items
    self.regularization = regularization
    self.weights = weights
    self.interactions = interactions
    self.averageUserScores = Self.averageUserScores(
      weights: weights, interactions: interactions, users: users.count)
  }

  /// `xᵤB`: the sum of the weight rows of the items user `user` rated in training.
  public func scores(forUser user: Int) -> [Float] {
    precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    return scores(forHistory: interactions.row(user).columns.map { Int($0) })
  }

  /// `x̄B`, with `x̄` the mean of the users' interaction rows (each item's share of users who
  /// rated it): the average user's scores, equal to the mean of every user's scores (up to
  /// rounding), as ``PredictionSource/averageUser``; computed once when the model is built.
  public func scoresForUnknownUser() -> ItemScores {
    ItemScores(values: averageUserScores, source: .averageUser)
  }

  /// `x̄B` for the mean interaction row `x̄` of `interactions`.
  static func averageUserScores(
    weights: Matrix<Float>, interactions: SparseMatrix<Float>, users: Int
  )
    -> [Float]
  {
    let n = weights.rows
    var share = [Float](repeating: 0, count: n)
    for c in interactions.columnIndices { share[Int(c)] += 1 }
    let scale = 1 / Float(max(1, users))
    for i in 0..<n { share[i] *= scale }
    var out = [Float](repeating: 0, count: n)
    if n > 0 {
      weights.elements.withUnsafeBufferPointer { w in
        share.withUnsafeBufferPointer { x in
          out.withUnsafeMutableBufferPointer { y in
            SerialBLAS.gemv(
              transpose: true, m: n, n: n, alpha: 1, a: w.baseAddress!, lda: n, x: x.baseAddress!,
              beta: 0, y: y.baseAddress!)
          }
        }
      }
    }
    return out
  }

  /// `xB` for a user described by the item indices they interacted with (e.g. a new user who was
  /// not in the training data); indices outside `0..<items.count` are ignored.
  ///
  /// - Complexity: O(history.count × items.count).
  public func scores(forHistory history: [Int]) -> [Float] {
    let n = items.count
    var out = [Float](repeating: 0, count: n)
    weights.elements.withUnsafeBufferPointer { w in
      out.withUnsafeMutableBufferPointer { y in
        for i in history where i >= 0 && i < n {
          let row = w.baseAddress! + i * n
          for j in 0..<n { y[j] += row[j] }
        }
      }
    }
    return out
  }
}
