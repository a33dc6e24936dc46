import AFlixData
import AFlixLinalg
import Foundation

extension ImplicitALSModel {
  /// `YᵀY` of the item factors, the part of the Hu–Koren–Volinsky system every user shares. The
  /// model computes it once when it is built, so each fold-in costs O(n·k² + k³).
  public struct ItemGram: Sendable, Hashable {
    /// The factor count `k`.
    public let factors: Int
    /// `YᵀY`, row-major `k × k` (upper triangle filled).
    public let values: [Double]
  }

  /// `YᵀY` of this model's item factors, computed once when the model was built (by one BLAS
  /// `dsyrk`).
  public func itemGram() -> ItemGram { foldInGram }

  /// `YᵀY` of `itemFactors`, by one BLAS `dsyrk`.
  ///
  /// - Complexity: O(items · k²).
  static func gram(of itemFactors: Matrix<Float>) -> ItemGram {
    let k = itemFactors.columns
    var gram = [Double](repeating: 0, count: k * k)
    let y = itemFactors.elements.map { Double($0) }
    if k > 0, itemFactors.rows > 0 {
      y.withUnsafeBufferPointer { f in
        gram.withUnsafeMutableBufferPointer { g in
          Double.syrk(
            transpose: true, n: k, k: itemFactors.rows, alpha: 1, a: f.baseAddress!, lda: k,
            beta: 0, c: g.baseAddress!, ldc: k)
        }
      }
    }
    return ItemGram(factors: k, values: gram)
  }

  /// The factors `xᵤ` of a user described only by `ratings` (item indices of this model), with
  /// the item factors fixed: the Hu–Koren–Volinsky solve of ``ImplicitALS``,
  /// `(YᵀY + Σᵢ α wᵢ yᵢyᵢᵀ + λ nᵛ I) xᵤ = Σᵢ (1 + α wᵢ) yᵢ` over the `n` rated items — the step that
  /// fitted every training user. α, λ, ν and whether `w` is the rating (``ImplicitALS/weightByRating``,
  /// a negative value then weighing 0) come from the model's ``fitRecord``; a model without one
  /// uses ``ImplicitALS``'s defaults (α = 3, λ = 4, ν = 0.5, `w = 1`).
  ///
  /// - Parameters:
  ///   - ratings: the user's ratings.
  ///   - itemGram: a `YᵀY` to use instead of the model's own (``itemGram()``, kept with the model).
  /// - Returns: `nil` for empty ratings or a failed Cholesky solve.
  /// - Complexity: O(n·k² + k³).
  public func foldedUserFactors(_ ratings: UserRatings, itemGram: ItemGram? = nil) -> [Float]? {
    guard !ratings.isEmpty, ratings.items.last! < items.count else { return nil }
    let k = factorCount
    let gram = itemGram.flatMap { $0.factors == k ? $0 : nil } ?? foldInGram
    return hkvSolve(
      fixed: itemFactors, gram: gram.values, rows: ratings.items, values: ratings.values)
  }

  /// The Hu–Koren–Volinsky solve of one side's vector with the other side fixed: rows `rows` of
  /// `fixed` (the other side's factors) with confidence `1 + α·w` (`w` = the value, or 1 unless
  /// the fit weighted by rating), `gram` the fixed side's `FᵀF`:
  /// `(FᵀF + Σ αw fᵢfᵢᵀ + λ·n^ν I) x = Σ (1 + αw) fᵢ`, α, λ, ν and the weighting read from the fit
  /// record (the fit's defaults when absent). On the calling thread (`SerialBLAS`); `nil` when
  /// the solve fails. The user fold-in and the new-film fold-in both solve it.
  func hkvSolve(fixed: Matrix<Float>, gram: [Double], rows: [Int], values: [Float]) -> [Float]? {
    let k = factorCount
    guard k > 0 else { return [] }
    let defaults = ImplicitALS()
    let alpha = fitRecord.number("alpha", defaults.alpha)
    let lambda = fitRecord.number("regularization", defaults.regularization)
    let nu = fitRecord.number("frequencyExponent", defaults.frequencyExponent)
    let byRating = fitRecord?.value("weightByRating") == .bool(true)
    let n = rows.count
    // Σ α w fᵢfᵢᵀ as XᵀX with rows √(αw)·fᵢ, right-hand side Σ(1 + αw) fᵢ.
    var x = [Double](repeating: 0, count: n * k)
    var b = [Double](repeating: 0, count: k)
    for (t, (i, r)) in zip(rows, values).enumerated() {
      let extra = max(0, alpha * (byRating ? Double(r) : 1))
      let s = extra.squareRoot()
      for f in 0..<k {
        let y = Double(fixed.elements[i * k + f])
        x[t * k + f] = s * y
        b[f] += (1 + extra) * y
      }
    }
    var a = gram
    let penalty = nu == 0 ? lambda : lambda * pow(Double(n), nu)
    for f in 0..<k { a[f * k + f] += penalty }
    // On the calling thread whatever OpenBLAS's thread count (a fold-in serves a request).
    x.withUnsafeBufferPointer { xp in
      a.withUnsafeMutableBufferPointer { ap in
        SerialBLAS.gemm(
          transposeA: true, transposeB: false, m: k, n: k, k: n, alpha: 1, a: xp.baseAddress!,
          lda: k, b: xp.baseAddress!, ldb: k, beta: 1, c: ap.baseAddress!, ldc: k)
      }
    }
    let info = a.withUnsafeMutableBufferPointer { ap in
      b.withUnsafeMutableBufferPointer { bp in
        SerialBLAS.posv(n: k, a: ap.baseAddress!, b: bp.baseAddress!)
      }
    }
    guard info == 0, b.allSatisfy(\.isFinite) else { return nil }
    return b.map { Float($0) }
  }

  /// Scores for a user described only by `ratings`: `Y xᵤ` with `xᵤ` from
  /// ``foldedUserFactors(_:itemGram:)``, as ``PredictionSource/model``; empty ratings, or a
  /// failed solve, give ``scoresForUnknownUser()``.
  ///
  /// - Complexity: O(n·k² + k³) for the solve (`YᵀY` is kept with the model), one `sgemv`.
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard let factors = foldedUserFactors(ratings) else { return scoresForUnknownUser() }
    return ItemScores(
      values: FoldInSolver.scores(
        itemFactors: itemFactors, vector: factors, base: 0,
        itemBias: [Float](repeating: 0, count: items.count)),
      source: .model)
  }
}
