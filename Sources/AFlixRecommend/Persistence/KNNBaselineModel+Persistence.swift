import AFlixData
import AFlixLinalg

extension KNNBaselineModel {
  /// `"knn"`.
  public static let archiveKind = "knn"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var users: IDMap
    var items: IDMap
    var scale: RatingScale
    var globalMean: Float
    var itemBased: Bool
    var neighbours: Int
    var minimumNeighbours: Int
  }

  /// Ids, scale, μ, the orientation and `k` as metadata; the biases, the similarity matrix and the
  /// training ratings (CSR offsets, indices and values) as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(
          fit: fitRecord,
          users: users, items: items, scale: scale, globalMean: baseline.globalMean,
          itemBased: itemBased, neighbours: neighbours, minimumNeighbours: minimumNeighbours)),
      arrays: history.archiveArrays + [
        ("userBias", .float32(baseline.userBias)), ("itemBias", .float32(baseline.itemBias)),
        ("similarities", .float32(similarities.elements)),
        ("ratingOffsets", .int64(ratings.rowOffsets.map { Int64($0) })),
        ("ratingIndices", .int32(ratings.columnIndices)),
        ("ratingValues", .float32(ratings.values)),
      ])
  }

  /// Reads the model back, checking every shape against the id maps and the orientation, every
  /// value finite, the scale valid and μ within it, `k` and its minimum in range and every
  /// neighbour index within the neighbours' count.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    try ModelValidation.requireMean(m.globalMean, scale: m.scale)
    let (rows, columns) =
      m.itemBased ? (m.users.count, m.items.count) : (m.items.count, m.users.count)
    let neighbourLimit = max(ModelValidation.neighbourLimit, columns)
    guard m.neighbours >= 1, m.neighbours <= neighbourLimit else {
      throw ModelFileError(
        .invalidValue,
        "field 'neighbours' is \(m.neighbours); it must be between 1 and \(neighbourLimit)")
    }
    guard m.minimumNeighbours >= 0, m.minimumNeighbours <= m.neighbours else {
      throw ModelFileError(
        .invalidValue,
        "field 'minimumNeighbours' is \(m.minimumNeighbours); it must be between 0 and k = "
          + "\(m.neighbours)")
    }
    let baseline = BaselineModel(
      users: m.users, items: m.items, scale: m.scale, globalMean: m.globalMean,
      userBias: try archive.finiteFloats("userBias", count: m.users.count),
      itemBias: try archive.finiteFloats("itemBias", count: m.items.count))
    let similarities = try archive.finiteMatrix("similarities", rows: columns, columns: columns)
    guard case .int64(let offsets) = try archive.payload(named: "ratingOffsets"),
      case .int32(let indices) = try archive.payload(named: "ratingIndices")
    else {
      throw ModelFileError(.corrupted, "the kNN ratings have the wrong element types")
    }
    let rowOffsets = try ModelValidation.requireCSR(
      offsets: offsets, offsetsField: archive.fieldPrefix + "ratingOffsets",
      indices: indices, indicesField: archive.fieldPrefix + "ratingIndices",
      rows: rows, columns: columns, columnName: m.itemBased ? "item" : "user")
    let ratings: SparseMatrix<Float>
    do {
      ratings = try SparseMatrix(
        rows: rows, columns: columns, rowOffsets: rowOffsets,
        columnIndices: indices,
        values: try archive.finiteFloats("ratingValues", count: indices.count))
    } catch let error as ModelFileError {
      throw error
    } catch {
      throw ModelFileError(.corrupted, "the kNN ratings are inconsistent: \(error)")
    }
    self.init(
      baseline: baseline, itemBased: m.itemBased, neighbours: m.neighbours,
      minimumNeighbours: m.minimumNeighbours,
      similarities: similarities,
      ratings: ratings)
    fitRecord = m.fit
    history = try archive.history(users: users.count, items: items.count)
  }
}
