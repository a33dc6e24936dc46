import AFlixLinalg

/// What ``RatingsDataset/add(_:duplicates:missingTimestamp:)`` gives an added rating that has no
/// timestamp when the dataset keeps timestamps.
public enum MissingTimestampPolicy: Sendable, Hashable {
  /// The latest timestamp known: the largest of the dataset's timestamps and of those given with
  /// the added ratings (the default). Deterministic — the same data and call give the same
  /// dataset — and a new rating then counts as the most recent one, so a time-ordered split puts
  /// it on the recent side, as a rating that just arrived should be. (The current time is not
  /// used: it would make the dataset depend on when the call ran.)
  case latest
  /// This timestamp (seconds since 1970-01-01 UTC).
  case fixed(Int64)
  /// Throw ``DataError`` `.invalidArgument`, as `add` did before it had a default.
  case reject
}

extension RatingsDataset {
  /// Adds ratings — one user's new rating in a service, or a batch — without rebuilding the
  /// dataset: the new entries are spliced into the by-user and by-item storage in place.
  ///
  /// New users and items get new indices after the existing ones (in ascending id order among
  /// themselves); **existing indices never change**, so a model fitted before the call still
  /// addresses the same users and items. (A dataset built from scratch with the same ratings
  /// indexes all ids in ascending order instead, so it differs from the result when a new id
  /// sorts before an existing one.)
  ///
  /// A (user, item) pair already present, or repeated in `ratings`, follows `duplicates` with the
  /// new ratings counting as given after the existing ones: `.error` throws, `.keepLast` replaces
  /// (value and timestamp), `.mean` and `.sum` combine with the stored value (which counts as one
  /// rating) and take the timestamp of the last added one; a combined value must be on the scale.
  ///
  /// Timestamps: when the dataset keeps them (or is empty and some added rating has one), an added
  /// rating without one gets the timestamp `missingTimestamp` says (by default the latest known,
  /// see ``MissingTimestampPolicy/latest``). Adding timestamped ratings to a non-empty dataset
  /// without timestamps throws, rather than drop them.
  ///
  /// - Throws: ``DataError`` `.nonFiniteValue` or `.outOfScale` for a value (NaN, ±∞, off the
  ///   scale) or a combined value off the scale, `.duplicateRating` under `.error`,
  ///   `.invalidArgument` for timestamps given to a dataset without them, or missing under
  ///   ``MissingTimestampPolicy/reject``. Everything is checked before anything changes: on error
  ///   the dataset is unchanged.
  /// - Complexity: O(n log n) for n added ratings, plus O(userCount + itemCount) to shift the
  ///   offsets, plus one move of the storage after the first insertion point in each of the two
  ///   orders (a `memmove` of at most all the ratings; none for a new user's ratings in the by-user
  ///   order). Nothing is sorted or re-indexed, and the storage is not copied when the dataset is
  ///   not shared (a copy kept elsewhere makes the first change copy it, as for any Swift array).
  public mutating func add(
    _ ratings: [Rating], duplicates: DuplicatePolicy = .error,
    missingTimestamp: MissingTimestampPolicy = .latest
  ) throws {
    guard !ratings.isEmpty else { return }
    let plan = try plannedAddition(
      ratings, duplicates: duplicates, missingTimestamp: missingTimestamp)
    apply(plan)
  }

  /// What an addition changes, fully checked: applying it cannot fail.
  private struct Addition {
    /// New user and item ids, ascending: they get indices `userCount…`, `itemCount…`.
    var newUsers: [EntityID] = []
    var newItems: [EntityID] = []
    /// Stored entries whose value (and timestamp) change, by user-major position.
    var updates: [(position: Int, value: Float, time: Int64)] = []
    /// New entries in (user, item) order, with final indices.
    var inserts: [(user: Int32, item: Int32, value: Float, time: Int64)] = []
    /// Whether the dataset keeps timestamps afterwards.
    var timed: Bool
  }

