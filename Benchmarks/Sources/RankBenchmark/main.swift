// Serving-at-K and segment-fallback benchmark (issue 12), on MovieLens 100k fold u1 (--fold).
//
// Part "k" (serving at a chosen K): each model is fitted on u1.base at its registry default K,
// its factors ordered (FactorRankServing.orderedFactors: same scores) and truncated to each K;
// every truncation is compared with a refit at that K (same defaults and seed otherwise):
//   ials   NDCG@10 by RankingReport, relevant = u1.test ratings ≥ 4, candidates = items seen in
//          u1.base minus the user's u1.base items;
//   mf-als RMSE on u1.test by AccuracyReport (clipped predictions, fallbacks counted).
// "energy" is the share Σᵢ<ₖ σᵢ² / Σ σᵢ² of the known users' interaction-score matrix the
// leading K ordered factors keep.
//
// Part "foldin": users the model never saw (ColdStartEvaluation: 5 groups, first n ratings by
// timestamp, relevant ≥ 4, NDCG@10), folded into the `--segment-model` (ials) truncated to each K
// from its default fit vs refitted at that K, for n = 1, 3, 10.
//
// Part "segments" (segment fallback): SegmentFallbackEvaluation on u1 with the cold-start protocol
// (5 groups, relevant ≥ 4, NDCG@10), the factor model `ials` (registry defaults) refitted per
// group; stated genres = each test user's 3 most frequent genres among their u1.base ratings ≥ 4;
// segments by K-means (seed 0) on raw factors or unit-length directions, matched by genre shares
// or lift (UserSegments); columns are named segments-<count>-<clustering>-<matching>.
//
// Options:
//   --part k|foldin|segments|all    (default all)
//   --ks a,b,…               truncation K values (default 48,32,24,20,16,10)
//   --models a,b,…           part k models (default ials,mf-als)
//   --segments a,b,…         segment counts (default 4,8,16)
//   --segment-model NAME     factor model of part segments (default ials)
//   --fold N                 MovieLens 100k fold uN (default 1; choose settings on 2, report on 1)
//   --seeds a,b,…            part k: fit seeds; several give mean ± sd (default 0)
//   --data DIR               the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)
// Run: swift run -c release --package-path Benchmarks aflix-bench-rank [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var part = "all"
  var ks = [48, 32, 24, 20, 16, 10]
  var models = ["ials", "mf-als"]
  var segments = [4, 8, 16]
  var segmentModel = "ials"
  var fold = 1
  var seeds: [UInt64] = [0]
  var data = defaultDataFolder()

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    func ints() -> [Int] { (it.next() ?? "").split(separator: ",").compactMap { Int($0) } }
    while let a = it.next() {
      switch a {
      case "--part": part = it.next() ?? part
      case "--ks": ks = ints()
      case "--models": models = (it.next() ?? "").split(separator: ",").map(String.init)
      case "--segments": segments = ints()
      case "--segment-model": segmentModel = it.next() ?? segmentModel
      case "--fold": fold = Int(it.next() ?? "") ?? fold
      case "--seeds": seeds = (it.next() ?? "").split(separator: ",").compactMap { UInt64($0) }
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      default:
        exitWithUsage(
          "usage: aflix-bench-rank [--part k|foldin|segments|all] [--ks a,b,…] [--models a,b,…] "
            + "[--segments a,b,…] [--segment-model NAME] [--fold N] [--seeds a,b,…] [--data DIR]",
          for: a)
      }
    }
  }
}

/// The fitted factor model of registry `name` with `factors` factors (its default when nil).
func fitFactorModel(_ name: String, factors: Int?, seed: UInt64 = 0, on data: RatingsDataset)
  throws
  -> any FactorRankServing
{
  let hyper: [String: HyperparameterValue] = factors.map { ["factors": .integer($0)] } ?? [:]
  let model = try AlgorithmRegistry.algorithm(named: name, hyperparameters: hyper, seed: seed).fit(
    data)
  guard let factorModel = model as? any FactorRankServing else {
    throw RecommendError(.invalidArgument, "\(name) is not a factor model")
  }
  return factorModel
}

/// NDCG@10 (relevant ≥ 4) for ranking models, RMSE for rating predictors.
func figure(_ model: any FactorRankServing, train: RatingsDataset, test: RatingsDataset) -> (
  String, Double
) {
  if let predictor = model as? any RatingPredictor {
    return ("rmse", AccuracyReport(of: predictor, on: test).rmse)
  }
  return (
    "ndcg@10",
    RankingReport(of: model, train: train, test: test, k: 10, relevance: .atLeast(4)).ndcg
  )
}

func energy(_ strengths: [Float], keeping k: Int) -> Double {
  let squares = strengths.map { Double($0) * Double($0) }
  let total = squares.reduce(0, +)
  return total > 0 ? squares.prefix(k).reduce(0, +) / total : 0
}

