// Ranking-model benchmark (issue 5): EASE, implicit ALS, BPR and popularity on MovieLens 100k
// split per user 75/25 (`stratified:0.75`, Microsoft Recommenders' protocol), every held-out
// rating relevant, seen items excluded, k = 10. Prints one JSON object per line: per split
// {model, split, seed, precision_at_10, recall_at_10, ndcg_at_10, map_at_10, hit_rate, users,
// fit_seconds, recommend_seconds}, then per model {model, summary: true, *_mean, *_std}.
// Modes:
//   (default)             split ml-100k in process for each --seeds S and evaluate on the test part
//   --train F --test F    evaluate on given files (e.g. written by `aflix split` or --write-split)
//   --validate            tuning mode: for each seed, the TRAIN part is split again 75/25 per user
//                         (seed S + 1000) and models are scored on that validation part; the test
//                         part is never read
//   --validation-train F  the share of the train part kept for fitting in --validate (0.75)
//   --write-split DIR     write DIR/train.csv and DIR/test.csv for --seeds' first seed and exit
// Options:
//   --models SPEC;SPEC…   `name[:key=value,…]`: ease:lambda=…; ials:factors=…,iterations=…,reg=…,
//                         alpha=…,rating=true,seed=…; bpr:factors=…,epochs=…,lr=…,reg=…,std=…,
//                         seed=…; popularity (default: "ease;ials;bpr;popularity", defaults)
//   --seeds 1,2,3         split seeds (default 42)
//   --data DIR            the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)
//   --threads T           AFlix and OpenBLAS threads (default: the machine's cores)
// Run: swift run -c release --package-path Benchmarks aflix-bench-ranking [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var models = "ease;ials;bpr;popularity"
  var seeds: [UInt64] = [42]
  var validate = false
  var validationTrainFraction = 0.75
  var train: String?
  var test: String?
  var writeSplit: String?
  var data = defaultDataFolder()
  var threads: Int?

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--models": models = it.next() ?? models
      case "--seeds": seeds = (it.next() ?? "").split(separator: ",").compactMap { UInt64($0) }
      case "--validate": validate = true
      case "--validation-train": validationTrainFraction = Double(it.next() ?? "") ?? 0.75
      case "--train": train = it.next()
      case "--test": test = it.next()
      case "--write-split": writeSplit = it.next()
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      case "--threads": threads = Int(it.next() ?? "")
      default:
        exitWithUsage(
          "usage: aflix-bench-ranking [--models 'name:k=v,…;…'] [--seeds 1,2,…] [--validate] "
            + "[--validation-train F] [--train F --test F] [--write-split DIR] [--data DIR] "
            + "[--threads T]", for: a
        )
      }
    }
  }
}

/// Fitting and evaluating the models a `ModelSpec` names, type-erased.
extension ModelSpec {
  /// Fits on `train`, ranks for `test`: (report, fit seconds, recommend seconds).
  func run(train: RatingsDataset, test: RatingsDataset) throws -> (RankingReport, Double, Double) {
    switch name {
    case "ease":
      var a = EASE()
      a.regularization = double("lambda", a.regularization)
      a.dropoutPenalty = double("omega", a.dropoutPenalty)
      return try measure(a, train, test)
    case "ials":
      var a = ImplicitALS()
      a.factors = int("factors", a.factors)
      a.iterations = int("iterations", a.iterations)
      a.regularization = double("reg", a.regularization)
      a.alpha = double("alpha", a.alpha)
      a.frequencyExponent = double("nu", a.frequencyExponent)
      a.weightByRating = bool("rating", a.weightByRating)
      a.initialStandardDeviation = double("std", a.initialStandardDeviation)
      a.seed = u64("seed", a.seed)
      return try measure(a, train, test)
    case "bpr":
      var a = BPR()
      a.factors = int("factors", a.factors)
      a.epochs = int("epochs", a.epochs)
      a.learningRate = double("lr", a.learningRate)
      a.regularization = double("reg", a.regularization)
      a.initialStandardDeviation = double("std", a.initialStandardDeviation)
      a.seed = u64("seed", a.seed)
      return try measure(a, train, test)
    case "popularity":
      return try measure(PopularityAlgorithm(), train, test)
    default:
      throw RecommendError(.invalidHyperparameter, "unknown model \(name)")
    }
  }

