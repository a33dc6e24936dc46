import AFlixLinalg

extension RatingsDataset {
  /// Creates a dataset from ratings in any order.
  ///
  /// Users and items are indexed in ascending id order. An empty array gives an empty dataset
  /// (no users, no items, ``globalMean`` 0).
  ///
  /// - Parameters:
  ///   - ratings: the ratings, in any order.
  ///   - scale: every value must be finite and ``RatingScale/contains(_:)`` must accept it.
  ///   - duplicates: what to do with a (user, item) pair given more than once: `.error` throws,
  ///     `.keepLast` keeps the later rating (value and timestamp), `.mean` averages the values,
  ///     `.sum` adds them; a combined value must itself be on the scale (a mean of 4 and 5 is not
  ///     on a whole-star scale), else `.outOfScale` is thrown. Combined ratings take the timestamp of the last one given.
  /// - Throws: ``DataError`` `.nonFiniteValue`, `.outOfScale`, `.duplicateRating`, or
  ///   `.invalidArgument` when some ratings have a timestamp and others do not.
  /// - Complexity: O(n + users + items + u log u + i log i) for n ratings: ids are sorted, the
  ///   ratings are put in (user, item) order by a counting sort by user and a sort of each
  ///   user's row (skipped for rows already in item order).
  public init(ratings: [Rating], scale: RatingScale, duplicates: DuplicatePolicy = .error) throws {
    let timestamps = try Self.checkedTimestamps(of: ratings, scale: scale)
    var userInterner = IDInterner()
    var itemInterner = IDInterner()
    var userIndices = [Int32]()
    var itemIndices = [Int32]()
    userIndices.reserveCapacity(ratings.count)
    itemIndices.reserveCapacity(ratings.count)
    for rating in ratings {
      userIndices.append(userInterner.intern(rating.user))
      itemIndices.append(itemInterner.intern(rating.item))
    }
    let (users, userRemap) = userInterner.sortedMap()
    let (items, itemRemap) = itemInterner.sortedMap()
    for p in userIndices.indices {
      userIndices[p] = userRemap[Int(userIndices[p])]
      itemIndices[p] = itemRemap[Int(itemIndices[p])]
    }
    self =
      try Self.build(
        scale: scale, users: users, items: items, userIndices: userIndices,
        itemIndices: itemIndices, values: ratings.map(\.value), timestamps: timestamps,
        duplicates: duplicates
      ) { first, second in
        throw Self.duplicateError(ratings[first], first: first, second: second)
      }.dataset
  }

  /// Checks each value against `scale` and returns the timestamps (all or none).
  private static func checkedTimestamps(of ratings: [Rating], scale: RatingScale) throws
    -> [Int64]?
  {
    var withTimestamp = 0
    for (k, rating) in ratings.enumerated() {
      try checkValue(of: rating, number: k, scale: scale)
      if rating.timestamp != nil { withTimestamp += 1 }
    }
    if withTimestamp == 0 { return nil }
    guard withTimestamp == ratings.count else {
      throw DataError(
        .invalidArgument,
        message: "\(withTimestamp) of \(ratings.count) ratings have a timestamp: give all or none")
    }
    return ratings.map { $0.timestamp! }
  }

  /// Throws `.nonFiniteValue` or `.outOfScale` unless rating #`k`'s value is finite and on
  /// `scale`.
  static func checkValue(of rating: Rating, number k: Int, scale: RatingScale) throws {
    guard rating.value.isFinite else {
      throw DataError(
        .nonFiniteValue, field: "value", value: "\(rating.value)",
        message: "rating #\(k) (user \(rating.user), item \(rating.item)) is not finite")
    }
    guard scale.contains(rating.value) else {
      throw DataError(
        .outOfScale, field: "value", value: "\(rating.value)",
        message: "rating #\(k) (user \(rating.user), item \(rating.item)) is outside the "
          + "scale \(scale)")
    }
  }

  private static func duplicateError(_ rating: Rating, first: Int, second: Int) -> DataError {
    DataError(
      .duplicateRating, field: "item", value: rating.item.description,
      message: "user \(rating.user) rates item \(rating.item) twice (ratings #\(first) and "
        + "#\(second))")
  }

