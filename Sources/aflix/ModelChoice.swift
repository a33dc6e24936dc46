import AFlix
import ArgumentParser
import _AFlixSupport

/// The model `aflix evaluate`, `train` and `recommend` fit: a name of ``AlgorithmRegistry``. The
/// library owns the name → algorithm mapping; this type only maps command-line flags to
/// hyper-parameter names.
struct ModelChoice: ExpressibleByArgument, Sendable {
  /// The algorithm's registry name.
  let rawValue: String

  init?(argument: String) {
    guard AlgorithmRegistry.names.contains(argument) else { return nil }
    rawValue = argument
  }

  static var allValueStrings: [String] { AlgorithmRegistry.names }

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

    /// The given flags and their values as hyper-parameters, by flag.
    var values: [(flag: String, key: String, value: HyperparameterValue)] {
      let ints: [(String, String, Int?)] = [
        ("--factors", "factors", factors), ("--rank", "rank", rank), ("--epochs", "epochs", epochs),
        ("--iterations", "iterations", iterations), ("--burn-in", "burnIn", burnIn),
        ("--samples", "samples", samples), ("--neighbors", "neighbours", neighbors),
      ]
      let doubles: [(String, String, Double?)] = [
        ("--learning-rate", "learningRate", learningRate),
        ("--regularization", "regularization", regularization),
        ("--user-regularization", "userRegularization", userRegularization),
        ("--item-regularization", "itemRegularization", itemRegularization),
        ("--alpha", "alpha", alpha), ("--shrinkage", "shrinkage", shrinkage),
      ]
      return ints.compactMap { flag, key, v in v.map { (flag, key, .integer($0)) } }
        + doubles.compactMap { flag, key, v in v.map { (flag, key, .number($0)) } }
    }
  }

  /// Warnings for counts the training data bounds (`items` items seen in training): kNN averages
  /// at most every other item, so a larger `--neighbors` is clamped.
  func dataWarnings(_ h: Hyperparameters, items: Int) -> [String] {
    guard rawValue == "knn", let k = h.neighbors, k > items, items >= 1 else { return [] }
    return ["--neighbors \(k) clamped to \(items): the dataset has only \(items) items"]
  }

  /// A configured algorithm from ``AlgorithmRegistry``: the model's tuned defaults, the given
  /// flags, and `seed`. A flag whose hyper-parameter the model does not have is an error, never
  /// silently ignored (the regularisation flags of the baseline also reach kNN's baseline).
  func algorithm(_ h: Hyperparameters, seed: UInt64) throws -> any RecommenderAlgorithm {
    let known = Set(try AlgorithmRegistry.hyperparameterNames(of: rawValue))
    var values: [String: HyperparameterValue] = [:]
    var unused: [String] = []
    for (flag, key, value) in h.values {
      let nested = flag.hasSuffix("-regularization") && flag != "--regularization"
      if known.contains(key) {
        values[key] = value
      } else if nested, known.contains("baseline." + key) {
        values["baseline." + key] = value
      } else {
        unused.append(flag)
      }
    }
    guard unused.isEmpty else {
      throw ValidationError(
        "\(unused.joined(separator: ", ")) does not apply to --model \(rawValue)")
    }
    return try AlgorithmRegistry.algorithm(named: rawValue, hyperparameters: values, seed: seed)
  }

  /// Loads the dataset at `path`, reports the counts it bounds (on stderr), and fits this model
  /// on it (off the cooperative pool, its steps on `progress`): the model, the number of ratings
  /// and the fit's seconds.
  func fit(
    on path: String, _ h: Hyperparameters, seed: UInt64, data: DatasetOptions,
    progress: ProgressBar
  ) async throws -> (model: any RecommenderModel, ratings: Int, seconds: Double, catalog: Catalog?)
  {
    let (loaded, _) = try data.load(path: path)
    guard let ratings = loaded.ratings else {
      throw ValidationError("\(path) holds no ratings")
    }
    var warnings = CommandWarnings()
    for warning in dataWarnings(h, items: ratings.itemCount) { warnings.add(warning) }
    warnings.printToStandardError()
    let algorithm = try algorithm(h, seed: seed)
    let options = FitOptions { step in
      // A blend's members report their own steps too; the bar follows the outer fit.
      guard step.enclosing.isEmpty else { return }
      progress.update(step: step.step, of: step.totalSteps, note: step.algorithm)
    }
    let clock = ContinuousClock()
    let start = clock.now
    let fitted = try await algorithm.fit(ratings, options: options)
    progress.clear()
    return (fitted, ratings.ratingCount, (clock.now - start).inSeconds, loaded.catalog)
  }
}
