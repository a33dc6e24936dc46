import AFlixData
import AFlixLinalg

extension KNNBaselineModel {
  /// The bias `bᵤ` of a user described only by `ratings`, with the item biases fixed: the
  /// closing user step of the ``Baseline`` the model holds, `bᵤ = Σ(r − μ − bᵢ)/(λᵤ + n)`, λᵤ as
  /// the fit's record gives it (`baseline.userRegularization`, 15 by default).
  ///
  /// - Returns: `nil` for empty ratings.
  /// - Complexity: O(n).
  public func foldedUserBias(_ ratings: UserRatings) -> Float? {
    baseline.foldedUserBias(
      ratings,
      regularization: fitRecord.number("baseline.userRegularization", Baseline().userRegularization)
    )
  }

  /// Scores for a user described only by `ratings` (item indices of this model), with
  /// everything fitted kept fixed, as ``PredictionSource/model``; empty ratings give
  /// ``scoresForUnknownUser()``.
  ///
  /// - Item-based: exactly the model's prediction with the user's ratings as their row,
  ///   `μ + bᵤ + bᵢ + Σⱼ sᵢⱼ (rⱼ − μ − bᵤ − bⱼ) / Σⱼ sᵢⱼ` over the `k` most similar of the rated
  ///   items (positive similarities only, at least ``minimumNeighbours``), with `bᵤ` from
  ///   ``foldedUserBias(_:)``.
  /// - User-based: the new user's similarity to every training user is computed from the co-rated
  ///   items as the fit defines it (``KNNBaseline/Similarity``, with the shrinkage of the fit's
  ///   record — 200 and Pearson-baseline without one), then each item is predicted from the `k`
  ///   most similar of its raters, as for a known user.
  ///
  /// - Complexity: item-based O(items · n · log k); user-based O(ratings of the training data ·
  ///   log k) (every rater of every item is a candidate neighbour).
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard let bias = foldedUserBias(ratings) else { return scoresForUnknownUser() }
    let values =
      itemBased ? itemBasedScores(ratings, bias: bias) : userBasedScores(ratings, bias: bias)
    return ItemScores(values: values, source: .model)
  }

  /// The item-based fold-in of ``scores(forRatings:)``.
  private func itemBasedScores(_ ratings: UserRatings, bias: Float) -> [Float] {
    let n = items.count
    let base = baseline.globalMean + bias
    let residuals = zip(ratings.items, ratings.values).map { i, r in
      r - (base + baseline.itemBias[i])
    }
    var out = [Float](repeating: 0, count: n)
    var heap = NeighbourHeap(capacity: neighbours)
    similarities.elements.withUnsafeBufferPointer { s in
      for item in 0..<n {
        heap.removeAll()
        let sims = s.baseAddress! + item * n
        for (t, j) in ratings.items.enumerated() {
          let sim = sims[j]
          if sim > 0 { heap.offer(sim, residuals[t]) }
        }
        let deviation = heap.count >= minimumNeighbours ? heap.weightedMean() : 0
        out[item] = base + baseline.itemBias[item] + deviation
      }
    }
    return out
  }

  /// The user-based fold-in of ``scores(forRatings:)``.
  private func userBasedScores(_ ratings: UserRatings, bias: Float) -> [Float] {
    let userCount = users.count
    let mu = baseline.globalMean
    let pearson = fitRecord?.value("similarity") != .text(KNNBaseline.Similarity.cosine.rawValue)
    let shrinkage = Float(fitRecord.number("shrinkage", KNNBaseline().shrinkage))
    let support: Float = pearson ? 2 : 1
    // Sums over the co-rated items, per training user: Σ ab, Σ a², Σ b², count.
    var products = [Double](repeating: 0, count: userCount)
    var ownSquares = [Double](repeating: 0, count: userCount)
    var otherSquares = [Double](repeating: 0, count: userCount)
    var counts = [Float](repeating: 0, count: userCount)
    // `ratings` is items × users here: row i holds the raters of item i.
    for (i, r) in zip(ratings.items, ratings.values) {
      let a = pearson ? r - (mu + bias + baseline.itemBias[i]) : r
      for e in self.ratings.rowOffsets[i]..<self.ratings.rowOffsets[i + 1] {
        let v = Int(self.ratings.columnIndices[e])
        let x = self.ratings.values[e]
        let b = pearson ? x - (mu + baseline.userBias[v] + baseline.itemBias[i]) : x
        products[v] += Double(a) * Double(b)
        ownSquares[v] += Double(a) * Double(a)
        otherSquares[v] += Double(b) * Double(b)
        counts[v] += 1
      }
    }
    var similarity = [Float](repeating: 0, count: userCount)
    for v in 0..<userCount where counts[v] >= support {
      let denominator = (ownSquares[v] * otherSquares[v]).squareRoot()
      guard denominator > 0 else { continue }
      var s = products[v] / denominator
      if pearson { s *= Double(counts[v] - 1) / Double(counts[v] - 1 + shrinkage) }
      similarity[v] = s.isFinite ? Float(s) : 0
    }
    let base = mu + bias
    var out = [Float](repeating: 0, count: items.count)
    var heap = NeighbourHeap(capacity: neighbours)
    for item in 0..<items.count {
      heap.removeAll()
      let partial = mu + baseline.itemBias[item]
      for e in self.ratings.rowOffsets[item]..<self.ratings.rowOffsets[item + 1] {
        let v = Int(self.ratings.columnIndices[e])
        let sim = similarity[v]
        if sim > 0 { heap.offer(sim, self.ratings.values[e] - (partial + baseline.userBias[v])) }
      }
      let deviation = heap.count >= minimumNeighbours ? heap.weightedMean() : 0
      out[item] = base + baseline.itemBias[item] + deviation
    }
    return out
  }
}
