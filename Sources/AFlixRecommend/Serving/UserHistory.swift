import AFlixData
import AFlixLinalg

/// Each user's training items, as sorted item indices in compressed sparse rows: what a fitted
/// model keeps so that it can leave out what a user already rated without the training dataset.
///
/// Memory: 8 bytes per user and 4 per rating (MovieLens 100k: ≈ 400 KB).
public struct UserHistory: Sendable, Hashable {
  /// Row offsets: user `u`'s items are `itemIndices[offsets[u]..<offsets[u + 1]]`.
  public let offsets: [Int]
  /// Item indices, ascending within each user.
  public let itemIndices: [Int32]

  /// An empty history for `users` users (a model built from its parts, or read from a file
  /// written before histories were saved): nothing is excluded by default.
  public init(emptyFor users: Int) {
    offsets = [Int](repeating: 0, count: max(0, users) + 1)
    itemIndices = []
  }

  /// The training items of every user of `data`.
  public init(_ data: RatingsDataset) {
    offsets = data.userItemMatrix.rowOffsets
    itemIndices = data.userItemMatrix.columnIndices
  }

  /// A history from its parts, checked: `offsets` starts at 0, never decreases, ends at
  /// `itemIndices.count`, and every user's indices ascend strictly within `0..<items`.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` naming the first user whose row is wrong.
  public init(offsets: [Int], itemIndices: [Int32], items: Int) throws {
    guard offsets.first == 0, offsets.last == itemIndices.count else {
      throw RecommendError(
        .invalidArgument,
        "history offsets must run from 0 to \(itemIndices.count) (the item count), got "
          + "\(offsets.first.map(String.init) ?? "none")…\(offsets.last.map(String.init) ?? "none")"
      )
    }
    // Monotone first, so that every row below lies inside `itemIndices`.
    for u in 0..<(offsets.count - 1) where offsets[u] > offsets[u + 1] {
      throw RecommendError(.invalidArgument, "history offsets decrease at user \(u)")
    }
    for u in 0..<(offsets.count - 1) {
      let lo = offsets[u]
      let hi = offsets[u + 1]
      var previous: Int32 = -1
      for t in lo..<hi {
        let i = itemIndices[t]
        guard i > previous, Int(i) < items else {
          throw RecommendError(
            .invalidArgument,
            "history of user \(u): item index \(i) is out of 0..<\(items) or not ascending")
        }
        previous = i
      }
    }
    self.offsets = offsets
    self.itemIndices = itemIndices
  }

  /// The number of users.
  public var userCount: Int { offsets.count - 1 }

  /// User `user`'s training items, ascending; empty for an index outside the history.
  public func items(ofUser user: Int) -> ArraySlice<Int32> {
    guard user >= 0, user < userCount else { return [] }
    return itemIndices[offsets[user]..<offsets[user + 1]]
  }

  /// This history for a model of `users` users and `items` items.
  ///
  /// - Precondition: one row per user, every item index below `items` (a history built with the
  ///   checking ``init(offsets:itemIndices:items:)`` for those items satisfies it).
  func checked(users: Int, items: Int) -> UserHistory {
    precondition(userCount == users, "history has \(userCount) users, the model \(users)")
    precondition(
      itemIndices.allSatisfy { $0 >= 0 && Int($0) < items },
      "history holds an item index outside 0..<\(items)")
    return self
  }
}
