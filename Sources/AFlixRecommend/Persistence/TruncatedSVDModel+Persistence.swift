import AFlixData
import AFlixLinalg

extension TruncatedSVDModel: PersistableModel {
  /// `"svd"`.
  public static let archiveKind = "svd"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var users: IDMap
    var items: IDMap
    var scale: RatingScale
    var globalMean: Float
    var centering: TruncatedSVDRecommender.Centering
    var rank: Int
    var explainedVariance: Float
  }

  /// Ids, scale, centring and rank as metadata; baseline biases, offsets, factors and singular
  /// values as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(
          fit: fitRecord,
          users: users, items: items, scale: scale, globalMean: baseline.globalMean,
          centering: centering, rank: rank, explainedVariance: explainedVariance)),
      arrays: [
        ("userBias", .float32(baseline.userBias)), ("itemBias", .float32(baseline.itemBias)),
        ("userOffsets", .float32(userOffsets)), ("itemOffsets", .float32(itemOffsets)),
        ("userFactors", .float32(userFactors.elements)),
        ("itemFactors", .float32(itemFactors.elements)),
        ("singularValues", .float32(singularValues)),
      ])
  }

  /// Reads the parameters back, checking every length against the id maps and rank.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    let baseline = BaselineModel(
      users: m.users, items: m.items, scale: m.scale, globalMean: m.globalMean,
      userBias: try archive.floats("userBias", count: m.users.count),
      itemBias: try archive.floats("itemBias", count: m.items.count))
    self.init(
      baseline: baseline, centering: m.centering,
      userOffsets: try archive.floats("userOffsets", count: m.users.count),
      itemOffsets: try archive.floats("itemOffsets", count: m.items.count),
      userFactors: try archive.matrix("userFactors", rows: m.users.count, columns: m.rank),
      itemFactors: try archive.matrix("itemFactors", rows: m.items.count, columns: m.rank),
      singularValues: try archive.floats("singularValues", count: m.rank),
      explainedVariance: m.explainedVariance)
    fitRecord = m.fit
  }
}
