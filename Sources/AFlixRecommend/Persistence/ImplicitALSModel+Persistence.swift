import AFlixData
import AFlixLinalg

extension ImplicitALSModel: PersistableModel {
  /// `"ials"`.
  public static let archiveKind = "ials"

  private struct Metadata: Codable {
    var users: IDMap
    var items: IDMap
    var factors: Int
  }

  /// Ids and the factor count as metadata; the factor matrices as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(Metadata(users: users, items: items, factors: factorCount)),
      arrays: [
        ("userFactors", .float32(userFactors.elements)),
        ("itemFactors", .float32(itemFactors.elements)),
      ])
  }

  /// Reads the factors back, checking their lengths against the id maps and factor count.
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
        elements: try archive.floats("itemFactors", count: qi)))
  }
}

/// Shape checks shared by the ranking factor models' archives.
enum FactorArchiveShapes {
  /// `users × factors` and `items × factors`, or `.corrupted` for a negative count or overflow.
  static func sizes(users: IDMap, items: IDMap, factors: Int) throws -> (Int, Int) {
    guard factors >= 0 else {
      throw ModelFileError(.corrupted, "negative factor count \(factors)")
    }
    let (pu, pOverflow) = users.count.multipliedReportingOverflow(by: factors)
    let (qi, qOverflow) = items.count.multipliedReportingOverflow(by: factors)
    guard !pOverflow, !qOverflow else {
      throw ModelFileError(.corrupted, "factor matrix sizes overflow")
    }
    return (pu, qi)
  }
}
