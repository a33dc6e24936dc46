import AFlixData

/// A user described only by their ratings, in a model's item indices: the input of fold-in
/// (``RecommenderModel/scores(forRatings:)``).
///
/// Built from external ids with ``RecommenderModel/userRatings(_:)``, which drops ids the model
/// does not know (and reports them) and keeps the last value of an item given twice.
public struct UserRatings: Sendable, Hashable {
  /// Item indices of the model, ascending, without repeats.
  public let items: [Int]
  /// The rating of each item, finite.
  public let values: [Float]

  /// Ratings from `(item index, value)` pairs: sorted by item, the last value of a repeated item
  /// kept, pairs whose index is outside `0..<itemCount` or whose value is not finite dropped.
  public init(_ pairs: [(item: Int, value: Float)], itemCount: Int) {
    var last: [Int: Float] = [:]
    for (i, v) in pairs where i >= 0 && i < itemCount && v.isFinite { last[i] = v }
    let sorted = last.keys.sorted()
    items = sorted
    values = sorted.map { last[$0]! }
  }

  /// The number of ratings.
  public var count: Int { items.count }
  /// Whether there is no rating.
  public var isEmpty: Bool { items.isEmpty }
}

extension RecommenderModel {
  /// `ratings` (external item id → value) in this model's item indices, and the ids it does not
  /// know or whose value is not finite (ignored, in the order given).
  public func userRatings(_ ratings: [(item: EntityID, value: Float)]) -> (
    ratings: UserRatings, ignored: [EntityID]
  ) {
    var pairs: [(item: Int, value: Float)] = []
    var ignored: [EntityID] = []
    for (id, v) in ratings {
      if let i = items.index(of: id), v.isFinite {
        pairs.append((i, v))
      } else {
        ignored.append(id)
      }
    }
    return (UserRatings(pairs, itemCount: items.count), ignored)
  }
}
