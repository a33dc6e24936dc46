import AFlixData
import AFlixLinalg

/// Neighbourhood model on top of baselines: Surprise's `KNNBaseline` with the `pearson_baseline`
/// similarity, item-based by default.
///
/// **Prediction.** With `bᵤᵢ = μ + bᵤ + bᵢ` the ``Baseline`` estimate (fitted by ALS) and
/// `Nₖ(i; u)` the ``neighbours`` items most similar to `i` among the items `u` rated (only
/// positive similarities count),
///
/// ```
/// r̂ᵤᵢ = bᵤᵢ + Σⱼ sᵢⱼ (rᵤⱼ − bᵤⱼ) / Σⱼ sᵢⱼ,   j ∈ Nₖ(i; u), sᵢⱼ > 0,
/// ```
///
/// clipped to the scale. With fewer than ``minimumNeighbours`` positive neighbours the prediction
/// is `bᵤᵢ` alone. User-based (`itemBased: false`) swaps the roles: the neighbours are the users
/// most similar to `u` among those who rated `i`.
///
/// **Similarity.** ``Similarity/pearsonBaseline`` (Surprise's `pearson_baseline`, defined over the
/// users `Uᵢⱼ` who rated both items, with residuals `r̃ᵤᵢ = rᵤᵢ − bᵤᵢ`):
///
/// ```
/// sᵢⱼ = Σᵤ r̃ᵤᵢ r̃ᵤⱼ / √(Σᵤ r̃ᵤᵢ² · Σᵤ r̃ᵤⱼ²) · (nᵢⱼ − 1) / (nᵢⱼ − 1 + λ),   u ∈ Uᵢⱼ,
/// ```
///
/// with `nᵢⱼ = |Uᵢⱼ|`, λ the ``shrinkage``, `sᵢⱼ = 0` when `nᵢⱼ < 2` (or when a sum of squares is
/// 0, where Surprise would divide by zero), and `sᵢᵢ = 1`. ``Similarity/cosine`` is Surprise's
/// `cosine` on the raw ratings over common users (no shrinkage; `sᵢⱼ = 0` without a common user).
///
/// **Computation.** The sums over common users come from three BLAS products on the dense
/// `users × items` matrices of residuals `R̃` (0 where unobserved), of the co-rating mask `M` and of
/// the squared residuals `R̃∘R̃`: counts `N = MᵀM` and products `P = R̃ᵀR̃` by `ssyrk`, per-pair
/// squared norms `Q = (R̃∘R̃)ᵀM` by `sgemm` (`Qᵢⱼ = Σ_{u∈Uᵢⱼ} r̃ᵤᵢ²`), so
/// `sᵢⱼ = Pᵢⱼ / √(Qᵢⱼ Qⱼᵢ)` before shrinkage. The dense matrices are built in blocks of users
/// (at most 4 M entries each), so the fit needs `3n²` floats for `N`, `P`, `Q` (`n` the item
/// count; the similarity matrix overwrites `P`) plus three blocks: about 50 MB for MovieLens 100k,
/// 4.8 GB for a 20,000-item catalog. The fitted model keeps the full `n × n` similarity matrix in
/// `Float` (as Surprise keeps its own) and the training ratings, and picks the neighbours at
/// prediction time.
///
/// Defaults: `k = 60` and shrinkage 200, tuned on a seeded 10 % holdout of `u1.base`, the test
/// file never read (the tuning log in <doc:RatingModels>). The rest are
/// Surprise's (`min_k = 1`, baselines by ALS with `reg_i = 10`, `reg_u = 15`, 10 epochs), so
/// `KNNBaseline(neighbours: 40, shrinkage: 100)` is Surprise's `KNNBaseline` with its defaults
/// (the same RMSE to 10⁻⁸ on u1 and u3). Differences from Surprise: `Float` storage of the
/// similarities and biases (Surprise: `double`); ties in similarity at the k-th place are broken
/// by item index rather than by the order of the training file.
///
/// ```swift
/// let model = try KNNBaseline().fit(train)
/// model.predict(userID: 196, itemID: 242)     // Prediction(value: 3.8, source: .model)
/// ```
public struct KNNBaseline: RecommenderAlgorithm, Hashable, Codable {
  /// The similarity between two items (or two users).
  public enum Similarity: String, Sendable, Hashable, Codable {
    /// Pearson correlation of the baseline residuals over common raters, shrunk by
    /// ``KNNBaseline/shrinkage`` (Surprise's `pearson_baseline`).
    case pearsonBaseline
    /// Cosine of the raw ratings over common raters (Surprise's `cosine`), not shrunk.
    case cosine
  }

