import AFlixData
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Bytes of CSV text, built without intermediate strings where it matters (integers), numbers in
/// Swift's shortest round-trip form (`Float`/`Double` `description`), so files read back exactly.
struct CSVBytes {
  var bytes: [UInt8] = []

  init(capacity: Int = 0) {
    bytes.reserveCapacity(capacity)
  }

  @inline(__always)
  mutating func append(raw text: String) { bytes.append(contentsOf: text.utf8) }

  @inline(__always)
  mutating func append(raw text: [UInt8]) { bytes.append(contentsOf: text) }

  @inline(__always)
  mutating func comma() { bytes.append(UInt8(ascii: ",")) }

  @inline(__always)
  mutating func newline() { bytes.append(UInt8(ascii: "\n")) }

  /// A field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
  mutating func append(field text: String) { bytes.append(contentsOf: Self.field(text)) }

  /// A decimal integer.
  @inline(__always)
  mutating func append(_ value: Int64) {
    if value < 0 {
      bytes.append(UInt8(ascii: "-"))
      if value == Int64.min {
        bytes.append(contentsOf: "9223372036854775808".utf8)
        return
      }
    }
    var v = UInt64(value.magnitude)
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[23 - count] = UInt8(ascii: "0") + UInt8(v % 10)
        v /= 10
        count += 1
      } while v > 0
      bytes.append(contentsOf: buffer[(24 - count)...])
    }
  }

  @inline(__always)
  mutating func append(_ value: Float) { bytes.append(contentsOf: value.description.utf8) }

  @inline(__always)
  mutating func append(_ value: Double) { bytes.append(contentsOf: value.description.utf8) }

  /// `text` as a CSV field's bytes, quoted when needed.
  static func field(_ text: String) -> [UInt8] {
    guard text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else {
      return Array(text.utf8)
    }
    return Array(("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"").utf8)
  }
}

/// Reading back the CSV files a world writes (RFC 4180: quoted fields may hold commas, doubled
/// quotes and line breaks).
///
/// Files are read in bounded chunks through ``CSVRecordParser``, never whole: a record longer
/// than ``LoadOptions/defaultMaximumLineLength`` bytes or a NUL byte fails at its line after at
/// most one chunk past it, so a file of zeros or one huge line is refused with small memory.
enum CSVReader {
  /// How many bytes each `read(2)` asks for: 4 MiB.
  static let defaultChunkSize = 4 << 20

  /// The data records of `url` split into fields, after checking the header is `header`.
  ///
  /// - Parameters:
  ///   - chunkSize: the bytes read at a time (tests use tiny ones to cross every boundary).
  /// - Throws: ``SynthError`` `.invalidFile` naming the file and, for its content, the 1-based
  ///   line where the bad record starts: a FIFO, folder, device, link loop or unreadable file
  ///   (nothing is read from a FIFO, so it never blocks); a NUL byte; a record longer than
  ///   ``LoadOptions/defaultMaximumLineLength`` bytes; an unterminated quoted field; a header
  ///   that is not `header` (found before the rest is read); a record with another field count.
  static func rows(of url: URL, header: String, chunkSize: Int = defaultChunkSize) throws
    -> [[String]]
  {
    let name = url.lastPathComponent
    func invalid(_ message: String) -> SynthError {
      SynthError(.invalidFile, parameter: name, message: message)
    }
    func invalid(_ line: Int, _ message: String) -> SynthError {
      invalid("line \(line): \(message)")
    }
    var parser = CSVRecordParser(
      maximumRecordLength: LoadOptions.defaultMaximumLineLength, rejectsNUL: true)
    var rows: [[String]] = []
    var columns: Int? = nil
    func take(_ record: [String], _ line: Int) throws {
      guard let count = columns else {
        guard record.joined(separator: ",") == header else {
          throw invalid(line, "the header is not \(header)")
        }
        columns = record.count
        return
      }
      guard record.count == count else {
        throw invalid(
          line, "the record has \(record.count) field\(record.count == 1 ? "" : "s"), not \(count)")
      }
      rows.append(record)
    }
    do {
      try FileAccess.forEachChunk(ofFile: url, chunkSize: chunkSize) { try parser.feed($0, take) }
      try parser.finish(take)
    } catch let error as CSVRecordParser.Failure {
      throw invalid(error.line, error.message)
    } catch let error as DataError {
      throw invalid(error.message)
    }
    guard columns != nil else { throw invalid("the header is not \(header)") }
    return rows
  }

  /// The records of CSV bytes (`\n` or `\r\n` line ends; blank lines skipped), or `nil` for an
  /// unterminated quote.
  static func records(in bytes: [UInt8]) -> [[String]]? {
    var parser = CSVRecordParser(maximumRecordLength: .max, rejectsNUL: false)
    var records: [[String]] = []
    func take(_ record: [String], _: Int) { records.append(record) }
    do {
      try bytes.withUnsafeBufferPointer { try parser.feed($0, take) }
      try parser.finish(take)
    } catch {
      return nil  // only an unterminated quote can fail without limits
    }
    return records
  }
}

/// An incremental RFC 4180 parser: bytes are fed in chunks of any size (a doubled quote or a
/// `\r\n` may straddle two), and each record is handed over with the 1-based line it starts on.
///
/// Quoted fields may hold commas, doubled quotes and line breaks; a quote opens a quoted field
/// only at the start of a field; `\n` and `\r\n` end records (a lone `\r` is data); blank lines
/// are skipped.
struct CSVRecordParser {
  /// A malformed input, at the 1-based `line` where its record starts (or its NUL byte is).
  struct Failure: Error {
    let line: Int
    let message: String
  }

  /// The longest record accepted, in bytes (its line ending excluded).
  let maximumRecordLength: Int
  /// Whether a NUL byte is an error.
  let rejectsNUL: Bool

  private var fields: [String] = []
  private var field: [UInt8] = []
  private var quoted = false
  private var wasQuoted = false
  /// A quote was the last byte inside a quoted field: the next byte tells a doubled quote.
  private var pendingQuote = false
  /// A `\r` was the last byte outside quotes: the next byte tells a `\r\n`.
  private var pendingCarriageReturn = false
  /// The current line (1-based) and the line the current record started on.
  private var line = 1
  private var recordLine = 1
  /// Bytes of the current record so far.
  private var recordLength = 0

  init(maximumRecordLength: Int, rejectsNUL: Bool) {
    self.maximumRecordLength = maximumRecordLength
    self.rejectsNUL = rejectsNUL
  }

  /// Parses `bytes`, calling `emit` with each complete record and its first line.
  mutating func feed(
    _ bytes: UnsafeBufferPointer<UInt8>, _ emit: ([String], Int) throws -> Void
  ) throws {
    for byte in bytes { try consume(byte, emit) }
  }

  /// Ends the input: emits the last record (one without a line ending).
  ///
  /// - Throws: ``Failure`` for an unterminated quoted field.
  mutating func finish(_ emit: ([String], Int) throws -> Void) throws {
    if pendingQuote {
      pendingQuote = false
      quoted = false
    }
    if pendingCarriageReturn {
      pendingCarriageReturn = false
      try append(UInt8(ascii: "\r"))
    }
    if quoted { throw Failure(line: recordLine, message: "a quoted field is not closed") }
    try endRecord(emit)
  }

  @inline(__always)
  private mutating func consume(_ byte: UInt8, _ emit: ([String], Int) throws -> Void) throws {
    let quote = UInt8(ascii: "\"")
    let newline = UInt8(ascii: "\n")
    if byte == 0 && rejectsNUL {
      throw Failure(line: line, message: "a NUL byte: this is not a CSV text file")
    }
    if pendingQuote {
      pendingQuote = false
      if byte == quote {
        try append(quote)
        return
      }
      quoted = false
    }
    if pendingCarriageReturn {
      pendingCarriageReturn = false
      if byte != newline { try append(UInt8(ascii: "\r")) }
    }
    if quoted {
      if byte == quote {
        pendingQuote = true
        try count()
      } else {
        if byte == newline { line += 1 }
        try append(byte)
      }
    } else if byte == UInt8(ascii: ",") {
      try count()
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      wasQuoted = false
    } else if byte == newline {
      try endRecord(emit)
      line += 1
      recordLine = line
    } else if byte == UInt8(ascii: "\r") {
      pendingCarriageReturn = true
    } else if byte == quote && field.isEmpty && !wasQuoted {
      try count()
      quoted = true
      wasQuoted = true
    } else {
      try append(byte)
    }
  }

  /// Counts one byte of the current record, checking the length limit.
  @inline(__always)
  private mutating func count() throws {
    recordLength += 1
    if recordLength > maximumRecordLength {
      throw Failure(
        line: recordLine,
        message: "the record is longer than \(maximumRecordLength) bytes: this is not a "
          + "world's CSV file")
    }
  }

  @inline(__always)
  private mutating func append(_ byte: UInt8) throws {
    try count()
    field.append(byte)
  }

  private mutating func endRecord(_ emit: ([String], Int) throws -> Void) throws {
    recordLength = 0
    if fields.isEmpty && field.isEmpty && !wasQuoted {
      return  // a blank line
    }
    fields.append(String(decoding: field, as: UTF8.self))
    field.removeAll(keepingCapacity: true)
    wasQuoted = false
    let record = fields
    fields = []
    try emit(record, recordLine)
  }
}
