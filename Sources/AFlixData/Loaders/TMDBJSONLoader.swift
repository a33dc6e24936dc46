import Foundation

/// Reads a catalog from TMDB-style movie JSON: an array of movie objects (or an API page, an
/// object whose `results` is that array).
///
/// ```json
/// [{"id": 862, "title": "Toy Story", "genre_ids": [16, 35, 10751], "popularity": 21.9,
///   "vote_average": 7.7, "vote_count": 5415, "release_date": "1995-10-30",
///   "original_title": "Toy Story"}]
/// ```
///
/// Recognised keys: `id` (required, an integer), `title` (else `original_title`; one is
/// required), `genre_ids` (mapped with ``Genre/tmdb(id:)``; unknown ids are kept as
/// `Genre(id:, name: "TMDB genre <id>")`) or `genres` (`[{id, name}]`), `popularity`,
/// `vote_average`, `vote_count`, `release_date` (`YYYY-MM-DD`, or empty: year `nil`),
/// `original_title`, `imdb_id`, `cast` (names, or objects with a `name`) and `director`.
/// Errors name the movie's 1-based position in the array instead of a line.
public enum TMDBJSONLoader {
  /// Reads a TMDB JSON file.
  public static func loadCatalog(file: URL, options: LoadOptions = LoadOptions()) throws
    -> Catalog
  {
    var report = LoadReport()
    return try loadCatalog(file: file, options: options, report: &report)
  }

  /// Reads a TMDB JSON file, adding what was read and skipped to `report`.
  ///
  /// - Throws: ``DataError``: `.invalidJSON` when the file does not parse or is not an array of
  ///   objects, `.missingColumn` for a movie without `id` or title, `.nonNumericValue` for a
  ///   non-integer `id`, `.duplicateRating` for a repeated id, `.emptyFile`.
  public static func loadCatalog(
    file: URL, options: LoadOptions, report: inout LoadReport
  ) throws -> Catalog {
    let fileName = file.lastPathComponent
    try FileAccess.requireReadableFile(file)
    let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
    guard size <= options.maximumJSONSize else {
      throw DataError(
        .fileTooLarge, file: fileName,
        message: "\(file.path) holds \(size) bytes, more than the \(options.maximumJSONSize) a "
          + "JSON catalog may hold (LoadOptions.maximumJSONSize); nothing was read")
    }
    // Syntax first, streamed with bounded memory: a file that is not a JSON array of movies (or
    // an object) is refused before it is read whole and parsed.
    try JSONStreamValidator.validate(file, requireObjectElements: options.strictness == .strict)
    let bytes = try readDocument(file, maximumSize: options.maximumJSONSize)
    guard
      bytes.contains(where: {
        $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != 10 && $0 != 13
      })
    else {
      throw DataError(.emptyFile, file: fileName, message: "the file is empty")
    }
    if let line = firstInvalidUTF8Line(bytes) {
      throw DataError(
        .unreadableEncoding, file: fileName, line: line,
        message: "line \(line) is not valid UTF-8 (JSON must be UTF-8)")
    }
    let root: Any
    do {
      root = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
    } catch {
      throw syntaxError(error, bytes: bytes, fileName: fileName)
    }
    let elements: [Any]
    if let array = root as? [Any] {
      elements = array
    } else if let object = root as? [String: Any], let results = object["results"] as? [Any] {
      elements = results
    } else {
      throw DataError(
        .invalidJSON, file: fileName,
        message: "expected an array of movies or an object with a 'results' array")
    }
    let lines = elementStartLines(bytes, depth: root is [Any] ? 1 : 2)
    var builder = CatalogBuilder(options: options, fileName: fileName)
    for (k, element) in elements.enumerated() {
      let position = k + 1
      let line = k < lines.count ? lines[k] : nil
      builder.report.linesRead += 1
      guard let object = element as? [String: Any] else {
        try builder.issue(
          DataError(
            .invalidJSON, file: fileName, line: line, field: "movie \(position)",
            message: "movie \(position) is not a JSON object"))
        continue
      }
      guard let rawID = object["id"], !(rawID is NSNull) else {
        try builder.issue(
          DataError(
            .missingColumn, file: fileName, line: line, field: "id",
            message: "movie \(position) has no id"))
        continue
      }
      guard let id = int(rawID) else {
        try builder.issue(
          DataError(
            .nonNumericValue, file: fileName, line: line, field: "id", value: "\(rawID)",
            message: "movie \(position): id is not an integer"))
        continue
      }
      let originalTitle = object["original_title"] as? String
      guard let title = (object["title"] as? String) ?? originalTitle ?? (object["name"] as? String)
      else {
        try builder.issue(
          DataError(
            .missingColumn, file: fileName, line: line, field: "title",
            message: "movie \(position) (id \(id)) has no title"))
        continue
      }
      var genres: [Genre] = []
      if let ids = object["genre_ids"] as? [Any] {
        genres = ids.compactMap(int).map {
          Genre.tmdb(id: $0) ?? Genre(id: $0, name: "TMDB genre \($0)")
        }
      } else if let list = object["genres"] as? [Any] {
        genres = list.compactMap { entry in
          guard let entry = entry as? [String: Any] else { return nil }
          let gid = int(entry["id"])
          if let name = entry["name"] as? String { return Genre(id: gid, name: name) }
          return gid.map { Genre.tmdb(id: $0) ?? Genre(id: $0, name: "TMDB genre \($0)") }
        }
      }
      var year: Int?
      if let date = object["release_date"] as? String, date.count >= 4 {
        year = Int(date.prefix(4))
      }
      var cast: [String] = []
      if let list = object["cast"] as? [Any] {
        cast = list.compactMap { ($0 as? String) ?? (($0 as? [String: Any])?["name"] as? String) }
      }
      try builder.add(
        Movie(
          id: .int(id), title: title, genres: genres, year: year,
          popularity: double(object["popularity"]), voteAverage: double(object["vote_average"]),
          voteCount: int(object["vote_count"]), originalTitle: originalTitle, cast: cast,
          director: object["director"] as? String,
          externalIDs: ExternalIDs(imdb: object["imdb_id"] as? String, tmdb: id)),
        line: line)
    }
    let catalog = try builder.finish()
    report.merge(builder.report, limit: options.maxReportedIssues)
    return catalog
  }

