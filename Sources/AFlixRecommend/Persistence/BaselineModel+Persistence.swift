import AFlixData

extension BaselineModel {
  /// `"baseline"`.
  public static let archiveKind = "baseline"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var users: IDMap
    var items: IDMap
    var scale: RatingScale
    var globalMean: Float
  }

  /// Ids, scale and μ as metadata; the biases as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(fit: fitRecord, users: users, items: items, scale: scale, globalMean: globalMean)),
      arrays: history.archiveArrays + [
        ("userBias", .float32(userBias)), ("itemBias", .float32(itemBias)),
      ])
  }

  /// Reads the biases back, checking their lengths against the id maps, every bias finite, the
  /// scale valid and μ within it.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    try ModelValidation.requireMean(m.globalMean, scale: m.scale)
    self.init(
      users: m.users, items: m.items, scale: m.scale, globalMean: m.globalMean,
      userBias: try archive.finiteFloats("userBias", count: m.users.count),
      itemBias: try archive.finiteFloats("itemBias", count: m.items.count))
    fitRecord = m.fit
    history = try archive.history(users: users.count, items: items.count)
  }
}
