import AFlixData

/// The hybrid recommender's configuration: a collaborative algorithm, an optional content-based
/// one, a popularity one and the weights of their scores by how much is known about a user.
///
/// Fitting fits the three on the same dataset (``HybridModel`` checks they share users and items)
/// and, with a catalog, groups the users by taste (``TasteSegments``) for explanations. The
/// default collaborative part is EASE, the default popularity part the popularity strata, and the
/// default weights the measured chain ``HybridWeights/measured`` (the original engine's fixed
/// 0.6 / 0.3 / 0.1 is ``HybridWeights/original``). ``init(catalog:attributes:collaborative:weights:)`` adds
/// the content-based scorer of the catalog.
///
/// ```swift
/// let hybrid = try Hybrid(catalog: catalog).fit(train)
/// try hybrid.recommend(user: 42, HybridRequest(count: 10, explain: true))
/// ```
public struct Hybrid: RecommenderAlgorithm {
  /// The collaborative algorithm; EASE by default.
  public var collaborative: any RecommenderAlgorithm
  /// The content-based algorithm, when a catalog is at hand; none by default.
  public var content: (any RecommenderAlgorithm)?
  /// The popularity algorithm; the popularity strata (``PopularityStrataAlgorithm``, with the
  /// catalog) by default.
  public var popularity: any RecommenderAlgorithm
  /// The weights by known-rating count.
  public var weights: HybridWeights
  /// The films' catalog, kept with the model for titles, stated genres, diversity and
  /// explanations; not a hyper-parameter (not in the ``fitRecord``).
  public var catalog: Catalog?
  /// Where the training ratings come from (a synthetic world, real users, both), when the
  /// caller knows: the fitted model's ``FitRecord/provenance`` then records it with the
  /// collaborative model's factor count and the number of taste segments.
  public var source: ModelProvenance.Source?

  /// `"hybrid"`.
  public var name: String { "hybrid" }

  /// The weights and each part's record.
  public var fitRecord: FitRecord {
    struct Settings: Encodable {
      var collaborative: FitRecord
      var content: FitRecord?
      var popularity: FitRecord
      var weights: HybridWeights
    }
    return FitRecord(
      algorithm: name,
      configuration: Settings(
        collaborative: collaborative.fitRecord, content: content?.fitRecord,
        popularity: popularity.fitRecord, weights: weights))
  }

  /// Creates a configuration.
  public init(
    collaborative: any RecommenderAlgorithm = EASE(), content: (any RecommenderAlgorithm)? = nil,
    popularity: (any RecommenderAlgorithm)? = nil,
    weights: HybridWeights = .measured, catalog: Catalog? = nil
  ) {
    self.collaborative = collaborative
    self.content = content
    self.popularity = popularity ?? PopularityStrataAlgorithm(catalog: catalog)
    self.weights = weights
    self.catalog = catalog
  }

  /// The full hybrid of a catalog: `collaborative` (EASE by default), the content-based scorer
  /// of the catalog's traits (``ContentBased``), the popularity strata of its films, and the
  /// measured weights; the model keeps the catalog's titles and genres.
  /// With `attributes` (MovieLens' `u.user`), the popularity strata add demographic match for
  /// the users they describe.
  public init(
    catalog: Catalog, attributes: UserAttributeTable? = nil,
    collaborative: any RecommenderAlgorithm = EASE(), weights: HybridWeights = .measured
  ) {
    self.init(
      collaborative: collaborative, content: ContentBased(catalog: catalog),
      popularity: PopularityStrataAlgorithm(catalog: catalog, attributes: attributes),
      weights: weights, catalog: catalog)
  }

  /// Checks every part's hyper-parameters.
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try collaborative.validateHyperparameters()
    try content?.validateHyperparameters()
    try popularity.validateHyperparameters()
  }

  /// Fits every part on `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData`, and the parts' errors.
  public func fit(_ data: RatingsDataset) throws -> HybridModel {
    try fit(data, monitor: FitMonitor())
  }

  /// Fits every part on `data`, calling `monitor` after each (steps 1…3; the parts report their
  /// own steps too): the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> HybridModel {
    guard data.ratingCount > 0 else {
      throw RecommendError(.emptyTrainingData, "cannot fit a hybrid on a dataset with no rating")
    }
    try validateHyperparameters()
    let total = 3
    let collaborativeModel =
      try collaborative.fit(data, monitor: monitor.member(collaborative.name))
      as any RecommenderModel
    try monitor.checkpoint(step: 1, total: total)
    var contentModel: (any RecommenderModel)?
    if let content {
      contentModel =
        try content.fit(data, monitor: monitor.member(content.name)) as any RecommenderModel
    }
    try monitor.checkpoint(step: 2, total: total)
    let popularityModel =
      try popularity.fit(data, monitor: monitor.member(popularity.name)) as any RecommenderModel
    try monitor.checkpoint(step: 3, total: total)
    // Taste segments for explanations, when the films' genres are known.
    let segments = try catalog.map { catalog in
      try TasteSegments(data: data, genres: ItemGenreSets(catalog: catalog, items: data.items))
    }
    var model = try HybridModel(
      collaborative: collaborativeModel, content: contentModel, popularity: popularityModel,
      weights: weights, catalog: catalog, segments: segments)
    model.fitRecord = fitRecord
    if let source {
      model.fitRecord?.provenance = ModelProvenance(
        source: source,
        factorCount: collaborative.fitRecord.hyperparameters["factors"]?.doubleValue.map {
          Int($0)
        },
        clusterCount: segments?.labels.count,
        note: "\(data.userCount) users, \(data.itemCount) films, \(data.ratingCount) ratings")
    }
    return model
  }
}