  private func measure<A: RecommenderAlgorithm>(
    _ algorithm: A, _ train: RatingsDataset, _ test: RatingsDataset
  ) throws -> (RankingReport, Double, Double) {
    let (model, fit) = try clockTime { try algorithm.fit(train) }
    let (report, recommend) = clockTime {
      RankingReport(of: model, train: train, test: test, k: 10, relevance: .all)
    }
    return (report, fit, recommend)
  }
}

let options = Options(arguments: CommandLine.arguments)
if let t = options.threads {
  BLAS.threadCount = t
  Parallelism.maximumThreadCount = t
}
let specs = options.models.split(separator: ";").map { ModelSpec(String($0)) }

func loadRatings(_ path: String) throws -> RatingsDataset {
  guard let ratings = try DatasetLoader.load(path: path).ratings else {
    throw RecommendError(.emptyTrainingData, "\(path) holds no ratings")
  }
  return ratings
}

do {
  var splits: [(label: String, seed: UInt64?, train: RatingsDataset, test: RatingsDataset)] = []
  if let train = options.train, let test = options.test {
    splits.append(
      (
        URL(fileURLWithPath: train).lastPathComponent, nil, try loadRatings(train),
        try loadRatings(test)
      ))
  } else {
    let all = try loadRatings(options.data.appendingPathComponent("ml-100k").path)
    if let folder = options.writeSplit {
      let split = try all.split(.stratified(trainFraction: 0.75), seed: options.seeds[0])[0]
      let url = URL(fileURLWithPath: folder)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      try RatingsCSVWriter.write(split.train, to: url.appendingPathComponent("train.csv"))
      try RatingsCSVWriter.write(split.test, to: url.appendingPathComponent("test.csv"))
      print(
        json([
          "written": folder, "seed": options.seeds[0], "train_ratings": split.train.ratingCount,
          "test_ratings": split.test.ratingCount,
        ]))
      exit(0)
    }
    for seed in options.seeds {
      let split = try all.split(.stratified(trainFraction: 0.75), seed: seed)[0]
      if options.validate {
        let inner = try split.train.split(
          .stratified(trainFraction: options.validationTrainFraction), seed: seed + 1_000)[0]
        splits.append(("validation", seed, inner.train, inner.test))
      } else {
        splits.append(("test", seed, split.train, split.test))
      }
    }
  }
  for spec in specs {
    var figures: [String: [Double]] = [:]
    for split in splits {
      let (r, fit, recommend) = try spec.run(train: split.train, test: split.test)
      let values: [String: Double] = [
        "precision_at_10": r.precision, "recall_at_10": r.recall, "ndcg_at_10": r.ndcg,
        "map_at_10": r.map, "hit_rate": r.hitRate, "fit_seconds": fit,
        "recommend_seconds": recommend,
      ]
      for (key, v) in values { figures[key, default: []].append(v) }
      var line: [String: Any] = ["model": spec.text, "split": split.label, "users": r.users]
      if let seed = split.seed { line["seed"] = seed }
      line.merge(values) { a, _ in a }
      print(json(line))
      fflush(nil)
    }
    var summary: [String: Any] = [
      "model": spec.text, "summary": true, "splits": splits.count,
      "seeds": splits.compactMap(\.seed),
    ]
    for (key, xs) in figures {
      let (m, s) = meanStd(xs)
      summary[key + "_mean"] = m
      summary[key + "_std"] = s
    }
    print(json(summary))
    fflush(nil)
  }
} catch {
  FileHandle.standardError.write(Data("aflix-bench-ranking: \(error)\n".utf8))
  exit(1)
}
