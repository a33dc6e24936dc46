import AFlix
import ArgumentParser

/// The models `aflix evaluate` and `aflix train` know, by their command-line names.
enum ModelChoice: String, ExpressibleByArgument, CaseIterable {
  case baseline
  case svd
  case mfSGD = "mf-sgd"
  case mfALS = "mf-als"
  case svdpp
  case knn
  case bpmf
  case blend
  case ials
  case ease
  case bpr
  case popularity

  /// Hyper-parameter flags shared by the model commands. A flag the chosen model does not use is
  /// an error, never silently ignored; an absent flag keeps the model's tuned default.
  struct Hyperparameters: ParsableArguments {
    @Option(parsing: .unconditional, help: "Latent factors (mf-sgd, mf-als, svdpp, bpmf).")
    var factors: Int?

    @Option(parsing: .unconditional, help: "Rank of the truncated SVD (svd).")
    var rank: Int?

    @Option(parsing: .unconditional, help: "Training passes (baseline, mf-sgd, svdpp).")
    var epochs: Int?

    @Option(parsing: .unconditional, help: "ALS sweeps (mf-als).")
    var iterations: Int?

    @Option(parsing: .unconditional, help: "SGD learning rate (mf-sgd, svdpp).")
    var learningRate: Double?

    @Option(parsing: .unconditional, help: "Regularisation λ (mf-sgd, mf-als, svdpp).")
    var regularization: Double?

    @Option(parsing: .unconditional, help: "Neighbours k averaged per prediction (knn).")
    var neighbors: Int?

    @Option(parsing: .unconditional, help: "Similarity shrinkage λ (knn).")
    var shrinkage: Double?

    @Option(parsing: .unconditional, help: "Baseline: user-bias regularisation λᵤ (baseline, knn).")
    var userRegularization: Double?

    @Option(parsing: .unconditional, help: "Baseline: item-bias regularisation λᵢ (baseline, knn).")
    var itemRegularization: Double?

    @Option(parsing: .unconditional, help: "Gibbs sweeps discarded before averaging (bpmf).")
    var burnIn: Int?

    @Option(parsing: .unconditional, help: "Gibbs samples averaged (bpmf).")
    var samples: Int?

    @Option(parsing: .unconditional, help: "Confidence scale α of implicit feedback (ials).")
    var alpha: Double?

    /// The flags that were given, for checking them against the model.
    var given: [String] {
      [
        factors.map { _ in "--factors" }, rank.map { _ in "--rank" },
        epochs.map { _ in "--epochs" }, iterations.map { _ in "--iterations" },
        learningRate.map { _ in "--learning-rate" },
        regularization.map { _ in "--regularization" },
        userRegularization.map { _ in "--user-regularization" },
        itemRegularization.map { _ in "--item-regularization" },
        burnIn.map { _ in "--burn-in" }, samples.map { _ in "--samples" },
        alpha.map { _ in "--alpha" }, neighbors.map { _ in "--neighbors" },
        shrinkage.map { _ in "--shrinkage" },
      ].compactMap { $0 }
    }
  }

  /// The flags each model reads.
  var accepted: Set<String> {
    switch self {
    case .baseline: return ["--epochs", "--user-regularization", "--item-regularization"]
    case .svd: return ["--rank"]
    case .mfSGD, .svdpp: return ["--factors", "--epochs", "--learning-rate", "--regularization"]
    case .mfALS: return ["--factors", "--iterations", "--regularization"]
    case .bpmf: return ["--factors", "--burn-in", "--samples"]
    case .knn:
      return ["--neighbors", "--shrinkage", "--user-regularization", "--item-regularization"]
    case .blend: return []
    case .ials: return ["--factors", "--iterations", "--regularization", "--alpha"]
    case .ease: return ["--regularization"]
    case .bpr: return ["--factors", "--epochs", "--learning-rate", "--regularization"]
    case .popularity: return []
    }
  }

  /// Warnings for counts the training data bounds (`items` items seen in training): kNN averages
  /// at most every other item, so a larger `--neighbors` is clamped.
  func dataWarnings(_ h: Hyperparameters, items: Int) -> [String] {
    guard self == .knn, let k = h.neighbors, k > items, items >= 1 else { return [] }
    return ["--neighbors \(k) clamped to \(items): the dataset has only \(items) items"]
  }