  /// `k`, the most neighbours a prediction averages over; 60 by default (Surprise: 40).
  public var neighbours: Int
  /// The fewest positive-similarity neighbours for the neighbourhood term; with fewer the
  /// prediction is the baseline alone. 1 by default (Surprise's `min_k`).
  public var minimumNeighbours: Int
  /// λ of the shrinkage factor `(n − 1)/(n − 1 + λ)` of ``Similarity/pearsonBaseline``; 200 by
  /// default (Surprise: 100).
  public var shrinkage: Double
  /// The configuration of the baseline biases `bᵤ`, `bᵢ`; Surprise's ALS defaults.
  public var baseline: Baseline
  /// The similarity measure; ``Similarity/pearsonBaseline`` by default.
  public var similarity: Similarity
  /// Whether neighbours are items (`true`, the default) or users.
  public var itemBased: Bool

  /// `"knn"`.
  public var name: String { "knn" }

  /// Creates a configuration; the defaults are Surprise's `KNNBaseline` with
  /// `sim_options={'name': 'pearson_baseline', 'user_based': False}`.
  public init(
    neighbours: Int = 60, minimumNeighbours: Int = 1, shrinkage: Double = 200,
    baseline: Baseline = Baseline(), similarity: Similarity = .pearsonBaseline,
    itemBased: Bool = true
  ) {
    self.neighbours = neighbours
    self.minimumNeighbours = minimumNeighbours
    self.shrinkage = shrinkage
    self.baseline = baseline
    self.similarity = similarity
    self.itemBased = itemBased
  }

  /// Fits the baselines and the similarity matrix on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` for `neighbours < 1`, `minimumNeighbours` outside `0…neighbours`,
  ///   a negative or non-finite shrinkage, or an invalid baseline configuration;
  ///   `.numericalFailure` for a non-finite similarity.
  /// - Complexity: O(n² · m) time for `n` items and `m` users (three BLAS products), O(n²)
  ///   memory (see the type's documentation).
  public func fit(_ data: RatingsDataset) throws -> KNNBaselineModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits the baselines and similarities on `data`, calling `monitor` after every phase (1: the biases, 2: the similarities): the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> KNNBaselineModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Checks the hyper-parameters (what ``fit(_:)`` checks before touching data).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    // No upper bound: the data bounds it (the model keeps at most every other item or user).
    try FactorValidation.requireCount(neighbours, "neighbours k", minimum: 1, maximum: .max)
    guard minimumNeighbours >= 0, minimumNeighbours <= neighbours else {
      throw RecommendError(
        .invalidHyperparameter,
        "minimum neighbours \(minimumNeighbours) must be between 0 and k = \(neighbours)")
    }
    try FactorValidation.requireNonNegative(shrinkage, "shrinkage")
    try baseline.validateHyperparameters()
  }

  /// The fit itself; ``fit(_:)`` adds the ``KNNBaselineModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor())
    throws -> KNNBaselineModel
  {
    try FactorValidation.requireRatings(data, model: "KNNBaseline")
    try validateHyperparameters()
    // A part: the kNN record holds its settings; its epochs check cancellation, unreported.
    let biases = try baseline.fitParameters(data, monitor: monitor.silent)
    try monitor.checkpoint(step: 1, total: 2)
    // Rows: the entities whose ratings are compared (users for item-based); columns: neighbours.
    let ratings = itemBased ? data.userItemMatrix : data.userItemMatrix.transposed
    let rowBias = itemBased ? biases.userBias : biases.itemBias
    let columnBias = itemBased ? biases.itemBias : biases.userBias
    let mu = biases.globalMean
    let similarities: Matrix<Float>
    switch similarity {
    case .pearsonBaseline:
      similarities = KNNSimilarity.compute(
        ratings, minimumSupport: 2, shrinkage: Float(shrinkage)
      ) { row, column, r in r - (mu + rowBias[row] + columnBias[column]) }
    case .cosine:
      similarities = KNNSimilarity.compute(ratings, minimumSupport: 1, shrinkage: nil) {
        _, _, r in r
      }
    }
    try FactorValidation.requireFinite(similarities.elements, "the kNN similarities")
    try monitor.checkpoint(step: 2, total: 2)
    return KNNBaselineModel(
      baseline: biases, itemBased: itemBased, neighbours: neighbours,
      minimumNeighbours: minimumNeighbours, similarities: similarities, ratings: ratings)
  }
}

