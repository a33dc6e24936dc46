import AFlixData
import AFlixLinalg
import Foundation

/// Bayesian probabilistic matrix factorisation with biases (Salakhutdinov & Mnih, 2008), fitted
/// by Gibbs sampling.
///
/// The model is `rᵤᵢ ~ Normal(μ + bᵤ + bᵢ + qᵢᵀpᵤ, α⁻¹)`. Each user's `θᵤ = (pᵤ, bᵤ)` and each
/// item's `θᵢ = (qᵢ, bᵢ)` (dimension `k + 1`) is drawn from a Normal with its side's mean and
/// precision `(μ_U, Λ_U)`, which have a Normal–Wishart hyperprior (`μ₀ = 0`, `β₀ = 2`, `W₀ = I`,
/// `ν₀ = k + 1`). One Gibbs sweep draws `(μ_U, Λ_U)` from their posterior (Wishart by the
/// Bartlett decomposition), then every user from its Normal posterior — precision
/// `Λ* = Λ_U + α Σ xxᵀ` over the rows `x = (qᵢ, 1)` of its items (BLAS `dsyrk`), mean
/// `Λ*⁻¹(α Σ x(r − μ − bᵢ) + Λ_U μ_U)` by LAPACK `dposv`, and the draw `mean + U⁻¹z` with the
/// Cholesky factor `Λ* = UᵀU` that `dposv` leaves — then the same for the items.
///
/// After `burnIn` sweeps, each of the `samples` further sweeps is kept, and predictions average
/// over them: the fitted ``BiasedMFModel`` holds the averaged biases and the kept factors side by
/// side, scaled by `1/√samples`, so `qᵢᵀpᵤ` of the model is exactly the posterior average
/// `(1/T) Σₜ qᵢ⁽ᵗ⁾ᵀpᵤ⁽ᵗ⁾` (its factor count is `k · samples`).
///
/// Users and items run in parallel; every draw uses its own seeded stream (sweep, side, row), so
/// results do not depend on `Parallelism.maximumThreadCount`.
///
/// Defaults (k = 10, 40 burn-in sweeps, 160 kept samples, α = 1.5) were chosen on a seeded 10%
/// validation holdout of `u1.base`, the test file never read (the tuning log in
/// <doc:RatingModels>; Salakhutdinov & Mnih's α = 2 over-trusts MovieLens 100k's ratings). It is
/// the most accurate single rating model in AFlix on MovieLens 100k.
///
/// ```swift
/// let model = try BayesianMF().fit(train)
/// model.predict(userID: 196, itemID: 242).value
/// ```
public struct BayesianMF: RecommenderAlgorithm, Hashable, Codable {
  /// The number of latent factors `k` per sample; 10 by default.
  public var factors: Int
  /// Gibbs sweeps discarded before samples are kept; 40 by default.
  public var burnIn: Int
  /// Gibbs sweeps kept and averaged; 160 by default.
  public var samples: Int
  /// α, the precision of the rating noise (1/σ²); 1.5 by default (σ ≈ 0.82).
  public var precision: Double
  /// The seed of every draw.
  public var seed: UInt64

  /// `"bpmf"`.
  public var name: String { "bpmf" }

  /// Creates a configuration; the defaults are the tuned ones (see the type's documentation).
  public init(
    factors: Int = 10, burnIn: Int = 40, samples: Int = 160, precision: Double = 1.5,
    seed: UInt64 = 0
  ) {
    self.factors = factors
    self.burnIn = burnIn
    self.samples = samples
    self.precision = precision
    self.seed = seed
  }