  /// Checks `ratings` and works out the changes, without changing anything.
  private func plannedAddition(
    _ ratings: [Rating], duplicates: DuplicatePolicy, missingTimestamp: MissingTimestampPolicy
  ) throws -> Addition {
    var given = 0
    var latestGiven: Int64?
    for (k, rating) in ratings.enumerated() {
      try Self.checkValue(of: rating, number: k, scale: scale)
      if let t = rating.timestamp {
        given += 1
        latestGiven = max(latestGiven ?? t, t)
      }
    }
    let timed = ratingCount > 0 ? hasTimestamps : given > 0
    if !timed && given > 0 {
      throw DataError(
        .invalidArgument, message: "the added ratings have timestamps and the dataset has none")
    }
    var fill: Int64 = 0
    if timed && given < ratings.count {
      switch missingTimestamp {
      case .reject:
        throw DataError(
          .invalidArgument,
          message: ratingCount > 0
            ? "the dataset has timestamps and \(ratings.count - given) of the added ratings have "
              + "none"
            : "\(given) of \(ratings.count) ratings have a timestamp: give all or none")
      case .fixed(let t): fill = t
      case .latest:
        // `timed` means the dataset has ratings with timestamps or some were given.
        fill = max(latestTimestamp ?? Int64.min, latestGiven ?? Int64.min)
      }
    }

    // Indices: existing ids keep theirs; new ones follow in ascending id order.
    var plan = Addition(timed: timed)
    var fresh: [EntityID: Int] = [:]
    func provisional(_ id: EntityID, in map: IDMap, _ newIDs: inout [EntityID]) -> Int {
      if let index = map.index(of: id) { return index }
      if let k = fresh[id] { return -1 - k }
      fresh[id] = newIDs.count
      newIDs.append(id)
      return -1 - (newIDs.count - 1)
    }
    var userOf = ratings.map { provisional($0.user, in: users, &plan.newUsers) }
    fresh = [:]
    var itemOf = ratings.map { provisional($0.item, in: items, &plan.newItems) }
    func finalize(_ indices: inout [Int], _ newIDs: inout [EntityID], base: Int) {
      guard !newIDs.isEmpty else { return }
      let rank = newIDs.indices.sorted { newIDs[$0] < newIDs[$1] }
      var final = [Int](repeating: 0, count: newIDs.count)
      for (r, k) in rank.enumerated() { final[k] = base + r }
      newIDs = rank.map { newIDs[$0] }
      for p in indices.indices where indices[p] < 0 { indices[p] = final[-1 - indices[p]] }
    }
    finalize(&userOf, &plan.newUsers, base: userCount)
    finalize(&itemOf, &plan.newItems, base: itemCount)
    guard userCount + plan.newUsers.count <= Int(Int32.max),
      itemCount + plan.newItems.count <= Int(Int32.max),
      ratingCount + ratings.count <= Int(Int32.max)
    else {
      throw DataError(.invalidArgument, message: "more than 2^31 - 1 users, items or ratings")
    }

    // Runs of the same pair in (user, item, input order) order.
    let order = ratings.indices.sorted { a, b in
      userOf[a] != userOf[b]
        ? userOf[a] < userOf[b] : itemOf[a] != itemOf[b] ? itemOf[a] < itemOf[b] : a < b
    }
    let values = userItemMatrix.values
    func time(_ k: Int) -> Int64 { ratings[k].timestamp ?? fill }
    var q = 0
    while q < order.count {
      let first = order[q]
      let u = userOf[first]
      let i = itemOf[first]
      var r = q + 1
      while r < order.count && userOf[order[r]] == u && itemOf[order[r]] == i { r += 1 }
      let stored = position(user: u, item: i)
      let last = order[r - 1]
      var value = ratings[last].value
      switch duplicates {
      case .error:
        if stored != nil {
          throw DataError(
            .duplicateRating, field: "item", value: ratings[first].item.description,
            message:
              "user \(ratings[first].user) already rated item \(ratings[first].item) (added "
              + "rating #\(first))")
        }
        if r - q > 1 {
          throw DataError(
            .duplicateRating, field: "item", value: ratings[first].item.description,
            message:
              "user \(ratings[first].user) rates item \(ratings[first].item) twice (added "
              + "ratings #\(first) and #\(order[q + 1]))")
        }
      case .keepLast:
        break
      case .sum, .mean:
        let count = r - q + (stored == nil ? 0 : 1)
        if count > 1 {
          var total = stored.map { Double(values[$0]) } ?? 0
          for s in q..<r { total += Double(ratings[order[s]].value) }
          value = try Self.combine(
            total, count: count, policy: duplicates, scale: scale, user: ratings[first].user,
            item: ratings[first].item)
        }
      }
      if let stored {
        plan.updates.append((stored, value, time(last)))
      } else {
        plan.inserts.append((Int32(u), Int32(i), value, time(last)))
      }
      q = r
    }
    return plan
  }