/// A fitted ``KNNBaseline``: baselines, the full similarity matrix and the training ratings the
/// neighbourhoods are drawn from.
///
/// Fallbacks: an unknown user or item gives the ``BaselineModel`` fallback (`μ + bᵢ`,
/// `μ + bᵤ` or `μ`, with its ``PredictionSource``). A known pair with fewer than
/// ``minimumNeighbours`` positive-similarity neighbours predicts `μ + bᵤ + bᵢ` and still reports
/// ``PredictionSource/model``: the biases are part of the model (Surprise, likewise, marks a
/// prediction impossible only for unknown ids).
public struct KNNBaselineModel: RatingPredictor, Equatable {
  /// The fitted biases `μ`, `bᵤ`, `bᵢ` (and the id maps and scale).
  public let baseline: BaselineModel
  /// Whether the neighbours are items (`true`) or users.
  public let itemBased: Bool
  /// `k`, the most neighbours a prediction averages over.
  public let neighbours: Int
  /// The fewest positive neighbours for the neighbourhood term.
  public let minimumNeighbours: Int
  /// The symmetric similarities between items (item-based, `items.count × items.count`) or users
  /// (`users.count × users.count`), unit diagonal.
  public let similarities: Matrix<Float>
  /// The training ratings the neighbours are drawn from: `users × items` when item-based (row `u`
  /// holds the items `u` rated), `items × users` when user-based (row `i` holds its raters).
  public let ratings: SparseMatrix<Float>

  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items, saved with the model: what ``recommend(user:count:excluding:where:)``
  /// leaves out by default. Empty for a model built from its parts.
  public internal(set) var history: UserHistory

  /// Creates a model from its parts.
  ///
  /// `neighbours` above the number of possible neighbours (the items, or users when user-based)
  /// is clamped to it: the data bounds how many can be averaged.
  ///
  /// - Precondition: the shapes agree with the baseline's id maps and `itemBased`; `neighbours ≥ 1`.
  ///
  /// `history`, when given, is the users' training items (what `recommend(user:…)` leaves out;
  /// none when `nil`): one row per user, item indices below the item count (checked).
  public init(
    baseline: BaselineModel, itemBased: Bool, neighbours: Int, minimumNeighbours: Int,
    similarities: Matrix<Float>, ratings: SparseMatrix<Float>, history: UserHistory? = nil
  ) {
    precondition(
      similarities.isWellFormed, "a factor or weight matrix whose elements do not fill its shape")
    self.history =
      history?.checked(users: baseline.users.count, items: baseline.items.count)
      ?? UserHistory(emptyFor: baseline.users.count)
    let (rows, columns) =
      itemBased
      ? (baseline.users.count, baseline.items.count) : (baseline.items.count, baseline.users.count)
    precondition(ratings.rows == rows && ratings.columns == columns)
    precondition(similarities.rows == columns && similarities.columns == columns)
    precondition(neighbours >= 1 && minimumNeighbours >= 0)
    self.baseline = baseline
    self.itemBased = itemBased
    self.neighbours = min(neighbours, max(1, columns))
    self.minimumNeighbours = minimumNeighbours
    self.similarities = similarities
    self.ratings = ratings
  }

  /// The users of the training data.
  public var users: IDMap { baseline.users }
  /// The items of the training data.
  public var items: IDMap { baseline.items }
  /// The training data's scale.
  public var scale: RatingScale { baseline.scale }

