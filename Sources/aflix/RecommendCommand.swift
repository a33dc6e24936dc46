import AFlix
import ArgumentParser
import Foundation

/// `aflix recommend`: the top items for a user from a model file, or from a dataset with a model
/// fitted first.
struct RecommendCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recommend",
    abstract: "Recommend items for a user (known, unknown, or described by --rated).",
    discussion: """
      MODEL_OR_DATASET is a model file written by `aflix train`, or a dataset when --model names
      the algorithm to fit first. A known user does not get what they rated in training; an
      unknown user gets the model's fallback (named on stderr). --rated "ID=4.5,ID=2" folds the
      user in from those ratings without retraining (the rated items are left out too); ids the
      model does not know are ignored and listed on stderr.
      """)

  @Argument(help: "A model file, or a dataset folder or ratings file with --model.")
  var modelOrDataset: String

  @Option(help: "The user's id, as the dataset spells it.")
  var user: String

  @Option(name: .customLong("n"), parsing: .unconditional, help: "How many items (1 or more).")
  var count = 10

  @Option(help: "Ratings that describe the user, as ID=VALUE pairs separated by commas.")
  var rated: String?

  @Option(
    help:
      "Fit this algorithm on the dataset first: \(ModelChoice.allValueStrings.joined(separator: ", "))."
  )
  var model: ModelChoice?

  @OptionGroup var hyperparameters: ModelChoice.Hyperparameters

  @OptionGroup var data: DatasetOptions

  @Option(help: "Seed of the model's random initialisation (with --model).")
  var seed: UInt64 = 0

  @Flag(help: "Print one JSON array of {item_id, score, source}, best first.")
  var json = false

  func validate() throws {
    try CountOption.check(count, "--n", minimum: 1, maximum: Int.max)
    if let rated { _ = try Self.parseRatings(rated) }
    if let model { try model.algorithm(hyperparameters, seed: seed).validateHyperparameters() }
  }

  func run() throws {
    data.applyThreads()
    let fitted = try ServedModel.load(
      modelOrDataset, model: model, hyperparameters: hyperparameters, seed: seed, data: data)
    let id = EntityID(parsing: user)
    let result: Recommendations
    if let rated {
      // A known user's training items stay excluded too (the model keeps which items a user
      // rated, not the values: --rated describes the user afresh).
      let training = fitted.users.index(of: id).map { u in
        fitted.history.items(ofUser: u).map { fitted.items.id(at: Int($0)) }
      }
      result = fitted.recommend(
        forRatings: try Self.parseRatings(rated), count: count,
        excluding: .rated(and: training ?? []))
    } else {
      result = fitted.recommend(user: id, count: count)
    }
    ServingOutput.printNotes(
      result,
      fallback: rated == nil
        ? "user \(user) is unknown to the model" : "no rated item is known to the model")
    print(try ServingOutput.render(result, heading: "Top \(count) for user \(user):", json: json))
  }

  /// `ID=VALUE` pairs separated by commas, values finite.
  static func parseRatings(_ text: String) throws -> [(item: EntityID, value: Float)] {
    try text.split(separator: ",", omittingEmptySubsequences: true).map { pair in
      let parts = pair.split(separator: "=", maxSplits: 1)
      guard parts.count == 2, let value = Float(parts[1].trimmingCharacters(in: .whitespaces)),
        value.isFinite, !parts[0].trimmingCharacters(in: .whitespaces).isEmpty
      else {
        throw ValidationError(
          "--rated expects ID=VALUE pairs separated by commas with finite values, got '\(pair)'")
      }
      return (EntityID(parsing: parts[0].trimmingCharacters(in: .whitespaces)), value)
    }
  }
}

/// The model a serving command answers from: a model file, or a dataset fitted first.
enum ServedModel {
  static func load(
    _ path: String, model: ModelChoice?, hyperparameters: ModelChoice.Hyperparameters,
    seed: UInt64, data: DatasetOptions
  ) throws -> any RecommenderModel {
    guard let model else {
      return try ModelRegistry.load(from: URL(fileURLWithPath: path))
    }
    return try model.fit(on: path, hyperparameters, seed: seed, data: data).model
  }
}
