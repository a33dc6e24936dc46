import AFlix
import ArgumentParser
import Foundation

/// `aflix similar`: the items most similar to an item, from a model file.
struct SimilarCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "similar",
    abstract: "List the items most similar to an item (cosine of item factors, kNN, EASE).",
    discussion: """
      Factor models compare items by the cosine of their factors, the item-based kNN model by its
      learned similarities, EASE by its item–item weights. An unknown item, or a model without
      item similarity (baseline, popularity, blend), gets the model's fallback, named on stderr.

      Example: aflix similar ials.aflix --item 50 --n 10
      """)

  @Argument(help: "A model file written by `aflix train`.")
  var modelFile: String

  @Option(help: "The item's id, as the dataset spells it.")
  var item: EntityID

  @Option(name: .customLong("n"), parsing: .unconditional, help: "How many items (1 or more).")
  var count = 10

  @OptionGroup var common: CommonOptions

  func validate() throws {
    try CountOption.check(count, "--n", minimum: 1, maximum: Int.max)
  }

  func run() throws {
    common.applyThreads()
    let model = try ModelRegistry.load(from: URL(fileURLWithPath: modelFile))
    let result = model.similarItems(to: item, count: count)
    ServingOutput.printNotes(
      result,
      fallback: model.items.index(of: item) == nil
        ? "item \(item) is unknown to the model" : "this model has no item similarity")
    print(
      try ServingOutput.render(result, heading: "Most similar to item \(item):", json: common.json))
  }
}
