import AFlixData
import AFlixLinalg

/// Biased matrix factorisation fitted by alternating least squares with weighted-λ
/// regularisation (Zhou et al., 2008, "ALS-WR"), biases folded in as a constant column.
///
/// The model is `r̂ᵤᵢ = μ + bᵤ + bᵢ + qᵢᵀpᵤ`, minimising
/// `Σ(rᵤᵢ − r̂ᵤᵢ)² + Σᵤ nᵤ(λ‖pᵤ‖² + λ_b bᵤ²) + Σᵢ nᵢ(λ‖qᵢ‖² + λ_b bᵢ²)` where `nᵤ`, `nᵢ` count
/// ratings. With the items fixed, user `u`'s `θᵤ = (pᵤ, bᵤ)` solves the `(k+1) × (k+1)` system
/// `(XᵀX + nᵤ·diag(λ,…,λ,λ_b)) θᵤ = Xᵀ(r − μ − b_I)`, the rows of `X` being `(qᵢ, 1)` for the
/// user's items: `XᵀX` by BLAS `dsyrk`, `Xᵀy` by `dgemv`, the solve by LAPACK `dposv` (Cholesky).
/// Items are solved the same way with the users fixed. Each iteration solves every user, then
/// every item; users and items run in parallel, each solve on its own, so the result does not
/// depend on `Parallelism.maximumThreadCount`. Item factors start as seeded
/// Normal(0, `initialStandardDeviation`) draws, biases at 0; users are solved first.
///
/// Defaults (64 factors, 15 iterations, λ = 0.1, λ_b = 0.02) were chosen on a seeded 10%
/// validation holdout of `u1.base`, the test file never read (the tuning log in
/// <doc:RatingModels>).
///
/// The per-row products and Cholesky solves run through `SerialBLAS` on AFlix's own worker
/// threads (AFlix parallelises the solves itself, not OpenBLAS; why, measured: <doc:Serving>'s
/// "Fits side by side"), so a fit changes no process-wide BLAS setting and two fits run side by
/// side.
///
/// ```swift
/// let model = try BiasedALS().fit(train)
/// model.predict(userID: 196, itemID: 242).value
/// ```
public struct BiasedALS: RecommenderAlgorithm, Hashable, Codable {
  /// The number of latent factors `k`; 64 by default.
  public var factors: Int
  /// Alternations (a user pass and an item pass each); 15 by default.
  public var iterations: Int
  /// λ, the factor regularisation per rating; 0.1 by default.
  public var regularization: Double
  /// λ_b, the bias regularisation per rating; 0.02 by default.
  public var biasRegularization: Double
  /// The standard deviation of the initial item factors; 0.1 by default.
  public var initialStandardDeviation: Double
  /// The seed of the initial item factors.
  public var seed: UInt64

  /// `"mf-als"`.
  public var name: String { "mf-als" }

  /// Creates a configuration; the defaults are the tuned ones (see the type's documentation).
  public init(
    factors: Int = 64, iterations: Int = 15, regularization: Double = 0.1,
    biasRegularization: Double = 0.02, initialStandardDeviation: Double = 0.1, seed: UInt64 = 0
  ) {
    self.factors = factors
    self.iterations = iterations
    self.regularization = regularization
    self.biasRegularization = biasRegularization
    self.initialStandardDeviation = initialStandardDeviation
    self.seed = seed
  }

