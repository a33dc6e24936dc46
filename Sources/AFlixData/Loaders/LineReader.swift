import Foundation

/// The bytes of a text file, read at once, with byte-level line splitting, field splitting and
/// number parsing that allocate nothing per field.
///
/// Lines end in `\n` or `\r\n`; a final line without a newline counts; a UTF-8 byte-order mark at
/// the start is skipped. Line numbers are 1-based.
struct TextBytes {
  /// The file's bytes.
  let bytes: [UInt8]
  /// The file's name, for errors (its last path component).
  let fileName: String

  /// Reads `url`, throwing ``DataError/Kind-swift.enum/fileNotFound`` when it does not exist.
  init(contentsOf url: URL) throws {
    fileName = url.lastPathComponent
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
      !isDirectory.boolValue
    else {
      throw DataError(.fileNotFound, file: fileName, message: "no such file: \(url.path)")
    }
    do {
      bytes = [UInt8](try Data(contentsOf: url))
    } catch {
      throw DataError(.fileNotFound, file: fileName, message: "cannot read \(url.path): \(error)")
    }
  }

  /// Calls `body` with each line's 1-based number and byte range (without the line ending),
  /// skipping lines that are empty or hold only spaces and tabs.
  func forEachLine(
    _ body: (_ number: Int, _ line: UnsafeBufferPointer<UInt8>) throws -> Void
  ) rethrows {
    try bytes.withUnsafeBufferPointer { all in
      var start = 0
      if all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF { start = 3 }
      var number = 0
      let count = all.count
      while start < count {
        number += 1
        var end = start
        while end < count && all[end] != UInt8(ascii: "\n") { end += 1 }
        var stop = end
        if stop > start && all[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
        let line = UnsafeBufferPointer(rebasing: all[start..<stop])
        if !ByteParsing.isBlank(line) { try body(number, line) }
        start = end + 1
      }
    }
  }

  /// Whether the file holds at least one non-blank line.
  var hasContent: Bool {
    bytes.contains { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != 10 && $0 != 13 }
  }
}

/// Field splitting and number parsing on byte buffers.
enum ByteParsing {
  /// Whether `line` holds only spaces and tabs.
  static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
    for b in line where b != UInt8(ascii: " ") && b != UInt8(ascii: "\t") { return false }
    return true
  }

  /// Splits `line` at each `separator` byte into `fields` (ranges into `line`), reusing its
  /// storage.
  @inline(__always)
  static func split(
    _ line: UnsafeBufferPointer<UInt8>, separator: UInt8, into fields: inout [Range<Int>]
  ) {
    fields.removeAll(keepingCapacity: true)
    var start = 0
    for i in 0..<line.count where line[i] == separator {
      fields.append(start..<i)
      start = i + 1
    }
    fields.append(start..<line.count)
  }

  /// Splits `line` at each occurrence of the two-byte separator `first second` (`::`).
  static func split(
    _ line: UnsafeBufferPointer<UInt8>, separator first: UInt8, _ second: UInt8,
    into fields: inout [Range<Int>]
  ) {
    fields.removeAll(keepingCapacity: true)
    var start = 0
    var i = 0
    while i + 1 < line.count {
      if line[i] == first && line[i + 1] == second {
        fields.append(start..<i)
        i += 2
        start = i
      } else {
        i += 1
      }
    }
    fields.append(start..<line.count)
  }

