import AFlixData
import AFlixLinalg
import Foundation

/// Matrix factorisation for implicit feedback by alternating least squares (Hu, Koren and
/// Volinsky, 2008): every user–item pair is a target, 1 where the user rated the item and 0
/// elsewhere, weighted by a confidence.
///
/// With preference `pᵤᵢ = 1` for a training rating and 0 otherwise, and confidence
/// `cᵤᵢ = 1 + α·wᵤᵢ` (`wᵤᵢ = 1` for a rating, or the rating's value with ``weightByRating``;
/// `cᵤᵢ = 1` for unrated pairs), the model minimises
/// `Σᵤᵢ cᵤᵢ(pᵤᵢ − xᵤᵀyᵢ)² + λ(Σᵤ nᵤᵛ‖xᵤ‖² + Σᵢ nᵢᵛ‖yᵢ‖²)` over all pairs, `nᵤ` and `nᵢ`
/// counting ratings (ν = ``frequencyExponent``). With the items fixed, user `u`
/// solves `(YᵀY + Yᵀ(Cᵤ − I)Y + λnᵤᵛI) xᵤ = YᵀCᵤpᵤ`: `YᵀY` is computed once per pass (BLAS
/// `dsyrk`), the correction touches only the user's rated items (`dsyrk` on their rows scaled by
/// `√(α·wᵤᵢ)`), and the `k × k` system is solved by Cholesky (LAPACK `dposv`). Items are solved the
/// same way with the users fixed. Users (and items) are solved in parallel, each on its own, so
/// results do not depend on `Parallelism.maximumThreadCount`. Item factors start as
/// seeded Normal(0, `initialStandardDeviation`) draws; users are solved first.
///
/// A user's scores are `Y xᵤ` (one `sgemv`).
///
/// Defaults (64 factors, 15 iterations, α = 3, λ = 4, ν = 0.5) were chosen on validation splits
/// carved from the training part only (the protocol in ``EASE``); the factor count matters little
/// (λ truncates the rank). The tuning log, and the test figures that make it the best AFlix
/// ranking model on MovieLens 100k, are in <doc:RatingModels>.
///
/// The per-row products and Cholesky solves run through `SerialBLAS` on AFlix's own worker
/// threads (AFlix parallelises the solves itself), so a fit changes no process-wide BLAS setting
/// and two fits run side by side.
///
/// ```swift
/// let model = try ImplicitALS(factors: 32).fit(train)
/// let scores = model.scores(forUser: 0)
/// ```
public struct ImplicitALS: RecommenderAlgorithm, Hashable, Codable {
  /// The number of latent factors `k`; 64 by default.
  public var factors: Int
  /// Alternations (a user pass and an item pass each); 15 by default.
  public var iterations: Int
  /// λ, the L2 penalty on every factor vector (scaled by `nᵛ`, see ``frequencyExponent``); 4 by
  /// default.
  public var regularization: Double
  /// ν, how the penalty grows with a user's or item's number of ratings `n`: the penalty of that
  /// row is `λ·nᵛ` (0: the same λ for everyone, as implicit; 1: ALS-WR's weighted-λ); 0.5 by
  /// default.
  public var frequencyExponent: Double
  /// α, the extra confidence of an observed pair (`c = 1 + α·w`); 3 by default.
  public var alpha: Double
  /// Whether `w` is the rating's value (`true`) or 1 for every rating (`false`, the default: the
  /// binary positives implicit's comparisons feed).
  public var weightByRating: Bool
  /// The standard deviation of the initial factors; 0.01 by default.
  public var initialStandardDeviation: Double
  /// The seed of the initial factors.
  public var seed: UInt64

  /// `"ials"`.
  public var name: String { "ials" }

  /// Creates a configuration; the defaults are the tuned ones (see the type's documentation).
  public init(
    factors: Int = 64, iterations: Int = 15, regularization: Double = 4, alpha: Double = 3,
    frequencyExponent: Double = 0.5, weightByRating: Bool = false,
    initialStandardDeviation: Double = 0.01, seed: UInt64 = 0
  ) {
    self.frequencyExponent = frequencyExponent
    self.factors = factors
    self.iterations = iterations
    self.regularization = regularization
    self.alpha = alpha
    self.weightByRating = weightByRating
    self.initialStandardDeviation = initialStandardDeviation
    self.seed = seed
  }

