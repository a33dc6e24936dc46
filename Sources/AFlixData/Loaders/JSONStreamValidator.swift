import Foundation

/// A JSON syntax check that reads a document in chunks with bounded memory (a container stack,
/// a short token buffer and one movie element), handing each element of the movie array to the
/// caller as soon as it ends: a TMDB catalog is decoded one movie at a time, and a file which is
/// not a catalog — zeros, binary junk, a syntax error late in a large file, valid JSON of
/// another shape — is refused without ever being held whole.
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
  // Movie elements: the array holding them (top level, or an object's "results"), and the bytes
  // of the element being read.
  private var key: [UInt8] = []
  private var lastTopLevelKey: [UInt8] = []
  private var containerDepth: Int?
  /// Whether a movie array was found: the top-level array, or a top-level object's `results`.
  var foundMovieArray: Bool { containerDepth != nil }
  private var capturing = false
  private var captured: [UInt8] = []
  private var captureLine = 0
  private var elementEnded = false
  private var endedByToken = false
  /// The largest movie element delivered by ``feed(_:onElement:)``: 1 MiB.
  static let maximumElementBytes = 1 << 20
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

  /// Checks the next bytes of the document, calling `onElement` with the bytes of each element
  /// of the movie array (the top-level array, or a top-level object's `results` array) and the
  /// line it starts on, as soon as the element ends: a catalog is decoded one movie at a time.
  mutating func feed(
    _ bytes: UnsafeBufferPointer<UInt8>,
    onElement: (_ bytes: [UInt8], _ line: Int) throws -> Void = { _, _ in }
  ) throws {
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
      guard capturing else { continue }
      if !(elementEnded && endedByToken) {
        captured.append(b)
        guard captured.count <= Self.maximumElementBytes else {
          throw failure("a movie of more than \(Self.maximumElementBytes) bytes")
        }
      }
      if elementEnded {
        try onElement(captured, captureLine)
        captured.removeAll(keepingCapacity: true)
        capturing = false
        elementEnded = false
        endedByToken = false
      }
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
      if stringIsKey, stack.count == 1, b != UInt8(ascii: "\""), key.count < 64 { key.append(b) }
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
        if stringIsKey && stack.count == 1 { lastTopLevelKey = key }
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
      if containerDepth == nil, b == UInt8(ascii: "["),
        stack.count == 1
          || (stack.count == 2 && stack[0] && lastTopLevelKey == Array("results".utf8))
      {
        containerDepth = stack.count
      }
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
        key.removeAll(keepingCapacity: true)
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
    if let depth = containerDepth, stack.count == depth, !capturing {
      if requireObjectElements, !object {
        throw failure("the movie array holds something other than movie objects")
      }
      capturing = true
      endedByToken = false
      captureLine = line
    }
  }

  private mutating func endValue(isKey: Bool) {
    if capturing, !isKey, stack.count == containerDepth { elementEnded = true }
    if isKey {
      expectation = .colon
    } else {
      expectation = stack.isEmpty ? .done : .commaOrEnd
    }
  }

  private mutating func endToken() throws {
    inToken = false
    // A scalar that is itself a movie element ends at the byte after it, which is not its own.
    if capturing, stack.count == containerDepth { endedByToken = true }
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
  static func validate(
    _ file: URL, requireObjectElements: Bool,
    onElement: (_ bytes: [UInt8], _ line: Int) throws -> Void = { _, _ in }
  ) throws -> JSONStreamValidator {
    var validator = JSONStreamValidator(
      fileName: file.lastPathComponent, requireObjectElements: requireObjectElements)
    try FileAccess.forEachChunk(ofFile: file, chunkSize: 1 << 20) {
      try validator.feed($0, onElement: onElement)
    }
    guard validator.hasContent else {
      throw DataError(.emptyFile, file: file.lastPathComponent, message: "the file is empty")
    }
    try validator.finish()
    return validator
  }
}