  /// Splits a CSV line (RFC 4180 quoting: a field in double quotes may hold the delimiter, and
  /// `""` inside it is one quote) into unescaped fields, written one after another into `scratch`
  /// with their ranges in `fields`. Returns `false` for an unterminated quote.
  static func splitQuoted(
    _ line: UnsafeBufferPointer<UInt8>, delimiter: UInt8, scratch: inout [UInt8],
    fields: inout [Range<Int>]
  ) -> Bool {
    let quote = UInt8(ascii: "\"")
    scratch.removeAll(keepingCapacity: true)
    fields.removeAll(keepingCapacity: true)
    var fieldStart = 0
    var i = 0
    let count = line.count
    var atFieldStart = true
    while i < count {
      let b = line[i]
      if atFieldStart && b == quote {
        i += 1
        var closed = false
        while i < count {
          if line[i] == quote {
            if i + 1 < count && line[i + 1] == quote {
              scratch.append(quote)
              i += 2
            } else {
              i += 1
              closed = true
              break
            }
          } else {
            scratch.append(line[i])
            i += 1
          }
        }
        if !closed { return false }
        // Anything between the closing quote and the delimiter is kept (lenient about `"a"b`).
        while i < count && line[i] != delimiter {
          scratch.append(line[i])
          i += 1
        }
        atFieldStart = false
        continue
      }
      if b == delimiter {
        fields.append(fieldStart..<scratch.count)
        fieldStart = scratch.count
        atFieldStart = true
      } else {
        scratch.append(b)
        atFieldStart = false
      }
      i += 1
    }
    fields.append(fieldStart..<scratch.count)
    return true
  }

  /// `range` without leading and trailing spaces.
  @inline(__always)
  static func trimmed(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
    var lo = range.lowerBound
    var hi = range.upperBound
    while lo < hi && line[lo] == UInt8(ascii: " ") { lo += 1 }
    while hi > lo && line[hi - 1] == UInt8(ascii: " ") { hi -= 1 }
    return lo..<hi
  }

  /// The decimal integer in `range` (optional sign, surrounding spaces allowed), or `nil`.
  @inline(__always)
  static func parseInt(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
    let r = trimmed(line, range)
    var i = r.lowerBound
    guard i < r.upperBound else { return nil }
    var negative = false
    if line[i] == UInt8(ascii: "-") || line[i] == UInt8(ascii: "+") {
      negative = line[i] == UInt8(ascii: "-")
      i += 1
    }
    guard i < r.upperBound, r.upperBound - i <= 18 else {
      return i < r.upperBound ? Int(String(decoding: line[r], as: UTF8.self)) : nil
    }
    var value = 0
    while i < r.upperBound {
      let d = line[i] &- UInt8(ascii: "0")
      guard d < 10 else { return nil }
      value = value * 10 + Int(d)
      i += 1
    }
    return negative ? -value : value
  }

