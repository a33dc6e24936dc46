import AFlixData

extension PopularityModel: PersistableModel {
  /// `"popularity"`.
  public static let archiveKind = "popularity"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var users: IDMap
    var items: IDMap
  }

  /// Ids as metadata; the counts as an array.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(Metadata(fit: fitRecord, users: users, items: items)),
      arrays: [("counts", .int64(counts.map { Int64($0) }))])
  }

  /// Reads the counts back, checking their length against the item map.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    guard case .int64(let counts) = try archive.payload(named: "counts"),
      counts.count == m.items.count, counts.allSatisfy({ $0 >= 0 })
    else {
      throw ModelFileError(.corrupted, "the popularity counts do not match the item map")
    }
    self.init(users: m.users, items: m.items, counts: counts.map { Int($0) })
    fitRecord = m.fit
  }
}
