import AFlix
import ArgumentParser
import Foundation

/// `aflix evaluate`: fits a model on train splits and reports accuracy and ranking on test.
struct EvaluateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Evaluate a model: RMSE, MAE and ranking metrics per fold, with mean ± std.",
    discussion: """
      Splits: DATASET --folds canonical|u1|…|u5 (MovieLens 100k's predefined folds; \
      canonical = all five), DATASET --kfold K, DATASET --protocol P, or --train PATH --test \
      PATH (any files the loaders read, e.g. from `aflix split`). P is holdout:F (a share F of \
      all ratings to test), user-holdout:F (a share F of each user's ratings to test), \
      stratified:F (a share F of each user's ratings kept in TRAIN, as Microsoft \
      Recommenders' python_stratified_split: stratified:0.75 is the 75/25 ranking protocol) \
      or last:N (each user's N latest ratings to test).

      Ranking: candidates are the items seen in training that the user did not rate there; \
      relevant = held-out ratings (all, or ≥ --relevant).

      Example: aflix evaluate ml-100k --model mf-als --protocol kfold:5
      """
  )

  @Argument(help: "A dataset folder or file (not with --train/--test).")
  var dataset: String?

  @Option(
    help: "MovieLens 100k predefined folds: canonical (u1–u5) or u1 … u5.",
    transform: FoldSelection.anyFolds)
  var folds: FoldSelection?

  @Option(parsing: .unconditional, help: "K-fold cross-validation with K folds (2–1000).")
  var kfold: Int?

  @Option(
    name: .customLong("protocol"),
    help: "One seeded split: holdout:F, user-holdout:F, stratified:F (F kept in train) or last:N.",
    transform: SplitProtocol.parse)
  var splitProtocol: SplitProtocol?

  @Option(help: "A training file or folder (with --test).")
  var train: String?

  @Option(help: "A test file or folder (with --train).")
  var test: String?

  @Option(help: "The model: \(ModelChoice.allValueStrings.joined(separator: ", ")).")
  var model: ModelChoice

  @OptionGroup var hyperparameters: ModelChoice.Hyperparameters

  @OptionGroup var data: DatasetOptions

  @Option(
    parsing: .unconditional,
    help: "Relevant held-out ratings for ranking: all, or a threshold such as 4.",
    transform: Relevance.parse)
  var relevant = Relevance.all

  @Option(
    parsing: .unconditional,
    help: "The ranking cut-off k (above the training items it is clamped, with a warning).")
  var k = 10

  @Option(help: "Seed for splits and models.")
  var seed: UInt64 = 0

  @OptionGroup var common: CommonOptions

  mutating func validate() throws {
    let sources = [folds != nil, kfold != nil, splitProtocol != nil, train != nil].filter { $0 }
    guard sources.count == 1 else {
      throw ValidationError("give exactly one of --folds, --kfold, --protocol, --train/--test")
    }
    if train != nil {
      guard test != nil, dataset == nil else {
        throw ValidationError("--train needs --test, and no DATASET argument")
      }
    } else {
      guard dataset != nil else { throw ValidationError("DATASET is required") }
    }
    if let kfold {
      try CountOption.check(kfold, "--kfold", minimum: 2, maximum: SplitProtocol.maximumFolds)
    }
    guard k >= 1 else { throw ValidationError("--k must be at least 1, got \(k)") }
    try model.algorithm(hyperparameters, seed: seed).validateHyperparameters()
  }

  func splits() throws -> (splits: [DatasetSplit], catalog: Catalog?) {
    if let train, let test {
      let a = try data.load(path: train).dataset
      let b = try data.load(path: test).dataset
      guard let trainRatings = a.ratings, let testRatings = b.ratings else {
        throw ValidationError("--train and --test must both hold ratings")
      }
      return ([DatasetSplit(name: "train/test", train: trainRatings, test: testRatings)], a.catalog)
    }
    guard let path = dataset else { throw ValidationError("DATASET is required") }
    if let folds {
      let folder = URL(fileURLWithPath: try DatasetReference.resolve(path))
      let options = data.loadOptions()
      let splits = try folds.folds.map {
        try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: $0, options: options)
      }
      let catalog = try? data.load(path: path).dataset.catalog
      return (splits, catalog ?? nil)
    }
    let (loaded, _) = try data.load(path: path)
    guard let ratings = loaded.ratings else {
      throw ValidationError("\(path) holds no ratings")
    }
    guard let parsed = kfold.map({ SplitProtocol.kFold($0) }) ?? splitProtocol else {
      throw ValidationError("give exactly one of --folds, --kfold, --protocol, --train/--test")
    }
    return (try ratings.split(parsed, seed: seed), loaded.catalog)
  }

  func run() throws {
    common.applyThreads()
    var warnings = CommandWarnings()
    let algorithm = try model.algorithm(hyperparameters, seed: seed)
    let (splits, catalog) = try splits()
    // The data bounds the cut-off: a list holds at most the items seen in training.
    let items = splits.map(\.train.itemCount).max() ?? 0
    for warning in model.dataWarnings(hyperparameters, items: items) { warnings.add(warning) }
    var cutoff = k
    if k > items, items >= 1 {
      cutoff = items
      warnings.add("--k \(k) clamped to \(items): the dataset has only \(items) items")
    }
    let bar = ProgressBar("evaluating \(model.rawValue)", enabled: common.showsProgress)
    bar.update(step: 0, of: splits.count, note: "folds")
    let report = try Evaluation.evaluate(
      algorithm, on: splits, k: cutoff, relevance: relevant, catalog: catalog
    ) { done, total in bar.update(step: done, of: total, note: "folds \(done)/\(total)") }
    bar.clear()
    for fold in report.folds where fold.ranking.users == 0 {
      // Ranking figures of 0 would otherwise look like a (very bad) measurement.
      warnings.add(
        "split '\(fold.name)': no test user has a relevant rating (--relevant "
          + "\(report.relevance)); its ranking figures are 0 by definition")
    }
    warnings.printToStandardError()
    print(
      common.json
        ? try ReportFormatter.json(report, warnings: warnings.messages)
        : ReportFormatter.table(report))
  }
}