  /// `r̂ᵤᵢ` for every item (unclipped, for ranking): for each item, a partial selection (a
  /// size-`k` heap) of the most similar among the user's rated items.
  ///
  /// - Complexity: O(items × ratings of the user × log k) item-based, O(ratings × log k)
  ///   user-based; parallel over chunks of items.
  public func scores(forUser user: Int) -> [Float] {
    precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    let base = baseline.globalMean + baseline.userBias[user]
    var out = [Float](repeating: 0, count: items.count)
    // On the calling thread: a request never hands work to other threads (serving is
    // cooperative-pool friendly; evaluation parallelises across users instead).
    var heap = NeighbourHeap(capacity: neighbours)
    for item in 0..<items.count {
      out[item] = base + baseline.itemBias[item] + deviation(user: user, item: item, heap: &heap)
    }
    return out
  }

  /// `r̂ᵤᵢ` clipped to the scale, with the fallbacks above.
  public func predict(user: Int?, item: Int?) -> Prediction {
    requireIndices(user: user, item: item)
    guard let user, let item else { return baseline.predict(user: user, item: item) }
    var heap = NeighbourHeap(capacity: neighbours)
    let value =
      baseline.globalMean + baseline.userBias[user] + baseline.itemBias[item]
      + deviation(user: user, item: item, heap: &heap)
    return Prediction(value: scale.clamp(value), source: .model)
  }

  /// `Σ s (r − b) / Σ s` over the `k` most similar positive neighbours, or 0 with fewer than
  /// ``minimumNeighbours`` of them.
  func deviation(user: Int, item: Int, heap: inout NeighbourHeap) -> Float {
    let (target, row) = itemBased ? (item, user) : (user, item)
    let columnBias = itemBased ? baseline.itemBias : baseline.userBias
    let partial =
      baseline.globalMean + (itemBased ? baseline.userBias[user] : baseline.itemBias[item])
    let lower = ratings.rowOffsets[row]
    let upper = ratings.rowOffsets[row + 1]
    let n = similarities.columns
    heap.removeAll()
    similarities.elements.withUnsafeBufferPointer { s in
      ratings.columnIndices.withUnsafeBufferPointer { c in
        ratings.values.withUnsafeBufferPointer { v in
          columnBias.withUnsafeBufferPointer { b in
            let sims = s.baseAddress! + target * n
            for e in lower..<upper {
              let j = Int(c[e])
              let sim = sims[j]
              if sim > 0 { heap.offer(sim, v[e] - (partial + b[j])) }
            }
          }
        }
      }
    }
    guard heap.count >= minimumNeighbours else { return 0 }
    return heap.weightedMean()
  }
}

/// The `k` largest positive similarities offered, with their residuals: a binary min-heap on the
/// similarity (an earlier entry wins a tie), in storage allocated once per heap.
struct NeighbourHeap: ~Copyable {
  private let similarities: UnsafeMutablePointer<Float>
  private let residuals: UnsafeMutablePointer<Float>
  private let capacity: Int
  private(set) var count = 0

  init(capacity: Int) {
    precondition(capacity >= 1)
    self.capacity = capacity
    similarities = .allocate(capacity: capacity)
    residuals = .allocate(capacity: capacity)
  }

  deinit {
    similarities.deallocate()
    residuals.deallocate()
  }

  mutating func removeAll() { count = 0 }

  /// Keeps `(similarity, residual)` when it is among the `capacity` largest so far.
  @inline(__always)
  mutating func offer(_ similarity: Float, _ residual: Float) {
    if count < capacity {
      var c = count
      count += 1
      while c > 0 {
        let p = (c - 1) >> 1
        guard similarity < similarities[p] else { break }
        similarities[c] = similarities[p]
        residuals[c] = residuals[p]
        c = p
      }
      similarities[c] = similarity
      residuals[c] = residual
    } else if similarity > similarities[0] {
      var p = 0
      while true {
        let l = 2 * p + 1
        guard l < count else { break }
        var m = l
        if l + 1 < count, similarities[l + 1] < similarities[l] { m = l + 1 }
        guard similarities[m] < similarity else { break }
        similarities[p] = similarities[m]
        residuals[p] = residuals[m]
        p = m
      }
      similarities[p] = similarity
      residuals[p] = residual
    }
  }

