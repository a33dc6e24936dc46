import AFlixLinalg

/// The frequent traits of an ``ItemFeatures`` (genres, decades: traits that many films share),
/// kept as a dense trait × item block for the content model's batch path: a block of users'
/// weights on them times the block is one single-threaded matrix product (OpenBLAS), and only the
/// rare traits (cast, directors, keywords) are scattered item by item.
struct DenseTraits: Sendable, Equatable {
  /// The largest block kept, in values (2²¹: 8 MB).
  static let valueLimit = 1 << 21

  /// Each trait's row in ``values``, or −1 for a trait scored by scattering.
  let row: [Int32]
  /// The number of dense traits.
  let count: Int
  /// `count × items`, row-major: a dense trait's value for every item.
  let values: [Float]

  /// The traits held by at least 1/32 of the items (and at least eight), most frequent first,
  /// as many as ``valueLimit`` allows; `nil` when there is none.
  init?(_ features: ItemFeatures) {
    let n = features.matrix.rows
    let byTrait = features.byTrait
    guard n > 0 else { return nil }
    let minimum = max(8, n / 32)
    let frequent = (0..<byTrait.rows).filter {
      byTrait.rowOffsets[$0 + 1] - byTrait.rowOffsets[$0] >= minimum
    }.sorted {
      let (a, b) = (
        byTrait.rowOffsets[$0 + 1] - byTrait.rowOffsets[$0],
        byTrait.rowOffsets[$1 + 1] - byTrait.rowOffsets[$1]
      )
      return a != b ? a > b : $0 < $1
    }.prefix(Self.valueLimit / n)
    guard !frequent.isEmpty else { return nil }
    var row = [Int32](repeating: -1, count: byTrait.rows)
    var values = [Float](repeating: 0, count: frequent.count * n)
    for (r, t) in frequent.enumerated() {
      row[t] = Int32(r)
      for k in byTrait.rowOffsets[t]..<byTrait.rowOffsets[t + 1] {
        values[r * n + Int(byTrait.columnIndices[k])] = byTrait.values[k]
      }
    }
    self.row = row
    self.count = frequent.count
    self.values = values
  }
}