  /// Builds the storage from parallel arrays of final indices, in input order.
  ///
  /// Entries are put in (user, item, input position) order by a stable counting sort by user and a
  /// sort of each user's row by (item, position) where it is not already in order, then runs of the same pair are combined by `duplicates`. Under `.error`,
  /// `onDuplicate(first, later)` is called with input positions for each repeat: it throws to
  /// abort, or returns to drop the later entry (a lenient loader).
  ///
  /// - Returns: the dataset and, for each user-major position, the input position it came from
  ///   (the last of a combined run, the first under `.error`); empty unless `keepSources`.
  /// - Complexity: O(n + users + items) for input in item order within each user; O(n log d)
  ///   otherwise, for users of degree up to d.
  static func build(
    scale: RatingScale, users: IDMap, items: IDMap, userIndices: [Int32], itemIndices: [Int32],
    values: [Float], timestamps: [Int64]?, duplicates: DuplicatePolicy,
    keepSources: Bool = true, onDuplicate: (_ first: Int, _ later: Int) throws -> Void
  ) throws -> (dataset: RatingsDataset, sources: [Int]) {
    let n = values.count
    precondition(userIndices.count == n && itemIndices.count == n)
    precondition(n <= Int(Int32.max), "more than 2^31 - 1 ratings")
    precondition(timestamps.map { $0.count == n } ?? true)
    let userCount = users.count
    let itemCount = items.count

    // (user, item, position) order: a stable counting sort by user (skipped when the input is
    // already grouped by ascending user, as files usually are), then each user's row sorted by
    // (item, position) unless it already is in item order.
    var userStart = [Int](repeating: 0, count: userCount + 1)
    var grouped = true
    var previousUser: Int32 = 0
    for u in userIndices {
      userStart[Int(u) + 1] += 1
      if u < previousUser { grouped = false }
      previousUser = u
    }
    for u in 0..<userCount { userStart[u + 1] += userStart[u] }
    let userOffsets = userStart

    // Fast path: already in (user, item) order with no repeated pair, as files written by user
    // then item are: the arrays are the storage as they are (shared, not copied).
    if grouped && Self.strictlyAscendingWithinRows(itemIndices, rowOffsets: userOffsets) {
      let matrix: SparseMatrix<Float>
      do {
        matrix = try SparseMatrix(
          rows: userCount, columns: itemCount, rowOffsets: userOffsets,
          columnIndices: itemIndices, values: values)
      } catch {
        throw DataError(.nonFiniteValue, message: "building the ratings matrix failed: \(error)")
      }
      return (
        RatingsDataset(
          scale: scale, users: users, items: items, matrix: matrix, timestamps: timestamps),
        keepSources ? Array(0..<n) : []
      )
    }

    var order: [Int32]
    if grouped {
      order = Array(0..<Int32(truncatingIfNeeded: n))
    } else {
      order = [Int32](repeating: 0, count: n)
      for p in 0..<n {
        let u = Int(userIndices[p])
        order[userStart[u]] = Int32(truncatingIfNeeded: p)
        userStart[u] += 1
      }
    }
    userStart = []
    order.withUnsafeMutableBufferPointer { order in
      itemIndices.withUnsafeBufferPointer { items in
        for u in 0..<userCount {
          let lo = userOffsets[u]
          let hi = userOffsets[u + 1]
          var sorted = true
          var k = lo + 1
          while k < hi {
            if items[Int(order[k - 1])] > items[Int(order[k])] {
              sorted = false
              break
            }
            k += 1
          }
          if sorted { continue }
          // Positions ascend within the row (stable counting sort), so (item, position) is a
          // total order and the sort is deterministic.
          var row = UnsafeMutableBufferPointer(rebasing: order[lo..<hi])
          row.sort { a, b in
            let ia = items[Int(a)]
            let ib = items[Int(b)]
            return ia != ib ? ia < ib : a < b
          }
        }
      }
    }

    var rowOffsets = [Int](repeating: 0, count: userCount + 1)
    var outColumns = [Int32]()
    var outValues = [Float]()
    var sources = [Int]()
    outColumns.reserveCapacity(n)
    outValues.reserveCapacity(n)
    sources.reserveCapacity(n)
    for u in 0..<userCount {
      var q = userOffsets[u]
      let end = userOffsets[u + 1]
      while q < end {
        let first = Int(order[q])
        let item = itemIndices[first]
        var r = q + 1
        while r < end && itemIndices[Int(order[r])] == item { r += 1 }
        if r - q == 1 {
          outValues.append(values[first])
          sources.append(first)
        } else {
          switch duplicates {
          case .error:
            for s in (q + 1)..<r { try onDuplicate(first, Int(order[s])) }
            outValues.append(values[first])
            sources.append(first)
          case .keepLast:
            outValues.append(values[Int(order[r - 1])])
            sources.append(Int(order[r - 1]))
          case .sum, .mean:
            var total = 0.0
            for s in q..<r { total += Double(values[Int(order[s])]) }
            outValues.append(
              try Self.combine(
                total, count: r - q, policy: duplicates, scale: scale,
                user: users.id(at: u), item: items.id(at: Int(item))))
            sources.append(Int(order[r - 1]))
          }
        }
        outColumns.append(item)
        q = r
      }
      rowOffsets[u + 1] = outColumns.count
    }
    let outTimestamps = timestamps.map { t in sources.map { t[$0] } }
    let matrix: SparseMatrix<Float>
    do {
      matrix = try SparseMatrix(
        rows: userCount, columns: itemCount, rowOffsets: rowOffsets, columnIndices: outColumns,
        values: outValues)
    } catch {
      throw DataError(.nonFiniteValue, message: "combining duplicate ratings failed: \(error)")
    }
    return (
      RatingsDataset(
        scale: scale, users: users, items: items, matrix: matrix, timestamps: outTimestamps),
      keepSources ? sources : []
    )
  }

  /// Whether each row's items (`itemIndices[rowOffsets[u]..<rowOffsets[u + 1]]`) strictly ascend.
  private static func strictlyAscendingWithinRows(_ itemIndices: [Int32], rowOffsets: [Int])
    -> Bool
  {
    itemIndices.withUnsafeBufferPointer { items in
      rowOffsets.withUnsafeBufferPointer { offsets in
        for u in 0..<(offsets.count - 1) {
          var k = offsets[u] + 1
          let end = offsets[u + 1]
          while k < end {
            if items[k - 1] >= items[k] { return false }
            k += 1
          }
        }
        return true
      }
    }
  }
}

extension RatingsDataset {
  /// The value `count` duplicate ratings summing to `total` combine to under `.sum` or `.mean`.
  ///
  /// - Throws: ``DataError`` `.outOfScale` when it is not on `scale`.
  static func combine(
    _ total: Double, count: Int, policy: DuplicatePolicy, scale: RatingScale, user: EntityID,
    item: EntityID
  ) throws -> Float {
    let combined = Float(policy == .sum ? total : total / Double(count))
    guard scale.contains(combined) else {
      throw DataError(
        .outOfScale, field: "rating", value: "\(combined)",
        message:
          "\(count) ratings of item \(item) by user \(user) combine (\(policy.rawValue)) to "
          + "\(combined), which is not on the scale \(scale); declare a wider or continuous "
          + "scale, or choose another policy")
    }
    return combined
  }
}
