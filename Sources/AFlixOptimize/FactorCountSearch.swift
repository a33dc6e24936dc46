import AFlixData
import AFlixRecommend
import Foundation
internal import _AFlixSupport

/// Tunes the factor count of any factor model of the registry (`mf-sgd`, `mf-als`, `svdpp`,
/// `bpmf`, `ials`, `bpr`, `svd`) by held-out error over seeded folds, with the
/// one-standard-error rule toward fewer factors: what ``ValidationStrategy`` does for truncated
/// SVD, through the cancellable `async` fits (`fit(_:options:)`).
///
/// ```swift
/// let search = FactorCountSearch(algorithm: "mf-als", candidates: [8, 16, 32, 64, 128])
/// let result = try await search.run(train)          // result.k, every candidate's figures
/// ```
///
/// ``Method/grid`` fits every candidate on every fold. ``Method/goldenSection`` assumes the mean
/// error is unimodal in K: it narrows the candidates by golden-section steps, fits the last
/// bracket, then walks down toward fewer factors while the one-standard-error rule allows —
/// fewer fits for the same K when the assumption holds (``FactorCountResult/fits`` says how
/// many).
public struct FactorCountSearch: Sendable {
  /// How candidates are visited.
  public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every candidate.
    case grid
    /// Golden-section steps over the sorted candidates, then a walk toward fewer factors.
    case goldenSection = "golden-section"
  }

  /// The registry name of the algorithm.
  public var algorithm: String
  /// Hyper-parameters other than the factor count (the registry's tuned defaults otherwise).
  public var hyperparameters: [String: HyperparameterValue]
  /// The factor counts tried (sorted, duplicates removed).
  public var candidates: [Int]
  /// Folds of the seeded k-fold split (at least 2).
  public var folds: Int
  /// What the folds measure; `nil`: RMSE for rating models, NDCG@10 for the others.
  public var metric: ValidationStrategy.Metric?
  /// Whether the one-standard-error rule applies.
  public var oneStandardError: Bool
  /// How candidates are visited.
  public var method: Method
  /// Seed of the folds and of the fits.
  public var seed: UInt64
  /// Warm starts (`mf-als` only; ignored otherwise): each K after the first starts, fold by fold,
  /// from the item side of the next smaller K fitted so far (`BiasedALS.fit(_:warmStart:options:)`,
  /// cancellable and reporting like every fit) with half the iterations. Off by default: the
  /// less converged fits can move the choice (<doc:ChoosingK>).
  public var warmStart: Bool

  /// Creates a search.
  public init(
    algorithm: String, hyperparameters: [String: HyperparameterValue] = [:], candidates: [Int],
    folds: Int = 3, metric: ValidationStrategy.Metric? = nil, oneStandardError: Bool = true,
    method: Method = .grid, seed: UInt64 = 0, warmStart: Bool = false
  ) {
    self.algorithm = algorithm
    self.hyperparameters = hyperparameters
    self.candidates = candidates
    self.folds = max(2, folds)
    self.metric = metric
    self.oneStandardError = oneStandardError
    self.method = method
    self.seed = seed
    self.warmStart = warmStart
  }

  /// The name of `algorithm`'s factor-count hyper-parameter (`rank` for `svd`, `factors` for the
  /// others), or `nil` when it has none.
  public static func factorParameter(of algorithm: String) throws -> String? {
    let names = try AlgorithmRegistry.hyperparameterNames(of: algorithm)
    return ["factors", "rank"].first { names.contains($0) }
  }

  /// Runs the search on `data`; `options` apply to every fit (threads, and cancellation with the
  /// calling task); `onCandidate` hears each candidate as soon as its folds are scored.
  ///
  /// - Throws: ``OptimizeError`` `.invalidArgument` for an algorithm without a factor count or no
  ///   candidate, `.noValidCandidate` when no fold could score one; `CancellationError`; what
  ///   the registry and the fits throw.
  public func run(
    _ data: RatingsDataset, options: FitOptions = FitOptions(),
    onCandidate: (@Sendable (FactorCountCandidate) -> Void)? = nil
  ) async throws -> FactorCountResult {
    guard let parameter = try Self.factorParameter(of: algorithm) else {
      throw OptimizeError(.invalidArgument, "algorithm '\(algorithm)' has no factor count to tune")
    }
    // A truncated SVD's rank must stay below min(users, items) of every fold's training part.
    let limit = parameter == "rank" ? min(data.userCount, data.itemCount) - 1 : Int.max
    let ks = Array(Set(candidates)).sorted().filter { $0 >= 1 && $0 < limit }
    guard !ks.isEmpty else {
      throw OptimizeError(
        .invalidArgument,
        "no factor count of '\(algorithm)' among \(candidates) is valid (each ≥ 1"
          + (parameter == "rank" ? " and below min(users, items) = \(limit + 1))" : ")"))
    }
    let probe = try AlgorithmRegistry.algorithm(
      named: algorithm, hyperparameters: hyperparameters, seed: seed)
    let metric = self.metric ?? (probe.predictsRatings ? .rmse : .ndcg)
    guard metric == .ndcg || probe.predictsRatings else {
      throw OptimizeError(
        .invalidArgument,
        "'\(algorithm)' ranks items without predicting ratings: it has no RMSE to tune by (use NDCG@10)"
      )
    }
    let lowerIsBetter = metric == .rmse
    let (folds, seed) = (self.folds, self.seed)
    let splits = try await OffPool.run { try data.split(.kFold(folds), seed: seed) }
    let clock = ContinuousClock()
    let start = clock.now
    var evaluated: [Int: FactorCountCandidate] = [:]
    var fits = 0
    // Fitted mf-als models by fold and K, for warm starts: the grid (ascending K) needs only the
    // last one per fold, golden-section every K it visited.
    var warm: [Int: [Int: BiasedMFModel]] = [:]
    func keep(_ model: BiasedMFModel, fold: Int, k: Int) {
      if method == .grid { warm[fold] = [:] }
      warm[fold, default: [:]][k] = model
    }

    func evaluate(_ index: Int) async throws -> FactorCountCandidate {
      if let known = evaluated[index] { return known }
      let candidateStart = clock.now
      var values: [Double] = []
      for (fold, split) in splits.enumerated() where split.test.ratingCount > 0 {
        try Task.checkCancellation()
        var given = hyperparameters
        given[parameter] = .integer(ks[index])
        let configured = try AlgorithmRegistry.algorithm(
          named: algorithm, hyperparameters: given, seed: seed)
        let model: any RecommenderModel
        if warmStart, var als = configured as? BiasedALS,
          let start = warm[fold]?.filter({ $0.key < ks[index] }).max(by: { $0.key < $1.key })?.value
        {
          // The nearest smaller K of this fold: its item side, half the sweeps.
          als.iterations = max(1, als.iterations / 2)
          let fitted = try await als.fit(split.train, warmStart: start, options: options)
          keep(fitted, fold: fold, k: ks[index])
          model = fitted
        } else {
          let fitted = try await configured.fit(split.train, options: options)
          if warmStart, let als = fitted as? BiasedMFModel {
            warm[fold, default: [:]][ks[index]] = als
          }
          model = fitted
        }
        fits += 1
        // Scoring a fold takes a while: off the cooperative pool, like the fit.
        values.append(
          try await OffPool.run {
            if lowerIsBetter, let predictor = model as? any RatingPredictor {
              return AccuracyReport(of: predictor, on: split.test).rmse
            }
            return RankingReport(of: model, train: split.train, test: split.test, k: 10).ndcg
          })
      }
      let (mean, error) = KOptimizer.meanAndError(values)
      let candidate = FactorCountCandidate(
        k: ks[index], mean: mean ?? .nan, standardError: error,
        seconds: (clock.now - candidateStart).inSeconds)
      evaluated[index] = candidate
      onCandidate?(candidate)
      return candidate
    }
    func better(_ a: FactorCountCandidate, _ b: FactorCountCandidate) -> Bool {
      lowerIsBetter ? a.mean < b.mean : a.mean > b.mean
    }

    switch method {
    case .grid:
      for index in ks.indices { _ = try await evaluate(index) }
    case .goldenSection:
      var (low, high) = (0, ks.count - 1)
      while high - low > 2 {
        let span = Double(high - low)
        let m1 = low + max(1, Int((span * 0.381_966).rounded()))
        let m2 = max(m1 + 1, low + Int((span * 0.618_034).rounded()))
        if better(try await evaluate(m2), try await evaluate(m1)) { low = m1 } else { high = m2 }
      }
      for index in low...high { _ = try await evaluate(index) }
      // Toward fewer factors while the rule allows: each smaller K within one standard error of
      // the best so far is taken, the first beyond it ends the walk.
      if oneStandardError {
        let visited = evaluated.keys.sorted()
        let best = visited.min {
          better(evaluated[$0]!, evaluated[$1]!)
            || (evaluated[$0]!.mean == evaluated[$1]!.mean && $0 < $1)
        }!
        let bound =
          evaluated[best]!.mean
          + (lowerIsBetter ? 1 : -1) * (evaluated[best]!.standardError ?? 0)
        var index = best - 1
        while index >= 0 {
          let c = try await evaluate(index)
          guard lowerIsBetter ? c.mean <= bound : c.mean >= bound else { break }
          index -= 1
        }
      }
    }
    let visited = evaluated.keys.sorted()
    let table = visited.map { evaluated[$0]! }
    guard
      let chosen = OneStandardErrorRule.choose(
        means: table.map(\.mean), errors: table.map(\.standardError),
        lowerIsBetter: lowerIsBetter, rule: oneStandardError)
    else {
      throw OptimizeError(.noValidCandidate, "no fold could score a factor count of '\(algorithm)'")
    }
    return FactorCountResult(
      algorithm: algorithm, metric: metric, method: method, k: table[chosen].k,
      candidates: table, fits: fits, gridFits: ks.count * splits.count,
      seconds: (clock.now - start).inSeconds)
  }
}