func partK(_ options: Options, split: DatasetSplit) throws {
  var table = [
    "| model | K | metric | truncated | refitted | truncated − refitted | energy kept |",
    "|---|---:|---|---:|---:|---:|---:|",
  ]
  func cell(_ xs: [Double]) -> String {
    let (m, sd) = meanStd(xs)
    return xs.count > 1 ? "\(fmt(m)) ± \(fmt(sd))" : fmt(m)
  }
  for name in options.models {
    // Per seed: the fitted model, its ordered form, and every truncation and refit.
    var fittedK = 0
    var metric = ""
    var original: [Double] = []
    var ordered: [Double] = []
    var truncated: [Int: [Double]] = [:]
    var refitted: [Int: [Double]] = [:]
    var kept: [Int: [Double]] = [:]
    for seed in options.seeds {
      let (full, fitSeconds) = try clockTime {
        try fitFactorModel(name, factors: nil, seed: seed, on: split.train)
      }
      fittedK = full.factorCount
      let (orderedModel, orderSeconds) = try clockTime { try full.orderedFactors() }
      let (m, value) = figure(full, train: split.train, test: split.test)
      metric = m
      original.append(value)
      ordered.append(figure(orderedModel, train: split.train, test: split.test).1)
      let strengths = orderedModel.factorStrengths()
      emit([
        "model": name, "seed": seed, "k": fittedK, "metric": metric, "fitted": value,
        "ordered": ordered.last!, "fit_seconds": fitSeconds, "order_seconds": orderSeconds,
      ])
      for k in options.ks where k < fittedK {
        let (cut, cutSeconds) = try clockTime { try orderedModel.keepingLeadingFactors(k) }
        let t = figure(cut, train: split.train, test: split.test).1
        let r = figure(
          try fitFactorModel(name, factors: k, seed: seed, on: split.train), train: split.train,
          test: split.test
        ).1
        let e = energy(strengths, keeping: k)
        truncated[k, default: []].append(t)
        refitted[k, default: []].append(r)
        kept[k, default: []].append(e)
        emit([
          "model": name, "seed": seed, "k": k, "metric": metric, "truncated": t, "refitted": r,
          "energy_kept": e, "truncate_seconds": cutSeconds,
        ])
      }
    }
    table.append(
      "| \(name) | \(fittedK) (fitted) | \(metric) | \(cell(ordered)) (ordered) | "
        + "\(cell(original)) | \(cell(zip(ordered, original).map { $0 - $1 })) | 1.000 |")
    for k in options.ks where k < fittedK {
      let t = truncated[k]!
      let r = refitted[k]!
      table.append(
        "| \(name) | \(k) | \(metric) | \(cell(t)) | \(cell(r)) | "
          + "\(cell(zip(t, r).map { $0 - $1 })) | \(String(format: "%.3f", meanStd(kept[k]!).0)) |")
    }
  }
  print(table.joined(separator: "\n"))
}

func partFoldIn(_ options: Options, split: DatasetSplit) throws {
  // Users the model never saw, folded in at a reduced K: ColdStartEvaluation's protocol, each K
  // truncated from the default fit vs refitted at that K.
  let name = options.segmentModel
  let ks = options.ks.filter { $0 >= 1 }
  var scorers = [
    ColdStartScorer(name: "full") { try fitFactorModel(name, factors: nil, on: $0) }
  ]
  for k in ks {
    scorers.append(
      ColdStartScorer(name: "truncated-\(k)") {
        try fitFactorModel(name, factors: nil, on: $0).truncated(toFactors: k)
      })
    scorers.append(
      ColdStartScorer(name: "refitted-\(k)") { try fitFactorModel(name, factors: k, on: $0) })
  }
  let rows = try ColdStartEvaluation(counts: [1, 3, 10]).run(
    train: split.train, test: split.test, scorers: scorers)
  var table = [
    "| \(name) fold-in | " + rows.map { "n = \($0.n) (\($0.users) users)" }.joined(separator: " | ")
      + " |",
    "|---|" + rows.map { _ in "---:" }.joined(separator: "|") + "|",
  ]
  for scorer in scorers.map(\.name) {
    emit([
      "model": name, "scorer": scorer, "ndcg": rows.map { $0.ndcg[scorer] ?? 0 },
      "n": rows.map(\.n),
    ])
    table.append(
      "| \(scorer) | " + rows.map { fmt($0.ndcg[scorer] ?? 0) }.joined(separator: " | ") + " |")
  }
  print(table.joined(separator: "\n"))
}

func partSegments(_ options: Options, split: DatasetSplit, catalog: Catalog) throws {
  let name = options.segmentModel
  let evaluation = SegmentFallbackEvaluation(segmentCounts: options.segments)
  let (report, seconds) = try clockTime {
    try evaluation.run(train: split.train, test: split.test, catalog: catalog) {
      try fitFactorModel(name, factors: nil, on: $0)
    }
  }
  var row: [String: Any] = [
    "model": name, "users": report.users, "users_stating_genres": report.usersStatingGenres,
    "seconds": seconds,
  ]
  for (key, value) in report.ndcg { row[key] = value }
  emit(row)
  var table = [
    "| scorer (\(report.users) users, \(report.usersStatingGenres) stating genres) | NDCG@10 |",
    "|---|---:|",
  ]
  for key in report.ndcg.keys.sorted() { table.append("| \(key) | \(fmt(report.ndcg[key]!)) |") }
  print(table.joined(separator: "\n"))
}

func fmt(_ x: Double) -> String { String(format: "%.4f", x) }

let options = Options(arguments: CommandLine.arguments)
do {
  let folder = options.data.appendingPathComponent("ml-100k")
  let split = try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: options.fold)
  if options.part == "k" || options.part == "all" { try partK(options, split: split) }
  if options.part == "foldin" || options.part == "all" { try partFoldIn(options, split: split) }
  if options.part == "segments" || options.part == "all" {
    guard let catalog = try MovieLens100KLoader.load(folder: folder).catalog else {
      throw RecommendError(.invalidArgument, "ml-100k has no u.item: no genres")
    }
    try partSegments(options, split: split, catalog: catalog)
  }
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
