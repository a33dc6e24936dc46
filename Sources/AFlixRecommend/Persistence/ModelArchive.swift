import AFlixData
import AFlixLinalg
import Foundation

/// The binary container of a fitted model: a versioned, checksummed file holding the model kind,
/// its JSON metadata (hyper-parameters, id maps, scalars) and named little-endian arrays (factors,
/// biases).
///
/// Layout (all integers little-endian):
///
/// | bytes | content |
/// |---|---|
/// | 8 | magic `AFLIXMDL` |
/// | 4 | format version (``formatVersion``) |
/// | 8 | the file's total length in bytes |
/// | 8 | FNV-1a 64-bit checksum of the 20 header bytes before it |
/// | 4 + n | kind: length, UTF-8 |
/// | 8 + n | metadata: length, UTF-8 JSON |
/// | 4 | array count |
/// | per array | name (4 + n), element type (1: Float32, 2: Float64, 3: Int32, 4: Int64), element count (8), elements |
/// | 8 | FNV-1a 64-bit checksum of every byte before it |
///
/// Reading checks, in order: the magic (else not a model file), the version (else unsupported
/// version), the header checksum and the total length, then the checksum of everything. So any
/// changed byte past the version is a checksum mismatch (FNV-1a maps inputs of one length that
/// differ in one byte to different values), a file shorter than its checked header declares is
/// truncated, and another magic, version or kind is named as such. The models'
/// ``PersistableModel/init(archive:)`` then check the values themselves (finite parameters,
/// shapes matching the id maps, a mean within a valid rating scale, indices in range), so a file
/// whose checksum was recomputed over insane values is refused too (`.invalidValue`).
///
/// ``write(to:)`` is atomic: it writes a registered partial file beside the target (see
/// `AtomicFile` and `PartialFiles`), flushes it to disk, renames it over the target and flushes
/// the folder, so an interrupted save never destroys the previous file; only a regular file (or
/// nothing) at the target is replaced.
public struct ModelArchive: Sendable, Equatable {
  /// The format version this build writes and reads.
  public static let formatVersion: UInt32 = 2
  /// Magic, version, total length and header checksum.
  static let headerLength = 28
  /// The 8 magic bytes every model file starts with.
  public static let magic: [UInt8] = Array("AFLIXMDL".utf8)

  /// A named array of numbers.
  public enum Payload: Sendable, Equatable {
    /// 32-bit floats.
    case float32([Float])
    /// 64-bit floats.
    case float64([Double])
    /// 32-bit integers.
    case int32([Int32])
    /// 64-bit integers.
    case int64([Int64])
  }

  /// The model kind, e.g. `"mf-als"`: a file of one kind does not load as another.
  public var kind: String
  /// JSON metadata: hyper-parameters, id maps, scalars.
  public var metadata: Data
  /// The named arrays, in file order.
  public var arrays: [(name: String, payload: Payload)]
  /// Prepended to array names in error messages: a blend's member archive names its arrays as
  /// they are stored in the blend's file (`m0.userBias`).
  var fieldPrefix = ""

  /// Creates an archive.
  public init(kind: String, metadata: Data, arrays: [(name: String, payload: Payload)] = []) {
    self.kind = kind
    self.metadata = metadata
    self.arrays = arrays
  }

  /// Two archives are equal when kind, metadata and arrays (names, order, values) are.
  public static func == (a: ModelArchive, b: ModelArchive) -> Bool {
    a.kind == b.kind && a.metadata == b.metadata && a.arrays.count == b.arrays.count
      && zip(a.arrays, b.arrays).allSatisfy { $0.name == $1.name && $0.payload == $1.payload }
  }

  /// The array named `name`.
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` when there is none.
  public func payload(named name: String) throws -> Payload {
    guard let entry = arrays.first(where: { $0.name == name }) else {
      throw ModelFileError(.corrupted, "the \(kind) model has no array '\(fieldPrefix)\(name)'")
    }
    return entry.payload
  }

  /// The `Float32` array named `name`, checked to hold `count` elements when given.
  public func floats(_ name: String, count: Int? = nil) throws -> [Float] {
    guard case .float32(let values) = try payload(named: name) else {
      throw ModelFileError(.corrupted, "array '\(fieldPrefix)\(name)' is not Float32")
    }
    if let count, values.count != count {
      throw ModelFileError(
        .corrupted,
        "array '\(fieldPrefix)\(name)' has \(values.count) elements, expected \(count)")
    }
    return values
  }

  /// The `Float32` array named `name` as a `rows × columns` row-major matrix, its length checked.
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` for a negative or overflowing shape, a missing
  ///   array or a length that does not match.
  public func matrix(_ name: String, rows: Int, columns: Int) throws -> Matrix<Float> {
    let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
    guard rows >= 0, columns >= 0, !overflow else {
      throw ModelFileError(
        .corrupted,
        "matrix '\(fieldPrefix)\(name)' has an impossible shape \(rows) × \(columns)")
    }
    return Matrix(rows: rows, columns: columns, elements: try floats(name, count: count))
  }

