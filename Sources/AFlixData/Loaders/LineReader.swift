import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a text file line by line through a bounded buffer, never holding the whole file.
///
/// ```swift
/// let reader = try TextLineReader(contentsOf: URL(fileURLWithPath: "ratings.csv"))
/// try reader.forEachLine { number, line in
///   // `line` is the line's bytes without its line ending, valid only inside the closure
/// }
/// ```
///
/// Lines end in `\n` or `\r\n`; a final line without a newline counts; a UTF-8 byte-order mark
/// at the start is skipped; lines that are empty or hold only spaces and tabs are skipped (their
/// numbers still count). Line numbers are 1-based.
///
/// The file is read in chunks (4 MiB by default), so memory stays bounded whatever the file
/// holds. A line longer than ``maximumLineLength`` bytes (line ending excluded), or one holding a
/// NUL byte, throws ``DataError/Kind-swift.enum/malformedLine`` naming that line, in lenient
/// loads too: such a file is not a text file of lines (a file of zeros has no newline at all),
/// and it fails at its first bad line after reading at most one chunk past it.
public struct TextLineReader: Sendable {
  /// The file read.
  public let url: URL
  /// The file's name (its last path component), for errors.
  public let fileName: String
  /// The longest line accepted, in bytes without the line ending.
  public let maximumLineLength: Int
  /// How many bytes each `read(2)` asks for.
  let chunkSize: Int
  /// The file's size in bytes when the reader was made, for sizing buffers (0 when unknown).
  public let byteCount: Int

  /// The default chunk size: 4 MiB.
  static let defaultChunkSize = 4 << 20

  /// Prepares to read `url`, checking that it is a readable regular file.
  ///
  /// - Parameters:
  ///   - url: the file.
  ///   - maximumLineLength: the longest line accepted, in bytes (line ending excluded); at least 1.
  /// - Throws: ``DataError`` `.fileNotFound`, `.notRegularFile` (a folder, FIFO, device or
  ///   socket: nothing is read from it, so a FIFO never blocks), `.symbolicLinkLoop`,
  ///   `.permissionDenied`.
  public init(
    contentsOf url: URL, maximumLineLength: Int = LoadOptions.defaultMaximumLineLength
  ) throws {
    try self.init(contentsOf: url, maximumLineLength: maximumLineLength, chunkSize: nil)
  }

  /// ``init(contentsOf:maximumLineLength:)`` with a chosen chunk size (tests use small ones).
  init(contentsOf url: URL, maximumLineLength: Int, chunkSize: Int?) throws {
    try FileAccess.requireReadableFile(url)
    var info = stat()
    self.byteCount = stat(url.path, &info) == 0 ? Int(info.st_size) : 0
    self.url = url
    self.fileName = url.lastPathComponent
    self.maximumLineLength = max(1, maximumLineLength)
    self.chunkSize = max(1, chunkSize ?? Self.defaultChunkSize)
  }

  /// Calls `body` with each non-blank line's 1-based number and bytes (without the line ending).
  ///
  /// The buffer is valid only during the call.
  ///
  /// - Throws: what `body` throws; ``DataError`` `.malformedLine` for a line longer than
  ///   ``maximumLineLength`` or holding a NUL byte; `.ioFailure` (and the other file kinds) when
  ///   reading fails.
  public func forEachLine(
    _ body: (_ number: Int, _ line: UnsafeBufferPointer<UInt8>) throws -> Void
  ) throws {
    try scanLines { number, line in
      try body(number, line)
      return true
    }
  }

