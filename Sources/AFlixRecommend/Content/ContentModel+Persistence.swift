import AFlixData
import AFlixLinalg

extension ItemFeatures {
  /// What a model file keeps of the features in its JSON metadata: the vocabulary, the options
  /// and `N` (the matrix and weights go in arrays, ``archiveArrays(prefix:)``). A model that
  /// embeds content features (a hybrid) stores this value and those arrays under its own prefix.
  struct ArchiveMetadata: Codable, Equatable {
    var traits: [String]
    var options: Options
    var catalogItemCount: Int
  }

  /// The metadata part of the features.
  var archiveMetadata: ArchiveMetadata {
    ArchiveMetadata(traits: traits, options: options, catalogItemCount: catalogItemCount)
  }

  /// The features' arrays: `<prefix>offsets` (Int64, items + 1), `<prefix>traits` (Int32),
  /// `<prefix>values` and `<prefix>traitWeights` (Float32).
  func archiveArrays(prefix: String = "features.") -> [(
    name: String, payload: ModelArchive.Payload
  )] {
    [
      (prefix + "offsets", .int64(matrix.rowOffsets.map { Int64($0) })),
      (prefix + "traits", .int32(matrix.columnIndices)),
      (prefix + "values", .float32(matrix.values)),
      (prefix + "traitWeights", .float32(traitWeights)),
    ]
  }
}

extension ModelArchive {
  /// The content features of `items` stored under `prefix` with `metadata`, every part checked:
  /// the CSR arrays (offsets from 0, non-decreasing, traits in range and ascending within a row),
  /// values and weights finite, and what ``ItemFeatures/init(items:traits:traitWeights:matrix:options:catalogItemCount:)``
  /// checks (sorted distinct vocabulary, unit rows, valid options).
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` for missing or mis-sized arrays, `.invalidValue`
  ///   naming the field (and entry) of a value no fit produces.
  func itemFeatures(
    _ metadata: ItemFeatures.ArchiveMetadata, items: IDMap, prefix: String = "features."
  ) throws -> ItemFeatures {
    let traitCount = metadata.traits.count
    let weights = try finiteFloats(prefix + "traitWeights", count: traitCount)
    guard case .int64(let offsets) = try payload(named: prefix + "offsets"),
      case .int32(let columns) = try payload(named: prefix + "traits")
    else {
      throw ModelFileError(.corrupted, "the content features have the wrong element types")
    }
    let rowOffsets = try ModelValidation.requireCSR(
      offsets: offsets, offsetsField: fieldPrefix + prefix + "offsets", indices: columns,
      indicesField: fieldPrefix + prefix + "traits", rows: items.count, columns: traitCount,
      columnName: "trait")
    let values = try finiteFloats(prefix + "values", count: columns.count)
    let matrix: SparseMatrix<Float>
    do {
      matrix = try SparseMatrix(
        rows: items.count, columns: traitCount, rowOffsets: rowOffsets, columnIndices: columns,
        values: values)
    } catch {
      throw ModelFileError(
        .invalidValue, "the content features '\(fieldPrefix)\(prefix)*' are inconsistent: \(error)")
    }
    do {
      return try ItemFeatures(
        items: items, traits: metadata.traits, traitWeights: weights, matrix: matrix,
        options: metadata.options, catalogItemCount: metadata.catalogItemCount)
    } catch let error as RecommendError {
      throw ModelFileError(
        .invalidValue, "the content features '\(fieldPrefix)\(prefix)*': \(error.message)")
    }
  }
}

extension ContentModel {
  /// `"content"`.
  public static let archiveKind = "content"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var users: IDMap
    var items: IDMap
    var profileWeighting: ProfileWeighting
    var features: ItemFeatures.ArchiveMetadata
  }

  /// Ids, the profile weighting and the feature vocabulary and options as metadata; the feature
  /// matrix and trait weights (`features.*`) and the training ratings (`history.*` and
  /// `ratings`, their values) as arrays.
  public func archive() throws -> ModelArchive {
    ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(
          fit: fitRecord, users: users, items: items, profileWeighting: profileWeighting,
          features: features.archiveMetadata)),
      arrays: history.archiveArrays + [("ratings", .float32(ratings.values))]
        + features.archiveArrays())
  }

  /// Reads the features and ratings back, checking every part (see
  /// `ModelArchive.itemFeatures`; the ratings as a history with one finite value per entry).
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` when parts are missing or shapes disagree,
  ///   `.invalidValue` naming the field (and entry) of a value no fit produces.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    let features = try archive.itemFeatures(m.features, items: m.items)
    // The ratings' positions are the history's: both history arrays must be present.
    _ = try archive.payload(named: "history.offsets")
    let history = try archive.history(users: m.users.count, items: m.items.count)
    let values = try archive.finiteFloats("ratings", count: history.itemIndices.count)
    let ratings: SparseMatrix<Float>
    do {
      ratings = try SparseMatrix(
        rows: m.users.count, columns: m.items.count, rowOffsets: history.offsets,
        columnIndices: history.itemIndices, values: values)
    } catch {
      throw ModelFileError(.invalidValue, "the content model's ratings are inconsistent: \(error)")
    }
    self.init(
      users: m.users, features: features, ratings: ratings, profileWeighting: m.profileWeighting)
    fitRecord = m.fit
  }
}
