import Foundation

/// A fitted model that saves to and loads from a ``ModelArchive`` file.
///
/// ```swift
/// try model.save(to: URL(fileURLWithPath: "model.aflix"))
/// let again = try BaselineModel.load(from: URL(fileURLWithPath: "model.aflix"))
/// ```
public protocol PersistableModel: Sendable {
  /// The kind written into the file; a file of another kind does not load as this model.
  static var archiveKind: String { get }
  /// The model as an archive: metadata (hyper-parameters, id maps, scalars) and arrays.
  func archive() throws -> ModelArchive
  /// The model from an archive of its kind.
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` when parts are missing or shapes disagree.
  init(archive: ModelArchive) throws
}

extension PersistableModel {
  /// Saves the model to `url` atomically (see ``ModelArchive/write(to:)``).
  ///
  /// - Throws: ``ModelFileError``.
  public func save(to url: URL) throws {
    try archive().write(to: url)
  }

  /// Loads a model of this kind from `url`.
  ///
  /// - Throws: ``ModelFileError`` naming what is wrong: not a model file, unsupported version,
  ///   wrong kind, truncated, checksum mismatch, corrupted.
  public static func load(from url: URL) throws -> Self {
    try Self(archive: ModelArchive.read(from: url, expectingKind: archiveKind))
  }
}

/// Encodes metadata as sorted-key JSON, so the same model always gives the same bytes.
func encodeMetadata<T: Encodable>(_ value: T) throws -> Data {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  do {
    return try encoder.encode(value)
  } catch {
    throw ModelFileError(.corrupted, "cannot encode the model's metadata: \(error)")
  }
}
