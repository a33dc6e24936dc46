import AFlixData
import AFlixLinalg
import Foundation

extension ImplicitALSModel: ItemFoldIn {
  /// `XᵀX` of the user factors, the part of the Hu–Koren–Volinsky item system every film
  /// shares. The model does not keep it (it keeps `YᵀY` for user fold-in): compute it once with
  /// ``userGram()`` and pass it to ``foldedItemFactors(_:userGram:)`` (``NewFilmCache`` does),
  /// else each fold-in computes it again.
  public struct UserGram: Sendable, Hashable {
    /// The factor count `k`.
    public let factors: Int
    /// `XᵀX`, row-major `k × k` (upper triangle filled).
    public let values: [Double]
  }

  /// `XᵀX` of this model's user factors, on the calling thread (`SerialBLAS`).
  ///
  /// - Complexity: O(users · k²).
  public func userGram() -> UserGram {
    let k = factorCount
    var gram = [Double](repeating: 0, count: k * k)
    let x = userFactors.elements.map { Double($0) }
    if k > 0, userFactors.rows > 0 {
      x.withUnsafeBufferPointer { f in
        gram.withUnsafeMutableBufferPointer { g in
          SerialBLAS.syrk(
            n: k, k: userFactors.rows, alpha: 1, a: f.baseAddress!, lda: k, beta: 0,
            c: g.baseAddress!, ldc: k)
        }
      }
    }
    return UserGram(factors: k, values: gram)
  }

  /// The factors `yᵢ` of a film described only by `ratings` (user indices of this model), with
  /// the user factors fixed: the item solve of ``ImplicitALS``,
  /// `(XᵀX + Σᵤ α wᵤ xᵤxᵤᵀ + λ nᵛ I) yᵢ = Σᵤ (1 + α wᵤ) xᵤ` over the `n` users who rated it —
  /// the step that fitted every training film (the fit's last half-step, so a training film
  /// folded in from its training ratings gets back its fitted factors). α, λ, ν and whether `w`
  /// is the rating come from the model's ``fitRecord`` (``ImplicitALS``'s defaults without one),
  /// as in user fold-in.
  ///
  /// - Parameters:
  ///   - ratings: the film's ratings.
  ///   - userGram: `XᵀX` computed once (``userGram()``); `nil` computes it here, O(users · k²)
  ///     more per call.
  /// - Returns: `nil` for empty ratings or a failed Cholesky solve.
  /// - Complexity: O(n·k² + k³) with `userGram`.
  public func foldedItemFactors(_ ratings: ItemRatings, userGram: UserGram? = nil) -> [Float]? {
    guard !ratings.isEmpty, ratings.users.last! < users.count else { return nil }
    let k = factorCount
    guard k > 0 else { return [] }
    let gram = userGram.flatMap { $0.factors == k ? $0 : nil } ?? self.userGram()
    return hkvSolve(
      fixed: userFactors, gram: gram.values, rows: ratings.users, values: ratings.values)
  }

  /// ``foldedItemFactors(_:userGram:)`` as a ``FoldedItem`` (bias 0), `XᵀX` computed per call.
  public func foldInItem(ratings: ItemRatings) -> FoldedItem? {
    foldedItemFactors(ratings).map {
      FoldedItem(factors: $0, bias: 0, ratingCount: ratings.count)
    }
  }

  /// `xᵤ · yᵢ`.
  ///
  /// - Precondition: `0 ≤ user < users.count` and `k` factors (checked).
  public func score(_ item: FoldedItem, forUser user: Int) -> Float {
    requireIndices(user: user, item: nil)
    ItemFoldInMath.requireShape(item, factors: factorCount)
    let k = factorCount
    return ItemFoldInMath.dot(
      userFactors.elements[(user * k)..<(user * k + k)], item.factors, base: 0)
  }

  /// `xᵤ · yᵢ` with `xᵤ` folded in from `ratings` (``foldedUserFactors(_:itemGram:)``), or the
  /// mean user factor's (the unknown user's) when that gives none.
  ///
  /// - Precondition: `k` factors (checked).
  public func score(_ item: FoldedItem, forRatings ratings: UserRatings) -> Float {
    ItemFoldInMath.requireShape(item, factors: factorCount)
    let x = foldedUserFactors(ratings) ?? FactorPrediction.meanRow(userFactors)
    return ItemFoldInMath.dot(x[...], item.factors, base: 0)
  }
}
