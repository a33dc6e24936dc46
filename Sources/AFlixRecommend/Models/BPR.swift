import AFlixData
import AFlixLinalg
import Foundation

/// Bayesian personalised ranking (Rendle et al., 2009): matrix factorisation trained by seeded
/// stochastic gradient ascent on pairwise preferences.
///
/// Every training rating is a positive. The model `x̂ᵤᵢ = pᵤᵀqᵢ + bᵢ` maximises
/// `Σ ln σ(x̂ᵤᵢ − x̂ᵤⱼ) − λ(‖p‖² + ‖q‖² + ‖b‖²)` over triples of a user `u`, an item `i` they rated and
/// an item `j` they did not. An epoch draws as many triples as there are ratings: a rating
/// `(u, i)` uniformly, then `j` uniformly among the items with a training rating, redrawn while
/// `u` rated it (as implicit's `verify_negative_samples`); each triple takes one gradient step
/// with learning rate `η`. Factors start as seeded Normal(0, `initialStandardDeviation`) draws,
/// biases at 0. Training runs on one thread so that a seed fixes the result bit for bit.
///
/// Defaults (64 factors, 100 epochs, η = 0.02, λ = 0.02) were chosen on validation splits carved
/// from the training part only (the protocol in ``EASE``); BPR stays behind ``ImplicitALS`` and
/// ``EASE`` there (the tuning log in <doc:RatingModels>).
///
/// ```swift
/// let model = try BPR(seed: 7).fit(train)
/// let scores = model.scores(forUser: 0)
/// ```
public struct BPR: RecommenderAlgorithm, Hashable, Codable {
  /// The number of latent factors `k`; 64 by default.
  public var factors: Int
  /// Passes over the data (each draws as many triples as there are ratings); 100 by default.
  public var epochs: Int
  /// η, the step size; 0.02 by default.
  public var learningRate: Double
  /// λ, the L2 penalty applied at every step to the parameters it touches; 0.02 by default.
  public var regularization: Double
  /// The standard deviation of the initial factors; 0.1 by default.
  public var initialStandardDeviation: Double
  /// The seed of the initial factors and of the sampling.
  public var seed: UInt64

  /// `"bpr"`.
  public var name: String { "bpr" }

  /// Creates a configuration; the defaults are the tuned ones (see the type's documentation).
  public init(
    factors: Int = 64, epochs: Int = 100, learningRate: Double = 0.02,
    regularization: Double = 0.02, initialStandardDeviation: Double = 0.1, seed: UInt64 = 0
  ) {
    self.factors = factors
    self.epochs = epochs
    self.learningRate = learningRate
    self.regularization = regularization
    self.initialStandardDeviation = initialStandardDeviation
    self.seed = seed
  }