  /// Samples the posterior on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` for factors outside 1…256, negative burn-in, fewer than one
  ///   sample, more than 65,536 kept factors, a precision that is not positive or NaN;
  ///   `.numericalFailure` when a Cholesky factorisation fails.
  /// - Complexity: O((burnIn + samples) · (ratings · k² + (users + items) · k³)), parallel.
  public func fit(_ data: RatingsDataset) throws -> BiasedMFModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Fits the model on `data` by Gibbs sampling, calling `monitor` after every sweep (burn-in included): the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> BiasedMFModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// Checks the hyper-parameters (what ``fit(_:)`` checks before touching data).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try FactorValidation.requireFactors(factors, limit: RecommendLimits.maximumBayesianFactors)
    try FactorValidation.requireCount(burnIn, "burn-in", minimum: 0)
    try FactorValidation.requireCount(samples, "samples", minimum: 1)
    try FactorValidation.requireNonNegative(precision, "precision", positive: true)
    // Overflow-safe: factors ≥ 1, so factors × samples ≤ limit ⇔ samples ≤ limit / factors.
    let limit = RecommendLimits.maximumKeptFactors
    guard samples <= limit / factors else {
      throw RecommendError(
        .invalidHyperparameter,
        "factors × samples = \(factors) × \(samples) exceeds \(limit.formatted) kept factors "
          + "(at most \(limit / factors) samples with \(factors) factors)")
    }
    // Overflow-safe: both ≤ Int32.max, so the sum fits.
    guard burnIn <= RecommendLimits.maximumPasses - samples else {
      throw RecommendError(
        .invalidHyperparameter,
        "burn-in + samples = \(burnIn) + \(samples) exceeds \(RecommendLimits.maximumPasses.formatted) sweeps"
      )
    }
  }

  /// The fit itself; ``fit(_:)`` adds the ``BiasedMFModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor())
    throws -> BiasedMFModel
  {
    try FactorValidation.requireRatings(data, model: "Bayesian MF")
    try validateHyperparameters()
    let k = factors
    let d = k + 1
    let mu = data.globalMean
    var users = [Double](repeating: 0, count: data.userCount * d)
    var items = [Double](repeating: 0, count: data.itemCount * d)
    var initial = SeededGenerator(seed: seed, stream: 0)
    for r in 0..<data.userCount {
      for f in 0..<k { users[r * d + f] = 0.1 * initial.nextGaussian() }
    }
    for r in 0..<data.itemCount {
      for f in 0..<k { items[r * d + f] = 0.1 * initial.nextGaussian() }
    }
    let total = k * samples
    var userFactors = Matrix<Float>(rows: data.userCount, columns: total)
    var itemFactors = Matrix<Float>(rows: data.itemCount, columns: total)
    var userBias = [Double](repeating: 0, count: data.userCount)
    var itemBias = [Double](repeating: 0, count: data.itemCount)
    let scale = 1 / Double(samples).squareRoot()
    var hyper = SeededGenerator(seed: seed, stream: 1)
    let byUser = data.userItemMatrix
    let byItem = data.itemUserMatrix
    try SingleThreadedBLAS.run {
      for sweep in 0..<(burnIn + samples) {
        let userPrior = try NormalWishart.sample(rows: users, count: data.userCount, d: d, &hyper)
        try GibbsSolver.sampleAll(
          rows: data.userCount, offsets: byUser.rowOffsets, indices: byUser.columnIndices,
          values: byUser.values, fixed: items, target: &users, d: d, mu: mu, alpha: precision,
          prior: userPrior, seed: seed, stream: UInt64(sweep) << 33 | 1 << 32)
        let itemPrior = try NormalWishart.sample(rows: items, count: data.itemCount, d: d, &hyper)
        try GibbsSolver.sampleAll(
          rows: data.itemCount, offsets: byItem.columnOffsets, indices: byItem.rowIndices,
          values: byItem.values, fixed: users, target: &items, d: d, mu: mu, alpha: precision,
          prior: itemPrior, seed: seed, stream: UInt64(sweep) << 33 | 2 << 32)
        if sweep >= burnIn {
          let t = sweep - burnIn
          BayesianMF.keep(
            users, rows: data.userCount, sample: t, k: k, scale: scale, samples: samples,
            factors: &userFactors, bias: &userBias)
          BayesianMF.keep(
            items, rows: data.itemCount, sample: t, k: k, scale: scale, samples: samples,
            factors: &itemFactors, bias: &itemBias)
        }
        try monitor.checkpoint(step: sweep + 1, total: burnIn + samples)
      }
    }
    let model = BiasedMFModel(
      users: data.users, items: data.items, scale: data.scale, globalMean: Float(mu),
      userBias: userBias.map { Float($0) }, itemBias: itemBias.map { Float($0) },
      userFactors: userFactors, itemFactors: itemFactors)
    try FactorValidation.requireFinite(model.userBias + model.itemBias, "Bayesian MF")
    return model
  }
}

extension BayesianMF {
  /// Stores sample `sample` of θ rows into columns `sample·k ..< (sample+1)·k` of `factors`
  /// (scaled) and adds its biases to the running average.
  fileprivate static func keep(
    _ theta: [Double], rows: Int, sample: Int, k: Int, scale: Double, samples: Int,
    factors: inout Matrix<Float>, bias: inout [Double]
  ) {
    let d = k + 1
    let total = factors.columns
    for r in 0..<rows {
      for f in 0..<k {
        factors.elements[r * total + sample * k + f] = Float(theta[r * d + f] * scale)
      }
      bias[r] += theta[r * d + k] / Double(samples)
    }
  }
}

/// A side's prior drawn from its Normal–Wishart posterior: mean `μ` and precision `Λ`.
struct GaussianPrior {
  var mean: [Double]
  /// `Λ`, row-major `d × d`.
  var precision: [Double]
}

