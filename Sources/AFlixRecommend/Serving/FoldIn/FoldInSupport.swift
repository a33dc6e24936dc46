import AFlixData
import AFlixLinalg

/// The closed-form solves and helpers the fold-ins share.
enum FoldInSolver {
  /// Solves `(w·XᵀX + diag(ridge)) θ = w·Xᵀy + shift` for the user's `θ`, where row `t` of `X` is
  /// `scale · factors[items[t], columns]` followed by a 1 when `bias` is set, and `y = targets`:
  /// `XᵀX` and `Xᵀy` by BLAS, the solve by Cholesky, all in `Double` and all on the calling
  /// thread (`SerialBLAS`). `nil` when the system is not positive definite or the solution is not finite.
  ///
  /// - Complexity: O(n·d² + d³) for `n` ratings and `d = columns.count (+ 1)`.
  static func solve(
    factors: Matrix<Float>, columns: Range<Int>, scale: Double = 1, items: [Int],
    targets: [Double], bias: Bool, weight: Double = 1, ridge: [Double], shift: [Double]? = nil
  ) -> [Double]? {
    let k = columns.count
    let d = k + (bias ? 1 : 0)
    let n = items.count
    precondition(targets.count == n && ridge.count == d && (shift?.count ?? d) == d)
    guard d > 0 else { return [] }
    var x = [Double](repeating: 0, count: max(1, n * d))
    let stride = factors.columns
    factors.elements.withUnsafeBufferPointer { f in
      for (t, i) in items.enumerated() {
        let row = i * stride + columns.lowerBound
        for c in 0..<k { x[t * d + c] = scale * Double(f[row + c]) }
        if bias { x[t * d + k] = 1 }
      }
    }
    var a = [Double](repeating: 0, count: d * d)
    var b = shift ?? [Double](repeating: 0, count: d)
    if n > 0 {
      // On the calling thread whatever OpenBLAS's thread count (a fold-in serves a request).
      x.withUnsafeBufferPointer { xp in
        a.withUnsafeMutableBufferPointer { ap in
          SerialBLAS.gemm(
            transposeA: true, transposeB: false, m: d, n: d, k: n, alpha: weight,
            a: xp.baseAddress!, lda: d, b: xp.baseAddress!, ldb: d, beta: 0, c: ap.baseAddress!,
            ldc: d)
        }
        targets.withUnsafeBufferPointer { yp in
          b.withUnsafeMutableBufferPointer { bp in
            SerialBLAS.gemv(
              transpose: true, m: n, n: d, alpha: weight, a: xp.baseAddress!, lda: d,
              x: yp.baseAddress!, beta: 1, y: bp.baseAddress!)
          }
        }
      }
    }
    for f in 0..<d { a[f * d + f] += ridge[f] }
    let info = a.withUnsafeMutableBufferPointer { ap in
      b.withUnsafeMutableBufferPointer { bp in
        SerialBLAS.posv(n: d, a: ap.baseAddress!, b: bp.baseAddress!)
      }
    }
    guard info == 0, b.allSatisfy(\.isFinite) else { return nil }
    return b
  }

  /// `base + itemBias[i] + itemFactors[i] · vector` for every item, by one `sgemv` (as
  /// `scores(forUser:)` of the factor models).
  static func scores(
    itemFactors: Matrix<Float>, vector: [Float], base: Float, itemBias: [Float]
  ) -> [Float] {
    vector.withUnsafeBufferPointer {
      FactorPrediction.scores(
        itemFactors: itemFactors, userVector: $0, base: base, itemBias: itemBias)
    }
  }

  /// The user bias a ``Baseline`` fit would give these ratings with the item biases fixed: its
  /// closing user step `bᵤ = Σ(r − μ − bᵢ) / (λᵤ + n)`.
  static func baselineUserBias(
    _ ratings: UserRatings, globalMean: Float, itemBias: [Float], regularization: Double
  ) -> Float {
    var s = 0.0
    for (i, r) in zip(ratings.items, ratings.values) {
      s += Double(r) - Double(globalMean) - Double(itemBias[i])
    }
    let denominator = max(0, regularization) + Double(ratings.count)
    return denominator > 0 ? Float(s / denominator) : 0
  }

  /// A seed that depends only on the ratings (FNV-1a over the item indices and value bits), so
  /// that a stochastic fold-in gives the same answer for the same ratings.
  static func seed(of ratings: UserRatings) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ v: UInt64) {
      for byte in 0..<8 {
        h ^= (v >> (8 * UInt64(byte))) & 0xff
        h = h &* 0x0000_0100_0000_01b3
      }
    }
    for (i, r) in zip(ratings.items, ratings.values) {
      mix(UInt64(i))
      mix(UInt64(r.bitPattern))
    }
    return h
  }
}

extension FitRecord {
  /// The number recorded under the dotted path `key` (`"baseline.userRegularization"`), or
  /// `fallback` when there is none.
  func number(_ key: String, _ fallback: Double) -> Double {
    value(key)?.doubleValue ?? fallback
  }

  /// The value recorded under the dotted path `key`.
  func value(_ key: String) -> HyperparameterValue? {
    let path = key.split(separator: ".").map(String.init)
    var table = hyperparameters
    for (n, part) in path.enumerated() {
      guard let v = table[part] else { return nil }
      if n == path.count - 1 { return v }
      guard case .table(let nested) = v else { return nil }
      table = nested
    }
    return nil
  }
}

extension Optional where Wrapped == FitRecord {
  /// ``FitRecord/number(_:_:)`` of the record, or `fallback` without one.
  func number(_ key: String, _ fallback: Double) -> Double {
    self?.number(key, fallback) ?? fallback
  }
}
