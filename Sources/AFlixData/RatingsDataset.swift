import AFlixLinalg

/// A set of ratings indexed for fast access: users and items get dense indices (``users``,
/// ``items``), and the ratings are stored once by user (compressed sparse rows, items ascending)
/// and once by item.
///
/// ```swift
/// let data = try RatingsDataset(
///   ratings: [Rating(user: 1, item: 10, value: 4), Rating(user: 1, item: 12, value: 3.5),
///             Rating(user: 2, item: 10, value: 5)],
///   scale: .halfStars)
/// data.userCount                                   // 2
/// let u = data.users.index(of: 1)!                 // 0
/// let (items, values) = data.ratings(ofUser: u)    // views, no copy: [0, 1], [4, 3.5]
/// data.value(user: u, item: data.items.index(of: 12)!)   // 3.5
/// let x = data.userItemMatrix                      // CSR users × items, for the models
/// ```
///
/// Users and items are indexed in ascending id order (``EntityID`` order: integers first), so
/// MovieLens user 1 is index 0. The *user-major position* of a rating is its place in the by-user
/// storage (`0..<ratingCount`); ``subset(userMajorIndices:)`` and the splits select by it.
public struct RatingsDataset: Sendable {
  /// The sum of all values in `Double`, kept by ``add(_:duplicates:missingTimestamp:)``.
  var valueSum: Double
  /// The largest timestamp, or `nil` without timestamps or ratings.
  public internal(set) var latestTimestamp: Int64?
  /// The scale the values were checked against.
  public var scale: RatingScale
  /// The users' ids; user index `u` is `users.id(at: u)`.
  public internal(set) var users: IDMap
  /// The items' ids; item index `i` is `items.id(at: i)`.
  public internal(set) var items: IDMap
  /// The ratings as a CSR `userCount × itemCount` matrix (stored, not rebuilt per call).
  public internal(set) var userItemMatrix: SparseMatrix<Float>
  /// The same ratings by item (compressed sparse columns), for the algebra that walks items.
  public internal(set) var itemUserMatrix: SparseColumnMatrix<Float>
  /// Timestamps in user-major order, or `nil`.
  var timestampStorage: [Int64]?
  /// The mean of all values, accumulated in `Double`; 0 when there are no ratings.
  ///
  /// After ``add(_:duplicates:missingTimestamp:)`` it is kept up to date from a running sum, so
  /// it may differ in the last bits from the mean of a dataset built from scratch (which sums in
  /// user-major order).
  public internal(set) var globalMean: Double

  /// Creates a dataset from stored parts (already valid, sorted by user then item).
  init(
    scale: RatingScale, users: IDMap, items: IDMap, matrix: SparseMatrix<Float>,
    timestamps: [Int64]?
  ) {
    precondition(matrix.rows == users.count && matrix.columns == items.count)
    precondition(timestamps.map { $0.count == matrix.nonzeroCount } ?? true)
    self.scale = scale
    self.users = users
    self.items = items
    self.userItemMatrix = matrix
    self.itemUserMatrix = matrix.columnMajor()
    self.timestampStorage = timestamps
    var sum = 0.0
    for v in matrix.values { sum += Double(v) }
    self.valueSum = sum
    self.globalMean = matrix.nonzeroCount == 0 ? 0 : sum / Double(matrix.nonzeroCount)
    self.latestTimestamp = timestamps?.max()
  }

  /// The number of users (including users of the id map that have no rating here, as in a test
  /// subset).
  public var userCount: Int { users.count }
  /// The number of items.
  public var itemCount: Int { items.count }
  /// The number of ratings.
  public var ratingCount: Int { userItemMatrix.nonzeroCount }
  /// `ratingCount / (userCount · itemCount)`, 0 for an empty shape.
  public var density: Double { userItemMatrix.density }
  /// Whether every rating has a timestamp (false for an empty dataset built without them).
  public var hasTimestamps: Bool { timestampStorage != nil }

  /// User `index`'s items (ascending) and values, as views into the storage.
  ///
  /// - Complexity: O(1).
  public func ratings(ofUser index: Int) -> (items: ArraySlice<Int32>, values: ArraySlice<Float>) {
    let row = userItemMatrix.row(index)
    return (row.columns, row.values)
  }

  /// User `index`'s timestamps, matching ``ratings(ofUser:)``, or `nil` without timestamps.
  ///
  /// - Complexity: O(1).
  public func timestamps(ofUser index: Int) -> ArraySlice<Int64>? {
    guard let timestampStorage else { return nil }
    let offsets = userItemMatrix.rowOffsets
    return timestampStorage[offsets[index]..<offsets[index + 1]]
  }

  /// Item `index`'s users (ascending) and values, as views into the storage.
  ///
  /// - Complexity: O(1).
  public func ratings(ofItem index: Int) -> (users: ArraySlice<Int32>, values: ArraySlice<Float>) {
    let column = itemUserMatrix.column(index)
    return (column.rows, column.values)
  }

  /// The rating of user index `user` for item index `item`, or `nil` when there is none (or either
  /// index is out of range).
  ///
  /// - Complexity: O(log(user degree)), a binary search.
  public func value(user: Int, item: Int) -> Float? {
    guard let p = position(user: user, item: item) else { return nil }
    return userItemMatrix.values[p]
  }