/// The Normal–Wishart hyperparameter step of ``BayesianMF``.
enum NormalWishart {
  /// Draws `(μ, Λ)` given the `count` rows of `rows` (dimension `d`), with `μ₀ = 0`, `β₀ = 2`,
  /// `W₀ = I`, `ν₀ = d`.
  static func sample(rows: [Double], count n: Int, d: Int, _ rng: inout SeededGenerator) throws
    -> GaussianPrior
  {
    let beta0 = 2.0
    var mean = [Double](repeating: 0, count: d)
    for r in 0..<n {
      for f in 0..<d { mean[f] += rows[r * d + f] }
    }
    for f in 0..<d { mean[f] /= Double(max(1, n)) }
    // W*⁻¹ = W₀⁻¹ + S + β₀N/(β₀+N) ū ūᵀ, S the scatter about ū.
    var winv = [Double](repeating: 0, count: d * d)
    for f in 0..<d { winv[f * d + f] = 1 }
    var centred = [Double](repeating: 0, count: d)
    for r in 0..<n {
      for f in 0..<d { centred[f] = rows[r * d + f] - mean[f] }
      for f in 0..<d {
        for g in f..<d { winv[f * d + g] += centred[f] * centred[g] }
      }
    }
    let shrink = beta0 * Double(n) / (beta0 + Double(n))
    for f in 0..<d {
      for g in f..<d { winv[f * d + g] += shrink * mean[f] * mean[g] }
    }
    for f in 0..<d {
      for g in 0..<f { winv[f * d + g] = winv[g * d + f] }
    }
    // W* = (W*⁻¹)⁻¹ by a Cholesky solve against I, then its lower Cholesky factor L.
    var w = [Double](repeating: 0, count: d * d)
    for f in 0..<d { w[f * d + f] = 1 }
    let info = winv.withUnsafeMutableBufferPointer { a in
      w.withUnsafeMutableBufferPointer { b in
        Double.posv(n: d, nrhs: d, a: a.baseAddress!, b: b.baseAddress!)
      }
    }
    guard info == 0 else {
      throw RecommendError(.numericalFailure, "the Wishart scale matrix is not positive definite")
    }
    for f in 0..<d {
      for g in 0..<f { w[f * d + g] = 0.5 * (w[f * d + g] + w[g * d + f]) }
    }
    let l = try cholesky(w, d)
    // Bartlett: Λ = L A Aᵀ Lᵀ, A lower with A_ff = √χ²(ν − f), A_fg ~ N(0, 1) below.
    let nu = Double(d + n)
    var a = [Double](repeating: 0, count: d * d)
    for f in 0..<d {
      a[f * d + f] = (2 * gamma(shape: (nu - Double(f)) / 2, &rng)).squareRoot()
      for g in 0..<f { a[f * d + g] = rng.nextGaussian() }
    }
    var la = [Double](repeating: 0, count: d * d)
    for f in 0..<d {
      for g in 0...f {
        var s = 0.0
        for h in g...f { s += l[f * d + h] * a[h * d + g] }
        la[f * d + g] = s
      }
    }
    var precision = [Double](repeating: 0, count: d * d)
    for f in 0..<d {
      for g in 0...f {
        var s = 0.0
        for h in 0...g { s += la[f * d + h] * la[g * d + h] }
        precision[f * d + g] = s
        precision[g * d + f] = s
      }
    }
    // μ ~ N(μ*, (β*Λ)⁻¹), μ* = N ū / (β₀ + N).
    let betaStar = beta0 + Double(n)
    let lp = try cholesky(precision.map { $0 * betaStar }, d)
    var z = (0..<d).map { _ in rng.nextGaussian() }
    // Solve Lᵀ x = z: x has covariance (L Lᵀ)⁻¹.
    for f in stride(from: d - 1, through: 0, by: -1) {
      var s = z[f]
      for g in (f + 1)..<d { s -= lp[g * d + f] * z[g] }
      z[f] = s / lp[f * d + f]
    }
    let muStar = mean.map { $0 * Double(n) / betaStar }
    return GaussianPrior(mean: zip(muStar, z).map { $0 + $1 }, precision: precision)
  }

  /// The lower Cholesky factor of a symmetric positive-definite row-major `d × d` matrix.
  static func cholesky(_ m: [Double], _ d: Int) throws -> [Double] {
    var l = [Double](repeating: 0, count: d * d)
    for f in 0..<d {
      for g in 0...f {
        var s = m[f * d + g]
        for h in 0..<g { s -= l[f * d + h] * l[g * d + h] }
        if f == g {
          guard s > 0 else {
            throw RecommendError(.numericalFailure, "a hyperprior matrix is not positive definite")
          }
          l[f * d + f] = s.squareRoot()
        } else {
          l[f * d + g] = s / l[g * d + g]
        }
      }
    }
    return l
  }

