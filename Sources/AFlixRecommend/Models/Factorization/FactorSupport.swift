import AFlixData
import AFlixLinalg
internal import _AFlixSupport

/// Checks shared by the factor models' `fit`: typed errors, never a trap.
enum FactorValidation {
  /// Throws `.emptyTrainingData` when `data` has no rating.
  static func requireRatings(_ data: RatingsDataset, model: String) throws {
    guard data.ratingCount > 0 else {
      throw RecommendError(.emptyTrainingData, "cannot fit \(model) on a dataset with no rating")
    }
  }

  /// Throws `.invalidHyperparameter` unless `1 ≤ factors ≤ limit`.
  static func requireFactors(
    _ factors: Int, limit: Int = RecommendLimits.maximumFactors, name: String = "factors"
  )
    throws
  {
    guard factors >= 1, factors <= limit else {
      throw RecommendError(
        .invalidHyperparameter, "\(name) \(factors) must be between 1 and \(limit)")
    }
  }

  /// Throws `.invalidHyperparameter` unless `value` is finite and ≥ 0 (> 0 with `positive`) —
  /// also as a `Float`, which the models compute with: 1e-320 (0 as a `Float`) is not a positive
  /// learning rate, 1e300 (∞) not a finite one.
  static func requireNonNegative(_ value: Double, _ name: String, positive: Bool = false) throws {
    let single = Float(value)
    guard value.isFinite, single.isFinite, positive ? single > 0 : value >= 0 else {
      throw RecommendError(
        .invalidHyperparameter,
        "\(name) \(value) must be finite and \(positive ? ">" : "≥") 0 as a 32-bit float")
    }
  }

  /// Throws `.invalidHyperparameter` unless `minimum ≤ value ≤ maximum` (by default
  /// ``RecommendLimits/maximumPasses``).
  static func requireCount(
    _ value: Int, _ name: String, minimum: Int, maximum: Int = RecommendLimits.maximumPasses
  ) throws {
    guard value >= minimum, value <= maximum else {
      throw RecommendError(
        .invalidHyperparameter,
        "\(name) \(value) must be between \(minimum) and \(maximum.formatted)")
    }
  }

  /// Throws `.numericalFailure` when any value is not finite.
  static func requireFinite(_ values: [Float], _ what: String) throws {
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw RecommendError(
        .numericalFailure,
        "\(what) diverged (entry \(bad) is \(values[bad])): lower the learning rate or raise λ")
    }
  }
}

extension Int {
  /// The value with thousands separators (`2,147,483,647`), for limits in messages.
  var formatted: String {
    let digits = String(magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return self < 0 ? "-" + out : out
  }
}

/// Deterministic parallel loops for the per-user and per-item solves: chunk boundaries depend only
/// on the problem size, each chunk writes only its own rows, so results do not depend on the
/// thread count (`Parallelism.currentThreadCount`: the count bound by
/// `Parallelism.withThreadCount`, else `Parallelism.maximumThreadCount`).
enum FactorParallel {
  /// Runs `body(range)` over `chunkCount` near-equal contiguous ranges of `0..<count`.
  static func forEachChunk(count: Int, chunkCount: Int = 32, _ body: (Range<Int>) -> Void) {
    ParallelLoop.forEachChunk(
      count: count, chunkCount: chunkCount, threads: Parallelism.currentThreadCount
    ) { _, range in body(range) }
  }
}

/// A raw pointer shared across ``FactorParallel`` chunks that write disjoint rows: a forwarder to
/// `_AFlixSupport`'s shared pointer, under the name this module's models use.
struct SharedPointer<Element>: Sendable {
  private let shared: _AFlixSupport.SharedPointer<Element>
  /// The shared address.
  var base: UnsafeMutablePointer<Element> { shared.base }
  /// Shares `base`.
  init(base: UnsafeMutablePointer<Element>) { shared = .init(base: base) }
}

/// Prediction helpers shared by the biased factor models.
enum FactorPrediction {
  /// The mean of `m`'s rows (accumulated in `Double`); zeros for a matrix with no row.
  static func meanRow(_ m: Matrix<Float>) -> [Float] {
    var sum = [Double](repeating: 0, count: m.columns)
    for r in 0..<m.rows {
      for c in 0..<m.columns { sum[c] += Double(m.elements[r * m.columns + c]) }
    }
    let n = Double(max(1, m.rows))
    return sum.map { Float($0 / n) }
  }

  /// The source of a prediction for optional user and item indices.
  static func source(user: Int?, item: Int?) -> PredictionSource {
    switch (user, item) {
    case (.some, .some): return .model
    case (.some, .none): return .userBaseline
    case (.none, .some): return .itemBaseline
    case (.none, .none): return .globalMean
    }
  }

  /// `base + itemBias[i] + itemFactors[i] · userVector` for every item, by `sgemv` on the calling
  /// thread (`SerialBLAS`).
  static func scores(
    itemFactors: Matrix<Float>, userVector: UnsafeBufferPointer<Float>, base: Float,
    itemBias: [Float]
  ) -> [Float] {
    var out = itemBias
    let n = itemFactors.rows
    let k = itemFactors.columns
    guard n > 0 else { return out }
    for i in 0..<n { out[i] += base }
    guard k > 0 else { return out }
    itemFactors.elements.withUnsafeBufferPointer { q in
      out.withUnsafeMutableBufferPointer { y in
        // On the calling thread whatever OpenBLAS's global thread count: a request's scoring
        // never hands work to BLAS worker threads.
        SerialBLAS.gemv(
          transpose: false, m: n, n: k, alpha: 1, a: q.baseAddress!, lda: k,
          x: userVector.baseAddress!, beta: 1, y: y.baseAddress!)
      }
    }
    return out
  }

  /// `x · y` over `k` floats with four accumulators.
  @inline(__always)
  static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ k: Int) -> Float {
    var s0: Float = 0
    var s1: Float = 0
    var s2: Float = 0
    var s3: Float = 0
    var f = 0
    while f + 4 <= k {
      s0 += x[f] * y[f]
      s1 += x[f + 1] * y[f + 1]
      s2 += x[f + 2] * y[f + 2]
      s3 += x[f + 3] * y[f + 3]
      f += 4
    }
    while f < k {
      s0 += x[f] * y[f]
      f += 1
    }
    return (s0 + s1) + (s2 + s3)
  }
}

/// Runs OpenBLAS single-threaded while AFlix parallelises around many small BLAS calls (one
/// `dsyrk`/`dposv` per user or item): OpenBLAS 0.3.21 threads the `dpotrf` inside every 64 × 64
/// or 65 × 65 `dposv` (and `dgemv` from 9,216 entries, `dsyrk` from order 100), and its thread
/// hand-offs then cost ten times the arithmetic (the rules: `AFlixLinalg.BLAS`). A section of
/// `AFlixLinalg.BLAS.withThreadCount(_:_:)`: exclusive, nestable, and restoring the previous
/// count.
enum SingleThreadedBLAS {
  static func run<T>(_ body: () throws -> T) rethrows -> T {
    try BLAS.withThreadCount(1, body)
  }
}
