import AFlixData
import AFlixLinalg

extension BiasedMFModel {
  /// `"biased-mf"`: the fitted form shared by `mf-sgd`, `mf-als`, `svdpp` and `bpmf`.
  public static let archiveKind = "biased-mf"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var users: IDMap
    var items: IDMap
    var scale: RatingScale
    var globalMean: Float
    var factors: Int
  }

  /// Ids, scale, μ and the factor count as metadata; biases and factor matrices as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(
          fit: fitRecord,
          users: users, items: items, scale: scale, globalMean: globalMean,
          factors: factorCount)),
      arrays: history.archiveArrays + [
        ("userBias", .float32(userBias)), ("itemBias", .float32(itemBias)),
        ("userFactors", .float32(userFactors.elements)),
        ("itemFactors", .float32(itemFactors.elements)),
      ] + (implicitFactors.map { [("implicitFactors", .float32($0.elements))] } ?? []))
  }

  /// Reads the parameters back, checking every length against the id maps and factor count,
  /// every value finite, the scale valid and μ within it. The optional array `implicitFactors`
  /// (SVD++'s `yⱼ`, items × factors) is read when present and checked the same way.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    try ModelValidation.requireMean(m.globalMean, scale: m.scale)
    try ModelValidation.requireFactors(m.factors)
    self.init(
      users: m.users, items: m.items, scale: m.scale, globalMean: m.globalMean,
      userBias: try archive.finiteFloats("userBias", count: m.users.count),
      itemBias: try archive.finiteFloats("itemBias", count: m.items.count),
      userFactors: try archive.finiteMatrix("userFactors", rows: m.users.count, columns: m.factors),
      itemFactors: try archive.finiteMatrix("itemFactors", rows: m.items.count, columns: m.factors),
      implicitFactors: archive.arrays.contains { $0.name == "implicitFactors" }
        ? try archive.finiteMatrix("implicitFactors", rows: m.items.count, columns: m.factors)
        : nil)
    fitRecord = m.fit
    history = try archive.history(users: users.count, items: items.count)
  }
}