  /// The whole file, after checking it is a readable regular file of at most `maximumSize`
  /// bytes (JSON is parsed as one document, so it has to be held whole).
  static func readDocument(_ file: URL, maximumSize: Int) throws -> [UInt8] {
    try FileAccess.requireReadableFile(file)
    let path = file.path
    let handle: FileHandle
    do {
      handle = try FileHandle(forReadingFrom: file)
    } catch {
      throw FileAccess.error(error, path: path, action: "read")
    }
    defer { try? handle.close() }
    var info = stat()
    guard fstat(handle.fileDescriptor, &info) == 0 else {
      throw FileAccess.error(errno: errno, path: path, action: "read")
    }
    let size = Int(info.st_size)
    guard size <= maximumSize else {
      throw DataError(
        .fileTooLarge, file: file.lastPathComponent,
        message: "\(path) holds \(size) bytes, more than the \(maximumSize) a JSON catalog may "
          + "hold (LoadOptions.maximumJSONSize); nothing was read")
    }
    do {
      // Read at most one byte past the limit, in case the file grew since it was measured.
      let data = try handle.read(upToCount: maximumSize + 1) ?? Data()
      guard data.count <= maximumSize else {
        throw DataError(
          .fileTooLarge, file: file.lastPathComponent,
          message: "\(path) grew past \(maximumSize) bytes while it was read "
            + "(LoadOptions.maximumJSONSize)")
      }
      return [UInt8](data)
    } catch {
      throw FileAccess.error(error, path: path, action: "read")
    }
  }

