import AFlixData
import AFlixLinalg

extension BiasedMFModel {
  /// The bias `bᵤ` and factors `pᵤ` of a user described only by `ratings` (item indices of this
  /// model), with every item parameter fixed, by the fit's own criterion
  /// (``FitRecord/algorithm``):
  ///
  /// - `mf-als` (``BiasedALS``): its ridge solve, `(XᵀX + n·diag(λ,…,λ,λ_b)) (pᵤ, bᵤ) =
  ///   Xᵀ(r − μ − bᵢ)` over the rows `X = (qᵢ, 1)` of the rated items, the λ and λ_b it was fitted
  ///   with — exactly the step that fitted every training user.
  /// - `mf-sgd` (``BiasedMF``) and `svdpp` (``SVDPlusPlus``): the same ridge with `n·λ` on every
  ///   coordinate, the fixed point of their per-rating updates (each of the user's `n` ratings
  ///   decays `pᵤ` and `bᵤ` by `γλ`); without biases (`biased: false`) `bᵤ = 0`. SVD++ adds its
  ///   implicit term: with `z = n^(−½) Σⱼ yⱼ` over the rated items (``implicitFactors``), the
  ///   residual is `r − μ − bᵢ − qᵢᵀz` and the user's factors are `pᵤ + z`.
  /// - `bpmf` (``BayesianMF``): for each kept sample `t`, the posterior mean of `θᵤ⁽ᵗ⁾ = (pᵤ, bᵤ)`
  ///   given that sample's item factors — precision `α XᵀX + Λ`, mean
  ///   `(αXᵀX + Λ)⁻¹(αXᵀ(r − μ − bᵢ) + Λm)` — with the noise precision α of the fit. The fit's
  ///   Normal–Wishart draws of the prior `(m, Λ)` are not kept, so each sample's prior is
  ///   estimated from the training users' factors of that sample: their mean and a diagonal
  ///   precision (the inverse of each coordinate's variance; for the bias, from the averaged user
  ///   biases). The item biases are the averaged ones. The samples are put side by side, scaled
  ///   as the model holds them, and the user bias is their mean.
  /// - No record (a model built from its parts) or another name: ``BiasedALS``'s default ridge
  ///   (λ = 0.1, λ_b = 0.02 per rating).
  ///
  /// Nothing of the model changes.
  ///
  /// - Returns: `nil` for empty ratings or when the solve fails (not positive definite, not
  ///   finite).
  /// - Complexity: O(n·k² + k³) for `n` ratings and `k` factors (`bpmf`: O(T·(n·k² + k³)) for `T`
  ///   samples of `k` factors, plus O(users · T·k) for the priors).
  public func foldedUserFactors(_ ratings: UserRatings) -> (bias: Float, factors: [Float])? {
    guard !ratings.isEmpty, ratings.items.last! < items.count else { return nil }
    let record = fitRecord
    let n = Double(ratings.count)
    let k = factorCount
    var targets = zip(ratings.items, ratings.values).map { i, r in
      Double(r) - Double(globalMean) - Double(itemBias[i])
    }
    switch record?.algorithm {
    case "bpmf":
      if let folded = bayesianFoldIn(ratings, targets: targets) { return folded }
      return nil
    case "mf-sgd", "svdpp":
      let (biased, ridge) = foldInRidge(ratingCount: n)
      var z = [Double](repeating: 0, count: k)
      if let y = implicitFactors {
        let s = 1 / n.squareRoot()
        for i in ratings.items {
          for f in 0..<k { z[f] += s * Double(y.elements[i * k + f]) }
        }
        for (t, i) in ratings.items.enumerated() {
          var dot = 0.0
          for f in 0..<k { dot += Double(itemFactors.elements[i * k + f]) * z[f] }
          targets[t] -= dot
        }
      }
      guard
        let theta = FoldInSolver.solve(
          factors: itemFactors, columns: 0..<k, items: ratings.items, targets: targets,
          bias: biased, ridge: ridge)
      else { return nil }
      let factors = (0..<k).map { Float(theta[$0] + z[$0]) }
      return (biased ? Float(theta[k]) : 0, factors)
    default:
      let (_, ridge) = foldInRidge(ratingCount: n)
      guard
        let theta = FoldInSolver.solve(
          factors: itemFactors, columns: 0..<k, items: ratings.items, targets: targets,
          bias: true, ridge: ridge)
      else { return nil }
      return (Float(theta[k]), theta[0..<k].map { Float($0) })
    }
  }