  /// Applies a checked addition in place.
  private mutating func apply(_ plan: Addition) {
    let oldUsers = userCount
    let oldItems = itemCount
    let oldCount = ratingCount
    for id in plan.newUsers { users.insert(id) }
    for id in plan.newItems { items.insert(id) }

    // Take the arrays out of the matrices so that they are uniquely referenced and change in
    // place (no copy unless the dataset is shared).
    let empty = SparseMatrix<Float>(
      validRows: 0, columns: 0, rowOffsets: [0], columnIndices: [], values: [])
    var csr = empty
    swap(&csr, &userItemMatrix)
    var rowOffsets = csr.rowOffsets
    var columns = csr.columnIndices
    var values = csr.values
    csr = empty
    var csc = SparseColumnMatrix<Float>(
      validRows: 0, columns: 0, columnOffsets: [0], rowIndices: [], values: [])
    swap(&csc, &itemUserMatrix)
    var columnOffsets = csc.columnOffsets
    var rowIndices = csc.rowIndices
    var columnValues = csc.values
    csc = SparseColumnMatrix(
      validRows: 0, columns: 0, columnOffsets: [0], rowIndices: [], values: [])
    var times = plan.timed ? (timestampStorage ?? []) : nil
    timestampStorage = nil

    // Changed values, in both orders (positions of the by-item order found before any insert).
    var sum = valueSum
    var latest = plan.timed ? latestTimestamp : nil
    var latestLowered = false
    for update in plan.updates {
      let p = update.position
      sum += Double(update.value) - Double(values[p])
      values[p] = update.value
      let u = Self.user(atPosition: p, rowOffsets: rowOffsets)
      let c = Int(columns[p])
      columnValues[
        Self.lowerBound(Int32(u), in: rowIndices, columnOffsets[c]..<columnOffsets[c + 1])] =
        update.value
      if times != nil {
        if times![p] == latest && update.time < times![p] { latestLowered = true }
        times![p] = update.time
        latest = max(latest ?? update.time, update.time)
      }
    }

    if !plan.inserts.isEmpty {
      // By user: insertion points in the old storage, non-decreasing in (user, item) order.
      let inserts = plan.inserts
      var positions = [Int]()
      positions.reserveCapacity(inserts.count)
      for entry in inserts {
        let u = Int(entry.user)
        positions.append(
          u < oldUsers
            ? Self.lowerBound(entry.item, in: columns, rowOffsets[u]..<rowOffsets[u + 1])
            : oldCount)
        sum += Double(entry.value)
        if times != nil { latest = max(latest ?? entry.time, entry.time) }
      }
      Self.splice(&columns, at: positions, inserts.map(\.item))
      Self.splice(&values, at: positions, inserts.map(\.value))
      if times != nil { Self.splice(&times!, at: positions, inserts.map(\.time)) }
      Self.shiftOffsets(
        &rowOffsets, oldCount: oldUsers, newCount: userCount, counts: inserts.map { Int($0.user) })

      // By item: the same entries in (item, user) order.
      let byItem = inserts.indices.sorted { a, b in
        inserts[a].item != inserts[b].item
          ? inserts[a].item < inserts[b].item : inserts[a].user < inserts[b].user
      }
      positions.removeAll(keepingCapacity: true)
      for k in byItem {
        let i = Int(inserts[k].item)
        positions.append(
          i < oldItems
            ? Self.lowerBound(
              inserts[k].user, in: rowIndices, columnOffsets[i]..<columnOffsets[i + 1])
            : oldCount)
      }
      Self.splice(&rowIndices, at: positions, byItem.map { inserts[$0].user })
      Self.splice(&columnValues, at: positions, byItem.map { inserts[$0].value })
      Self.shiftOffsets(
        &columnOffsets, oldCount: oldItems, newCount: itemCount,
        counts: byItem.map { Int(inserts[$0].item) })
    } else {
      rowOffsets.append(
        contentsOf: repeatElement(rowOffsets[oldUsers], count: userCount - oldUsers))
      columnOffsets.append(
        contentsOf: repeatElement(columnOffsets[oldItems], count: itemCount - oldItems))
    }

    userItemMatrix = SparseMatrix(
      validRows: userCount, columns: itemCount, rowOffsets: rowOffsets, columnIndices: columns,
      values: values)
    itemUserMatrix = SparseColumnMatrix(
      validRows: userCount, columns: itemCount, columnOffsets: columnOffsets,
      rowIndices: rowIndices, values: columnValues)
    if latestLowered, let times { latest = times.max() }
    timestampStorage = times
    latestTimestamp = times == nil ? nil : latest
    valueSum = sum
    globalMean = ratingCount == 0 ? 0 : sum / Double(ratingCount)
  }