  /// The metadata decoded as `type`.
  ///
  /// - Throws: ``ModelFileError`` naming the field: `.invalidValue` for a value the type refuses
  ///   (a repeated id in an id map, a number out of range), `.corrupted` otherwise.
  public func decodeMetadata<T: Decodable>(_ type: T.Type) throws -> T {
    do {
      return try JSONDecoder().decode(T.self, from: metadata)
    } catch let error as DecodingError {
      throw Self.describe(error, kind: kind)
    } catch {
      throw ModelFileError(.corrupted, "the \(kind) model's metadata does not decode: \(error)")
    }
  }

  /// The file bytes.
  public func encoded() -> Data {
    var body = ByteWriter()
    body.string32(kind)
    body.uint64(UInt64(metadata.count))
    body.bytes(Array(metadata))
    body.uint32(UInt32(arrays.count))
    for (name, payload) in arrays {
      body.string32(name)
      switch payload {
      case .float32(let v):
        body.uint8(1)
        body.uint64(UInt64(v.count))
        for x in v { body.uint32(x.bitPattern) }
      case .float64(let v):
        body.uint8(2)
        body.uint64(UInt64(v.count))
        for x in v { body.uint64(x.bitPattern) }
      case .int32(let v):
        body.uint8(3)
        body.uint64(UInt64(v.count))
        for x in v { body.uint32(UInt32(bitPattern: x)) }
      case .int64(let v):
        body.uint8(4)
        body.uint64(UInt64(v.count))
        for x in v { body.uint64(UInt64(bitPattern: x)) }
      }
    }
    var out = ByteWriter()
    out.bytes(Self.magic)
    out.uint32(Self.formatVersion)
    out.uint64(UInt64(Self.headerLength + body.data.count + 8))
    out.uint64(Self.checksum(out.data))
    out.bytes(body.data)
    out.uint64(Self.checksum(out.data))
    return Data(out.data)
  }

  /// Parses file bytes.
  ///
  /// - Parameters:
  ///   - data: the file's bytes.
  ///   - kind: the model kind expected, or nil for any.
  ///   - file: the file's name, for error messages.
  /// - Throws: ``ModelFileError`` naming what is wrong.
  public init(decoding data: Data, expectingKind kind: String? = nil, file: String? = nil) throws {
    let bytes = [UInt8](data)
    try Self.checkHeader(Array(bytes.prefix(Self.headerLength)), fileSize: bytes.count, file: file)
    var r = ByteReader(bytes: bytes, file: file)
    r.position = Self.headerLength
    guard bytes.count >= Self.headerLength + 8 else {
      throw ModelFileError(.corrupted, file: file, "the header declares no room for a checksum")
    }
    let body = bytes[0..<(bytes.count - 8)]
    var stored: UInt64 = 0
    for (k, b) in bytes[(bytes.count - 8)...].enumerated() { stored |= UInt64(b) << (8 * k) }
    guard Self.checksum(body) == stored else {
      throw ModelFileError(
        .checksumMismatch, file: file, "the contents do not match their checksum (a byte changed)")
    }
    let readKind = try r.string32("model kind")
    if let kind, readKind != kind {
      throw ModelFileError(
        .wrongKind, file: file, "the file holds a '\(readKind)' model, not '\(kind)'")
    }
    let metadataLength = try r.uint64("metadata length")
    let metadata = Data(try r.bytes(Int(clamping: metadataLength), "metadata"))
    let count = try r.uint32("array count")
    var arrays: [(name: String, payload: Payload)] = []
    for _ in 0..<count {
      let name = try r.string32("array name")
      let type = try r.uint8("type of array '\(name)'")
      let n = Int(clamping: try r.uint64("length of array '\(name)'"))
      switch type {
      case 1: arrays.append((name, .float32(try r.words32(n, name).map { Float(bitPattern: $0) })))
      case 2: arrays.append((name, .float64(try r.words64(n, name).map { Double(bitPattern: $0) })))
      case 3: arrays.append((name, .int32(try r.words32(n, name).map { Int32(bitPattern: $0) })))
      case 4: arrays.append((name, .int64(try r.words64(n, name).map { Int64(bitPattern: $0) })))
      default:
        throw ModelFileError(.corrupted, file: file, "array '\(name)' has unknown type \(type)")
      }
    }
    guard r.position == bytes.count - 8 else {
      throw ModelFileError(
        .corrupted, file: file, "\(bytes.count - 8 - r.position) unexpected bytes after the arrays")
    }
    self.init(kind: readKind, metadata: metadata, arrays: arrays)
  }

