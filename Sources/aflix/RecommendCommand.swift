import AFlix
import ArgumentParser
import Foundation

/// `aflix recommend`: the top items for a user from a model file, or from a dataset with a model
/// fitted first.
struct RecommendCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recommend",
    abstract: "Recommend items for a user (known, unknown, or described by --rated).",
    discussion: """
      MODEL_OR_DATASET is a model file written by `aflix train`, or a dataset when --model names
      the algorithm to fit first. A known user does not get what they rated in training; an
      unknown user gets the model's fallback (named on stderr). --rated "ID=4.5,ID=2" folds the
      user in from those ratings without retraining (the rated items are left out too); ids the
      model does not know are ignored and listed on stderr.

      Example: aflix recommend ml-100k --user 42 --explain
      """)

  @Argument(help: "A model file, or a dataset folder or ratings file with --model.")
  var modelOrDataset: String

  @Option(help: "The user's id, as the dataset spells it.")
  var user: EntityID

  @Option(name: .customLong("n"), parsing: .unconditional, help: "How many items (1 or more).")
  var count = 10

  @Option(
    help: "Ratings that describe the user, as ID=VALUE pairs separated by commas.",
    transform: RatedItems.parse)
  var rated: RatedItems?

  @Option(
    help:
      "Fit this algorithm on the dataset first: \(ModelChoice.allValueStrings.joined(separator: ", "))."
  )
  var model: ModelChoice?

  @OptionGroup var hyperparameters: ModelChoice.Hyperparameters

  @OptionGroup var data: DatasetOptions

  @Option(help: "Seed of the model's random initialisation (with --model).")
  var seed: UInt64 = 0

  @Option(
    help: "Genres the user likes, separated by commas (onboarding a user with no rating).",
    transform: GenreList.parse)
  var genres: GenreList?

  @Option(
    help: "Diversity re-ranking: off, original (the original rule) or mmr:λ (λ in 0…1).",
    transform: DiversityReranking.parse)
  var diversity = DiversityReranking.off

  @Flag(help: "Explain each recommendation (scorer shares, the rated films behind it).")
  var explain = false

  @Option(
    help: "Hybrid weights collaborative,content,popularity for every user (e.g. 0.6,0.3,0.1).",
    transform: HybridMix.parse)
  var weights: HybridMix?

  @OptionGroup var common: CommonOptions

  func validate() throws {
    try CountOption.check(count, "--n", minimum: 1, maximum: Int.max)
    if let model { try model.algorithm(hyperparameters, seed: seed).validateHyperparameters() }
  }

  /// Whether a hybrid-only option was given.
  var asksForHybrid: Bool {
    genres != nil || diversity != .off || explain || weights != nil
  }

  /// The hybrid request the options describe.
  func request() throws -> HybridRequest {
    var request = HybridRequest(count: count, explain: explain)
    request.diversity = diversity
    request.statedGenres = genres?.genres ?? []
    if let weights { request.weights = try HybridWeights(fixed: weights) }
    return request
  }

  func run() async throws {
    common.applyThreads()
    let served = try await ServedModel.load(
      modelOrDataset, model: model, hyperparameters: hyperparameters, seed: seed, data: data,
      progress: ProgressBar("fitting", enabled: common.showsProgress))
    let hybrid = try served.hybrid ?? (asksForHybrid ? served.wrapped() : nil)
    if let hybrid {
      try runHybrid(hybrid)
      return
    }
    let fitted = served.model
    let id = user
    let result: Recommendations
    if let rated {
      // A known user's training items stay excluded too (the model keeps which items a user
      // rated, not the values: --rated describes the user afresh).
      result = fitted.recommend(
        forRatings: rated.ratings, count: count,
        excluding: .rated(and: Self.training(of: id, in: fitted)))
    } else {
      result = fitted.recommend(user: id, count: count)
    }
    ServingOutput.printNotes(
      result,
      fallback: rated == nil
        ? "user \(user) is unknown to the model" : "no rated item is known to the model")
    print(
      try ServingOutput.render(result, heading: "Top \(count) for user \(user):", json: common.json)
    )
  }

  /// The hybrid path: titles, predicted ratings, explanations, diversity, stated genres.
  func runHybrid(_ hybrid: HybridModel) throws {
    let id = user
    var request = try request()
    let result: HybridRecommendations
    do {
      if let rated {
        request.exclusion = .rated(and: Self.training(of: id, in: hybrid))
        result = try hybrid.recommend(forRatings: rated.ratings, request)
      } else {
        result = try hybrid.recommend(user: id, request)
      }
    } catch let error as RecommendError {
      throw CommandError(error.message)
    }
    ServingOutput.printNotes(
      Recommendations(items: [], source: result.source, ignoredItems: result.ignoredItems),
      fallback: rated == nil
        ? "user \(user) is unknown to the model" : "no rated item is known to the model")
    print(
      try ServingOutput.render(result, heading: "Top \(count) for user \(user):", json: common.json)
    )
  }

  /// A known user's training items, by id (none for an unknown user).
  static func training(of id: EntityID, in model: some RecommenderModel) -> [EntityID] {
    model.users.index(of: id).map { u in
      model.history.items(ofUser: u).map { model.items.id(at: Int($0)) }
    } ?? []
  }
}

