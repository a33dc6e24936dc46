import Foundation

/// A JSON syntax check that reads a document in chunks with bounded memory (a container stack
/// and a short token buffer), so that a file which is not JSON — zeros, binary junk, a syntax
/// error late in a large file, a top-level array of anything but objects — is refused before
/// the document is read whole and parsed.
///
/// It checks RFC 8259's grammar (structure, strings with their escapes and no raw control
/// characters, numbers, `true` / `false` / `null`, nothing after the document), a nesting depth
/// of at most ``maximumDepth``, and, when `requireObjectElements`, that every element of a
/// top-level array is an object. UTF-8 validity is checked by the parser afterwards.
struct JSONStreamValidator {
  /// The deepest nesting accepted: 512.
  static let maximumDepth = 512

  private enum Expectation { case value, valueOrEnd, keyOrEnd, key, colon, commaOrEnd, done }

  private var stack: [Bool] = []  // true for an object, false for an array
  private var expectation = Expectation.value
  private var inString = false
  private var stringIsKey = false
  private var escaped = false
  private var hexDigitsLeft = 0
  private var token: [UInt8] = []
  private var inToken = false
  private let requireObjectElements: Bool
  private let fileName: String
  private(set) var line = 1
  private(set) var column = 0
  private var offset = 0
  private var lastContent = (line: 1, column: 1)
  /// Whether anything but whitespace was seen.
  private(set) var hasContent = false

  init(fileName: String, requireObjectElements: Bool) {
    self.fileName = fileName
    self.requireObjectElements = requireObjectElements
  }

  private func failure(_ message: String) -> DataError {
    DataError(
      .invalidJSON, file: fileName, line: line,
      message: "not valid JSON: line \(line), column \(max(1, column)): \(message)")
  }

