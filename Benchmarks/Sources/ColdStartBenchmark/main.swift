// Cold-start benchmark (issue 12): NDCG@10 of users the model never saw who kept their first n
// ratings, by the protocol of ../shared/anchors/coldstart_eval.py (`ColdStartEvaluation`), for
// popularity, the collaborative models alone and hybrids with fixed mixes — the measurement that
// chooses the hybrid's default weight chain. Tune on one fold (default u2), report on another (u1).
// Options:
//   --fold N          MovieLens 100k fold uN (default 2)
//   --n a,b,…         kept-rating counts (default 0,1,2,3,5,10)
//   --mixes c/t/p;…   hybrid mixes collaborative/content/popularity (default a grid)
//   --no-measured     leave out the hybrid with the default chain (HybridWeights.measured)
//   --popularity counts|strata   the hybrid's popularity scorer (default counts)
//   --collaborative NAME   registry name of the hybrid's collaborative model (default ease)
//   --data DIR        the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)
// Run: swift run -c release --package-path Benchmarks aflix-bench-coldstart [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var fold = 2
  var counts = [0, 1, 2, 3, 5, 10]
  var mixes: [HybridMix] = [
    (1, 0, 0), (1, 0, 0.25), (1, 0, 0.5), (1, 0, 1), (1, 0, 2), (1, 0, 4), (0.6, 0.3, 0.1),
  ].map { HybridMix(collaborative: $0.0, content: $0.1, popularity: $0.2) }
  var collaborative = "ease"
  var popularity = "counts"
  var measured = true
  var data = defaultDataFolder()

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--fold": fold = Int(it.next() ?? "") ?? fold
      case "--n": counts = (it.next() ?? "").split(separator: ",").compactMap { Int($0) }
      case "--collaborative": collaborative = it.next() ?? collaborative
      case "--popularity": popularity = it.next() ?? popularity
      case "--mixes":
        mixes = (it.next() ?? "").split(separator: ";").compactMap { text in
          let w = text.split(separator: "/").compactMap { Float($0) }
          return w.count == 3
            ? HybridMix(collaborative: w[0], content: w[1], popularity: w[2]) : nil
        }
      case "--no-measured": measured = false
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      default:
        exitWithUsage(
          "usage: aflix-bench-coldstart [--fold N] [--n a,b,…] [--mixes c/t/p;…] "
            + "[--collaborative NAME] [--popularity counts|strata] [--no-measured] [--data DIR]",
          for: a)
      }
    }
  }
}

let options = Options(arguments: CommandLine.arguments)
do {
  let split = try MovieLens100KLoader.loadPredefinedSplit(
    folder: options.data.appendingPathComponent("ml-100k"), fold: options.fold)
  let collaborativeName = options.collaborative
  let catalog = try DatasetLoader.load(
    path: options.data.appendingPathComponent("ml-100k").appendingPathComponent("u.item").path
  ).catalog
  let popularity: any RecommenderAlgorithm =
    options.popularity == "strata"
    ? PopularityStrataAlgorithm(catalog: catalog) : PopularityAlgorithm()
  var scorers = [
    ColdStartScorer(name: "popularity") { try PopularityAlgorithm().fit($0) },
    ColdStartScorer(name: "strata") { try PopularityStrataAlgorithm(catalog: catalog).fit($0) },
    ColdStartScorer(name: collaborativeName) {
      try AlgorithmRegistry.defaultAlgorithm(named: collaborativeName, seed: 0).fit($0)
    },
  ]
  for mix in options.mixes {
    let weights = try HybridWeights(fixed: mix)
    scorers.append(
      ColdStartScorer(name: "hybrid \(mix)") {
        try Hybrid(
          collaborative: AlgorithmRegistry.defaultAlgorithm(named: collaborativeName, seed: 0),
          content: mix.content > 0 ? catalog.map { ContentBased(catalog: $0) } : nil,
          popularity: popularity, weights: weights
        ).fit($0)
      })
  }
  if options.measured {
    scorers.append(
      ColdStartScorer(name: "hybrid measured") {
        try Hybrid(
          collaborative: AlgorithmRegistry.defaultAlgorithm(named: collaborativeName, seed: 0),
          content: catalog.map { ContentBased(catalog: $0) }, popularity: popularity,
          weights: .measured
        ).fit($0)
      })
  }
  let (rows, seconds) = try clockTime {
    try ColdStartEvaluation(counts: options.counts).run(
      train: split.train, test: split.test, scorers: scorers)
  }
  for row in rows {
    emit(["fold": options.fold, "n": row.n, "users": row.users, "ndcg_at_10": row.ndcg])
  }
  let names = scorers.map(\.name)
  print("\n| scorer | " + rows.map { "n = \($0.n)" }.joined(separator: " | ") + " |")
  print("|---|" + String(repeating: "---|", count: rows.count))
  for name in names {
    print(
      "| \(name) | "
        + rows.map { String(format: "%.4f", $0.ndcg[name] ?? .nan) }.joined(separator: " | ")
        + " |")
  }
  print(
    "| best | "
      + rows.map { row in row.ndcg.max { $0.value < $1.value }.map(\.key) ?? "—" }.joined(
        separator: " | ") + " |")
  print(String(format: "\nfold u%d, %.1f s", options.fold, seconds))
} catch {
  FileHandle.standardError.write(Data("aflix-bench-coldstart: \(error)\n".utf8))
  exit(1)
}