  /// Fits the factorisation on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` for factors outside 1…1024, iterations < 1, λ ≤ 0, α < 0, a
  ///   negative standard deviation, a NaN, or (with ``weightByRating``) a negative rating;
  ///   `.numericalFailure` when a Cholesky solve fails.
  /// - Complexity: O(iterations · (ratings · k² + (users + items) · k³)), parallel.
  public func fit(_ data: RatingsDataset) throws -> ImplicitALSModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits the factorisation on `data`, calling `monitor` after every alternation: the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> ImplicitALSModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Checks the hyper-parameters (what ``fit(_:)`` checks before touching data).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try FactorValidation.requireFactors(factors, limit: RecommendLimits.maximumSolvedFactors)
    try FactorValidation.requireCount(iterations, "iterations", minimum: 1)
    try FactorValidation.requireNonNegative(regularization, "λ", positive: true)
    try FactorValidation.requireNonNegative(alpha, "α")
    try FactorValidation.requireNonNegative(frequencyExponent, "ν")
    try FactorValidation.requireNonNegative(initialStandardDeviation, "initial standard deviation")
  }

  /// The fit itself; ``fit(_:)`` adds the ``ImplicitALSModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor())
    throws -> ImplicitALSModel
  {
    try FactorValidation.requireRatings(data, model: "implicit ALS")
    try validateHyperparameters()
    let byUser = data.userItemMatrix
    let byItem = data.itemUserMatrix
    if weightByRating, let bad = byUser.values.first(where: { !($0 >= 0) }) {
      throw RecommendError(
        .invalidHyperparameter, "weightByRating needs ratings ≥ 0; the data holds \(bad)")
    }
    let k = factors
    var users = [Double](repeating: 0, count: data.userCount * k)
    var items = [Double](repeating: 0, count: data.itemCount * k)
    var rng = SeededGenerator(seed: seed, stream: 0)
    for t in items.indices { items[t] = initialStandardDeviation * rng.nextGaussian() }
    let weight: (Float) -> Double = { [weightByRating] in weightByRating ? Double($0) : 1 }
    let userWeights = byUser.values.map { alpha * weight($0) }
    let itemWeights = byItem.values.map { alpha * weight($0) }
    do {
      for iteration in 0..<iterations {
        try ImplicitALSSolver.solveAll(
          rows: data.userCount, offsets: byUser.rowOffsets, indices: byUser.columnIndices,
          extraConfidence: userWeights, fixed: items, fixedRows: data.itemCount, target: &users,
          k: k, regularization: regularization, exponent: frequencyExponent)
        try ImplicitALSSolver.solveAll(
          rows: data.itemCount, offsets: byItem.columnOffsets, indices: byItem.rowIndices,
          extraConfidence: itemWeights, fixed: users, fixedRows: data.userCount, target: &items,
          k: k, regularization: regularization, exponent: frequencyExponent)
        try monitor.checkpoint(step: iteration + 1, total: iterations)
      }
    }
    let userFactors = Matrix<Float>(
      rows: data.userCount, columns: k, elements: users.map { Float($0) })
    let itemFactors = Matrix<Float>(
      rows: data.itemCount, columns: k, elements: items.map { Float($0) })
    try FactorValidation.requireFinite(userFactors.elements, "the user factors")
    try FactorValidation.requireFinite(itemFactors.elements, "the item factors")
    return ImplicitALSModel(
      users: data.users, items: data.items, userFactors: userFactors, itemFactors: itemFactors)
  }
}