  /// A `.invalidJSON` error for a JSON syntax error, at its line and column when the parser
  /// says where it is (as a character offset, or a line and column).
  static func syntaxError(_ error: any Error, bytes: [UInt8], fileName: String) -> DataError {
    let ns = error as NSError
    let debug = (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    var line: Int?
    var column: Int?
    if let index = ns.userInfo["NSJSONSerializationErrorIndex"] as? Int {
      (line, column) = lineAndColumn(ofByte: index, in: bytes)
    } else if let found = numbers(after: ["line", "column"], in: debug) {
      (line, column) = (found[0], found[1])
    } else if let found = numbers(after: ["character"], in: debug) {
      (line, column) = lineAndColumn(ofByte: found[0], in: bytes)
    } else if debug.lowercased().contains("end of file") {
      // The document stops early: the error is at its end (trailing blank lines aside).
      var end = bytes.count
      while end > 0, [9, 10, 13, 32].contains(bytes[end - 1]) { end -= 1 }
      (line, column) = lineAndColumn(ofByte: end, in: bytes)
    }
    let place = line.map { "line \($0), column \(column ?? 1): " } ?? ""
    return DataError(
      .invalidJSON, file: fileName, line: line,
      message: "not valid JSON: \(place)\(debug)")
  }

  /// The 1-based line and column (in bytes) of byte offset `index`.
  static func lineAndColumn(ofByte index: Int, in bytes: [UInt8]) -> (Int, Int) {
    let end = min(max(index, 0), bytes.count)
    var line = 1
    var lineStart = 0
    for k in 0..<end where bytes[k] == 10 {
      line += 1
      lineStart = k + 1
    }
    return (line, end - lineStart + 1)
  }

  /// The integers following each of `words` (`"line 3, column 5"`), or `nil` when one is absent.
  static func numbers(after words: [String], in text: String) -> [Int]? {
    var result: [Int] = []
    var rest = Substring(text)
    for word in words {
      guard let range = rest.range(of: word + " ") else { return nil }
      rest = rest[range.upperBound...]
      let digits = rest.prefix { $0.isASCII && $0.isNumber }
      guard let value = Int(digits) else { return nil }
      result.append(value)
      rest = rest.dropFirst(digits.count)
    }
    return result
  }

  /// The 1-based line of the first byte sequence that is not UTF-8, or nil when all is valid.
  static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
    if String(validating: bytes, as: UTF8.self) != nil { return nil }
    var line = 1
    var start = 0
    for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "\n") {
      if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
      line += 1
      start = i + 1
    }
    return line
  }

  /// The 1-based line on which each object at nesting `depth` starts (1: elements of a root
  /// array; 2: elements of an array inside a root object, as TMDB's `results`), so that errors
  /// about a movie name its line. Strings and escapes are skipped.
  static func elementStartLines(_ bytes: [UInt8], depth target: Int) -> [Int] {
    var lines: [Int] = []
    var line = 1
    var depth = 0
    var inString = false
    var escaped = false
    for b in bytes {
      if b == UInt8(ascii: "\n") { line += 1 }
      if inString {
        if escaped {
          escaped = false
        } else if b == UInt8(ascii: "\\") {
          escaped = true
        } else if b == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch b {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        if b == UInt8(ascii: "{") && depth == target { lines.append(line) }
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
      default: break
      }
    }
    return lines
  }

  /// A JSON number as `Double`.
  private static func double(_ value: Any?) -> Double? {
    if let d = value as? Double { return d }
    if let i = value as? Int { return Double(i) }
    if let n = value as? NSNumber { return n.doubleValue }
    return nil
  }

  /// A JSON number with an integral value as `Int`.
  private static func int(_ value: Any?) -> Int? {
    if let i = value as? Int { return i }
    if let d = double(value), d == d.rounded(), abs(d) < 9e15 { return Int(d) }
    return nil
  }
}
