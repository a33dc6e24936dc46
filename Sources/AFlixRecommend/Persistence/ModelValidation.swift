import AFlixData
import AFlixLinalg
import Foundation

/// The value checks every model's ``PersistableModel/init(archive:)`` runs: a file whose bytes
/// pass the checksum can still hold values no fit produces (a NaN factor, a mean of −1 on a 1–5
/// scale), which would load and then predict NaN. Each check throws a ``ModelFileError``
/// `.invalidValue` naming the field, the entry and the value.
enum ModelValidation {
  /// The most factors (or SVD rank) a model file may declare: the largest any fit accepts.
  static let factorLimit = 4_096
  /// The largest magnitude of a stored parameter. Fits give values of the order of the rating
  /// scale; anything near `Float.greatestFiniteMagnitude` would overflow a dot product or a sum
  /// into ±∞ and then NaN.
  static let magnitudeLimit: Float = 1e15
  /// The most neighbours `k` a kNN file may declare (unless it has more neighbours to choose
  /// from): each prediction allocates a heap of `k` entries.
  static let neighbourLimit = 1 << 20

  /// Throws unless every value is finite and within ``magnitudeLimit``.
  static func requireFinite(_ values: [Float], field: String) throws {
    for (k, x) in values.enumerated() where !(abs(x) <= magnitudeLimit) {
      throw invalid(field, entry: k, x.isFinite ? "\(x), beyond ±\(magnitudeLimit)" : "\(x)")
    }
  }

  /// Throws unless `x` is finite and within ``magnitudeLimit``.
  static func requireFinite(_ x: Float, field: String) throws {
    guard abs(x) <= magnitudeLimit else {
      throw ModelFileError(
        .invalidValue, "field '\(field)' is \(x)\(x.isFinite ? ", beyond ±\(magnitudeLimit)" : "")")
    }
  }

  /// Throws unless `x` is finite.
  static func requireFinite(_ x: Double, field: String, nonNegative: Bool = false) throws {
    guard x.isFinite, !nonNegative || x >= 0 else {
      throw ModelFileError(
        .invalidValue, "field '\(field)' is \(x)\(nonNegative ? "; it must be finite and ≥ 0" : "")"
      )
    }
  }

  /// Throws unless `scale` is a usable rating scale: finite bounds with `minimum < maximum`, and
  /// a finite positive step when there is one.
  static func requireScale(_ scale: RatingScale, field: String = "scale") throws {
    guard scale.minimum.isFinite, scale.maximum.isFinite, scale.minimum < scale.maximum else {
      throw ModelFileError(
        .invalidValue,
        "field '\(field)' runs from \(scale.minimum) to \(scale.maximum); it needs finite bounds "
          + "with minimum < maximum")
    }
    if let step = scale.step, !(step.isFinite && step > 0) {
      throw ModelFileError(
        .invalidValue, "field '\(field)' has step \(step); it must be finite and > 0")
    }
  }

  /// Throws unless `scale` is valid and `mean` lies within it (the mean of ratings on the scale).
  static func requireMean(_ mean: Float, scale: RatingScale, field: String = "globalMean") throws {
    try requireScale(scale)
    let slack = RatingScale.tolerance
    guard mean.isFinite, mean >= scale.minimum - slack, mean <= scale.maximum + slack else {
      throw ModelFileError(
        .invalidValue,
        "field '\(field)' is \(mean), outside the rating scale \(scale.minimum)–\(scale.maximum)")
    }
  }

  /// Throws unless `1 ≤ factors ≤ factorLimit`.
  static func requireFactors(_ factors: Int, field: String = "factors") throws {
    guard factors >= 1, factors <= factorLimit else {
      throw ModelFileError(
        .invalidValue, "field '\(field)' is \(factors); it must be between 1 and \(factorLimit)")
    }
  }

  /// Checks compressed-sparse-row arrays before they are used: `rows + 1` non-decreasing offsets
  /// from 0 to the number of indices, every index in `0..<columns`.
  ///
  /// - Returns: the offsets as `Int`.
  static func requireCSR(
    offsets: [Int64], offsetsField: String, indices: [Int32], indicesField: String,
    rows: Int, columns: Int, columnName: String
  ) throws -> [Int] {
    guard offsets.count == rows + 1 else {
      throw ModelFileError(
        .corrupted,
        "array '\(offsetsField)' has \(offsets.count) entries, expected \(rows + 1) (one per row "
          + "and one more)")
    }
    guard offsets.first == 0, offsets.last == Int64(indices.count) else {
      throw ModelFileError(
        .invalidValue,
        "field '\(offsetsField)' runs from \(offsets.first ?? 0) to \(offsets.last ?? 0); it must "
          + "run from 0 to \(indices.count)")
    }
    for k in 1..<offsets.count where offsets[k] < offsets[k - 1] {
      throw invalid(offsetsField, entry: k, "\(offsets[k]), less than the entry before it")
    }
    for (k, c) in indices.enumerated() where c < 0 || Int(c) >= columns {
      throw invalid(
        indicesField, entry: k, "\(c), outside 0..<\(columns) (the \(columnName) count)")
    }
    return offsets.map { Int($0) }
  }

  /// `.invalidValue`: "field 'name' entry k is …".
  static func invalid(_ field: String, entry: Int, _ what: String) -> ModelFileError {
    ModelFileError(.invalidValue, "field '\(field)' entry \(entry) is \(what)")
  }
}

extension ModelArchive {
  /// The `Float32` array `name`, of `count` elements, each finite and of sane magnitude.
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` for a missing or mis-sized array, `.invalidValue`
  ///   naming the first bad entry.
  func finiteFloats(_ name: String, count: Int) throws -> [Float] {
    let values = try floats(name, count: count)
    try ModelValidation.requireFinite(values, field: fieldPrefix + name)
    return values
  }

  /// The `rows × columns` matrix `name`, every element finite and of sane magnitude.
  func finiteMatrix(_ name: String, rows: Int, columns: Int) throws -> Matrix<Float> {
    let matrix = try matrix(name, rows: rows, columns: columns)
    try ModelValidation.requireFinite(matrix.elements, field: fieldPrefix + name)
    return matrix
  }

  /// A ``ModelFileError`` naming the metadata field a decoding error is about.
  static func describe(_ error: DecodingError, kind: String) -> ModelFileError {
    func path(_ keys: [any CodingKey]) -> String {
      keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      let field = path(context.codingPath + [key])
      return ModelFileError(.corrupted, "the \(kind) model's metadata has no field '\(field)'")
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return ModelFileError(
        .corrupted,
        "the \(kind) model's metadata field '\(path(context.codingPath))': "
          + context.debugDescription)
    case .dataCorrupted(let context) where !context.codingPath.isEmpty:
      return ModelFileError(
        .invalidValue,
        "the \(kind) model's metadata field '\(path(context.codingPath))': "
          + context.debugDescription)
    case .dataCorrupted(let context):
      return ModelFileError(
        .corrupted, "the \(kind) model's metadata is not valid JSON: \(context.debugDescription)")
    @unknown default:
      return ModelFileError(.corrupted, "the \(kind) model's metadata does not decode: \(error)")
    }
  }
}
