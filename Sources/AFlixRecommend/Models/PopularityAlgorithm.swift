import AFlixData

/// Ranks items by their number of training ratings: ``PopularityModel``'s algorithm.
public struct PopularityAlgorithm: RecommenderAlgorithm, Hashable, Codable {
  /// Creates the algorithm (it has no hyper-parameter).
  public init() {}

  /// `"popularity"`.
  public var name: String { "popularity" }

  /// Counts each item's ratings in `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating.
  public func fit(_ data: RatingsDataset) throws -> PopularityModel {
    try fitParameters(data).fitted(fitRecord, on: data)
  }

  /// Counts each item's ratings in `data`, calling `monitor` after every phase (one: the counts): the loop behind ``fit(_:options:)``.
  ///
  /// - Throws: `CancellationError` once `monitor` is cancelled, else what ``fit(_:)`` throws.
  public func fit(_ data: RatingsDataset, monitor: FitMonitor) throws -> PopularityModel {
    try fitParameters(data, monitor: monitor).fitted(fitRecord, on: data)
  }

  /// The fit itself; ``fit(_:)`` adds the ``PopularityModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset, monitor: FitMonitor = FitMonitor())
    throws -> PopularityModel
  {
    let model = try PopularityModel(fitting: data)
    try monitor.checkpoint(step: 1, total: 1)
    return model
  }
}