/// The per-row confidence-weighted solves of ``ImplicitALS``.
enum ImplicitALSSolver {
  /// Solves every row of `target` against the fixed side `fixed` (`fixedRows × k`): row `r`
  /// solves `(FᵀF + Σ (c − 1) fⱼfⱼᵀ + λnᵛI) x = Σ c fⱼ` over its `n` stored entries `j` with
  /// `c − 1 = extraConfidence`. Rows without entries become zero.
  static func solveAll(
    rows: Int, offsets: [Int], indices: [Int32], extraConfidence: [Double], fixed: [Double],
    fixedRows: Int, target: inout [Double], k: Int, regularization: Double, exponent: Double
  ) throws {
    // FᵀF, upper triangle.
    var base = [Double](repeating: 0, count: k * k)
    fixed.withUnsafeBufferPointer { f in
      base.withUnsafeMutableBufferPointer { g in
        Double.syrk(
          transpose: true, n: k, k: fixedRows, alpha: 1, a: f.baseAddress!, lda: k, beta: 0,
          c: g.baseAddress!, ldc: k)
      }
    }
    // One flag per row: threads write only their own rows, and the lowest failing row is named.
    var failures = [UInt8](repeating: 0, count: max(1, rows))
    let maxDegree = (0..<rows).reduce(0) { max($0, offsets[$1 + 1] - offsets[$1]) }
    target.withUnsafeMutableBufferPointer { out in
      failures.withUnsafeMutableBufferPointer { failed in
        let outPtr = SharedPointer(base: out.baseAddress!)
        let failPtr = SharedPointer(base: failed.baseAddress!)
        fixed.withUnsafeBufferPointer { fx in
          indices.withUnsafeBufferPointer { idx in
            extraConfidence.withUnsafeBufferPointer { conf in
              base.withUnsafeBufferPointer { g in
                FactorParallel.forEachChunk(count: rows) { range in
                  let x = UnsafeMutablePointer<Double>.allocate(capacity: max(1, maxDegree * k))
                  let a = UnsafeMutablePointer<Double>.allocate(capacity: k * k)
                  let b = UnsafeMutablePointer<Double>.allocate(capacity: k)
                  defer {
                    x.deallocate()
                    a.deallocate()
                    b.deallocate()
                  }
                  for r in range {
                    let lo = offsets[r]
                    let n = offsets[r + 1] - lo
                    let theta = outPtr.base + r * k
                    guard n > 0 else {
                      theta.update(repeating: 0, count: k)
                      continue
                    }
                    b.update(repeating: 0, count: k)
                    for t in 0..<n {
                      let row = fx.baseAddress! + Int(idx[lo + t]) * k
                      let c1 = conf[lo + t]
                      let scale = c1.squareRoot()
                      let xr = x + t * k
                      for f in 0..<k {
                        xr[f] = scale * row[f]
                        b[f] += (1 + c1) * row[f]
                      }
                    }
                    a.update(from: g.baseAddress!, count: k * k)
                    let penalty =
                      exponent == 0 ? regularization : regularization * pow(Double(n), exponent)
                    for f in 0..<k { a[f * k + f] += penalty }
                    // On this worker thread alone (SerialBLAS): no process-wide BLAS setting.
                    SerialBLAS.syrk(n: k, k: n, alpha: 1, a: x, lda: k, beta: 1, c: a, ldc: k)
                    if SerialBLAS.posv(n: k, a: a, b: b) != 0 {
                      failPtr.base[r] = 1
                      theta.update(repeating: 0, count: k)
                    } else {
                      theta.update(from: b, count: k)
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    if let failedRow = failures.firstIndex(of: 1) {
      throw RecommendError(
        .numericalFailure,
        "the Cholesky solve of row \(failedRow) failed (not positive definite)")
    }
  }
}

/// A fitted ``ImplicitALS`` model: user and item factors whose dot products rank items.
public struct ImplicitALSModel: RecommenderModel, Equatable {
  /// The users of the training data.
  public let users: IDMap
  /// The items of the training data.
  public let items: IDMap
  /// `xᵤ` as rows: `users.count × k`.
  public let userFactors: Matrix<Float>
  /// `yᵢ` as rows: `items.count × k`.
  public let itemFactors: Matrix<Float>

  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items, saved with the model: what ``recommend(user:count:excluding:where:)``
  /// leaves out by default. Empty for a model built from its parts.
  public internal(set) var history: UserHistory
  /// `YᵀY`, computed once when the model is built: folding a user in then costs O(n·k² + k³).
  let foldInGram: ItemGram
  /// The unknown user's scores, computed once when the model is built.
  let averageUserScores: [Float]

  /// Creates a model from its factors and, optionally, its users' training items (what
  /// ``recommend(user:count:excluding:where:)`` leaves out by default; none when `nil`).
  ///
  /// - Precondition: the shapes agree with the id maps, the factor counts are equal, and a
  ///   `history` has one row per user and only item indices below `items.count` (build it with
  ///   the checking ``UserHistory/init(offsets:itemIndices:items:)``).
  public init(
    users: IDMap, items: IDMap, userFactors: Matrix<Float>, itemFactors: Matrix<Float>,
    history: UserHistory? = nil
  ) {
    precondition(
      userFactors.isWellFormed && itemFactors.isWellFormed,
      "a factor or weight matrix whose elements do not fill its shape")
    precondition(userFactors.rows == users.count && itemFactors.rows == items.count)
    precondition(userFactors.columns == itemFactors.columns)
    self.history =
      history?.checked(users: users.count, items: items.count)
      ?? UserHistory(emptyFor: users.count)
    self.users = users
    self.items = items
    self.userFactors = userFactors
    self.itemFactors = itemFactors
    self.foldInGram = Self.gram(of: itemFactors)
    self.averageUserScores = Self.averageUserScores(
      userFactors: userFactors, itemFactors: itemFactors)
  }

  /// The number of latent factors `k`.
  public var factorCount: Int { userFactors.columns }

  /// `Y xᵤ`: every item's predicted preference for user `user`.
  public func scores(forUser user: Int) -> [Float] {
    precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    let k = factorCount
    return userFactors.elements.withUnsafeBufferPointer { p in
      FactorPrediction.scores(
        itemFactors: itemFactors,
        userVector: UnsafeBufferPointer(rebasing: p[(user * k)..<(user * k + k)]), base: 0,
        itemBias: [Float](repeating: 0, count: items.count))
    }
  }

  /// `Y x̄`, with `x̄` the mean of the user factors: the average user's scores, equal to the mean
  /// of every user's scores (up to rounding), as ``PredictionSource/averageUser``; computed once
  /// when the model is built.
  public func scoresForUnknownUser() -> ItemScores {
    ItemScores(values: averageUserScores, source: .averageUser)
  }

  /// `Y x̄` for the mean row `x̄` of `userFactors`.
  static func averageUserScores(userFactors: Matrix<Float>, itemFactors: Matrix<Float>) -> [Float] {
    FactorPrediction.meanRow(userFactors).withUnsafeBufferPointer {
      FactorPrediction.scores(
        itemFactors: itemFactors, userVector: $0, base: 0,
        itemBias: [Float](repeating: 0, count: itemFactors.rows))
    }
  }

}
