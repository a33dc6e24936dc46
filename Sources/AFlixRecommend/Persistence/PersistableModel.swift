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
  /// The model from an archive of its kind, its values checked: every stored parameter finite,
  /// shapes equal to the id maps' counts (times the factor count), id maps without repeats,
  /// factor counts within limits, a valid rating scale with the global mean inside it, indices in
  /// range.
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` when parts are missing or shapes disagree,
  ///   `.invalidValue` naming the field (and entry) of a value no fit produces.
  init(archive: ModelArchive) throws
}

extension PersistableModel {
  /// Saves the model to `url` atomically (see ``ModelArchive/write(to:)``).
  ///
  /// - Throws: ``ModelFileError`` naming the file: `.ioFailure` (with its
  ///   ``ModelFileError/fileSystemKind``) when `url` is not a regular file or cannot be written.
  public func save(to url: URL) throws {
    do {
      try archive().write(to: url)
    } catch let error as ModelFileError {
      throw error.naming(url.lastPathComponent)
    }
  }

  /// Loads a model of this kind from `url`.
  ///
  /// - Throws: ``ModelFileError`` naming the file and what is wrong: not a model file,
  ///   unsupported version, wrong kind, truncated, checksum mismatch, corrupted, invalid value.
  public static func load(from url: URL) throws -> Self {
    let archive = try ModelArchive.read(from: url, expectingKind: archiveKind)
    do {
      return try Self(archive: archive)
    } catch let error as ModelFileError {
      throw error.naming(url.lastPathComponent)
    }
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
