import AFlixData

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
    /// The contents are consistent but a value is not sane: a NaN or infinite parameter, a mean
    /// outside the rating scale, an invalid scale, an out-of-range index or count.
    case invalidValue
    /// The file system refused a read or write (``ModelFileError/fileSystemKind`` says how).
    case ioFailure
  }

  /// What is wrong.
  public let kind: Kind
  /// The file's name or path, when known.
  public let file: String?
  /// A sentence saying what is wrong, with the values involved.
  public let message: String
  /// For an `.ioFailure`, the file-system problem (`.notRegularFile` for a FIFO, device,
  /// symbolic link or folder, `.fileNotFound`, `.permissionDenied`, `.symbolicLinkLoop`,
  /// `.ioFailure`); `nil` otherwise.
  public let fileSystemKind: DataError.Kind?

  /// Creates an error.
  public init(_ kind: Kind, file: String? = nil, _ message: String) {
    self.kind = kind
    self.file = file
    self.message = message
    self.fileSystemKind = nil
  }

  /// An `.ioFailure` for a file-system error met while reading or writing `file`.
  public init(fileSystem error: DataError, file: String) {
    kind = .ioFailure
    self.file = file
    message = error.message
    fileSystemKind = error.kind
  }

  /// This error, naming `file` when it names none yet.
  func naming(_ file: String) -> ModelFileError {
    guard self.file == nil else { return self }
    return ModelFileError(kind: kind, file: file, message: message, fileSystemKind: fileSystemKind)
  }

  private init(kind: Kind, file: String?, message: String, fileSystemKind: DataError.Kind?) {
    self.kind = kind
    self.file = file
    self.message = message
    self.fileSystemKind = fileSystemKind
  }

  /// `file: kind: message`, control characters shown escaped (names and kinds read from a file
  /// never drive a terminal).
  public var description: String {
    DataError.escapingControlCharacters(
      (file.map { "\($0): " } ?? "") + "\(kind.rawValue): \(message)")
  }
}
