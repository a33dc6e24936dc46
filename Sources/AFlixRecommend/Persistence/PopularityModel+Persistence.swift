import AFlixData

extension PopularityModel {
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
      arrays: history.archiveArrays + [("counts", .int64(counts.map { Int64($0) }))])
  }

  /// Reads the counts back, checking their length against the item map and that none is
  /// negative.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    guard case .int64(let counts) = try archive.payload(named: "counts") else {
      throw ModelFileError(.corrupted, "array 'counts' is not Int64")
    }
    guard counts.count == m.items.count else {
      throw ModelFileError(
        .corrupted, "array 'counts' has \(counts.count) elements, expected \(m.items.count)")
    }
    if let k = counts.firstIndex(where: { $0 < 0 }) {
      throw ModelValidation.invalid(
        archive.fieldPrefix + "counts", entry: k, "\(counts[k]), negative")
    }
    self.init(users: m.users, items: m.items, counts: counts.map { Int($0) })
    fitRecord = m.fit
    history = try archive.history(users: users.count, items: items.count)
  }
}