/// One factor count's held-out figures.
public struct FactorCountCandidate: Sendable, Hashable, Codable {
  /// The factor count.
  public var k: Int
  /// The mean of the metric over the folds.
  public var mean: Double
  /// Its standard error over the folds.
  public var standardError: Double?
  /// Seconds of the candidate's fits and scoring.
  public var seconds: Double

  /// Creates a candidate's figures.
  public init(k: Int, mean: Double, standardError: Double?, seconds: Double) {
    self.k = k
    self.mean = mean
    self.standardError = standardError
    self.seconds = seconds
  }
}

/// What a ``FactorCountSearch`` chose and every candidate it scored.
public struct FactorCountResult: Sendable, Hashable, Codable {
  /// The registry name of the algorithm.
  public var algorithm: String
  /// The metric of the folds.
  public var metric: ValidationStrategy.Metric
  /// How candidates were visited.
  public var method: FactorCountSearch.Method
  /// The chosen factor count.
  public var k: Int
  /// Every scored candidate, in ascending K.
  public var candidates: [FactorCountCandidate]
  /// Fits run.
  public var fits: Int
  /// Fits a grid over every candidate runs.
  public var gridFits: Int
  /// Seconds of the search.
  public var seconds: Double

  /// Creates a result.
  public init(
    algorithm: String, metric: ValidationStrategy.Metric, method: FactorCountSearch.Method,
    k: Int, candidates: [FactorCountCandidate], fits: Int, gridFits: Int, seconds: Double
  ) {
    self.algorithm = algorithm
    self.metric = metric
    self.method = method
    self.k = k
    self.candidates = candidates
    self.fits = fits
    self.gridFits = gridFits
    self.seconds = seconds
  }
}
