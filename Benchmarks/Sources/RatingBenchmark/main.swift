// Rating-predictor benchmark (issue 5): fits each model on MovieLens 100k's canonical folds
// u1–u5 and prints one JSON object per line: per fold {model, fold, rmse, mae, fit_seconds,
// predict_seconds}, then per model {model, summary: true, rmse_mean, rmse_std, mae_mean, …}.
// Modes:
//   --models SPEC;SPEC…   models as `name[:key=value,…]` (default: every rating model, defaults)
//   --folds 1,2,3,4,5     which canonical folds (default all five)
//   --validate F          tuning mode: a seeded holdout of share F of each fold's TRAIN file
//                         (u{f}.base) is the test set; the fold's test file is never read
//   --synth               the default synthetic world, 20% held out, against the oracle floor
//   --learning-curve      synthetic worlds with more ratings per user, same models
//   --repeats N           fit each model N times per fold (same seed, so the same model) and
//                         report the median fit time, with every time in `fit_seconds_all`
//   --threads T           AFlix and OpenBLAS threads (default: the machine's cores)
// Run: swift run -c release --package-path Benchmarks aflix-bench-rating [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var models = "baseline;svd;mf-sgd;mf-als;svdpp;bpmf"
  var folds = [1, 2, 3, 4, 5]
  var validate: Double?
  var synth = false
  var learningCurve = false
  var seed: UInt64 = 1
  var repeats = 1
  var threads: Int?
  var data = defaultDataFolder()

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--models": models = it.next() ?? models
      case "--folds": folds = (it.next() ?? "").split(separator: ",").compactMap { Int($0) }
      case "--validate": validate = Double(it.next() ?? "")
      case "--synth": synth = true
      case "--learning-curve": learningCurve = true
      case "--seed": seed = UInt64(it.next() ?? "") ?? seed
      case "--repeats": repeats = max(1, Int(it.next() ?? "") ?? repeats)
      case "--threads": threads = Int(it.next() ?? "")
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      default:
        exitWithUsage(
          "usage: aflix-bench-rating [--models 'name:k=v,…;…'] [--folds 1,2,…] [--validate F] "
            + "[--synth] [--learning-curve] [--seed S] [--repeats N] [--threads T] [--data DIR]",
          for: a)
      }
    }
  }
}

/// Fitting and evaluating the models a `ModelSpec` names, type-erased.
extension ModelSpec {
  /// Fits on `train` `repeats` times, predicts `test` with the last fit: (report, median fit
  /// seconds, predict seconds, extra fields with every fit time).
  func run(train: RatingsDataset, test: RatingsDataset, repeats: Int = 1) throws -> (
    AccuracyReport, Double, Double, [String: Any]
  ) {
    switch name {
    case "baseline":
      return try measure(repeats: repeats, Baseline(), train, test) { _ in [:] }
    case "svd":
      var a = TruncatedSVDRecommender()
      a.rank = int("rank", a.rank)
      if let c = params["centering"] {
        a.centering = c == "user" ? .userMeans : .biases
      }
      a.seed = u64("seed", a.seed)
      return try measure(repeats: repeats, a, train, test) {
        ["explained_variance": Double($0.explainedVariance)]
      }
    case "mf-sgd":
      var a = BiasedMF()
      a.factors = int("factors", a.factors)
      a.epochs = int("epochs", a.epochs)
      a.learningRate = double("lr", a.learningRate)
      a.regularization = double("reg", a.regularization)
      a.initialStandardDeviation = double("std", a.initialStandardDeviation)
      a.biased = bool("biased", a.biased)
      a.seed = u64("seed", a.seed)
      return try measure(repeats: repeats, a, train, test) { _ in [:] }
    case "mf-als":
      var a = BiasedALS()
      a.factors = int("factors", a.factors)
      a.iterations = int("iterations", a.iterations)
      a.regularization = double("reg", a.regularization)
      a.biasRegularization = double("breg", a.biasRegularization)
      a.seed = u64("seed", a.seed)
      return try measure(repeats: repeats, a, train, test) { _ in [:] }
    case "svdpp":
      var a = SVDPlusPlus()
      a.factors = int("factors", a.factors)
      a.epochs = int("epochs", a.epochs)
      a.learningRate = double("lr", a.learningRate)
      a.regularization = double("reg", a.regularization)
      a.seed = u64("seed", a.seed)
      return try measure(repeats: repeats, a, train, test) { _ in [:] }
    case "bpmf":
      var a = BayesianMF()
      a.factors = int("factors", a.factors)
      a.samples = int("samples", a.samples)
      a.burnIn = int("burnin", a.burnIn)
      a.precision = double("alpha", a.precision)
      a.seed = u64("seed", a.seed)
      return try measure(repeats: repeats, a, train, test) { _ in [:] }
    default:
      throw RecommendError(.invalidHyperparameter, "unknown model \(name)")
    }
  }