  /// The ridge of a fold-in from `n` ratings, by the fit's own regularisation: `n·λ` per factor
  /// (and on the bias when the model has one) for `mf-sgd` and `svdpp`; otherwise ``BiasedALS``'s
  /// λ and λ_b (the recorded ones for `mf-als`, the defaults for a model without a record).
  /// Shared by the user fold-in and the new-film fold-in.
  func foldInRidge(ratingCount n: Double) -> (biased: Bool, ridge: [Double]) {
    let record = fitRecord
    let k = factorCount
    switch record?.algorithm {
    case "mf-sgd", "svdpp":
      let lambda = record.number(
        "regularization",
        record?.algorithm == "svdpp" ? SVDPlusPlus().regularization : BiasedMF().regularization)
      let biased = record?.value("biased") != .bool(false)
      return (biased, [Double](repeating: n * lambda, count: k + (biased ? 1 : 0)))
    default:
      let isALS = record?.algorithm == "mf-als"
      let als = BiasedALS()
      let lambda = isALS ? record.number("regularization", als.regularization) : als.regularization
      let lambdaBias =
        isALS ? record.number("biasRegularization", als.biasRegularization) : als.biasRegularization
      return (true, [Double](repeating: n * lambda, count: k) + [n * lambdaBias])
    }
  }

  /// Scores for a user described only by `ratings`: `μ + bᵤ + bᵢ + qᵢᵀpᵤ` with `(bᵤ, pᵤ)` from
  /// ``foldedUserFactors(_:)``, as ``PredictionSource/model``. Empty ratings, or a failed solve,
  /// give ``scoresForUnknownUser()``.
  ///
  /// - Complexity: that of ``foldedUserFactors(_:)`` plus one `sgemv` over the item factors.
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard let folded = foldedUserFactors(ratings) else { return scoresForUnknownUser() }
    return ItemScores(
      values: FoldInSolver.scores(
        itemFactors: itemFactors, vector: folded.factors, base: globalMean + folded.bias,
        itemBias: itemBias),
      source: .model)
  }

  /// The ``BayesianMF`` fold-in of ``foldedUserFactors(_:)``: one posterior-mean solve per kept
  /// sample. `nil` when the record does not describe the factor layout or a solve fails.
  private func bayesianFoldIn(_ ratings: UserRatings, targets: [Double]) -> (
    bias: Float, factors: [Float]
  )? {
    let total = factorCount
    // The record is read from a file: any number, so convert without trapping.
    guard
      let k = Int(
        exactly: fitRecord.number("factors", Double(BayesianMF().factors)).rounded(.towardZero)),
      k >= 1, total > 0, total % k == 0
    else { return nil }
    let samples = total / k
    let alpha = fitRecord.number("precision", BayesianMF().precision)
    let scale = Double(samples).squareRoot()
    let d = k + 1
    // The bias prior, from the averaged user biases.
    let (biasMean, biasPrecision) = Self.meanAndPrecision(userBias.lazy.map { Double($0) })
    var factors = [Float](repeating: 0, count: total)
    var bias = 0.0
    for t in 0..<samples {
      let columns = (t * k)..<(t * k + k)
      var mean = [Double](repeating: 0, count: d)
      var precision = [Double](repeating: 1, count: d)
      for f in 0..<k {
        let column = (0..<users.count).lazy.map {
          scale * Double(self.userFactors.elements[$0 * total + columns.lowerBound + f])
        }
        (mean[f], precision[f]) = Self.meanAndPrecision(column)
      }
      (mean[k], precision[k]) = (biasMean, biasPrecision)
      guard
        let theta = FoldInSolver.solve(
          factors: itemFactors, columns: columns, scale: scale, items: ratings.items,
          targets: targets, bias: true, weight: alpha, ridge: precision,
          shift: zip(precision, mean).map { $0 * $1 })
      else { return nil }
      for f in 0..<k { factors[columns.lowerBound + f] = Float(theta[f] / scale) }
      bias += theta[k] / Double(samples)
    }
    return (Float(bias), factors)
  }

  /// The mean of `values` and the inverse of their variance (1 with fewer than two values or
  /// no spread).
  private static func meanAndPrecision(_ values: some Collection<Double>) -> (Double, Double) {
    guard values.count >= 2 else { return (values.first ?? 0, 1) }
    var sum = 0.0
    var squares = 0.0
    for v in values {
      sum += v
      squares += v * v
    }
    let n = Double(values.count)
    let mean = sum / n
    let variance = max(0, squares / n - mean * mean)
    guard variance > 0, variance.isFinite, mean.isFinite else { return (0, 1) }
    return (mean, 1 / variance)
  }
}