  /// The rating of user `userID` for item `itemID`, or `nil` when either id is unknown or there is
  /// no such rating.
  public func value(userID: EntityID, itemID: EntityID) -> Float? {
    guard let u = users.index(of: userID), let i = items.index(of: itemID) else { return nil }
    return value(user: u, item: i)
  }

  /// The user-major position of (`user`, `item`), or `nil`.
  func position(user: Int, item: Int) -> Int? {
    guard user >= 0, user < userCount, item >= 0, item < itemCount else { return nil }
    let offsets = userItemMatrix.rowOffsets
    let columns = userItemMatrix.columnIndices
    var lo = offsets[user]
    var hi = offsets[user + 1]
    let end = hi
    let target = Int32(item)
    while lo < hi {
      let mid = (lo + hi) / 2
      if columns[mid] < target { lo = mid + 1 } else { hi = mid }
    }
    return lo < end && columns[lo] == target ? lo : nil
  }

  /// The number of ratings of each user, by user index.
  public func userDegrees() -> [Int] {
    let offsets = userItemMatrix.rowOffsets
    return (0..<userCount).map { offsets[$0 + 1] - offsets[$0] }
  }

  /// The number of ratings of each item, by item index.
  public func itemDegrees() -> [Int] {
    let offsets = itemUserMatrix.columnOffsets
    return (0..<itemCount).map { offsets[$0 + 1] - offsets[$0] }
  }

  /// ``userItemMatrix`` with values converted to `S`.
  public func userItemMatrix<S: BLASScalar>(as type: S.Type) -> SparseMatrix<S> {
    SparseMatrix<S>(converting: userItemMatrix)
  }

  /// Each distinct value with its number of ratings, values ascending (for a continuous scale,
  /// the values as stored).
  ///
  /// - Complexity: O(ratingCount + d log d) for d distinct values.
  public func histogram() -> [(value: Float, count: Int)] {
    var counts: [Float: Int] = [:]
    for v in userItemMatrix.values { counts[v, default: 0] += 1 }
    return counts.keys.sorted().map { ($0, counts[$0]!) }
  }

  /// Every rating with its external ids and timestamp, by user index then item index.
  public func allRatings() -> [Rating] {
    var out: [Rating] = []
    out.reserveCapacity(ratingCount)
    let offsets = userItemMatrix.rowOffsets
    let columns = userItemMatrix.columnIndices
    let values = userItemMatrix.values
    for u in 0..<userCount {
      let user = users.id(at: u)
      for p in offsets[u]..<offsets[u + 1] {
        out.append(
          Rating(
            user: user, item: items.id(at: Int(columns[p])), value: values[p],
            timestamp: timestampStorage?[p]))
      }
    }
    return out
  }

  /// The ratings at the given user-major positions (in any order), as a dataset that **keeps the
  /// full** ``users`` **and** ``items`` **maps**, so that indices agree between a train and a test
  /// subset.
  ///
  /// - Precondition: each position is in `0..<ratingCount` and appears once.
  /// - Complexity: O(ratingCount + userCount + itemCount).
  public func subset(userMajorIndices positions: [Int]) -> RatingsDataset {
    let n = ratingCount
    var selected = [Bool](repeating: false, count: n)
    for p in positions {
      precondition(p >= 0 && p < n, "subset: position \(p) is outside 0..<\(n)")
      precondition(!selected[p], "subset: position \(p) is given twice")
      selected[p] = true
    }
    let offsets = userItemMatrix.rowOffsets
    let columns = userItemMatrix.columnIndices
    let values = userItemMatrix.values
    var newOffsets = [Int](repeating: 0, count: userCount + 1)
    var newColumns: [Int32] = []
    var newValues: [Float] = []
    var newTimestamps: [Int64]? = timestampStorage == nil ? nil : []
    newColumns.reserveCapacity(positions.count)
    newValues.reserveCapacity(positions.count)
    newTimestamps?.reserveCapacity(positions.count)
    for u in 0..<userCount {
      for p in offsets[u]..<offsets[u + 1] where selected[p] {
        newColumns.append(columns[p])
        newValues.append(values[p])
        if let timestampStorage { newTimestamps?.append(timestampStorage[p]) }
      }
      newOffsets[u + 1] = newColumns.count
    }
    return RatingsDataset(
      scale: scale, users: users, items: items,
      matrix: Self.validMatrix(
        rows: userCount, columns: itemCount, rowOffsets: newOffsets, columnIndices: newColumns,
        values: newValues),
      timestamps: newTimestamps)
  }

  /// A CSR matrix from arrays this module built and knows to be valid.
  static func validMatrix(
    rows: Int, columns: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Float]
  ) -> SparseMatrix<Float> {
    do {
      return try SparseMatrix(
        rows: rows, columns: columns, rowOffsets: rowOffsets, columnIndices: columnIndices,
        values: values)
    } catch {
      preconditionFailure("RatingsDataset built an invalid matrix: \(error)")
    }
  }
}
