import AFlixData
import AFlixLinalg

extension TruncatedSVDModel {
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
      arrays: history.archiveArrays + [
        ("userBias", .float32(baseline.userBias)), ("itemBias", .float32(baseline.itemBias)),
        ("userOffsets", .float32(userOffsets)), ("itemOffsets", .float32(itemOffsets)),
        ("userFactors", .float32(userFactors.elements)),
        ("itemFactors", .float32(itemFactors.elements)),
        ("singularValues", .float32(singularValues)),
      ])
  }

  /// Reads the parameters back, checking every length against the id maps and rank, every value
  /// finite (singular values also ≥ 0), the scale valid and μ within it.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    try ModelValidation.requireMean(m.globalMean, scale: m.scale)
    try ModelValidation.requireFactors(m.rank, field: "rank")
    try ModelValidation.requireFinite(m.explainedVariance, field: "explainedVariance")
    let singularValues = try archive.finiteFloats("singularValues", count: m.rank)
    if let k = singularValues.firstIndex(where: { $0 < 0 }) {
      throw ModelValidation.invalid(
        archive.fieldPrefix + "singularValues", entry: k, "\(singularValues[k]), negative")
    }
    let baseline = BaselineModel(
      users: m.users, items: m.items, scale: m.scale, globalMean: m.globalMean,
      userBias: try archive.finiteFloats("userBias", count: m.users.count),
      itemBias: try archive.finiteFloats("itemBias", count: m.items.count))
    self.init(
      baseline: baseline, centering: m.centering,
      userOffsets: try archive.finiteFloats("userOffsets", count: m.users.count),
      itemOffsets: try archive.finiteFloats("itemOffsets", count: m.items.count),
      userFactors: try archive.finiteMatrix("userFactors", rows: m.users.count, columns: m.rank),
      itemFactors: try archive.finiteMatrix("itemFactors", rows: m.items.count, columns: m.rank),
      singularValues: singularValues,
      explainedVariance: m.explainedVariance)
    fitRecord = m.fit
    history = try archive.history(users: users.count, items: items.count)
  }
}
