import AFlixData
import AFlixLinalg

extension EASEModel {
  /// `"ease"`.
  public static let archiveKind = "ease"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var users: IDMap
    var items: IDMap
    var regularization: Double
  }

  /// Ids and λ as metadata; the weights and the training interactions (CSR offsets and item
  /// indices) as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(fit: fitRecord, users: users, items: items, regularization: regularization)),
      arrays: history.archiveArrays + [
        ("weights", .float32(weights.elements)),
        ("interactionOffsets", .int64(interactions.rowOffsets.map { Int64($0) })),
        ("interactionItems", .int32(interactions.columnIndices)),
      ])
  }

  /// Reads the weights and interactions back, checking every shape against the id maps, every
  /// weight finite, λ finite and ≥ 0, and every interaction's item in range.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    try ModelValidation.requireFinite(m.regularization, field: "regularization", nonNegative: true)
    let n = m.items.count
    let weights = try archive.finiteMatrix("weights", rows: n, columns: n)
    guard case .int64(let offsets) = try archive.payload(named: "interactionOffsets"),
      case .int32(let columns) = try archive.payload(named: "interactionItems")
    else {
      throw ModelFileError(.corrupted, "the EASE interactions have the wrong element types")
    }
    let rowOffsets = try ModelValidation.requireCSR(
      offsets: offsets, offsetsField: archive.fieldPrefix + "interactionOffsets",
      indices: columns, indicesField: archive.fieldPrefix + "interactionItems",
      rows: m.users.count, columns: n, columnName: "item")
    let interactions: SparseMatrix<Float>
    do {
      interactions = try SparseMatrix(
        rows: m.users.count, columns: n, rowOffsets: rowOffsets,
        columnIndices: columns, values: [Float](repeating: 1, count: columns.count))
    } catch {
      throw ModelFileError(.corrupted, "the EASE interactions are inconsistent: \(error)")
    }
    self.init(
      users: m.users, items: m.items, regularization: m.regularization,
      weights: weights, interactions: interactions)
    fitRecord = m.fit
    history = try archive.history(users: users.count, items: items.count)
  }
}