  /// Fits the factorisation on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` for factors outside 1…1024, iterations < 1, λ ≤ 0, λ_b < 0, a
  ///   negative standard deviation or a NaN; `.numericalFailure` when a Cholesky solve fails.
  /// - Complexity: O(iterations · (ratings · k² + (users + items) · k³)), parallel.
  public func fit(_ data: RatingsDataset) throws -> BiasedMFModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits the factorisation on `data`, calling `monitor` after every alternation: the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> BiasedMFModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Fits starting from `start`'s item side instead of random draws: its first
  /// min(`start.factorCount`, ``factors``) item factors and its item biases, further factors drawn
  /// as usual — a warm start for a search over the factor count (a model of nearby K fitted on the
  /// same data converges in fewer ``iterations``). A `start` fitted on other items (its
  /// ``BiasedMFModel/items`` differ from `data`'s) is ignored: the fit starts cold.
  ///
  /// - Throws: what ``fit(_:monitor:)`` throws.
  public func fit(_ data: RatingsDataset, warmStart start: BiasedMFModel, monitor: FitMonitor)
    throws -> BiasedMFModel
  {
    try fitParameters(data, monitor: monitor, warmStart: start).fitted(fitRecord, on: data)
  }

  /// ``fit(_:warmStart:monitor:)`` as ``fit(_:options:)`` runs a fit: on a thread of its own with
  /// `options.threadCount`, progress to `options.progress`, stopped at its next sweep once the
  /// calling task is cancelled.
  ///
  /// - Throws: `CancellationError` when the task is cancelled before the fit ends, else what
  ///   ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, warmStart start: BiasedMFModel, options: FitOptions)
    async throws -> BiasedMFModel
  {
    try await FitRunner.run(name: name, options: options) { monitor in
      try self.fit(data, warmStart: start, monitor: monitor)
    }
  }

  /// Checks the hyper-parameters (what ``fit(_:)`` checks before touching data).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try FactorValidation.requireFactors(factors, limit: RecommendLimits.maximumSolvedFactors)
    try FactorValidation.requireCount(iterations, "iterations", minimum: 1)
    try FactorValidation.requireNonNegative(regularization, "regularisation", positive: true)
    try FactorValidation.requireNonNegative(biasRegularization, "bias regularisation")
    try FactorValidation.requireNonNegative(initialStandardDeviation, "initial standard deviation")
  }

  /// The fit itself; ``fit(_:)`` adds the ``BiasedMFModel/fitRecord``.
  private func fitParameters(
    _ data: RatingsDataset, monitor: FitMonitor = FitMonitor(), warmStart: BiasedMFModel? = nil
  ) throws -> BiasedMFModel {
    try FactorValidation.requireRatings(data, model: "ALS")
    try validateHyperparameters()
    let k = factors
    let d = k + 1
    let mu = data.globalMean
    // θ rows (factors, bias): users × d and items × d.
    var users = [Double](repeating: 0, count: data.userCount * d)
    var items = [Double](repeating: 0, count: data.itemCount * d)
    var rng = SeededGenerator(seed: seed, stream: 0)
    for i in 0..<data.itemCount {
      for f in 0..<k { items[i * d + f] = initialStandardDeviation * rng.nextGaussian() }
    }
    if let start = warmStart, start.items == data.items,
      start.itemFactors.rows == data.itemCount, start.itemBias.count == data.itemCount
    {
      let kept = min(k, start.factorCount)
      for i in 0..<data.itemCount {
        for f in 0..<kept { items[i * d + f] = Double(start.itemFactors[i, f]) }
        items[i * d + k] = Double(start.itemBias[i])
      }
    }
    let byUser = data.userItemMatrix
    let byItem = data.itemUserMatrix
    let diagonal = [Double](repeating: regularization, count: k) + [biasRegularization]
    do {
      for iteration in 0..<iterations {
        try ALSSolver.solveAll(
          rows: data.userCount, offsets: byUser.rowOffsets, indices: byUser.columnIndices,
          values: byUser.values, fixed: items, target: &users, d: d, mu: mu, diagonal: diagonal)
        try ALSSolver.solveAll(
          rows: data.itemCount, offsets: byItem.columnOffsets, indices: byItem.rowIndices,
          values: byItem.values, fixed: users, target: &items, d: d, mu: mu, diagonal: diagonal)
        try monitor.checkpoint(step: iteration + 1, total: iterations)
      }
    }
    return ALSSolver.model(data, users: users, items: items, factors: k, mu: mu)
  }
}

