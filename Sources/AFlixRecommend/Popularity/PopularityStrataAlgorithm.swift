import AFlixData

/// The popularity strata as a configured algorithm: fitting builds ``PopularityStrata`` on the
/// dataset and wraps them in a ``StrataModel`` — the hybrid's default popularity scorer when it
/// has a catalog.
///
/// ```swift
/// let popularity = try PopularityStrataAlgorithm(catalog: catalog).fit(train)
/// popularity.scores(forGenres: [Genre.named("Comedy")], attributes: nil)
/// ```
public struct PopularityStrataAlgorithm: RecommenderAlgorithm {
  /// The films' catalog (release years, genres), when known.
  public var catalog: Catalog?
  /// The users' attributes (demographic match), when known.
  public var attributes: UserAttributeTable?
  /// The reference time of the time strata; the dataset's latest timestamp when `nil`.
  public var referenceTime: Int64?
  /// Half-life, rising window and minimum votes.
  public var configuration: PopularityStrata.Configuration
  /// The weight of each stratum.
  public var weights: PopularityStrata.Weights

  /// `"popularity-strata"`.
  public var name: String { "popularity-strata" }

  /// The configuration and weights (not the catalog or attributes: data, not settings).
  public var fitRecord: FitRecord {
    struct Settings: Encodable {
      var halfLife: Int64
      var risingWindow: Int64
      var referenceTime: Int64?
      var weights: PopularityStrata.Weights
    }
    return FitRecord(
      algorithm: name,
      configuration: Settings(
        halfLife: configuration.halfLife, risingWindow: configuration.risingWindow,
        referenceTime: referenceTime, weights: weights))
  }

  /// Creates a configuration; the defaults are ``PopularityStrata/Weights/default`` and the
  /// default ``PopularityStrata/Configuration``.
  public init(
    catalog: Catalog? = nil, attributes: UserAttributeTable? = nil, referenceTime: Int64? = nil,
    configuration: PopularityStrata.Configuration = PopularityStrata.Configuration(),
    weights: PopularityStrata.Weights = .default
  ) {
    self.catalog = catalog
    self.attributes = attributes
    self.referenceTime = referenceTime
    self.configuration = configuration
    self.weights = weights
  }

  /// Checks the weights.
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try weights.validate()
  }

  /// Fits the strata on `data`.
  ///
  /// - Throws: what ``StrataModel/init(fitting:catalog:attributes:referenceTime:configuration:weights:)``
  ///   throws.
  public func fit(_ data: RatingsDataset) throws -> StrataModel {
    try fit(data, monitor: FitMonitor())
  }

  /// Fits the strata on `data` (one step).
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> StrataModel {
    // The model keeps its own record: the configuration with the resolved reference time and
    // minimum vote count.
    let model = try StrataModel(
      fitting: data, catalog: catalog, attributes: attributes, referenceTime: referenceTime,
      configuration: configuration, weights: weights)
    try monitor.checkpoint(step: 1, total: 1)
    return model
  }
}
