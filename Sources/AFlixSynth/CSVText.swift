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

  func close() throws {
    try flush()
    try handle.close()
  }
}

/// Reading back the CSV files a world writes (RFC 4180 quoting).
enum CSVReader {
  /// The data lines of `url` split into fields, after checking the header is `header`.
  static func rows(of url: URL, header: String) throws -> [[String]] {
    let name = url.lastPathComponent
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw SynthError(.invalidFile, parameter: name, message: "cannot read \(url.path)")
    }
    let text = String(decoding: data, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    guard let first = lines.first, first == header else {
      throw SynthError(.invalidFile, parameter: name, message: "the header is not \(header)")
    }
    lines.removeFirst()
    let columns = header.split(separator: ",").count
    return try lines.enumerated().map { k, line in
      guard let fields = split(line), fields.count == columns else {
        throw SynthError(
          .invalidFile, parameter: name, message: "line \(k + 2) does not have \(columns) fields")
      }
      return fields
    }
  }

  /// The fields of one line, or `nil` for an unterminated quote.
  static func split(_ line: Substring) -> [String]? {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var atStart = true
    var it = line.makeIterator()
    while let ch = it.next() {
      if quoted {
        if ch == "\"" {
          // Either a doubled quote or the end of the quoted part.
          var copy = it
          if copy.next() == "\"" {
            _ = it.next()
            current.append("\"")
          } else {
            quoted = false
          }
        } else {
          current.append(ch)
        }
      } else if ch == "," {
        fields.append(current)
        current = ""
        atStart = true
        continue
      } else if ch == "\"" && atStart {
        quoted = true
      } else {
        current.append(ch)
      }
      atStart = false
    }
    if quoted { return nil }
    fields.append(current)
    return fields
  }
}
