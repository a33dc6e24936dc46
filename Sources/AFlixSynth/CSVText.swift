import AFlixData
import Foundation

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

/// Appends bytes to a file through a 1 MiB buffer.
final class FileSink {
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var closed = false
  private static let flushSize = 1 << 20

  /// Creates (or truncates) the file at `url`.
  init(_ url: URL) throws {
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw SynthError(
        .invalidFile, parameter: url.lastPathComponent, message: "cannot create \(url.path)")
    }
    handle = try FileHandle(forWritingTo: url)
    buffer.reserveCapacity(Self.flushSize)
  }

  func write(_ bytes: [UInt8]) throws {
    if buffer.count + bytes.count > Self.flushSize {
      try flush()
      if bytes.count >= Self.flushSize {
        try handle.write(contentsOf: bytes)
        return
      }
    }
    buffer.append(contentsOf: bytes)
  }

  func write(_ text: String) throws { try write(Array(text.utf8)) }

  func flush() throws {
    guard !buffer.isEmpty else { return }
    try handle.write(contentsOf: buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes and closes the file; later calls do nothing.
  func close() throws {
    guard !closed else { return }
    closed = true
    do {
      try flush()
    } catch {
      try? handle.close()
      throw error
    }
    try handle.close()
  }
}

/// Reading back the CSV files a world writes (RFC 4180: quoted fields may hold commas, doubled
/// quotes and line breaks).
enum CSVReader {
  /// The data records of `url` split into fields, after checking the header is `header`.
  static func rows(of url: URL, header: String) throws -> [[String]] {
    let name = url.lastPathComponent
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw SynthError(.invalidFile, parameter: name, message: "cannot read \(url.path)")
    }
    guard var records = records(in: Array(data)) else {
      throw SynthError(.invalidFile, parameter: name, message: "a quoted field is not closed")
    }
    guard let first = records.first, first.joined(separator: ",") == header else {
      throw SynthError(.invalidFile, parameter: name, message: "the header is not \(header)")
    }
    records.removeFirst()
    let columns = first.count
    for (k, record) in records.enumerated() where record.count != columns {
      throw SynthError(
        .invalidFile, parameter: name, message: "record \(k + 2) does not have \(columns) fields")
    }
    return records
  }

  /// The records of CSV bytes (`\n` or `\r\n` line ends; blank lines skipped), or `nil` for an
  /// unterminated quote.
  static func records(in bytes: [UInt8]) -> [[String]]? {
    let quote = UInt8(ascii: "\"")
    let comma = UInt8(ascii: ",")
    let newline = UInt8(ascii: "\n")
    let carriageReturn = UInt8(ascii: "\r")
    var records: [[String]] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var wasQuoted = false
    var i = 0
    func endField() {
      fields.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      wasQuoted = false
    }
    func endRecord() {
      if fields.isEmpty && field.isEmpty && !wasQuoted {
        return  // a blank line
      }
      endField()
      records.append(fields)
      fields = []
    }
    while i < bytes.count {
      let byte = bytes[i]
      if quoted {
        if byte == quote {
          if i + 1 < bytes.count && bytes[i + 1] == quote {
            field.append(quote)
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.append(byte)
        }
      } else if byte == comma {
        endField()
      } else if byte == newline {
        endRecord()
      } else if byte == carriageReturn && i + 1 < bytes.count && bytes[i + 1] == newline {
        // The \n that follows ends the record.
      } else if byte == quote && field.isEmpty && !wasQuoted {
        quoted = true
        wasQuoted = true
      } else {
        field.append(byte)
      }
      i += 1
    }
    if quoted { return nil }
    endRecord()
    return records
  }
}