  private func measure<A: RecommenderAlgorithm>(
    repeats: Int, _ algorithm: A, _ train: RatingsDataset, _ test: RatingsDataset,
    extra: (A.Model) -> [String: Any]
  ) throws -> (AccuracyReport, Double, Double, [String: Any])
  where A.Model: RatingPredictor {
    var fits: [Double] = []
    var model: A.Model?
    for _ in 0..<repeats {
      let (fitted, fit) = try clockTime { try algorithm.fit(train) }
      model = fitted
      fits.append(fit)
    }
    let (report, predict) = clockTime { AccuracyReport(of: model!, on: test) }
    var fields = extra(model!)
    if repeats > 1 { fields["fit_seconds_all"] = fits }
    return (report, median(fits), predict, fields)
  }
}

func evaluate(
  _ spec: ModelSpec, splits: [(String, RatingsDataset, RatingsDataset)],
  extraFields: [String: Any] = [:], repeats: Int = 1
) throws {
  var rmses: [Double] = []
  var maes: [Double] = []
  var fits: [Double] = []
  var preds: [Double] = []
  for (label, train, test) in splits {
    let (report, fit, predict, extra) = try spec.run(train: train, test: test, repeats: repeats)
    rmses.append(report.rmse)
    maes.append(report.mae)
    fits.append(fit)
    preds.append(predict)
    var line: [String: Any] = [
      "model": spec.text, "fold": label, "rmse": report.rmse, "mae": report.mae,
      "fit_seconds": fit, "predict_seconds": predict, "fallbacks": report.fallbacks,
    ]
    line.merge(extra) { a, _ in a }
    line.merge(extraFields) { a, _ in a }
    print(json(line))
    fflush(nil)
  }
  let (rm, rs) = meanStd(rmses)
  let (mm, ms) = meanStd(maes)
  let (fm, fs) = meanStd(fits)
  let (pm, _) = meanStd(preds)
  var line: [String: Any] = [
    "model": spec.text, "summary": true, "folds": splits.map(\.0), "rmse_mean": rm, "rmse_std": rs,
    "mae_mean": mm, "mae_std": ms, "fit_seconds_mean": fm, "fit_seconds_std": fs,
    "predict_seconds_mean": pm,
  ]
  line.merge(extraFields) { a, _ in a }
  print(json(line))
  fflush(nil)
}

let options = Options(arguments: CommandLine.arguments)
if let t = options.threads {
  BLAS.threadCount = t
  Parallelism.maximumThreadCount = t
}
let specs = options.models.split(separator: ";").map { ModelSpec(String($0)) }

do {
  if options.synth || options.learningCurve {
    let perUser: [ClosedRange<Int>] =
      options.learningCurve ? [10...50, 40...80, 80...120, 160...200, 300...340] : [10...50]
    for range in perUser {
      var configuration = WorldConfiguration()
      configuration.ratingsPerUser = ParameterRange(range.lowerBound, range.upperBound)
      let world = try SyntheticWorld.generate(configuration, seed: options.seed)
      let split = try world.ratings.split(.holdout(testFraction: 0.2), seed: options.seed)[0]
      let oracle = try world.oracleRMSE(on: split.test)
      print(
        json([
          "world": "default", "ratings_per_user": "\(range.lowerBound)-\(range.upperBound)",
          "ratings": world.ratings.ratingCount, "oracle_rmse": oracle,
        ]))
      for spec in specs {
        try evaluate(
          spec, splits: [("synth", split.train, split.test)],
          extraFields: [
            "oracle_rmse": oracle, "ratings_per_user": "\(range.lowerBound)-\(range.upperBound)",
          ])
      }
    }
  } else {
    let folder = options.data.appendingPathComponent("ml-100k")
    var splits: [(String, RatingsDataset, RatingsDataset)] = []
    for fold in options.folds {
      let split = try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: fold)
      if let share = options.validate {
        // Tuning: the fold's test file is ignored; a seeded share of its training ratings is
        // the validation set.
        let inner = try split.train.split(.holdout(testFraction: share), seed: options.seed)[0]
        splits.append(("u\(fold)-validation", inner.train, inner.test))
      } else {
        splits.append(("u\(fold)", split.train, split.test))
      }
    }
    for spec in specs { try evaluate(spec, splits: splits, repeats: options.repeats) }
  }
} catch {
  print("error: \(error)")
  exit(1)
}