  /// `Σ s r / Σ s` in `Double` (0 when empty).
  func weightedMean() -> Float {
    var num = 0.0
    var den = 0.0
    for t in 0..<count {
      num += Double(similarities[t]) * Double(residuals[t])
      den += Double(similarities[t])
    }
    return den > 0 ? Float(num / den) : 0
  }
}

/// The similarity matrices of ``KNNBaseline`` through BLAS products.
enum KNNSimilarity {
  /// Entries of one dense block of rows (4 M floats, 16 MB).
  static let blockEntries = 1 << 22

  /// The similarities between the columns of `ratings` over common rows, with `value(row, column,
  /// rating)` the entry compared (the residual, or the rating itself): `P / √(Q ∘ Qᵀ)` where
  /// `N = MᵀM`, `P = VᵀV`, `Q = (V∘V)ᵀM`, zero below `minimumSupport` common rows, times
  /// `(N − 1)/(N − 1 + shrinkage)` when `shrinkage` is given; unit diagonal.
  static func compute(
    _ ratings: SparseMatrix<Float>, minimumSupport: Int, shrinkage: Float?,
    value: (Int, Int, Float) -> Float
  ) -> Matrix<Float> {
    let n = ratings.columns
    let m = ratings.rows
    var counts = [Float](repeating: 0, count: n * n)
    var products = [Float](repeating: 0, count: n * n)
    var squares = [Float](repeating: 0, count: n * n)
    let blockRows = max(1, min(m, blockEntries / max(1, n)))
    var v = [Float](repeating: 0, count: blockRows * n)
    var mask = [Float](repeating: 0, count: blockRows * n)
    var v2 = [Float](repeating: 0, count: blockRows * n)
    var start = 0
    while start < m {
      let rows = min(blockRows, m - start)
      for k in 0..<(rows * n) {
        v[k] = 0
        mask[k] = 0
        v2[k] = 0
      }
      for r in 0..<rows {
        let (columns, values) = ratings.row(start + r)
        for (c, x) in zip(columns, values) {
          let e = value(start + r, Int(c), x)
          let k = r * n + Int(c)
          v[k] = e
          mask[k] = 1
          v2[k] = e * e
        }
      }
      v.withUnsafeBufferPointer { vp in
        mask.withUnsafeBufferPointer { mp in
          v2.withUnsafeBufferPointer { sp in
            counts.withUnsafeMutableBufferPointer { cp in
              Float.syrk(
                transpose: true, n: n, k: rows, alpha: 1, a: mp.baseAddress!, lda: n, beta: 1,
                c: cp.baseAddress!, ldc: n)
            }
            products.withUnsafeMutableBufferPointer { pp in
              Float.syrk(
                transpose: true, n: n, k: rows, alpha: 1, a: vp.baseAddress!, lda: n, beta: 1,
                c: pp.baseAddress!, ldc: n)
            }
            squares.withUnsafeMutableBufferPointer { qp in
              Float.gemm(
                transposeA: true, transposeB: false, m: n, n: n, k: rows, alpha: 1,
                a: sp.baseAddress!, lda: n, b: mp.baseAddress!, ldb: n, beta: 1,
                c: qp.baseAddress!, ldc: n)
            }
          }
        }
      }
      start += rows
    }
    // The similarity overwrites `products`: each upper entry is read before it is written, and
    // the lower triangle (unused by `ssyrk`) receives the mirror.
    let support = Float(minimumSupport)
    for i in 0..<n {
      products[i * n + i] = 1
      for j in (i + 1)..<n {
        let count = counts[i * n + j]
        var s: Float = 0
        if count >= support {
          let denominator = (Double(squares[i * n + j]) * Double(squares[j * n + i])).squareRoot()
          if denominator > 0 {
            var d = Double(products[i * n + j]) / denominator
            if let shrinkage {
              d *= Double(count - 1) / Double(count - 1 + shrinkage)
            }
            s = Float(d)
          }
        }
        products[i * n + j] = s
        products[j * n + i] = s
      }
    }
    return Matrix(rows: n, columns: n, elements: products)
  }
}