  /// A Gamma(`shape`, 1) deviate by Marsaglia and Tsang's method (`shape ≥ 1`).
  static func gamma(shape: Double, _ rng: inout SeededGenerator) -> Double {
    let dd = shape - 1.0 / 3
    let c = 1 / (9 * dd).squareRoot()
    while true {
      let x = rng.nextGaussian()
      let v0 = 1 + c * x
      guard v0 > 0 else { continue }
      let v = v0 * v0 * v0
      let u = rng.nextUnitDouble()
      guard u > 0 else { continue }
      let bound: Double = 0.5 * x * x + dd - dd * v + dd * Foundation.log(v)
      if Foundation.log(u) < bound { return dd * v }
    }
  }
}

/// The per-row conditional draws of ``BayesianMF``.
enum GibbsSolver {
  /// Draws every row of `target` (θ = (factors, bias)) from its Normal posterior given the fixed
  /// side `fixed` (bias in column `d − 1`) and the side's prior.
  static func sampleAll(
    rows: Int, offsets: [Int], indices: [Int32], values: [Float], fixed: [Double],
    target: inout [Double], d: Int, mu: Double, alpha: Double, prior: GaussianPrior,
    seed: UInt64, stream: UInt64
  ) throws {
    let k = d - 1
    // One flag per row: threads write only their own rows, and the lowest failing row is named.
    var failures = [UInt8](repeating: 0, count: max(1, rows))
    let maxDegree = (0..<rows).reduce(0) { max($0, offsets[$1 + 1] - offsets[$1]) }
    // Λ_U μ_U, shared by every row.
    var priorShift = [Double](repeating: 0, count: d)
    for f in 0..<d {
      for g in 0..<d { priorShift[f] += prior.precision[f * d + g] * prior.mean[g] }
    }
    target.withUnsafeMutableBufferPointer { out in
      failures.withUnsafeMutableBufferPointer { failed in
        let outPtr = SharedPointer(base: out.baseAddress!)
        let failPtr = SharedPointer(base: failed.baseAddress!)
        fixed.withUnsafeBufferPointer { fx in
          FactorParallel.forEachChunk(count: rows) { range in
            let x = UnsafeMutablePointer<Double>.allocate(capacity: max(1, maxDegree * d))
            let y = UnsafeMutablePointer<Double>.allocate(capacity: max(1, maxDegree))
            let a = UnsafeMutablePointer<Double>.allocate(capacity: d * d)
            let b = UnsafeMutablePointer<Double>.allocate(capacity: d)
            let z = UnsafeMutablePointer<Double>.allocate(capacity: d)
            defer {
              x.deallocate()
              y.deallocate()
              a.deallocate()
              b.deallocate()
              z.deallocate()
            }
            for r in range {
              let lo = offsets[r]
              let n = offsets[r + 1] - lo
              for t in 0..<n {
                let row = fx.baseAddress! + Int(indices[lo + t]) * d
                let xr = x + t * d
                xr.update(from: row, count: k)
                xr[k] = 1
                y[t] = Double(values[lo + t]) - mu - row[k]
              }
              if n > 0 {
                Double.syrk(
                  transpose: true, n: d, k: n, alpha: alpha, a: x, lda: d, beta: 0, c: a, ldc: d)
                Double.gemv(
                  transpose: true, m: n, n: d, alpha: alpha, a: x, lda: d, x: y, beta: 0, y: b)
              } else {
                a.update(repeating: 0, count: d * d)
                b.update(repeating: 0, count: d)
              }
              for f in 0..<d {
                b[f] += priorShift[f]
                for g in f..<d { a[f * d + g] += prior.precision[f * d + g] }
              }
              let theta = outPtr.base + r * d
              // Cholesky Λ* = UᵀU and the mean, then θ = mean + U⁻¹z.
              guard Double.posv(n: d, nrhs: 1, a: a, b: b) == 0 else {
                failPtr.base[r] = 1
                continue
              }
              var rng = SeededGenerator(seed: seed, stream: stream | UInt64(r))
              for f in 0..<d { z[f] = rng.nextGaussian() }
              for f in stride(from: d - 1, through: 0, by: -1) {
                var s = z[f]
                for g in (f + 1)..<d { s -= a[f * d + g] * z[g] }
                z[f] = s / a[f * d + f]
              }
              for f in 0..<d { theta[f] = b[f] + z[f] }
            }
          }
        }
      }
    }
    if let failedRow = failures.firstIndex(of: 1) {
      throw RecommendError(
        .numericalFailure,
        "the posterior precision of row \(failedRow) is not positive definite")
    }
  }
}
