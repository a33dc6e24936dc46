import AFlixData
import AFlixLinalg

extension BPRModel {
  /// `"bpr"`.
  public static let archiveKind = "bpr"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var users: IDMap
    var items: IDMap
    var factors: Int
  }

  /// Ids and the factor count as metadata; the factor matrices and item biases as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(fit: fitRecord, users: users, items: items, factors: factorCount)),
      arrays: history.archiveArrays + [
        ("itemBias", .float32(itemBias)),
        ("userFactors", .float32(userFactors.elements)),
        ("itemFactors", .float32(itemFactors.elements)),
      ])
  }

  /// Reads the parameters back, checking every length against the id maps and factor count and
  /// every value finite.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    try ModelValidation.requireFactors(m.factors)
    self.init(
      users: m.users, items: m.items,
      userFactors: try archive.finiteMatrix("userFactors", rows: m.users.count, columns: m.factors),
      itemFactors: try archive.finiteMatrix("itemFactors", rows: m.items.count, columns: m.factors),
      itemBias: try archive.finiteFloats("itemBias", count: m.items.count))
    fitRecord = m.fit
    history = try archive.history(users: users.count, items: items.count)
  }
}