  /// A configured algorithm: the model's tuned defaults, the given flags, and `seed`.
  func algorithm(_ h: Hyperparameters, seed: UInt64) throws -> ConfiguredAlgorithm {
    let unused = h.given.filter { !accepted.contains($0) }
    guard unused.isEmpty else {
      throw ValidationError(
        "\(unused.joined(separator: ", ")) does not apply to --model \(rawValue)")
    }
    switch self {
    case .baseline:
      var a = Baseline()
      if let v = h.epochs { a.epochs = v }
      if let v = h.userRegularization { a.userRegularization = v }
      if let v = h.itemRegularization { a.itemRegularization = v }
      return .rating(a)
    case .svd:
      var a = TruncatedSVDRecommender(seed: seed)
      if let v = h.rank { a.rank = v }
      return .rating(a)
    case .mfSGD:
      var a = BiasedMF(seed: seed)
      if let v = h.factors { a.factors = v }
      if let v = h.epochs { a.epochs = v }
      if let v = h.learningRate { a.learningRate = v }
      if let v = h.regularization { a.regularization = v }
      return .rating(a)
    case .mfALS:
      var a = BiasedALS(seed: seed)
      if let v = h.factors { a.factors = v }
      if let v = h.iterations { a.iterations = v }
      if let v = h.regularization { a.regularization = v }
      return .rating(a)
    case .svdpp:
      var a = SVDPlusPlus(seed: seed)
      if let v = h.factors { a.factors = v }
      if let v = h.epochs { a.epochs = v }
      if let v = h.learningRate { a.learningRate = v }
      if let v = h.regularization { a.regularization = v }
      return .rating(a)
    case .bpmf:
      var a = BayesianMF(seed: seed)
      if let v = h.factors { a.factors = v }
      if let v = h.burnIn { a.burnIn = v }
      if let v = h.samples { a.samples = v }
      return .rating(a)
    case .knn:
      var a = KNNBaseline()
      if let v = h.neighbors { a.neighbours = v }
      if let v = h.shrinkage { a.shrinkage = v }
      if let v = h.userRegularization { a.baseline.userRegularization = v }
      if let v = h.itemRegularization { a.baseline.itemRegularization = v }
      return .rating(a)
    case .blend:
      return .rating(Blend(seed: seed))
    case .ials:
      var a = ImplicitALS(seed: seed)
      if let v = h.factors { a.factors = v }
      if let v = h.iterations { a.iterations = v }
      if let v = h.regularization { a.regularization = v }
      if let v = h.alpha { a.alpha = v }
      return .ranking(a)
    case .ease:
      var a = EASE()
      if let v = h.regularization { a.regularization = v }
      return .ranking(a)
    case .bpr:
      var a = BPR(seed: seed)
      if let v = h.factors { a.factors = v }
      if let v = h.epochs { a.epochs = v }
      if let v = h.learningRate { a.learningRate = v }
      if let v = h.regularization { a.regularization = v }
      return .ranking(a)
    case .popularity:
      return .ranking(PopularityAlgorithm())
    }
  }
}

/// A rating or a ranking algorithm, whichever the chosen model is.
enum ConfiguredAlgorithm {
  case rating(any RatingAlgorithm)
  case ranking(any RankingAlgorithm)

  func evaluate(
    on splits: [DatasetSplit], k: Int, relevance: Relevance, catalog: Catalog?
  ) throws -> EvaluationReport {
    switch self {
    case .rating(let a):
      return try Evaluation.evaluate(a, on: splits, k: k, relevance: relevance, catalog: catalog)
    case .ranking(let a):
      return try Evaluation.evaluate(a, on: splits, k: k, relevance: relevance, catalog: catalog)
    }
  }

  /// Checks the hyper-parameters before any data is loaded.
  func validateHyperparameters() throws {
    switch self {
    case .rating(let a): try a.validateHyperparameters()
    case .ranking(let a): try a.validateHyperparameters()
    }
  }

  func fit(_ data: RatingsDataset) throws -> any ItemScorer {
    switch self {
    case .rating(let a): return try a.fit(data)
    case .ranking(let a): return try a.fit(data)
    }
  }
}
