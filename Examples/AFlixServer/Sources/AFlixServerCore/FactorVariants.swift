import AFlix
import Foundation

/// The engines of a `k_svd` experiment's variants over one served model: the hybrid refitted with
/// a truncated SVD as its collaborative part at the largest K, and one engine per variant serving
/// the leading K of its factors (the library's `FactorLadder`). New ratings reach them as they
/// reach the served engine.
struct FactorVariants: Sendable {
  /// The experiment they serve.
  var experiment: String
  /// The model generation they were built over.
  var generation: Int
  /// The engines, by variant index.
  var engines: [RecommendationEngine]
}

extension RecommendationService {
  /// Starts building the serving `k_svd` experiment's engines in the background when they are
  /// missing for the served model and no build runs (a build cancelled with its request, or a
  /// model swapped in while the experiment was created): what a request calls when it finds none.
  public func startFactorVariantsIfMissing() {
    let missing = state.withLock { s -> Bool in
      guard let treatment = s.listTreatment, treatment.kind == .kSVD, s.engine != nil,
        !s.isBuildingVariants
      else { return false }
      return s.factorVariants?.experiment != treatment.experiment.name
        || s.factorVariants?.generation != s.generation
    }
    guard missing else { return }
    Task { await prepareFactorVariants() }
  }

  /// The engine of variant `index` of the `k_svd` experiment `experiment` over the served model,
  /// when built (``prepareFactorVariants()``); `nil` otherwise (the served list is then the
  /// model's, and not counted as the variant's).
  public func variantEngine(experiment: String, variant index: Int) -> RecommendationEngine? {
    state.withLock { s in
      guard let variants = s.factorVariants, variants.experiment == experiment,
        variants.generation == s.generation, variants.engines.indices.contains(index)
      else { return nil }
      return variants.engines[index]
    }
  }

  /// Builds the variant engines of the serving `k_svd` experiment over the served model, unless
  /// they are built: a hybrid fit with a truncated SVD at the variants' largest K (bounded by
  /// min(users, films) − 1; a larger variant gets the largest), off the cooperative pool at
  /// background priority, and the ratings stored since the model's training folded in. Called
  /// when such an experiment is created and after each new model serves; the experiment's first
  /// engines drop the cached lists (later ones leave them to expire, as a new model does). A
  /// failure is logged; the variants' users then get the model's lists, untagged.
  public func prepareFactorVariants() async {
    guard let treatment = listTreatment, treatment.kind == .kSVD,
      let (engine, generation) = serving, let model = engine.model as? HybridModel,
      let data = fittedRatings, let info = trainingInfo
    else { return }
    let name = treatment.experiment.name
    // One build at a time: a second caller returns (a request finding the engines still missing
    // afterwards starts another).
    let start = state.withLock { s -> Bool in
      let built = s.factorVariants?.experiment == name && s.factorVariants?.generation == generation
      guard !built, !s.isBuildingVariants else { return false }
      s.isBuildingVariants = true
      return true
    }
    guard start else { return }
    defer { state.withLock { $0.isBuildingVariants = false } }
    do {
      let catalog = catalog
      let options = FitOptions(threadCount: trainingThreads, priority: .background)
      let largest = min(treatment.factorCounts.max() ?? 1, min(data.userCount, data.itemCount) - 1)
      guard largest >= 1 else { return }
      let hybrid = try await Hybrid(
        catalog: catalog, collaborative: TruncatedSVDRecommender(rank: largest, seed: 0),
        weights: model.weights
      ).fit(data, options: options)
      let ladder = try await OffPool.background {
        try FactorLadder(hybrid: hybrid, factors: treatment.factorCounts.map { min($0, largest) })
      }
      let engines = treatment.factorCounts.map {
        RecommendationEngine(model: ladder.nearestModel(toFactors: $0), ratings: data)
      }
      let folded = try await foldStoredRatings(after: info.throughSequence, into: engines).through
      let installed = state.withLock { s -> Bool in
        guard s.generation == generation, s.listTreatment?.experiment.name == name else {
          return false
        }
        // The first engines of an experiment drop the cached lists (its users' untagged lists);
        // later ones, for a new model, leave them to expire as the served model's lists do.
        if s.factorVariants?.experiment != name { s.catalogVersion += 1 }
        s.factorVariants = FactorVariants(
          experiment: name, generation: generation, engines: engines)
        return true
      }
      guard installed else { return }
      // Ratings stored while the engines were built and installed.
      _ = try await foldStoredRatings(after: folded, into: engines)
      logger.info(
        "k_svd variants ready",
        metadata: ["experiment": "\(name)", "factors": "\(treatment.factorCounts)"])
    } catch {
      logger.error("k_svd variants of \(name) not built: \(error)")
    }
  }
}
