import AFlix
import ArgumentParser
import Foundation
import _AFlixSupport

/// `aflix train`: fits a model on a whole dataset and saves it as a model file.
struct TrainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Fit a model on a dataset and save it (versioned, checksummed, atomic).",
    discussion: """
      Example: aflix train ml-100k --model ials --out ials.aflix
      """)

  @Argument(help: "A dataset folder or ratings file.")
  var dataset: String

  @Option(help: "The model: \(ModelChoice.allValueStrings.joined(separator: ", ")).")
  var model: ModelChoice

  @OptionGroup var hyperparameters: ModelChoice.Hyperparameters

  @OptionGroup var data: DatasetOptions

  @Option(help: "Seed of the model's random initialisation.")
  var seed: UInt64 = 0

  @Option(help: "The model file to write (replaced atomically).")
  var out: String

  @Option(
    help: ArgumentHelp(
      "A result `aflix optimize --save` wrote: its K-SVD becomes the factor count (--rank of svd, --factors of the others) unless that flag is given.",
      valueName: "file"))
  var optimized: String?

  @OptionGroup var common: CommonOptions

  func validate() throws {
    try model.algorithm(hyperparameters, seed: seed).validateHyperparameters()
  }

  func run() async throws {
    common.applyThreads()
    // Refuse a device, FIFO, symbolic link or folder at --out before spending time on the fit.
    try FileAccess.requireWritableDestination(URL(fileURLWithPath: out))
    var hyperparameters = hyperparameters
    if let optimized {
      let result = try OptimizationResult.load(from: URL(fileURLWithPath: optimized))
      switch try FactorCountSearch.factorParameter(of: model.rawValue) {
      case "rank": hyperparameters.rank = hyperparameters.rank ?? result.kSVD
      case "factors": hyperparameters.factors = hyperparameters.factors ?? result.kSVD
      default:
        throw CommandError("--optimized: the \(model.rawValue) model has no factor count to set")
      }
    }
    let fit = try await model.fit(
      on: dataset, hyperparameters, seed: seed, data: data,
      progress: ProgressBar("fitting \(model.rawValue)", enabled: common.showsProgress))
    try fit.model.save(to: URL(fileURLWithPath: out))
    if common.json {
      try JSONOutput.print([
        "model": model.rawValue, "ratings": fit.ratings, "fit_seconds": fit.seconds, "out": out,
      ])
    } else {
      print(
        "\(model.rawValue): fitted on \(fit.ratings) ratings in "
          + String(format: "%.3f s", fit.seconds) + ", saved to \(out)")
    }
  }
}
