/// A two-way map between external identifiers and dense indices `0..<count`.
///
/// ```swift
/// var users = IDMap()
/// users.insert(42)         // 0
/// users.insert("alice")    // 1
/// users.insert(42)         // 0 again: already present
/// users.index(of: 7)       // nil: unknown ids are not an error
/// users.id(at: 1)          // "alice"
/// ```
///
/// Two maps are equal when they hold the same ids in the same order.
public struct IDMap: Sendable, Equatable {
  /// The identifiers, in index order.
  public private(set) var ids: [EntityID]
  private var lookup: [EntityID: Int]

  /// An empty map.
  public init() {
    ids = []
    lookup = [:]
  }

  /// A map whose index `i` is `ids[i]`.
  ///
  /// - Precondition: `ids` has no repeated identifier.
  public init(_ ids: [EntityID]) {
    self.ids = ids
    var lookup = [EntityID: Int](minimumCapacity: ids.count)
    for (index, id) in ids.enumerated() {
      let previous = lookup.updateValue(index, forKey: id)
      precondition(previous == nil, "IDMap: id \(id) is given twice")
    }
    self.lookup = lookup
  }

  /// The number of identifiers.
  public var count: Int { ids.count }

  /// The index of `id`, or `nil` when it is not in the map.
  ///
  /// - Complexity: O(1) on average.
  public func index(of id: EntityID) -> Int? { lookup[id] }

  /// The identifier at `index`.
  ///
  /// - Precondition: `0 <= index < count`.
  public func id(at index: Int) -> EntityID { ids[index] }

  /// The index of `id`, adding it at the end (index `count`) when it is new.
  @discardableResult
  public mutating func insert(_ id: EntityID) -> Int {
    if let index = lookup[id] { return index }
    let index = ids.count
    ids.append(id)
    lookup[id] = index
    return index
  }

  /// Whether the two maps hold the same ids in the same order.
  public static func == (lhs: IDMap, rhs: IDMap) -> Bool { lhs.ids == rhs.ids }
}
