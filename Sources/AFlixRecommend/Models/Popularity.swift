import AFlixData

/// The most-rated items first, the same list for everyone: the baseline every ranking model must
/// beat, and the cold-start fallback.
public struct PopularityModel: RecommenderModel, Hashable {
  /// The users of the training data.
  public let users: IDMap
  /// The items of the training data.
  public let items: IDMap
  /// The number of training ratings of each item.
  public let counts: [Int]

  /// The algorithm and hyper-parameters that fitted the model (saved in model files); `nil` for a
  /// model built from its parts.
  public var fitRecord: FitRecord?
  /// Each user's training items, saved with the model: what ``recommend(user:count:excluding:where:)``
  /// leaves out by default. Empty for a model built from its parts.
  public internal(set) var history: UserHistory

  /// Counts the ratings of each item of `data`.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating.
  public init(fitting data: RatingsDataset) throws {
    guard data.ratingCount > 0 else {
      throw RecommendError(.emptyTrainingData, "cannot count popularity in an empty dataset")
    }
    users = data.users
    items = data.items
    counts = data.itemDegrees()
    history = UserHistory(data)
    fitRecord = FitRecord(algorithm: "popularity", hyperparameters: [:])
  }

  /// Creates a model from its parts.
  ///
  /// - Precondition: `counts.count == items.count`.
  ///
  /// `history`, when given, is the users' training items (what `recommend(user:…)` leaves out;
  /// none when `nil`): one row per user, item indices below the item count (checked).
  public init(users: IDMap, items: IDMap, counts: [Int], history: UserHistory? = nil) {
    self.history =
      history?.checked(users: users.count, items: items.count) ?? UserHistory(emptyFor: users.count)
    precondition(counts.count == items.count)
    self.users = users
    self.items = items
    self.counts = counts
  }

  /// The item counts as scores (the same for every user).
  public func scores(forUser user: Int) -> [Float] {
    precondition(user >= 0 && user < users.count, "user index \(user) out of 0..<\(users.count)")
    return counts.map { Float($0) }
  }

  /// The item counts, as for every user (the mean of identical lists), as
  /// ``PredictionSource/averageUser``.
  public func scoresForUnknownUser() -> ItemScores {
    ItemScores(values: counts.map { Float($0) }, source: .averageUser)
  }
}
