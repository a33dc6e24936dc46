import AFlixData
import AFlixLinalg

extension BPRModel {
  /// The factors `pᵤ` of a user described only by `ratings` (item indices of this model; every
  /// rating is a positive, whatever its value, as in the fit), with the item factors and biases
  /// fixed: ``BPR``'s stochastic gradient ascent on `pᵤ` alone.
  ///
  /// `pᵤ` starts at 0 and takes `epochs × n` steps (the number of steps a training user with `n`
  /// ratings gets in a fit), each on a triple of a rated item drawn uniformly and an unrated item
  /// drawn uniformly among the others, with the fit's learning rate η and penalty λ: `pᵤ +=
  /// η(σ(−x̂ᵤᵢⱼ)(qᵢ − qⱼ) − λpᵤ)`. Epochs (capped at 1,000), η and λ come from the model's
  /// ``fitRecord`` (``BPR``'s defaults 100, 0.02 and 0.02 without one). The draws are seeded by
  /// the ratings themselves, so the same ratings always give the same factors.
  ///
  /// - Returns: `nil` for empty ratings; zeros when every item is rated (no negative to draw).
  /// - Complexity: O(epochs · n · (k + log n)).
  public func foldedUserFactors(_ ratings: UserRatings) -> [Float]? {
    guard !ratings.isEmpty, ratings.items.last! < items.count else { return nil }
    let k = factorCount
    var p = [Float](repeating: 0, count: k)
    let n = ratings.count
    let itemCount = items.count
    guard n < itemCount, k > 0 else { return p }
    let epochs = max(
      1, min(1_000, Int(fitRecord.number("epochs", Double(BPR().epochs)).clamped(0, 1_000))))
    let lr = Float(fitRecord.number("learningRate", BPR().learningRate))
    let reg = Float(fitRecord.number("regularization", BPR().regularization))
    guard lr.isFinite, reg.isFinite else { return p }
    var rng = SeededGenerator(seed: FoldInSolver.seed(of: ratings), stream: 3)
    func uniform(_ bound: Int) -> Int { Int((rng.next() >> 11) % UInt64(bound)) }
    let rated = ratings.items
    func isRated(_ j: Int) -> Bool {
      var lo = 0
      var hi = n
      while lo < hi {
        let mid = (lo + hi) / 2
        if rated[mid] < j { lo = mid + 1 } else { hi = mid }
      }
      return lo < n && rated[lo] == j
    }
    itemFactors.elements.withUnsafeBufferPointer { q in
      p.withUnsafeMutableBufferPointer { x in
        for _ in 0..<(epochs * n) {
          let i = rated[uniform(n)]
          var j = 0
          repeat { j = uniform(itemCount) } while isRated(j)
          let yi = q.baseAddress! + i * k
          let yj = q.baseAddress! + j * k
          let diff =
            FactorPrediction.dot(x.baseAddress!, yi, k)
            - FactorPrediction.dot(x.baseAddress!, yj, k)
            + itemBias[i] - itemBias[j]
          let g = 1 / (1 + BPR.exp(diff))
          for f in 0..<k { x[f] += lr * (g * (yi[f] - yj[f]) - reg * x[f]) }
        }
      }
    }
    return p.allSatisfy(\.isFinite) ? p : nil
  }

  /// Scores for a user described only by `ratings`: `Q pᵤ + b` with `pᵤ` from
  /// ``foldedUserFactors(_:)``, as ``PredictionSource/model``; empty ratings (or a descent that
  /// did not stay finite) give ``scoresForUnknownUser()``.
  ///
  /// - Complexity: that of ``foldedUserFactors(_:)`` plus one `sgemv`.
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard let factors = foldedUserFactors(ratings) else { return scoresForUnknownUser() }
    return ItemScores(
      values: FoldInSolver.scores(
        itemFactors: itemFactors, vector: factors, base: 0, itemBias: itemBias),
      source: .model)
  }
}

extension Double {
  /// The value limited to `lower…upper` (NaN gives `lower`).
  fileprivate func clamped(_ lower: Double, _ upper: Double) -> Double {
    isNaN ? lower : Swift.min(upper, Swift.max(lower, self))
  }
}