  /// The first position in `range` of `indices` (ascending there) holding a value ≥ `target`.
  private static func lowerBound(_ target: Int32, in indices: [Int32], _ range: Range<Int>) -> Int {
    var lo = range.lowerBound
    var hi = range.upperBound
    while lo < hi {
      let mid = (lo + hi) / 2
      if indices[mid] < target { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// The row whose span `rowOffsets[u]..<rowOffsets[u + 1]` holds position `p`.
  private static func user(atPosition p: Int, rowOffsets: [Int]) -> Int {
    var lo = 0
    var hi = rowOffsets.count - 1
    // The last u with rowOffsets[u] <= p.
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if rowOffsets[mid] <= p { lo = mid } else { hi = mid }
    }
    return lo
  }

  /// Inserts `elements[j]` before old index `positions[j]` (non-decreasing; equal positions keep
  /// their order), moving each old element at most once: the array grows by the number of
  /// insertions, then the old tail segments move right from the back (a `memmove` each).
  static func splice<T>(_ array: inout [T], at positions: [Int], _ elements: [T]) {
    let k = positions.count
    precondition(elements.count == k)
    guard let lastElement = elements.last else { return }
    let old = array.count
    array.append(contentsOf: repeatElement(lastElement, count: k))
    array.withUnsafeMutableBufferPointer { buffer in
      let base = buffer.baseAddress!
      var write = old + k
      var read = old
      for j in stride(from: k - 1, through: 0, by: -1) {
        let p = positions[j]
        let length = read - p
        write -= length
        if write != p { (base + write).update(from: base + p, count: length) }
        write -= 1
        base[write] = elements[j]
        read = p
      }
    }
  }

  /// Offsets after inserting one entry per element of `counts` (the row of each, ascending), for
  /// `newCount` rows of which the first `oldCount` existed.
  private static func shiftOffsets(
    _ offsets: inout [Int], oldCount: Int, newCount: Int, counts rows: [Int]
  ) {
    let end = offsets[oldCount]
    offsets.append(contentsOf: repeatElement(end, count: newCount - oldCount))
    var added = [Int](repeating: 0, count: newCount - (rows.first ?? newCount))
    let first = rows.first ?? newCount
    for row in rows { added[row - first] += 1 }
    var shift = 0
    for row in first..<newCount {
      shift += added[row - first]
      offsets[row + 1] += shift
    }
  }
}
