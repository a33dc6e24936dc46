/// Why a model file could not be read or written: thrown, never a crash.
public struct ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong with the file.
  public enum Kind: String, Sendable, Equatable, Codable {
    /// The file does not start with the AFlix model magic bytes: not a model file.
    case notAModelFile
    /// The file was written by a format version this build does not read.
    case unsupportedVersion
    /// The file holds another kind of model than the one asked for.
    case wrongKind
    /// The file ends before its declared contents.
    case truncated
    /// The checksum over the contents does not match: some byte changed.
    case checksumMismatch
    /// The contents parse but are inconsistent (bad lengths, metadata, shapes).
    case corrupted
    /// The file system refused a read or write.
    case ioFailure
  }

  /// What is wrong.
  public let kind: Kind
  /// The file's name or path, when known.
  public let file: String?
  /// A sentence saying what is wrong, with the values involved.
  public let message: String

  /// Creates an error.
  public init(_ kind: Kind, file: String? = nil, _ message: String) {
    self.kind = kind
    self.file = file
    self.message = message
  }

  /// `file: kind: message`.
  public var description: String {
    (file.map { "\($0): " } ?? "") + "\(kind.rawValue): \(message)"
  }
}
