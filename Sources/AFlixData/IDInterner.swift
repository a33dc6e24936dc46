/// Gives each distinct identifier met while reading a file a provisional index (first-seen order),
/// with a fast path for integer ids that avoids hashing ``EntityID`` values.
///
/// ``sortedMap(appendingTo:)`` then turns the provisional indices into final ones.
struct IDInterner {
  private var intIndex: [Int: Int32] = [:]
  private var otherIndex: [EntityID: Int32] = [:]
  /// The distinct ids in first-seen order.
  private(set) var ids: [EntityID] = []

  /// The provisional index of integer id `value`.
  @inline(__always)
  mutating func intern(_ value: Int) -> Int32 {
    if let index = intIndex[value] { return index }
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
  func sortedMap(appendingTo existing: IDMap? = nil) -> (map: IDMap, remap: [Int32]) {
    var remap = [Int32](repeating: -1, count: ids.count)
    var map = existing ?? IDMap()
    var fresh: [Int] = []
    fresh.reserveCapacity(ids.count)
    for (provisional, id) in ids.enumerated() {
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
