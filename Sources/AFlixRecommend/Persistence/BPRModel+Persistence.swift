import AFlixData
import AFlixLinalg

extension BPRModel: PersistableModel {
  /// `"bpr"`.
  public static let archiveKind = "bpr"

  private struct Metadata: Codable {
    var users: IDMap
    var items: IDMap
    var factors: Int
  }

  /// Ids and the factor count as metadata; the factor matrices and item biases as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(Metadata(users: users, items: items, factors: factorCount)),
      arrays: [
        ("itemBias", .float32(itemBias)),
        ("userFactors", .float32(userFactors.elements)),
        ("itemFactors", .float32(itemFactors.elements)),
      ])
  }

  /// Reads the parameters back, checking every length against the id maps and factor count.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    let (pu, qi) = try FactorArchiveShapes.sizes(users: m.users, items: m.items, factors: m.factors)
    self.init(
      users: m.users, items: m.items,
      userFactors: Matrix(
        rows: m.users.count, columns: m.factors,
        elements: try archive.floats("userFactors", count: pu)),
      itemFactors: Matrix(
        rows: m.items.count, columns: m.factors,
        elements: try archive.floats("itemFactors", count: qi)),
      itemBias: try archive.floats("itemBias", count: m.items.count))
  }
}