  /// Fits the model on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` for factors outside 1…1024, epochs < 1, η ≤ 0, λ < 0, a negative
  ///   standard deviation or a NaN; `.numericalFailure` when training diverges.
  /// - Complexity: O(epochs · ratings · k), on one thread.
  public func fit(_ data: RatingsDataset) throws -> BPRModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits BPR on `data`, calling `monitor` after every epoch (with the mean `−ln σ(x̂ᵤᵢⱼ)` of its samples): the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> BPRModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Checks the hyper-parameters (what ``fit(_:)`` checks before touching data).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try FactorValidation.requireFactors(factors, limit: RecommendLimits.maximumSolvedFactors)
    try FactorValidation.requireCount(epochs, "epochs", minimum: 1)
    try FactorValidation.requireNonNegative(learningRate, "learning rate", positive: true)
    try FactorValidation.requireNonNegative(regularization, "λ")
    try FactorValidation.requireNonNegative(initialStandardDeviation, "initial standard deviation")
  }

  /// The fit itself; ``fit(_:)`` adds the ``BPRModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor())
    throws -> BPRModel
  {
    try FactorValidation.requireRatings(data, model: "BPR")
    try validateHyperparameters()
    let k = factors
    let m = data.userItemMatrix
    var rng = SeededGenerator(seed: seed, stream: 0)
    var p = (0..<(data.userCount * k)).map { _ in
      Float(initialStandardDeviation * rng.nextGaussian())
    }
    var q = (0..<(data.itemCount * k)).map { _ in
      Float(initialStandardDeviation * rng.nextGaussian())
    }
    var bias = [Float](repeating: 0, count: data.itemCount)
    // Owner of each stored rating, and the items that can be drawn as negatives.
    var owner = [Int32](repeating: 0, count: m.nonzeroCount)
    for u in 0..<data.userCount {
      for t in m.rowOffsets[u]..<m.rowOffsets[u + 1] { owner[t] = Int32(u) }
    }
    let degrees = data.itemDegrees()
    let negatives = (0..<data.itemCount).filter { degrees[$0] > 0 }.map { Int32($0) }
    let lr = Float(learningRate)
    let reg = Float(regularization)
    let count = m.nonzeroCount
    var sampler = SeededGenerator(seed: seed, stream: 1)
    func uniform(_ n: Int) -> Int { Int((sampler.next() >> 11) % UInt64(n)) }
    try p.withUnsafeMutableBufferPointer { pp in
      try q.withUnsafeMutableBufferPointer { qq in
        try bias.withUnsafeMutableBufferPointer { bb in
          try m.columnIndices.withUnsafeBufferPointer { cols in
            let pu = pp.baseAddress!
            let qi = qq.baseAddress!
            for epoch in 0..<epochs {
              // Σ −ln σ(x̂ᵤᵢⱼ) = Σ −ln(1 − g) over the epoch's samples: the BPR loss.
              var logLoss = 0.0
              var sampled = 0
              for _ in 0..<count {
                let t = uniform(count)
                let u = Int(owner[t])
                let i = Int(cols[t])
                let lo = m.rowOffsets[u]
                let hi = m.rowOffsets[u + 1]
                guard hi - lo < negatives.count else { continue }
                var j = 0
                repeat {
                  j = Int(negatives[uniform(negatives.count)])
                } while Self.contains(cols, lo, hi, Int32(j))
                let x = pu + u * k
                let yi = qi + i * k
                let yj = qi + j * k
                let diff =
                  FactorPrediction.dot(x, yi, k) - FactorPrediction.dot(x, yj, k)
                  + bb[i] - bb[j]
                // σ(−diff): the gradient scale of ln σ(diff).
                let g = 1 / (1 + Self.exp(diff))
                logLoss -= Foundation.log(max(Double.leastNormalMagnitude, 1 - Double(g)))
                sampled += 1
                for f in 0..<k {
                  let xf = x[f]
                  let d = yi[f] - yj[f]
                  x[f] += lr * (g * d - reg * xf)
                  yi[f] += lr * (g * xf - reg * yi[f])
                  yj[f] += lr * (-g * xf - reg * yj[f])
                }
                bb[i] += lr * (g - reg * bb[i])
                bb[j] += lr * (-g - reg * bb[j])
              }
              try monitor.checkpoint(
                step: epoch + 1, total: epochs,
                loss: sampled > 0 ? logLoss / Double(sampled) : nil)
            }
          }
        }
      }
    }
    try FactorValidation.requireFinite(p, "the BPR user factors")
    try FactorValidation.requireFinite(q, "the BPR item factors")
    try FactorValidation.requireFinite(bias, "the BPR item biases")
    return BPRModel(
      users: data.users, items: data.items,
      userFactors: Matrix(rows: data.userCount, columns: k, elements: p),
      itemFactors: Matrix(rows: data.itemCount, columns: k, elements: q), itemBias: bias)
  }

  /// Whether the sorted `cols[lo..<hi]` holds `item` (binary search).
  @inline(__always)
  static func contains(_ cols: UnsafeBufferPointer<Int32>, _ lo: Int, _ hi: Int, _ item: Int32)
    -> Bool
  {
    var a = lo
    var b = hi
    while a < b {
      let mid = (a + b) / 2
      if cols[mid] < item { a = mid + 1 } else { b = mid }
    }
    return a < hi && cols[a] == item
  }

  /// `eˣ` with `x` clamped to ±80 (NaN read as 0) to avoid overflow, from `Float`'s own operations only (no C library call), so
  /// results are identical on every platform.
  @inline(__always)
  static func exp(_ x: Float) -> Float {
    let c = x.isNaN ? 0 : min(max(x, -80), 80)
    // eˣ = 2^(x·log₂e): integer part by exponent bits, fraction by a degree-6 polynomial.
    let y = c * 1.442_695_04
    let n = y.rounded(.down)
    let r = (y - n) * 0.693_147_18
    var e: Float = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r / 720)))))
    e *= Float(sign: .plus, exponent: Int(n), significand: 1)
    return e
  }
}

