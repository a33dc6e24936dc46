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

      Example: aflix optimize ml-100k --svd 10...50 --clusters 2...8 --json
      """)

  @Argument(help: "A dataset folder or file (see `aflix --help`).")
  var path: String

  @OptionGroup var dataset: DatasetOptions

  @Option(
    parsing: .unconditional,
    help:
      "K-SVD candidates: a range (10...50 steps by 5, the original's; 10...50:1 every K) or a list (10,20,30); default: the original's, adaptive by density."
  )
  var svd: String?

  @Option(parsing: .unconditional, help: "K-cluster candidates: a range (2...8) or a list.")
  var clusters = "2...8"

  @Option(help: "validation, original or original-rmse.")
  var strategy = "validation"

  @Option(help: "The validation metric: rmse or ndcg (default: rmse; ndcg for ranking models).")
  var metric: String?

  @Option(
    help: ArgumentHelp(
      "Tune the factor count of this registry model instead: mf-sgd, mf-als, svdpp, bpmf, ials, bpr or svd (held-out error over --folds folds, one-standard-error rule; candidates from --svd, default 4,8,16,32,64,128).",
      valueName: "name"))
  var model: String?

  @Option(help: "How --model's candidates are visited: grid or golden-section.")
  var search = "grid"

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

  @Flag(
    help:
      "Print one JSON event per line as it happens (the last is `completed`; with --model, `factor_count_optimal`)."
  )
  var json = false

  func validate() throws {
    _ = try Self.values(svd ?? "1", option: "--svd", step: 5)
    _ = try Self.values(clusters, option: "--clusters")
    _ = try makeStrategy()
    try CountOption.check(folds, "--folds", minimum: 2, maximum: 20)
    try CountOption.check(restarts, "--restarts", minimum: 1, maximum: 1_000)
    guard FactorCountSearch.Method(rawValue: search) != nil else {
      throw ValidationError("--search must be grid or golden-section, got '\(search)'")
    }
    if let model {
      let ignored = [
        save.map { _ in "--save" }, strategy != "validation" ? "--strategy" : nil,
        clusters != "2...8" ? "--clusters" : nil, reportValidation ? "--validate" : nil,
        restarts != 10 ? "--restarts" : nil,
      ].compactMap { $0 }
      guard ignored.isEmpty else {
        throw ValidationError(
          "\(ignored.joined(separator: ", ")) does not apply with --model (a factor-count search "
            + "has no strategy, clusters or saved K-SVD result)")
      }
      if try parsedMetric() == .rmse,
        (try? AlgorithmRegistry.defaultAlgorithm(named: model).predictsRatings) == false
      {
        throw ValidationError(
          "--metric rmse: \(model) ranks items without predicting ratings (use --metric ndcg)")
      }
      guard AlgorithmRegistry.names.contains(model),
        (try? FactorCountSearch.factorParameter(of: model)) != nil
      else {
        throw ValidationError(
          "--model must be a factor model of the registry (mf-sgd, mf-als, svdpp, bpmf, ials, "
            + "bpr, svd), got '\(model)'")
      }
    }
  }

  /// `10...50`, `10...50:5` or `10,20,30`: ascending, each at least 1, at most 200 values; a
  /// range without a step takes `step` (5 for `--svd`, the original's; 1 for `--clusters`).
  static func values(_ text: String, option: String, step defaultStep: Int = 1) throws -> [Int] {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    var out: [Int] = []
    if trimmed.contains("...") {
      let (range, step) = {
        let parts = trimmed.split(separator: ":", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? Int(parts[1]) : defaultStep)
      }()
      let bounds = range.components(separatedBy: "...").map { Int($0) }
      guard bounds.count == 2, let low = bounds[0], let high = bounds[1], let step, step >= 1,
        low >= 1, low <= high, (high - low) / step < 200
      else {
        throw ValidationError(
          "\(option) must be a range LOW...HIGH[:STEP] with 1 ≤ LOW ≤ HIGH and at most 200 "
            + "values, or a list, got '\(text)'")
      }
      out = Array(stride(from: low, through: high, by: step))
    } else {
      let parsed = trimmed.split(separator: ",").map {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      guard !parsed.isEmpty, parsed.count <= 200, parsed.allSatisfy({ ($0 ?? 0) >= 1 }) else {
        throw ValidationError(
          "\(option) must be a range (10...50) or a list of counts ≥ 1 (10,20), got '\(text)'")
      }
      out = parsed.compactMap { $0 }
    }
    return out
  }

  /// `--metric` parsed (`nil` when not given).
  func parsedMetric() throws -> ValidationStrategy.Metric? {
    guard let metric else { return nil }
    guard let parsed = ValidationStrategy.Metric(rawValue: metric) else {
      throw ValidationError("--metric must be rmse or ndcg, got '\(metric)'")
    }
    return parsed
  }

  func makeStrategy() throws -> any KSVDStrategy {
    let metric = try parsedMetric() ?? .rmse
    switch strategy {
    case "validation": return ValidationStrategy(metric: metric, folds: folds)
    case "original": return OriginalCompositeStrategy()
    case "original-rmse": return OriginalRMSEStrategy(folds: folds)
    default:
      throw ValidationError(
        "--strategy must be validation, original or original-rmse, got '\(strategy)'")
    }
  }

  func run() async throws {
    dataset.applyThreads()
    let (loaded, _) = try dataset.load(path: path)
    guard let ratings = loaded.ratings, ratings.ratingCount > 0 else {
      throw CommandError("\(path) holds no ratings to optimise on")
    }
    if let model {
      try await searchFactorCount(of: model, on: ratings)
      return
    }
    let optimizer = KOptimizer(
      svdCandidates: try svd.map { .values(try Self.values($0, option: "--svd", step: 5)) }
        ?? .adaptive,
      clusterCandidates: try Self.values(clusters, option: "--clusters"),
      strategy: try makeStrategy(), seed: seed, restarts: restarts,
      reportsValidation: reportValidation)
    var display = OptimizeDisplay(bar: isatty(STDERR_FILENO) == 1 && !json)
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
          if json {
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
      if json,
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
  func searchFactorCount(of model: String, on ratings: RatingsDataset) async throws {
    let search = FactorCountSearch(
      algorithm: model,
      candidates: try Self.values(svd ?? "4,8,16,32,64,128", option: "--svd", step: 5),
      folds: folds, metric: try parsedMetric(),
      method: FactorCountSearch.Method(rawValue: self.search) ?? .grid, seed: seed)
    let json = json
    let total = Double(max(1, search.candidates.count))
    let scored = Mutex(0)
    @Sendable func line(_ object: [String: Any]) {
      guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      else { return }
      print(String(decoding: data, as: UTF8.self))
      fflush(nil)
    }
    if !json { print("\(model): factor count by held-out error (\(search.method.rawValue))") }
    let result = try await search.run(ratings) { c in
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
    if json {
      line([
        "type": "factor_count_optimal", "progress": 100, "model": model,
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
