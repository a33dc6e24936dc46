import AFlix
import ArgumentParser
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `aflix optimize`: chooses K-SVD and K-cluster for a dataset and shows the search live.
struct OptimizeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "optimize",
    abstract: "Choose K-SVD (latent factors) and K-cluster (segments), showing the search live.",
    discussion: """
      One randomized truncated SVD of the ratings at the largest K serves every K-SVD candidate \
      (explained variance Σσ²/‖R‖², efficiency, overfitting risk K/min(users, items)). \
      --strategy validation (the default) scores each K by held-out RMSE over --folds seeded \
      folds (or NDCG@10 with --metric ndcg) and takes the smallest K within one standard error \
      of the best; original is the original's composite 0.4·EV + 0.3·EV/K + 0.2·(1 − risk) \
      (what seed_pipeline.py reproduces); original-rmse is its cross-validated RMSE variant. \
      K-means (k-means++) then clusters the users' factors U·Σ at the chosen K for each \
      K-cluster candidate, scored by 0.5·silhouette + 0.3·balance + 0.2/k.

      With --json: one JSON event per line as it happens (the original's type names; the last \
      is `completed`, or `factor_count_optimal` with --model); on a terminal without --json, a \
      progress bar on standard error.

      Example: aflix optimize ml-100k --svd 10...50 --clusters 2...8 --json
      """)

  @Argument(help: "A dataset folder or file (see `aflix --help`).")
  var path: String

  @OptionGroup var dataset: DatasetOptions

  @Option(
    parsing: .unconditional,
    help:
      "K-SVD candidates: a range (10...50 steps by 5, the original's; 10...50:1 every K) or a list (10,20,30); default: the original's, adaptive by density.",
    transform: CountSelection.factorCounts)
  var svd: CountSelection?

  @Option(
    parsing: .unconditional, help: "K-cluster candidates: a range (2...8) or a list.",
    transform: CountSelection.clusterCounts)
  var clusters = CountSelection(Array(2...8), description: "2...8")

  @Option(help: "How K-SVD is chosen.")
  var strategy = StrategyChoice.validation

  @Option(help: "The validation metric (default: rmse; ndcg for ranking models).")
  var metric: ValidationStrategy.Metric?

  @Option(
    help: ArgumentHelp(
      "Tune the factor count of this registry model instead: mf-sgd, mf-als, svdpp, bpmf, ials, bpr or svd (held-out error over --folds folds, one-standard-error rule; candidates from --svd, default 4,8,16,32,64,128).",
      valueName: "name"),
    transform: FactorModelName.parse)
  var model: FactorModelName?

  @Option(help: "How --model's candidates are visited.")
  var search = FactorCountSearch.Method.grid

  @Option(parsing: .unconditional, help: "Folds of the validation (2–20).")
  var folds = 3

  @Option(parsing: .unconditional, help: "K-means restarts per K (1–1000).")
  var restarts = 10

  @Option(help: "Seed of the decompositions, the folds and K-means.")
  var seed: UInt64 = 0

  @Option(help: "Save the chosen K values and every candidate's figures to this JSON file.")
  var save: String?

  @Flag(
    name: .customLong("validate"),
    help:
      "Report held-out RMSE and NDCG@10 of every K-SVD candidate also with the original strategies (--folds folds)."
  )
  var reportValidation = false

  @OptionGroup var common: CommonOptions

  func validate() throws {
    try CountOption.check(folds, "--folds", minimum: 2, maximum: 20)
    try CountOption.check(restarts, "--restarts", minimum: 1, maximum: 1_000)
    if let model {
      let ignored = [
        save.map { _ in "--save" }, strategy != .validation ? "--strategy" : nil,
        clusters.values != Array(2...8) ? "--clusters" : nil, reportValidation ? "--validate" : nil,
        restarts != 10 ? "--restarts" : nil,
      ].compactMap { $0 }
      guard ignored.isEmpty else {
        throw ValidationError(
          "\(ignored.joined(separator: ", ")) does not apply with --model (a factor-count search "
            + "has no strategy, clusters or saved K-SVD result)")
      }
      if metric == .rmse, !model.predictsRatings {
        throw ValidationError(
          "--metric rmse: \(model) ranks items without predicting ratings (use --metric ndcg)")
      }
    }
  }

  /// The strategy `--strategy`, `--metric` and `--folds` describe.
  func makeStrategy() -> any KSVDStrategy {
    switch strategy {
    case .validation: return ValidationStrategy(metric: metric ?? .rmse, folds: folds)
    case .original: return OriginalCompositeStrategy()
    case .originalRMSE: return OriginalRMSEStrategy(folds: folds)
    }
  }

  func run() async throws {
    common.applyThreads()
    let (loaded, _) = try dataset.load(path: path)
    guard let ratings = loaded.ratings, ratings.ratingCount > 0 else {
      throw CommandError("\(path) holds no ratings to optimise on")
    }
    if let model {
      try await searchFactorCount(of: model, on: ratings)
      return
    }
    let optimizer = KOptimizer(
      svdCandidates: svd.map { .values($0.values) } ?? .adaptive,
      clusterCandidates: clusters.values,
      strategy: makeStrategy(), seed: seed, restarts: restarts,
      reportsValidation: reportValidation)
    var display = OptimizeDisplay(bar: common.showsProgress)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    var failure: (any Error)?
    var progress = 0.0
    let result: OptimizationResult
    do {
      result = try optimizer.run(
        ratings,
        emit: { event in
          progress = event.progress
          if common.json {
            // One object per line, flushed: a pipe sees each event as it happens.
            guard let data = try? encoder.encode(event) else {
              failure = CommandError("event \(event.type) has a value JSON cannot hold")
              return
            }
            print(String(decoding: data, as: UTF8.self))
            fflush(nil)
          } else {
            display.show(event)
          }
        })
    } catch {
      display.finish()
      if common.json,
        let data = try? encoder.encode(
          OptimizationEvent.error(message: "\(error)", progress: progress))
      {
        print(String(decoding: data, as: UTF8.self))
        fflush(nil)
      }
      throw error
    }
    display.finish()
    if let failure { throw failure }
    if let save { try AtomicFile.write(try result.json(), to: URL(fileURLWithPath: save)) }
  }

  /// `--model`: the factor-count search of a registry model, a line per candidate as it is
  /// scored (JSON objects with `--json`), then the choice.
  func searchFactorCount(of model: FactorModelName, on ratings: RatingsDataset) async throws {
    let search = FactorCountSearch(
      algorithm: model.name,
      candidates: svd?.values ?? [4, 8, 16, 32, 64, 128],
      folds: folds, metric: metric, method: self.search, seed: seed)
    let json = common.json
    let total = Double(max(1, search.candidates.count))
    let scored = Mutex(0)
    @Sendable func line(_ object: [String: Any]) {
      guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      else { return }
      print(String(decoding: data, as: UTF8.self))
      fflush(nil)
    }
    if !json { print("\(model): factor count by held-out error (\(search.method.rawValue))") }
    let bar = ProgressBar("searching", enabled: common.showsProgress)
    let count = search.candidates.count
    let result = try await search.run(ratings) { c in
      bar.clear()
      defer { bar.advance(of: count, note: "candidates") }
      if json {
        let done = scored.withLock {
          $0 += 1
          return $0
        }
        var object: [String: Any] = [
          "type": "factor_count_result", "k": c.k, "seconds": c.seconds,
          "progress": min(99, 100 * Double(done) / total),
        ]
        func number(_ x: Double?) -> Any {
          guard let x, x.isFinite else { return NSNull() }
          return x
        }
        object["mean"] = number(c.mean)
        object["standard_error"] = number(c.standardError)
        line(object)
      } else {
        print(
          String(
            format: "%6d  mean %.4f  ± %.4f  (%.1f s)", c.k, c.mean, c.standardError ?? 0,
            c.seconds))
        fflush(nil)
      }
    }
    bar.clear()
    if json {
      line([
        "type": "factor_count_optimal", "progress": 100, "model": model.name,
        "metric": result.metric.rawValue,
        "k": result.k, "fits": result.fits, "grid_fits": result.gridFits,
        "seconds": result.seconds,
      ])
    } else {
      print(
        "chosen \(model) factors: \(result.k) (\(result.metric.rawValue), \(result.fits) of "
          + "\(result.gridFits) grid fits, "
          + String(format: "%.1f s)", result.seconds))
    }
  }
}