/// A fitted ``BPR`` model: factors and item biases whose sums rank items.
public struct BPRModel: RecommenderModel, Equatable {
  /// The users of the training data.
  public let users: IDMap
  /// The items of the training data.
  public let items: IDMap
  /// `pᵤ` as rows: `users.count × k`.
  public let userFactors: Matrix<Float>
  /// `qᵢ` as rows: `items.count × k`.
  public let itemFactors: Matrix<Float>
  /// `bᵢ` per item index.
  public let itemBias: [Float]

  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items, saved with the model: what ``recommend(user:count:excluding:where:)``
  /// leaves out by default. Empty for a model built from its parts.
  public internal(set) var history: UserHistory
  /// The unknown user's scores (`Q p̄ + b`), computed once when the model is built.
  let averageUserScores: [Float]

  /// Creates a model from its parameters.
  ///
  /// - Precondition: the shapes agree with the id maps and the factor counts are equal.
  ///
  /// `history`, when given, is the users' training items (what `recommend(user:…)` leaves out;
  /// none when `nil`): one row per user, item indices below the item count (checked).
  public init(
    users: IDMap, items: IDMap, userFactors: Matrix<Float>, itemFactors: Matrix<Float>,
    itemBias: [Float], history: UserHistory? = nil
  ) {
    precondition(
      userFactors.isWellFormed && itemFactors.isWellFormed,
      "a factor or weight matrix whose elements do not fill its shape")
    self.history =
      history?.checked(users: users.count, items: items.count) ?? UserHistory(emptyFor: users.count)
    precondition(userFactors.rows == users.count && itemFactors.rows == items.count)
    precondition(userFactors.columns == itemFactors.columns && itemBias.count == items.count)
    self.users = users
    self.items = items
    self.userFactors = userFactors
    self.itemFactors = itemFactors
    self.itemBias = itemBias
    self.averageUserScores = FactorPrediction.meanRow(userFactors).withUnsafeBufferPointer {
      FactorPrediction.scores(
        itemFactors: itemFactors, userVector: $0, base: 0, itemBias: itemBias)
    }
  }

  /// The number of latent factors `k`.
  public var factorCount: Int { userFactors.columns }

  /// `Q pᵤ + b`: every item's score for user `user`.
  public func scores(forUser user: Int) -> [Float] {
    precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    let k = factorCount
    return userFactors.elements.withUnsafeBufferPointer { p in
      FactorPrediction.scores(
        itemFactors: itemFactors,
        userVector: UnsafeBufferPointer(rebasing: p[(user * k)..<(user * k + k)]), base: 0,
        itemBias: itemBias)
    }
  }

  /// `Q p̄ + b`, with `p̄` the mean of the user factors: the average user's scores, equal to the
  /// mean of every user's scores (up to rounding), as ``PredictionSource/averageUser``;
  /// computed once when the model is built.
  public func scoresForUnknownUser() -> ItemScores {
    ItemScores(values: averageUserScores, source: .averageUser)
  }

}