  /// Powers of ten exactly representable as `Float`.
  private static let floatPowers: [Float] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]

  /// The number in `range` as a `Float` (surrounding spaces allowed), or `nil` when it is not a
  /// number. `"nan"`, `"inf"` and `"infinity"` parse (to non-finite values).
  ///
  /// Plain decimals with at most 7 significant digits and 10 decimals (every rating) take a fast
  /// path that is exact: one correctly rounded `Float` division of two exact values, the same
  /// result as `Float(String)`. Other forms (exponents, long digit strings) use `Float(String)`.
  @inline(__always)
  static func parseFloat(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Float? {
    let r = trimmed(line, range)
    var i = r.lowerBound
    guard i < r.upperBound else { return nil }
    var negative = false
    if line[i] == UInt8(ascii: "-") || line[i] == UInt8(ascii: "+") {
      negative = line[i] == UInt8(ascii: "-")
      i += 1
    }
    var mantissa = 0
    var digits = 0
    var decimals = 0
    var seenPoint = false
    var fast = true
    while i < r.upperBound {
      let b = line[i]
      if b == UInt8(ascii: ".") && !seenPoint {
        seenPoint = true
      } else {
        let d = b &- UInt8(ascii: "0")
        guard d < 10 else {
          fast = false
          break
        }
        mantissa = mantissa * 10 + Int(d)
        digits += 1
        if seenPoint { decimals += 1 }
        if mantissa >= 1 << 24 || decimals > 10 {
          fast = false
          break
        }
      }
      i += 1
    }
    if fast {
      guard digits > 0 else { return nil }
      let value = Float(mantissa) / floatPowers[decimals]
      return negative ? -value : value
    }
    return parseFloatSlowly(String(decoding: line[r], as: UTF8.self))
  }

  /// Decimal notation with an optional exponent (`4`, `3.5`, `.5`, `4e0`, `-1.5E+2`) and the
  /// non-finite spellings `nan` / `inf` / `infinity` (so that callers can report them as
  /// non-finite rather than non-numeric). Hexadecimal floats and other forms `Float(_:)` would
  /// accept are not numbers in a ratings file.
  static func parseFloatSlowly(_ text: String) -> Float? {
    let lower = text.lowercased()
    let unsigned = lower.hasPrefix("-") || lower.hasPrefix("+") ? String(lower.dropFirst()) : lower
    if ["nan", "inf", "infinity"].contains(unsigned) { return Float(lower) }
    let allowed = Set("0123456789.e+-")
    guard !unsigned.isEmpty, unsigned.allSatisfy({ allowed.contains($0) }),
      unsigned.first!.isNumber || unsigned.first == "."
    else { return nil }
    return Float(lower)
  }

  /// The bytes of `range` as text for an error message (invalid UTF-8 replaced).
  static func text(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    String(decoding: line[range], as: UTF8.self)
  }

  /// Whether `bytes` are valid UTF-8.
  static func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue: continue
      case .emptyInput: return true
      case .error: return false
      }
    }
  }

  /// `bytes` decoded as UTF-8, or `nil` when they are not valid UTF-8.
  static func utf8String(_ bytes: some Collection<UInt8>) -> String? {
    isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
  }

  /// `bytes` decoded as ISO-8859-1 (latin-1): each byte is the Unicode scalar of the same value.
  static func latin1String(_ bytes: some Collection<UInt8>) -> String {
    if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    var scalars = String.UnicodeScalarView()
    for b in bytes { scalars.append(Unicode.Scalar(b)) }
    return String(scalars)
  }
}

extension TextBytes {
  /// The first non-blank line's number and bytes (without its line ending), or `nil` for a file
  /// with no content.
  func firstLine() -> (number: Int, bytes: [UInt8])? {
    var result: (Int, [UInt8])?
    var done = false
    forEachLine { number, line in
      if !done {
        result = (number, Array(line))
        done = true
      }
    }
    return result
  }

  /// Whether the whole file is valid UTF-8 (files that are not are read as latin-1 where the
  /// format allows it).
  var isValidUTF8: Bool { ByteParsing.isValidUTF8(bytes) }

  /// The file's header: the first line split at `delimiter` (quotes allowed), each name trimmed.
  func headerNames(delimiter: UInt8) throws -> (line: Int, names: [String]) {
    guard let (number, line) = firstLine() else {
      throw DataError(.emptyFile, file: fileName, message: "the file is empty")
    }
    var scratch: [UInt8] = []
    var fields: [Range<Int>] = []
    let ok = line.withUnsafeBufferPointer {
      ByteParsing.splitQuoted($0, delimiter: delimiter, scratch: &scratch, fields: &fields)
    }
    guard ok else {
      throw DataError(
        .malformedLine, file: fileName, line: number, value: String(decoding: line, as: UTF8.self),
        message: "unterminated quoted field in the header")
    }
    guard ByteParsing.isValidUTF8(line) else {
      throw DataError(
        .unreadableEncoding, file: fileName, line: number, message: "the header is not UTF-8")
    }
    let names = fields.map {
      String(decoding: scratch[$0], as: UTF8.self).trimmingASCIISpaces()
    }
    return (number, names)
  }
}

extension String {
  /// The string without leading and trailing spaces and tabs.
  func trimmingASCIISpaces() -> String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
    while let c = s.last, c == " " || c == "\t" { s.removeLast() }
    return String(s)
  }
}