  /// FNV-1a, 64 bits.
  static func checksum<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01B3
    }
    return h
  }

  /// Writes the archive to `url` atomically: a registered partial file in the same folder,
  /// flushed to disk, then renamed over `url`, and the folder flushed. On failure the partial file
  /// is removed and any previous file at `url` is left as it was. Partial files of killed
  /// processes beside `url` are removed first.
  ///
  /// Only a regular file at `url` is replaced: a symbolic link, a FIFO, a device, a socket or a
  /// folder there is refused and left untouched.
  ///
  /// - Throws: ``ModelFileError`` `.ioFailure` naming the file, with
  ///   ``ModelFileError/fileSystemKind`` saying why.
  public func write(to url: URL) throws {
    try Self.atomicWrite(encoded(), to: url, beforeRename: nil)
  }

  /// Checks the magic bytes, the version, the header's own checksum and the declared total
  /// length against `fileSize`, from the first ``headerLength`` bytes alone — so a file that is
  /// not a model file, or whose length disagrees with its header, is refused before the rest is
  /// read.
  static func checkHeader(_ bytes: [UInt8], fileSize: Int, file: String?) throws {
    var r = ByteReader(bytes: bytes, file: file)
    guard bytes.count >= Self.magic.count, Array(bytes[0..<Self.magic.count]) == Self.magic else {
      throw ModelFileError(.notAModelFile, file: file, "it does not start with 'AFLIXMDL'")
    }
    r.position = Self.magic.count
    let version = try r.uint32("format version")
    guard version == Self.formatVersion else {
      throw ModelFileError(
        .unsupportedVersion, file: file,
        "format version \(version); this build reads version \(Self.formatVersion)")
    }
    // The header (magic, version, total length) has its own checksum, so a short file is told
    // from a changed byte: lengths are trusted only once their checksum holds.
    guard bytes.count >= Self.headerLength else {
      throw ModelFileError(
        .truncated, file: file,
        "the file ends inside its \(Self.headerLength)-byte header (\(bytes.count) bytes)")
    }
    let declared = try r.uint64("total length")
    let headerSum = try r.uint64("header checksum")
    guard Self.checksum(bytes[0..<20]) == headerSum else {
      throw ModelFileError(
        .checksumMismatch, file: file, "the header does not match its checksum (a byte changed)")
    }
    guard declared == UInt64(fileSize) else {
      if declared > UInt64(fileSize) {
        throw ModelFileError(
          .truncated, file: file,
          "the file ends \(declared - UInt64(fileSize)) bytes early (\(fileSize) of "
            + "\(declared))")
      }
      throw ModelFileError(
        .corrupted, file: file,
        "\(UInt64(fileSize) - declared) unexpected bytes after the declared end")
    }
  }

  /// Reads the archive at `url`.
  ///
  /// - Throws: ``ModelFileError`` naming the file; `.ioFailure` for a missing file, a FIFO,
  ///   a device or a folder (refused before it is opened), or an unreadable one.
  public static func read(from url: URL, expectingKind kind: String? = nil) throws -> ModelArchive {
    let name = url.lastPathComponent
    let data: Data
    do {
      try FileAccess.requireReadableFile(url)
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      let size = try handle.seekToEnd()
      try handle.seek(toOffset: 0)
      let header = try handle.read(upToCount: headerLength) ?? Data()
      // Not a model file, or a length its header contradicts: refused without reading the rest.
      try checkHeader([UInt8](header), fileSize: Int(clamping: size), file: name)
      try handle.seek(toOffset: 0)
      data = try handle.readToEnd() ?? Data()
    } catch let error as ModelFileError {
      throw error
    } catch {
      throw ModelFileError(
        fileSystem: FileAccess.error(error, path: url.path, action: "read"), file: name)
    }
    return try ModelArchive(decoding: data, expectingKind: kind, file: name)
  }

  /// The atomic write, with a hook run after the temporary file is complete and before the rename
  /// (tests use it to simulate an interruption; its error is rethrown unchanged).
  static func atomicWrite(_ data: Data, to url: URL, beforeRename: (() throws -> Void)?) throws {
    do {
      try AtomicFile.write(data, to: url, beforeRename: beforeRename)
    } catch let error as DataError {
      throw ModelFileError(fileSystem: error, file: url.lastPathComponent)
    }
  }

  /// `bytes` (a model file, possibly edited) with its total length and both checksums
  /// recomputed: a test hook for files whose bytes are consistent but whose values are not.
  static func resealed(_ bytes: [UInt8]) -> Data {
    guard bytes.count >= headerLength + 8 else { return Data(bytes) }
    var out = bytes
    func put(_ value: UInt64, at offset: Int) {
      for k in 0..<8 { out[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }
    put(UInt64(out.count), at: 12)
    put(checksum(out[0..<20]), at: 20)
    put(checksum(out[0..<(out.count - 8)]), at: out.count - 8)
    return Data(out)
  }
}

/// Little-endian byte output.
struct ByteWriter {
  var data: [UInt8] = []

  mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
  mutating func uint8(_ v: UInt8) { data.append(v) }
  mutating func uint32(_ v: UInt32) {
    for k in 0..<4 { data.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
  }
  mutating func uint64(_ v: UInt64) {
    for k in 0..<8 { data.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
  }
  mutating func string32(_ s: String) {
    let utf8 = Array(s.utf8)
    uint32(UInt32(utf8.count))
    bytes(utf8)
  }
}

/// Little-endian byte input whose every read checks the remaining length.
struct ByteReader {
  let bytes: [UInt8]
  let file: String?
  var position = 0

  init(bytes: [UInt8], file: String?) {
    self.bytes = bytes
    self.file = file
  }

  mutating func bytes(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
    guard n >= 0, n <= bytes.count - position else {
      throw ModelFileError(
        .truncated, file: file,
        "the file ends while reading \(what) (needs \(n) bytes at offset \(position), "
          + "\(bytes.count - position) left)")
    }
    defer { position += n }
    return bytes[position..<(position + n)]
  }

  mutating func uint8(_ what: String) throws -> UInt8 { try bytes(1, what).first! }

  mutating func uint32(_ what: String) throws -> UInt32 {
    try bytes(4, what).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * $1.offset) }
  }

  mutating func uint64(_ what: String) throws -> UInt64 {
    try bytes(8, what).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
  }

  mutating func string32(_ what: String) throws -> String {
    let n = Int(try uint32("length of \(what)"))
    guard let s = String(validating: try bytes(n, what), as: UTF8.self) else {
      throw ModelFileError(.corrupted, file: file, "\(what) is not UTF-8")
    }
    return s
  }

  mutating func words32(_ n: Int, _ name: String) throws -> [UInt32] {
    let (size, overflow) = n.multipliedReportingOverflow(by: 4)
    guard !overflow else {
      throw ModelFileError(.corrupted, file: file, "array '\(name)' too long")
    }
    let slice = try bytes(size, "array '\(name)'")
    var out = [UInt32](repeating: 0, count: n)
    var p = slice.startIndex
    for k in 0..<n {
      out[k] =
        UInt32(slice[p]) | UInt32(slice[p + 1]) << 8 | UInt32(slice[p + 2]) << 16
        | UInt32(slice[p + 3]) << 24
      p += 4
    }
    return out
  }

  mutating func words64(_ n: Int, _ name: String) throws -> [UInt64] {
    let (size, overflow) = n.multipliedReportingOverflow(by: 8)
    guard !overflow else {
      throw ModelFileError(.corrupted, file: file, "array '\(name)' too long")
    }
    let slice = try bytes(size, "array '\(name)'")
    var out = [UInt64](repeating: 0, count: n)
    var p = slice.startIndex
    for k in 0..<n {
      var v: UInt64 = 0
      for b in 0..<8 { v |= UInt64(slice[p + b]) << (8 * b) }
      out[k] = v
      p += 8
    }
    return out
  }
}
