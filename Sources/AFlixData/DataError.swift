/// A problem with input data, naming where it is: the file, the 1-based line, the field and the
/// offending value, when they are known.
///
/// ```swift
/// do { _ = try DatasetLoader.load(path: "ml-100k") }
/// catch let error as DataError {
///   print(error)   // u.data:17: field 'rating' value 'abc': not a number
/// }
/// ```
///
/// Data problems are thrown, never crashes; programmer errors (an index outside a dataset) are
/// preconditions.
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of problem it is, for code that reacts to one kind.
  public enum Kind: String, Sendable, Codable {
    /// A field that must be a number is not one (`"abc"`, an empty rating).
    case nonNumericValue
    /// A number is NaN or infinite (`"nan"`, `"inf"`).
    case nonFiniteValue
    /// A rating lies outside the declared ``RatingScale``.
    case outOfScale
    /// A line has fewer fields than the format needs, or a header lacks a required column.
    case missingColumn
    /// A line has more fields than the format allows.
    case extraColumn
    /// A MovieLens 100k `u.item` line whose genre flags do not match the genre list.
    case unknownGenreLayout
    /// The file holds no data (a header alone counts as empty).
    case emptyFile
    /// Text that is not valid in the file's encoding (invalid UTF-8).
    case unreadableEncoding
    /// The same (user, item) pair is rated twice under `DuplicatePolicy.error`; also used for
    /// repeated movie ids in a catalog file.
    case duplicateRating
    /// The file or folder does not exist.
    case fileNotFound
    /// The format of a path cannot be recognised.
    case unknownFormat
    /// A JSON file that does not parse, or whose structure is not the expected one.
    case invalidJSON
    /// An argument (a split protocol, a fraction, an option) is not usable.
    case invalidArgument
    /// A line that cannot be split into fields (an unterminated quoted field), a line longer
    /// than ``LoadOptions/maximumLineLength``, or one holding a NUL byte.
    case malformedLine
    /// The path names a folder, FIFO, device, socket or (as a write destination) a symbolic
    /// link, where a regular file is needed.
    case notRegularFile
    /// The operating system refused access (permissions, a read-only file system).
    case permissionDenied
    /// Following symbolic links loops.
    case symbolicLinkLoop
    /// Reading or writing failed for another reason (a full disk, an I/O error).
    case ioFailure
    /// A file larger than a loader accepts (a JSON file above
    /// ``LoadOptions/maximumJSONSize``); nothing was read from it.
    case fileTooLarge
  }

  /// The kind of problem.
  public let kind: Kind
  /// The file's name (its last path component), when the problem comes from a file.
  public let file: String?
  /// The 1-based line number, when known.
  public private(set) var line: Int?
  /// The field (column) name, when known.
  public let field: String?
  /// The offending value as text, when there is one.
  public let value: String?
  /// A sentence describing the problem.
  public let message: String
  /// The whole line the problem is on, shown apart from ``value`` (as for a line that lacks a
  /// field, where there is no value to show), when known; escaped and abbreviated like
  /// ``value``.
  public let lineText: String?

  /// Creates an error.
  public init(
    _ kind: Kind, file: String? = nil, line: Int? = nil, field: String? = nil,
    value: String? = nil, message: String
  ) {
    self.init(
      kind, file: file, line: line, field: field, value: value, message: message,
      shownLine: nil)
  }

  /// Creates an error that shows the whole line apart from the field and value:
  /// `u.data:3: field 'rating' missing (expected 4 fields, found 2); line: '1\t2'`.
  public init(
    _ kind: Kind, file: String? = nil, line: Int? = nil, field: String? = nil,
    value: String? = nil, lineText: String, message: String
  ) {
    self.init(
      kind, file: file, line: line, field: field, value: value, message: message,
      shownLine: lineText)
  }

  private init(
    _ kind: Kind, file: String?, line: Int?, field: String?, value: String?, message: String,
    shownLine: String?
  ) {
    self.kind = kind
    self.file = file
    self.line = line
    self.field = field
    self.value = value.map { Self.abbreviate($0) }
    self.message = message
    self.lineText = shownLine.map { Self.abbreviate($0, limit: 200) }
  }

  /// An error for a line that has fewer fields than `names` (the format's column names, in
  /// order), naming the first missing field and showing the line apart:
  /// `u.data:3: field 'rating' missing (expected 4 fields, found 2); line: '1\t2'`.
  public static func missingField(
    file: String?, line: Int, names: [String], found: Int, lineText: String
  ) -> DataError {
    DataError(
      .missingColumn, file: file, line: line,
      field: found < names.count ? names[found] : "column \(found + 1)", lineText: lineText,
      message: "missing (expected \(names.count) fields, found \(found))")
  }

  /// The same error with its line number moved down by `offset` (for errors found in a part of
  /// a file read on its own).
  func movingLine(by offset: Int) -> DataError {
    guard let line, offset != 0 else { return self }
    var moved = self
    moved.line = line + offset
    return moved
  }

  /// `file:line: field 'name' value 'text': message`, leaving out what is unknown; with a
  /// ``lineText``, `file:line: field 'name' message; line: 'text'`.
  public var description: String {
    // File names and messages can quote input too: nothing printed drives a terminal.
    Self.escapingControlCharacters(unescapedDescription)
  }

  private var unescapedDescription: String {
    var location: String?
    switch (file, line) {
    case (let file?, let line?): location = "\(file):\(line)"
    case (let file?, nil): location = file
    case (nil, let line?): location = "line \(line)"
    case (nil, nil): location = nil
    }
    var subject: [String] = []
    if let field { subject.append("field '\(field)'") }
    if let value { subject.append("value '\(value)'") }
    var parts: [String] = []
    if let location { parts.append(location) }
    if let lineText {
      // `field 'rating' missing (…); line: '…'`: the message completes the subject.
      parts.append((subject + [message]).joined(separator: " "))
      return parts.joined(separator: ": ") + "; line: '\(lineText)'"
    }
    if !subject.isEmpty { parts.append(subject.joined(separator: " ")) }
    parts.append(message)
    return parts.joined(separator: ": ")
  }

  /// Long values are cut to 80 characters so that one bad line cannot flood a report, and
  /// control characters (NUL, escape sequences, line breaks) are shown escaped so that printing
  /// input never drives a terminal.
  private static func abbreviate(_ text: String, limit: Int = 80) -> String {
    let cut = text.count <= limit ? text : String(text.prefix(limit - 3)) + "..."
    return escapingControlCharacters(cut)
  }

  /// `text` with each control character written as `\t`, `\r`, `\n`, `\0` or `\u{XX}`, and
  /// backslashes left as they are.
  public static func escapingControlCharacters(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\n": out += "\\n"
      case "\0": out += "\\0"
      case _ where isControl(scalar):
        out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
      || scalar.properties.generalCategory == .format && scalar.value >= 0x202A
        && scalar.value <= 0x2069
  }
}
