import AFlixData
import AFlixLinalg

extension BiasedMFModel: PersistableModel {
  /// `"biased-mf"`: the fitted form shared by `mf-sgd`, `mf-als`, `svdpp` and `bpmf`.
  public static let archiveKind = "biased-mf"

  private struct Metadata: Codable {
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
          users: users, items: items, scale: scale, globalMean: globalMean,
          factors: factorCount)),
      arrays: [
        ("userBias", .float32(userBias)), ("itemBias", .float32(itemBias)),
        ("userFactors", .float32(userFactors.elements)),
        ("itemFactors", .float32(itemFactors.elements)),
      ])
  }

  /// Reads the parameters back, checking every length against the id maps and factor count.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    guard m.factors >= 0 else {
      throw ModelFileError(.corrupted, "negative factor count \(m.factors)")
    }
    let (pu, pOverflow) = m.users.count.multipliedReportingOverflow(by: m.factors)
    let (qi, qOverflow) = m.items.count.multipliedReportingOverflow(by: m.factors)
    guard !pOverflow, !qOverflow else {
      throw ModelFileError(.corrupted, "factor matrix sizes overflow")
    }
    self.init(
      users: m.users, items: m.items, scale: m.scale, globalMean: m.globalMean,
      userBias: try archive.floats("userBias", count: m.users.count),
      itemBias: try archive.floats("itemBias", count: m.items.count),
      userFactors: Matrix(
        rows: m.users.count, columns: m.factors,
        elements: try archive.floats("userFactors", count: pu)),
      itemFactors: Matrix(
        rows: m.items.count, columns: m.factors,
        elements: try archive.floats("itemFactors", count: qi)))
  }
}