/// The per-row closed-form solves of ``BiasedALS``.
enum ALSSolver {
  /// Solves every row of `target` (θ = (factors, bias)) against the fixed side's rows `fixed`,
  /// whose bias sits in column `d − 1`. Rows without ratings become zero.
  static func solveAll(
    rows: Int, offsets: [Int], indices: [Int32], values: [Float], fixed: [Double],
    target: inout [Double], d: Int, mu: Double, diagonal: [Double]
  ) throws {
    let k = d - 1
    // One flag per row: threads write only their own rows, and the lowest failing row is named.
    var failures = [UInt8](repeating: 0, count: max(1, rows))
    let maxDegree = (0..<rows).reduce(0) { max($0, offsets[$1 + 1] - offsets[$1]) }
    target.withUnsafeMutableBufferPointer { out in
      failures.withUnsafeMutableBufferPointer { failed in
        let outPtr = SharedPointer(base: out.baseAddress!)
        let failPtr = SharedPointer(base: failed.baseAddress!)
        fixed.withUnsafeBufferPointer { fx in
          indices.withUnsafeBufferPointer { idx in
            values.withUnsafeBufferPointer { vals in
              FactorParallel.forEachChunk(count: rows) { range in
                let x = UnsafeMutablePointer<Double>.allocate(capacity: max(1, maxDegree * d))
                let y = UnsafeMutablePointer<Double>.allocate(capacity: max(1, maxDegree))
                let a = UnsafeMutablePointer<Double>.allocate(capacity: d * d)
                let b = UnsafeMutablePointer<Double>.allocate(capacity: d)
                defer {
                  x.deallocate()
                  y.deallocate()
                  a.deallocate()
                  b.deallocate()
                }
                for r in range {
                  let lo = offsets[r]
                  let n = offsets[r + 1] - lo
                  let theta = outPtr.base + r * d
                  guard n > 0 else {
                    theta.update(repeating: 0, count: d)
                    continue
                  }
                  for t in 0..<n {
                    let j = Int(idx[lo + t])
                    let row = fx.baseAddress! + j * d
                    let xr = x + t * d
                    xr.update(from: row, count: k)
                    xr[k] = 1
                    y[t] = Double(vals[lo + t]) - mu - row[k]
                  }
                  // On this worker thread alone (SerialBLAS): no process-wide BLAS setting.
                  SerialBLAS.syrk(n: d, k: n, alpha: 1, a: x, lda: d, beta: 0, c: a, ldc: d)
                  SerialBLAS.gemv(
                    transpose: true, m: n, n: d, alpha: 1, a: x, lda: d, x: y, beta: 0, y: b)
                  for f in 0..<d { a[f * d + f] += Double(n) * diagonal[f] }
                  if SerialBLAS.posv(n: d, a: a, b: b) != 0 {
                    failPtr.base[r] = 1
                    theta.update(repeating: 0, count: d)
                  } else {
                    theta.update(from: b, count: d)
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

  /// The fitted model from θ rows `(factors, bias)`.
  static func model(
    _ data: RatingsDataset, users: [Double], items: [Double], factors k: Int, mu: Double
  ) -> BiasedMFModel {
    let d = k + 1
    func split(_ theta: [Double], _ rows: Int) -> (Matrix<Float>, [Float]) {
      var m = Matrix<Float>(rows: rows, columns: k)
      var bias = [Float](repeating: 0, count: rows)
      for r in 0..<rows {
        for f in 0..<k { m.elements[r * k + f] = Float(theta[r * d + f]) }
        bias[r] = Float(theta[r * d + k])
      }
      return (m, bias)
    }
    let (p, bu) = split(users, data.userCount)
    let (q, bi) = split(items, data.itemCount)
    return BiasedMFModel(
      users: data.users, items: data.items, scale: data.scale, globalMean: Float(mu),
      userBias: bu, itemBias: bi, userFactors: p, itemFactors: q)
  }
}
