// K-SVD selection on MovieLens 100k (issue 13): the K each strategy of AFlixOptimize chooses on
// u1.base (validation: 3 seeded folds of u1.base, held-out RMSE, one-standard-error rule; and the
// original's two composites), against the test RMSE of the truncated-SVD recommender fitted on
// u1.base at every K of the range and scored on u1.test. The target: the validation strategy's K
// scores within 0.005 of the best fixed K.
// Options:
//   --svd a,b,…     the K-SVD candidates (default 10,15,…,50)
//   --seeds a,b,…   optimiser seeds (default 0)
//   --data DIR      the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)
//   --factor-models a,b,…   instead: the factor-count search of these registry models (grid and
//                   golden-section, 3 folds of u1.base, one-standard-error rule) over
//                   --factors (default 4,8,16,32,64,128), against every fixed count fitted on
//                   u1.base and scored on u1.test (RMSE, or NDCG@10 for ranking models)
// Prints one JSON object per strategy and seed, then a Markdown table.
// Run: swift run -c release --package-path Benchmarks aflix-bench-optimize [options]
import AFlix
import BenchmarkSupport
import Foundation

var candidates = Array(stride(from: 10, through: 50, by: 5))
var seeds: [UInt64] = [0]
var data = defaultDataFolder()
var factorModels: [String] = []
var factorCounts = [4, 8, 16, 32, 64, 128]
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let a = arguments.next() {
  switch a {
  case "--svd": candidates = (arguments.next() ?? "").split(separator: ",").compactMap { Int($0) }
  case "--seeds": seeds = (arguments.next() ?? "").split(separator: ",").compactMap { UInt64($0) }
  case "--data": data = URL(fileURLWithPath: arguments.next() ?? "")
  case "--factor-models":
    factorModels = (arguments.next() ?? "").split(separator: ",").map(String.init)
  case "--factors":
    factorCounts = (arguments.next() ?? "").split(separator: ",").compactMap { Int($0) }
  default:
    exitWithUsage(
      "usage: aflix-bench-optimize [--svd a,b,…] [--seeds a,b,…] [--data DIR] "
        + "[--factor-models a,b,… [--factors a,b,…]]", for: a)
  }
}

/// The factor-count searches of `models` on u1.base against every fixed count on u1.test.
func factorSearches(
  _ split: DatasetSplit, models factorModels: [String], counts factorCounts: [Int]
)
  async throws
{
  var rows: [String] = []
  for name in factorModels {
    guard let parameter = try FactorCountSearch.factorParameter(of: name) else { continue }
    let probe = try AlgorithmRegistry.algorithm(named: name, seed: 0)
    var fixed: [Int: Double] = [:]
    for k in factorCounts {
      let model = try AlgorithmRegistry.algorithm(
        named: name, hyperparameters: [parameter: .integer(k)], seed: 0
      ).fit(split.train)
      if let predictor = model as? any RatingPredictor {
        fixed[k] = AccuracyReport(of: predictor, on: split.test).rmse
      } else {
        fixed[k] = RankingReport(of: model, train: split.train, test: split.test, k: 10).ndcg
      }
    }
    let lower = probe.predictsRatings
    let best = factorCounts.min { lower ? fixed[$0]! < fixed[$1]! : fixed[$0]! > fixed[$1]! }!
    // Grid, golden-section, and (mf-als) the grid with warm starts.
    let variants: [(FactorCountSearch.Method, Bool)] =
      [(.grid, false), (.goldenSection, false)] + (name == "mf-als" ? [(.grid, true)] : [])
    for (method, warmStart) in variants {
      let search = FactorCountSearch(
        algorithm: name, candidates: factorCounts, method: method, warmStart: warmStart)
      let result = try await search.run(split.train)
      let gap = fixed[result.k]! - fixed[best]!
      emit([
        "model": name, "method": method.rawValue + (warmStart ? " (warm)" : ""),
        "metric": result.metric.rawValue, "k": result.k,
        "test_value": fixed[result.k]!, "best_fixed_k": best, "best_fixed_value": fixed[best]!,
        "gap": gap, "fits": result.fits, "grid_fits": result.gridFits, "seconds": result.seconds,
        "candidates": result.candidates.map {
          ["k": $0.k, "mean": $0.mean, "standard_error": $0.standardError ?? 0]
        },
      ])
      rows.append(
        String(
          format: "| %@ | %@ | %@ | %d | %.4f | %d | %.4f | %+.4f | %d / %d | %.1f |", name,
          method.rawValue + (warmStart ? " (warm)" : ""), result.metric.rawValue, result.k,
          fixed[result.k]!, best, fixed[best]!,
          gap, result.fits, result.gridFits, result.seconds))
    }
  }
  print(
    "\n| model | search | metric | chosen | its u1.test value | best fixed | its value | gap "
      + "| fits / grid | seconds |")
  print("|---|---|---|---|---|---|---|---|---|---|")
  for row in rows { print(row) }
}