  /// Calls `body` with each non-blank line until it returns `false`.
  ///
  /// With a byte range, only the lines that start in `lowerBound..<upperBound` are read, numbered
  /// from 1 at the first of them (a line starts at offset 0 or after a `\n`); a line that starts
  /// in the range is read whole even where it ends after it. Consecutive ranges thus split a
  /// file's lines between them, each line in exactly one.
  ///
  /// - Returns: how many lines (blank ones included) were passed, in the range.
  @discardableResult
  func scanLines(
    from lowerBound: Int = 0, to upperBound: Int = .max,
    _ body: (_ number: Int, _ line: UnsafeBufferPointer<UInt8>) throws -> Bool
  ) throws -> Int {
    let fd = try FileAccess.openForReading(url)
    defer { close(fd) }
    var bufferOffset = 0  // the file offset of buffer[0]
    var skipping = false  // dropping the end of a line that started before `lowerBound`
    if lowerBound > 0 {
      guard lseek(fd, off_t(lowerBound - 1), SEEK_SET) >= 0 else {
        throw FileAccess.error(errno: errno, path: url.path, action: "read")
      }
      bufferOffset = lowerBound - 1
      skipping = true
    }
    var capacity = chunkSize
    var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    var filled = 0  // bytes held
    var start = 0  // where the current line starts
    var searched = 0  // bytes before this hold no newline of the current line
    var nul: Int? = nil  // the first NUL byte at or after `start`, when one has been read
    var nulSearched = 0  // bytes before this were searched for NUL
    var number = 0
    var atFileStart = lowerBound == 0
    var endOfFile = false

    /// Checks and delivers the line `start..<end` (no line ending); `false` stops.
    func deliver(_ end: Int) throws -> Bool {
      if bufferOffset + start >= upperBound { return false }
      number += 1
      var stop = end
      if stop > start && buffer[stop - 1] == 13 { stop -= 1 }
      if let z = nul, z < end { throw nulError(number, buffer + start, stop - start) }
      if stop - start > maximumLineLength {
        throw lengthError(number, buffer + start, stop - start)
      }
      let line = UnsafeBufferPointer(start: buffer + start, count: stop - start)
      if ByteParsing.isBlank(line) { return true }
      return try body(number, line)
    }

    while !endOfFile {
      // Make room: drop delivered lines, grow only for a line longer than the buffer.
      if start > 0 {
        let kept = filled - start
        if kept > 0 { (buffer).update(from: buffer + start, count: kept) }
        filled = kept
        bufferOffset += start
        searched -= start
        nulSearched -= start
        if let z = nul { nul = z - start }
        start = 0
      }
      if filled == capacity {
        let grown = capacity * 2
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        fresh.update(from: buffer, count: filled)
        buffer.deallocate()
        buffer = fresh
        capacity = grown
      }
      let count = try FileAccess.readChunk(
        fd, into: buffer + filled, count: min(chunkSize, capacity - filled), path: url.path)
      if count == 0 { endOfFile = true }
      filled += count
      if skipping {
        guard let p = memchr(buffer, 10, filled) else {
          bufferOffset += filled
          filled = 0
          continue
        }
        start = buffer.distance(to: p.assumingMemoryBound(to: UInt8.self)) + 1
        searched = start
        nulSearched = start
        skipping = false
      }
      if atFileStart {
        if filled < 3 && !endOfFile { continue }
        atFileStart = false
        if filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF {
          start = 3
          searched = 3
          nulSearched = 3
        }
      }
      if nul == nil && nulSearched < filled {
        if let p = memchr(buffer + nulSearched, 0, filled - nulSearched) {
          nul = buffer.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
        nulSearched = filled
      }
      // Deliver every complete line.
      while searched < filled,
        let p = memchr(buffer + searched, 10, filled - searched)
      {
        let end = buffer.distance(to: p.assumingMemoryBound(to: UInt8.self))
        guard try deliver(end) else { return number }
        // A NUL before `end` threw in `deliver`, so `nul` (if any) is still ahead.
        start = end + 1
        searched = start
      }
      searched = filled
      // The unfinished line: fail as soon as it is known to be bad.
      if !endOfFile {
        if bufferOffset + start >= upperBound { return number }
        if nul != nil { throw nulError(number + 1, buffer + start, filled - start) }
        if filled - start > maximumLineLength + 1 {
          throw lengthError(number + 1, buffer + start, filled - start)
        }
      }
    }
    if start < filled { _ = try deliver(filled) }
    return number
  }

  /// The start of a bad line, for an error message.
  private func preview(_ pointer: UnsafeMutablePointer<UInt8>, _ count: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: pointer, count: min(count, 100)), as: UTF8.self)
  }

  private func nulError(_ number: Int, _ pointer: UnsafeMutablePointer<UInt8>, _ count: Int)
    -> DataError
  {
    DataError(
      .malformedLine, file: fileName, line: number, value: preview(pointer, count),
      message: "the line holds a NUL byte: this is not a text file")
  }

  private func lengthError(_ number: Int, _ pointer: UnsafeMutablePointer<UInt8>, _ count: Int)
    -> DataError
  {
    DataError(
      .malformedLine, file: fileName, line: number, value: preview(pointer, count),
      message: "the line is longer than \(maximumLineLength) bytes "
        + "(LoadOptions.maximumLineLength): this is not a text file of lines")
  }

  /// The plain decimal in `bytes` (`4`, `-3.5`, `.25`: an optional sign, digits and at most one
  /// point, nothing else) as the `Float` that `Float(String)` gives for it, or `nil` for any
  /// other text (spaces, exponents, `nan`; callers fall back to `Float(String)` for those).
  ///
  /// For readers of large numeric CSV files: no `String` is made per value.
  public static func plainDecimalFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Float? {
    var i = 0
    let count = bytes.count
    guard count > 0 else { return nil }
    var negative = false
    if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
      negative = bytes[0] == UInt8(ascii: "-")
      i = 1
    }
    var mantissa = 0
    var digits = 0
    var decimals = 0
    var seenPoint = false
    while i < count {
      let b = bytes[i]
      let d = b &- UInt8(ascii: "0")
      if d < 10 {
        mantissa = mantissa &* 10 &+ Int(d)
        digits += 1
        if seenPoint { decimals += 1 }
      } else if b == UInt8(ascii: ".") && !seenPoint {
        seenPoint = true
      } else {
        return nil
      }
      i += 1
    }
    guard digits > 0 else { return nil }
    guard digits <= 15,
      let value = ByteParsing.exactFloat(mantissa: mantissa, decimals: decimals)
    else {
      return Float(String(decoding: bytes, as: UTF8.self))
    }
    return negative ? -value : value
  }

  /// The first non-blank line's number and bytes (without its line ending), or `nil` for a file
  /// with no content.
  func firstLine() throws -> (number: Int, bytes: [UInt8])? {
    var result: (Int, [UInt8])?
    try scanLines { number, line in
      result = (number, Array(line))
      return false
    }
    return result
  }

  /// Whether the file holds at least one non-blank line.
  func hasContent() throws -> Bool { try firstLine() != nil }

  /// Whether the whole file is valid UTF-8 (files that are not are read as latin-1 where the
  /// format allows it). Streams the file; lines are checked one by one, which is the same since
  /// a line ending never falls inside a multi-byte sequence.
  func isValidUTF8() throws -> Bool {
    var valid = true
    try scanLines { _, line in
      valid = ByteParsing.isValidUTF8(line)
      return valid
    }
    return valid
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

  /// 10^`k` for `k` in 0…15, exactly (a literal per case: no global array in the hot loop).
  @inline(__always)
  static func powerOfTen(_ k: Int) -> Double {
    switch k {
    case 0: return 1
    case 1: return 1e1
    case 2: return 1e2
    case 3: return 1e3
    case 4: return 1e4
    case 5: return 1e5
    case 6: return 1e6
    case 7: return 1e7
    case 8: return 1e8
    case 9: return 1e9
    case 10: return 1e10
    case 11: return 1e11
    case 12: return 1e12
    case 13: return 1e13
    case 14: return 1e14
    default: return 1e15
    }
  }

  /// The number in `range` as a `Float` (surrounding spaces allowed), or `nil` when it is not a
  /// number. `"nan"`, `"inf"` and `"infinity"` parse (to non-finite values).
  ///
  /// Plain decimals with at most 15 significant digits (every rating, including the 9-digit
  /// shortest forms `Float.description` writes) take a fast path that is exact: one correctly
  /// rounded `Double` division of two exact values, then rounding to `Float`, which is the
  /// correctly rounded result unless the `Double` lies exactly halfway between two floats; that
  /// case, and other forms (exponents, long digit strings), use `Float(String)`. The result is
  /// always the same as `Float(String)`.
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
        mantissa = mantissa &* 10 &+ Int(d)
        digits += 1
        if seenPoint { decimals += 1 }
        if digits > 15 {
          fast = false
          break
        }
      }
      i += 1
    }
    if fast {
      guard digits > 0 else { return nil }
      if let value = exactFloat(mantissa: mantissa, decimals: decimals) {
        return negative ? -value : value
      }
    }
    return parseFloatSlowly(String(decoding: line[r], as: UTF8.self))
  }

  /// `mantissa / 10^decimals` correctly rounded to `Float` (as `Float(String)` rounds), for a
  /// mantissa below 10^15; `nil` in the rare case where that needs more than one `Double`
  /// division (the quotient lies exactly halfway between two floats).
  @inline(__always)
  static func exactFloat(mantissa: Int, decimals: Int) -> Float? {
    let exact = Double(mantissa) / powerOfTen(decimals)
    let value = Float(exact)
    let back = Double(value)
    if back != exact {
      let other = back < exact ? value.nextUp : value.nextDown
      if (back + Double(other)) / 2 == exact { return nil }
    }
    return value
  }

  /// Decimal notation with an optional exponent (`4`, `3.5`, `.5`, `4e0`, `-1.5E+2`) and the
  /// non-finite spellings `nan` / `inf` / `infinity` (so that callers can report them as
  /// non-finite rather than non-numeric). Hexadecimal floats and other forms `Float(_:)` would
  /// accept are not numbers in a ratings file.
  static func parseFloatSlowly(_ text: String) -> Float? {
    let lower = text.lowercased()
    let unsigned = lower.hasPrefix("-") || lower.hasPrefix("+") ? String(lower.dropFirst()) : lower
    if ["nan", "inf", "infinity"].contains(unsigned) { return Float(lower) }
    guard !unsigned.isEmpty, unsigned.allSatisfy({ "0123456789.e+-".contains($0) }),
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

extension TextLineReader {
  /// The file's header: the first line split at `delimiter` (quotes allowed), each name trimmed.
  func headerNames(delimiter: UInt8) throws -> (line: Int, names: [String]) {
    guard let (number, line) = try firstLine() else {
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
