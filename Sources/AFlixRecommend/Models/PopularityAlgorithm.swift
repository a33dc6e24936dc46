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

  /// The fit itself; ``fit(_:)`` adds the ``PopularityModel/fitRecord``.
  private func fitParameters(_ data: RatingsDataset) throws -> PopularityModel {
    try PopularityModel(fitting: data)
  }
}