/// The model a serving command answers from: a model file, a dataset with `--model` fitted first,
/// or a dataset alone, for which the hybrid is fitted (with the dataset's catalog when it has one).
struct ServedModel {
  /// The model served.
  var model: any RecommenderModel
  /// The model as a hybrid, when it is one.
  var hybrid: HybridModel?
  /// The dataset's catalog, when a dataset was read.
  var catalog: Catalog?

  static func load(
    _ path: String, model: ModelChoice?, hyperparameters: ModelChoice.Hyperparameters,
    seed: UInt64, data: DatasetOptions, progress: ProgressBar
  ) async throws -> ServedModel {
    let path = try DatasetReference.resolve(path)  // a fetched dataset's name: its folder
    if let model {
      let fitted = try await model.fit(
        on: path, hyperparameters, seed: seed, data: data, progress: progress)
      return ServedModel(model: fitted.model, hybrid: nil, catalog: fitted.catalog)
    }
    if try FileAccess.kind(atPath: path) != .directory {
      do {
        let loaded = try ModelRegistry.load(from: URL(fileURLWithPath: path))
        return ServedModel(model: loaded, hybrid: loaded as? HybridModel, catalog: nil)
      } catch let error as ModelFileError where error.kind == .notAModelFile {
        // Not a model file: read it as a dataset below.
      }
    }
    let (loaded, world) = try data.load(path: path)
    guard let ratings = loaded.ratings else {
      throw ValidationError("\(path) is neither a model file nor a dataset with ratings")
    }
    // A MovieLens 100k folder's u.user gives the popularity strata their demographic match.
    let users = URL(fileURLWithPath: path).appendingPathComponent("u.user")
    let attributes =
      try FileAccess.kind(atPath: path) == .directory && FileAccess.exists(atPath: users.path)
      ? try MovieLens100KLoader.loadUsers(file: users) : nil
    var algorithm = loaded.catalog.map { Hybrid(catalog: $0, attributes: attributes) } ?? Hybrid()
    // The model says what it learnt from: a synthetic world or real ratings.
    algorithm.source = world == nil ? .real : .world
    let hybrid = try await algorithm.fit(
      ratings,
      options: FitOptions { step in
        guard step.enclosing.isEmpty else { return }
        progress.update(step: step.step, of: step.totalSteps, note: step.algorithm)
      })
    progress.clear()
    return ServedModel(model: hybrid, hybrid: hybrid, catalog: loaded.catalog)
  }

  /// The model as the collaborative part of a hybrid that weighs it alone (popularity from its
  /// training history), so that hybrid options apply to any model.
  func wrapped() throws -> HybridModel {
    var counts = [Int](repeating: 0, count: model.items.count)
    for u in 0..<model.users.count {
      for i in model.history.items(ofUser: u) { counts[Int(i)] += 1 }
    }
    return try HybridModel(
      collaborative: model, content: nil,
      popularity: PopularityModel(
        users: model.users, items: model.items, counts: counts, history: model.history),
      weights: HybridWeights(fixed: HybridMix(collaborative: 1, content: 0, popularity: 0)),
      catalog: catalog)
  }
}