  /// Checks the next bytes of the document.
  mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    for b in bytes {
      offset += 1
      // A UTF-8 byte-order mark before the document is allowed.
      if offset <= 3, b == [0xEF, 0xBB, 0xBF][offset - 1], !hasContent, line == 1,
        column == offset - 1
      {
        column += 1
        continue
      }
      if b == 10 {
        line += 1
        column = 0
      } else {
        column += 1
      }
      if b != 10 && b != 13 && b != 32 && b != 9 { lastContent = (line, column) }
      try consume(b)
    }
  }

  /// Checks that the document ended completely; an early end is reported after its last
  /// non-blank byte.
  mutating func finish() throws {
    (line, column) = (lastContent.line, lastContent.column + 1)
    if inToken { try endToken() }
    guard !inString else { throw failure("the file ends inside a string") }
    guard expectation == .done else {
      throw failure(stack.isEmpty ? "the file holds no JSON value" : "the file ends early")
    }
  }

  private mutating func consume(_ b: UInt8) throws {
    if inString {
      if hexDigitsLeft > 0 {
        guard isHexDigit(b) else { throw failure("a \\u escape needs four hex digits") }
        hexDigitsLeft -= 1
      } else if escaped {
        escaped = false
        switch b {
        case UInt8(ascii: "u"): hexDigitsLeft = 4
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
          UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
          break
        default: throw failure("an invalid escape in a string")
        }
      } else if b == UInt8(ascii: "\\") {
        escaped = true
      } else if b == UInt8(ascii: "\"") {
        inString = false
        endValue(isKey: stringIsKey)
      } else if b < 0x20 {
        throw failure(b == 0 ? "a NUL byte" : "a raw control character in a string")
      }
      return
    }
    if inToken {
      if isTokenByte(b) {
        guard token.count < 64 else { throw failure("a number or literal longer than 64 bytes") }
        token.append(b)
        return
      }
      try endToken()
    }
    switch b {
    case 0x20, 0x09, 0x0A, 0x0D:
      return
    case _ where !hasContent:
      hasContent = true
      try consume(b)
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      try startValue(object: b == UInt8(ascii: "{"))
      guard stack.count < Self.maximumDepth else {
        throw failure("nested deeper than \(Self.maximumDepth) levels")
      }
      stack.append(b == UInt8(ascii: "{"))
      expectation = b == UInt8(ascii: "{") ? .keyOrEnd : .valueOrEnd
    case UInt8(ascii: "}"), UInt8(ascii: "]"):
      let object = b == UInt8(ascii: "}")
      guard stack.last == object,
        expectation == .commaOrEnd || expectation == (object ? .keyOrEnd : .valueOrEnd)
      else { throw failure("an unexpected '\(Character(Unicode.Scalar(b)))'") }
      stack.removeLast()
      endValue(isKey: false)
    case UInt8(ascii: ","):
      guard expectation == .commaOrEnd else { throw failure("an unexpected ','") }
      expectation = stack.last == true ? .key : .value
    case UInt8(ascii: ":"):
      guard expectation == .colon else { throw failure("an unexpected ':'") }
      expectation = .value
    case UInt8(ascii: "\""):
      if expectation == .key || expectation == .keyOrEnd {
        stringIsKey = true
      } else {
        try startValue(object: false)
        stringIsKey = false
      }
      inString = true
    default:
      guard isTokenByte(b) else {
        throw failure(b == 0 ? "a NUL byte" : "an unexpected byte 0x\(String(b, radix: 16))")
      }
      try startValue(object: false)
      inToken = true
      token = [b]
    }
  }

  private mutating func startValue(object: Bool) throws {
    guard expectation == .value || expectation == .valueOrEnd else {
      throw failure(
        expectation == .done ? "data after the end of the document" : "a value where none belongs")
    }
    if requireObjectElements, stack.count == 1, stack[0] == false, !object {
      throw failure("the top-level array holds something other than movie objects")
    }
  }

  private mutating func endValue(isKey: Bool) {
    if isKey {
      expectation = .colon
    } else {
      expectation = stack.isEmpty ? .done : .commaOrEnd
    }
  }

  private mutating func endToken() throws {
    inToken = false
    let text = token
    token.removeAll(keepingCapacity: true)
    let literals: [[UInt8]] = [Array("true".utf8), Array("false".utf8), Array("null".utf8)]
    guard literals.contains(text) || Self.isNumber(text) else {
      throw failure("'\(String(decoding: text, as: UTF8.self))' is not a JSON value")
    }
    endValue(isKey: false)
  }

  private func isTokenByte(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
      || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
      || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
      || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
  }

  private func isHexDigit(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
      || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
      || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
  }

  /// RFC 8259's number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  static func isNumber(_ t: [UInt8]) -> Bool {
    var i = 0
    func digits() -> Int {
      let start = i
      while i < t.count, t[i] >= UInt8(ascii: "0"), t[i] <= UInt8(ascii: "9") { i += 1 }
      return i - start
    }
    if i < t.count, t[i] == UInt8(ascii: "-") { i += 1 }
    if i < t.count, t[i] == UInt8(ascii: "0") {
      i += 1
    } else if digits() == 0 {
      return false
    }
    if i < t.count, t[i] == UInt8(ascii: ".") {
      i += 1
      guard digits() > 0 else { return false }
    }
    if i < t.count, t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E") {
      i += 1
      if i < t.count, t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { return false }
    }
    return i == t.count
  }

  /// Streams `file` through a validator in 1 MiB chunks.
  ///
  /// - Throws: ``DataError`` `.emptyFile` for a file of whitespace, `.invalidJSON` at the first
  ///   problem's line and column; file-system errors from ``FileAccess``.
  static func validate(_ file: URL, requireObjectElements: Bool) throws {
    let path = file.path
    let descriptor = try FileAccess.openForReading(file)
    defer { close(descriptor) }
    var validator = JSONStreamValidator(
      fileName: file.lastPathComponent, requireObjectElements: requireObjectElements)
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
    defer { buffer.deallocate() }
    while true {
      let count = read(descriptor, buffer.baseAddress, buffer.count)
      if count < 0 {
        if errno == EINTR { continue }
        throw FileAccess.error(errno: errno, path: path, action: "read")
      }
      if count == 0 { break }
      try validator.feed(UnsafeBufferPointer(rebasing: buffer[0..<count]))
    }
    guard validator.hasContent else {
      throw DataError(.emptyFile, file: file.lastPathComponent, message: "the file is empty")
    }
    try validator.finish()
  }
}
