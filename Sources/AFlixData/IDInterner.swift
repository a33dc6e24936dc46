/// Gives each distinct identifier met while reading a file a provisional index (first-seen order),
/// with a fast path for integer ids that avoids hashing ``EntityID`` values.
///
/// ``sortedMap(appendingTo:)`` then turns the provisional indices into final ones.
///
/// Small non-negative integers (MovieLens ids) are looked up in a dense array indexed by the id
/// (no hashing); it grows while the largest id stays below a bound proportional to the number of
/// distinct ids (or 4 M), and other integers go to a dictionary. The result does not depend on
/// which path an id takes.
struct IDInterner {
  /// `dense[v]` is the provisional index + 1 of integer id `v`, 0 when not seen.
  private var dense: [Int32] = []
  private var intIndex: [Int: Int32] = [:]
  private var otherIndex: [EntityID: Int32] = [:]
  /// The distinct ids in first-seen order.
  private(set) var ids: [EntityID] = []

  /// Ids below this always go to the dense array.
  private static let denseFloor = 1 << 22

  /// The provisional index of integer id `value`.
  @inline(__always)
  mutating func intern(_ value: Int) -> Int32 {
    if value >= 0 && value < dense.count {
      let stored = dense[value]
      if stored != 0 { return stored - 1 }
      let index = Int32(ids.count)
      dense[value] = index + 1
      ids.append(.int(value))
      return index
    }
    return internSlowly(value)
  }

  /// ``intern(_:)`` for an id outside the dense array: grows it when the id is small enough,
  /// else uses the dictionary.
  private mutating func internSlowly(_ value: Int) -> Int32 {
    if let index = intIndex[value] { return index }
    if value >= 0 && value < max(Self.denseFloor, 16 * (ids.count + 1)) {
      let grown = min(max(value + 1, 2 * dense.count, 1024), Int(Int32.max))
      dense.append(contentsOf: repeatElement(0, count: grown - dense.count))
      // Ids the dictionary held that now fall inside the array move there (same indices).
      for (id, index) in intIndex where id >= 0 && id < grown {
        dense[id] = index + 1
        intIndex[id] = nil
      }
      let index = Int32(ids.count)
      dense[value] = index + 1
      ids.append(.int(value))
      return index
    }
    let index = Int32(ids.count)
    intIndex[value] = index
    ids.append(.int(value))
    return index
  }

  /// The provisional index of `id`.
  mutating func intern(_ id: EntityID) -> Int32 {
    if case .int(let value) = id { return intern(value) }
    if let index = otherIndex[id] { return index }
    let index = Int32(ids.count)
    otherIndex[id] = index
    ids.append(id)
    return index
  }

  /// The final map and, for each provisional index, its final index.
  ///
  /// Without `existing`, the ids are indexed in ascending ``EntityID`` order. With `existing`, ids
  /// already in it keep their index and the new ones follow, in ascending order.
  ///
  /// With `keeping`, only the provisional indices whose flag is set enter the map; the others
  /// remap to -1.
  func sortedMap(appendingTo existing: IDMap? = nil, keeping: [Bool]? = nil) -> (
    map: IDMap, remap: [Int32]
  ) {
    var remap = [Int32](repeating: -1, count: ids.count)
    var map = existing ?? IDMap()
    var fresh: [Int] = []
    fresh.reserveCapacity(ids.count)
    for (provisional, id) in ids.enumerated() {
      if let keeping, !keeping[provisional] { continue }
      if let index = existing?.index(of: id) {
        remap[provisional] = Int32(index)
      } else {
        fresh.append(provisional)
      }
    }
    fresh.sort { ids[$0] < ids[$1] }
    for provisional in fresh {
      remap[provisional] = Int32(map.insert(ids[provisional]))
    }
    return (map, remap)
  }
}