do {
  let split = try MovieLens100KLoader.loadPredefinedSplit(
    folder: data.appendingPathComponent("ml-100k"), fold: 1)
  if !factorModels.isEmpty {
    try await factorSearches(split, models: factorModels, counts: factorCounts)
    exit(0)
  }
  // The fixed-K reference: every K fitted on u1.base, scored on u1.test.
  var testRMSE: [Int: Double] = [:]
  for seed in seeds {
    for k in candidates {
      let model = try TruncatedSVDRecommender(rank: k, seed: seed).fit(split.train)
      testRMSE[k, default: 0] +=
        AccuracyReport(of: model, on: split.test).rmse / Double(seeds.count)
    }
  }
  let bestK = candidates.min { testRMSE[$0]! < testRMSE[$1]! }!
  emit([
    "reference": "u1.test RMSE by fixed K",
    "rmse_by_k": testRMSE.map { ["k": $0.key, "rmse": $0.value] },
    "best_k": bestK, "best_rmse": testRMSE[bestK]!,
  ])
  var rows: [String] = []
  let strategies: [any KSVDStrategy] = [
    ValidationStrategy(), ValidationStrategy(oneStandardError: false),
    ValidationStrategy(metric: .ndcg), OriginalCompositeStrategy(), OriginalRMSEStrategy(),
  ]
  for strategy in strategies {
    for seed in seeds {
      let optimizer = KOptimizer(
        svdCandidates: .values(candidates), clusterCandidates: [2, 3], strategy: strategy,
        seed: seed, restarts: 1)
      let (result, seconds) = try clockTime { try optimizer.run(split.train) }
      let chosenRMSE = testRMSE[result.kSVD] ?? .nan
      let label =
        strategy.name
        + ((strategy as? ValidationStrategy).map {
          "(\($0.metric.rawValue)\($0.oneStandardError ? ", 1-SE" : ""))"
        } ?? "")
      emit([
        "strategy": label, "seed": seed, "k": result.kSVD, "test_rmse": chosenRMSE,
        "best_k": bestK, "best_rmse": testRMSE[bestK]!, "gap": chosenRMSE - testRMSE[bestK]!,
        "seconds": seconds,
      ])
      rows.append(
        String(
          format: "| %@ | %llu | %d | %.4f | %d | %.4f | %+.4f | %.2f |", label, seed, result.kSVD,
          chosenRMSE, bestK, testRMSE[bestK]!, chosenRMSE - testRMSE[bestK]!, seconds))
    }
  }
  print("\n| strategy | seed | chosen K | u1.test RMSE | best fixed K | its RMSE | gap | seconds |")
  print("|---|---|---|---|---|---|---|---|")
  for row in rows { print(row) }
} catch {
  FileHandle.standardError.write(Data("aflix-bench-optimize: \(error)\n".utf8))
  exit(1)
}
