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
/// `original_title`, `imdb_id`, `cast` (names, or objects with a `name`), `director` and
/// `keywords` — names, objects with a `name`, or TMDB's keywords object (`{"keywords": [{"id",
/// "name"}]}`, as `append_to_response=keywords` gives it; `results` for TV); keywords are kept
/// trimmed, in order, the first spelling of a repeat (compared case-insensitively) only.
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
    // Two streamed passes, the document never held whole: the first checks the syntax and the
    // shape alone, so a file that is not a catalog is refused with bounded memory however late
    // it breaks; the second decodes each movie as soon as it ends.
    let shape = try JSONStreamValidator.validate(
      file, requireObjectElements: options.strictness == .strict)
    guard shape.foundMovieArray else {
      throw DataError(
        .invalidJSON, file: fileName,
        message: "expected an array of movies or an object with a 'results' array")
    }
    var builder = CatalogBuilder(options: options, fileName: fileName)
    var position = 0
    func movie(_ bytes: [UInt8], _ line: Int) throws {
      position += 1
      builder.report.linesRead += 1
      guard ByteParsing.isValidUTF8(bytes) else {
        try builder.issue(
          DataError(
            .unreadableEncoding, file: fileName, line: line, field: "movie \(position)",
            message: "movie \(position) is not valid UTF-8 (JSON must be UTF-8)"))
        return
      }
      let element: Any
      do {
        element = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
      } catch {
        try builder.issue(
          DataError(
            .invalidJSON, file: fileName, line: line, field: "movie \(position)",
            message: "movie \(position) does not decode: \(error.localizedDescription)"))
        return
      }
      try add(element, position: position, line: line, to: &builder, fileName: fileName)
    }
    _ = try JSONStreamValidator.validate(
      file, requireObjectElements: options.strictness == .strict, onElement: movie)
    let catalog = try builder.finish()
    report.merge(builder.report, limit: options.maxReportedIssues)
    return catalog
  }

  /// Checks one decoded movie element and adds it to `builder` (or reports why not).
  static func add(
    _ element: Any, position: Int, line: Int?, to builder: inout CatalogBuilder, fileName: String
  ) throws {
    guard let object = element as? [String: Any] else {
      try builder.issue(
        DataError(
          .invalidJSON, file: fileName, line: line, field: "movie \(position)",
          message: "movie \(position) is not a JSON object"))
      return
    }
    guard let rawID = object["id"], !(rawID is NSNull) else {
      try builder.issue(
        DataError(
          .missingColumn, file: fileName, line: line, field: "id",
          message: "movie \(position) has no id"))
      return
    }
    guard let id = int(rawID) else {
      try builder.issue(
        DataError(
          .nonNumericValue, file: fileName, line: line, field: "id", value: "\(rawID)",
          message: "movie \(position): id is not an integer"))
      return
    }
    let originalTitle = object["original_title"] as? String
    guard let title = (object["title"] as? String) ?? originalTitle ?? (object["name"] as? String)
    else {
      try builder.issue(
        DataError(
          .missingColumn, file: fileName, line: line, field: "title",
          message: "movie \(position) (id \(id)) has no title"))
      return
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
        externalIDs: ExternalIDs(imdb: object["imdb_id"] as? String, tmdb: id),
        keywords: keywords(object["keywords"])),
      line: line)
  }

  /// The keyword names of a `keywords` value: an array of names or of objects with a `name`, or
  /// an object holding such an array under `keywords` or `results`; blanks and repeats dropped.
  static func keywords(_ value: Any?) -> [String] {
    var list = value as? [Any]
    if let object = value as? [String: Any] {
      list = (object["keywords"] as? [Any]) ?? (object["results"] as? [Any])
    }
    let names = (list ?? []).compactMap {
      ($0 as? String) ?? (($0 as? [String: Any])?["name"] as? String)
    }
    return Movie.distinctKeywords(names)
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
