import Foundation

/// Reads MovieLens latest, 20M and 25M: `ratings.csv` (`userId,movieId,rating,timestamp`),
/// `movies.csv` (`movieId,title,genres`) and `links.csv` (`movieId,imdbId,tmdbId`), all UTF-8
/// with a header.
///
/// Real files are messy and valid, and are accepted: quoted titles with commas and doubled
/// quotes (`"American President, The (1995)"`), half-star ratings, `(no genres listed)` (no
/// genres), titles without a year (year `nil`), films never rated, `links.csv` rows with an empty
/// `tmdbId`. The default scale is ``RatingScale/halfStars``.
public enum MovieLensCSVLoader {
  /// Reads a `ratings.csv` file.
  public static func loadRatings(file: URL, options: LoadOptions = LoadOptions()) throws
    -> RatingsDataset
  {
    var report = LoadReport()
    return try loadRatings(file: file, options: options, report: &report)
  }

  /// Reads a `ratings.csv` file, adding what was read and skipped to `report`.
  ///
  /// Columns are found by their header names (`userId`, `movieId`, `rating`, optional
  /// `timestamp`), in any order. A timestamp column left empty on every line (as
  /// ``RatingsCSVWriter`` writes a dataset without timestamps) means no timestamps.
  ///
  /// - Throws: ``DataError``; `.emptyFile` for an empty or header-only file.
  public static func loadRatings(
    file: URL, options: LoadOptions, report: inout LoadReport
  ) throws -> RatingsDataset {
    let text = try TextLineReader(contentsOf: file, maximumLineLength: options.maximumLineLength)
    let (line, names) = try text.headerNames(delimiter: UInt8(ascii: ","))
    let layout = try RatingsLayout.fromHeader(
      names, file: text.fileName, line: line, delimiter: UInt8(ascii: ","), user: ["userId"],
      item: ["movieId"], rating: ["rating"], timestamp: ["timestamp"], integerIDs: true,
      optionalTimestamps: true)
    var accumulator = RatingsAccumulator(
      options: options, scale: options.scale ?? DatasetFormat.movieLensCSV.defaultScale)
    try accumulator.parse(text, layout: layout, headerLines: 1)
    guard accumulator.report.linesRead > 0 else {
      throw DataError(.emptyFile, file: text.fileName, message: "the file has a header and no data")
    }
    let dataset = try accumulator.finish().dataset
    report.merge(accumulator.report, limit: options.maxReportedIssues)
    return dataset
  }

  /// Reads `movies.csv` and, when given, `links.csv` (their IMDb and TMDB ids).
  public static func loadCatalog(movies: URL, links: URL? = nil) throws -> Catalog {
    var report = LoadReport()
    return try loadCatalog(movies: movies, links: links, options: LoadOptions(), report: &report)
  }

  /// Reads `movies.csv` and `links.csv` with `options`' strictness, adding to `report`.
  ///
  /// Columns are found by their header names: `movieId`, `title`, `genres`, and the optional
  /// `popularity`, `vote_average` (decimal numbers) and `year` (an integer); an empty optional
  /// field means unknown. The year comes from the title (`"Heat (1995)"`) only when the file has
  /// no `year` column: with one, an empty `year` is `nil`, so files that record an unknown year
  /// read back as written. Other columns are ignored.
  ///
  /// - Throws: ``DataError``: `.missingColumn` / `.extraColumn`, `.nonNumericValue` for an id or
  ///   an optional number, `.unreadableEncoding` for a line that is not UTF-8, `.duplicateRating`
  ///   for a repeated movie id, `.emptyFile`.
  public static func loadCatalog(
    movies: URL, links: URL?, options: LoadOptions, report: inout LoadReport
  ) throws -> Catalog {
    let text = try TextLineReader(contentsOf: movies, maximumLineLength: options.maximumLineLength)
    let fileName = text.fileName
    let (headerLine, names) = try text.headerNames(delimiter: UInt8(ascii: ","))
    let columns = try locate(
      ["movieId", "title", "genres"], in: names, file: fileName, line: headerLine)
    // Optional TMDB-style columns (as AFlixSynth writes them), found by name.
    func optionalColumn(_ name: String) -> Int? {
      names.firstIndex { $0.lowercased() == name.lowercased() }
    }
    let popularityColumn = optionalColumn("popularity")
    let voteColumn = optionalColumn("vote_average")
    let yearColumn = optionalColumn("year")
    var builder = CatalogBuilder(options: options, fileName: fileName)
    var scratch: [UInt8] = []
    var fields: [Range<Int>] = []
    var isHeader = true
    try text.forEachLine { number, line in
      if isHeader {
        isHeader = false
        return
      }
      builder.report.linesRead += 1
      guard
        try split(
          line, number: number, columnCount: names.count, names: names, fileName: fileName,
          scratch: &scratch, fields: &fields, issue: { try builder.issue($0) })
      else { return }
      func field(_ k: Int) -> String { String(decoding: scratch[fields[k]], as: UTF8.self) }
      guard let id = Int(field(columns[0]).trimmingASCIISpaces()) else {
        try builder.issue(
          DataError(
            .nonNumericValue, file: fileName, line: number, field: names[columns[0]],
            value: field(columns[0]), message: "not an integer id"))
        return
      }
      let title = field(columns[1])
      let genreText = field(columns[2]).trimmingASCIISpaces()
      let genres =
        genreText.isEmpty || genreText == "(no genres listed)"
        ? []
        : genreText.split(separator: "|").map { Genre.named(String($0).trimmingASCIISpaces()) }
      // An optional numeric column: empty is nil; anything but a finite number is an issue.
      func optionalNumber<T: LosslessStringConvertible>(_ column: Int?, _ type: T.Type) throws
        -> (ok: Bool, value: T?)
      {
        guard let column else { return (true, nil) }
        let text = field(column).trimmingASCIISpaces()
        if text.isEmpty { return (true, nil) }
        if let value = T(text), (value as? Double)?.isFinite ?? true { return (true, value) }
        try builder.issue(
          DataError(
            .nonNumericValue, file: fileName, line: number, field: names[column], value: text,
            message: "not a finite number"))
        return (false, nil)
      }
      let popularity = try optionalNumber(popularityColumn, Double.self)
      let vote = try optionalNumber(voteColumn, Double.self)
      let year = try optionalNumber(yearColumn, Int.self)
      guard popularity.ok, vote.ok, year.ok else { return }
      try builder.add(
        Movie(
          id: .int(id), title: title, genres: genres,
          year: yearColumn == nil ? Movie.year(fromTitle: title) : year.value,
          popularity: popularity.value,
          voteAverage: vote.value, externalIDs: ExternalIDs(movieLens: id)),
        line: number)
    }
    guard builder.report.linesRead > 0 else {
      throw DataError(.emptyFile, file: fileName, message: "the file has a header and no data")
    }
    if let links {
      var linksReport = LoadReport()
      let ids = try loadLinks(file: links, options: options, report: &linksReport)
      builder.updateExternalIDs(ids)
      builder.report.merge(linksReport, limit: options.maxReportedIssues)
    }
    let catalog = try builder.finish()
    report.merge(builder.report, limit: options.maxReportedIssues)
    return catalog
  }

  /// Reads `links.csv`: for each movie id, its MovieLens, IMDb (`tt` + the digits as written)
  /// and TMDB ids (an empty `tmdbId` gives `nil`).
  static func loadLinks(
    file: URL, options: LoadOptions, report: inout LoadReport
  ) throws -> [EntityID: ExternalIDs] {
    let text = try TextLineReader(contentsOf: file, maximumLineLength: options.maximumLineLength)
    let fileName = text.fileName
    let (headerLine, names) = try text.headerNames(delimiter: UInt8(ascii: ","))
    let columns = try locate(
      ["movieId", "imdbId", "tmdbId"], in: names, file: fileName, line: headerLine)
    var result: [EntityID: ExternalIDs] = [:]
    var scratch: [UInt8] = []
    var fields: [Range<Int>] = []
    var isHeader = true
    var local = LoadReport()
    func issue(_ error: DataError) throws {
      guard options.strictness == .lenient else { throw error }
      local.skip(error, limit: options.maxReportedIssues)
    }
    try text.forEachLine { number, line in
      if isHeader {
        isHeader = false
        return
      }
      local.linesRead += 1
      guard
        try split(
          line, number: number, columnCount: names.count, names: names, fileName: fileName,
          scratch: &scratch, fields: &fields, issue: issue)
      else { return }
      func field(_ k: Int) -> String {
        String(decoding: scratch[fields[columns[k]]], as: UTF8.self).trimmingASCIISpaces()
      }
      func bad(_ k: Int) -> DataError {
        DataError(
          .nonNumericValue, file: fileName, line: number, field: names[columns[k]],
          value: field(k), message: "not an integer id")
      }
      guard let id = Int(field(0)) else { return try issue(bad(0)) }
      let imdbText = field(1)
      var imdb: String?
      if !imdbText.isEmpty {
        if imdbText.hasPrefix("tt") {
          imdb = imdbText
        } else {
          guard Int(imdbText) != nil else { return try issue(bad(1)) }
          imdb = "tt" + imdbText
        }
      }
      var tmdb: Int?
      if !field(2).isEmpty {
        guard let value = Int(field(2)) else { return try issue(bad(2)) }
        tmdb = value
      }
      result[.int(id)] = ExternalIDs(movieLens: id, imdb: imdb, tmdb: tmdb)
    }
    report.merge(local, limit: options.maxReportedIssues)
    return result
  }

  /// The indices of the columns named `wanted` (case-insensitively) in a header.
  static func locate(_ wanted: [String], in names: [String], file: String, line: Int) throws
    -> [Int]
  {
    try wanted.map { name in
      guard let index = names.firstIndex(where: { $0.lowercased() == name.lowercased() }) else {
        throw DataError(
          .missingColumn, file: file, line: line, field: name,
          value: names.joined(separator: ","), message: "the header has no \(name) column")
      }
      return index
    }
  }

  /// Splits a quoted CSV line into `fields` (ranges into `scratch`), checking its encoding and
  /// field count; reports a problem through `issue` and returns `false` for a bad line.
  static func split(
    _ line: UnsafeBufferPointer<UInt8>, number: Int, columnCount: Int, names: [String],
    fileName: String, scratch: inout [UInt8], fields: inout [Range<Int>],
    issue: (DataError) throws -> Void
  ) throws -> Bool {
    guard ByteParsing.isValidUTF8(line) else {
      try issue(
        DataError(
          .unreadableEncoding, file: fileName, line: number,
          value: ByteParsing.latin1String(line), message: "invalid UTF-8"))
      return false
    }
    guard
      ByteParsing.splitQuoted(
        line, delimiter: UInt8(ascii: ","), scratch: &scratch, fields: &fields)
    else {
      try issue(
        DataError(
          .malformedLine, file: fileName, line: number,
          value: ByteParsing.text(line, 0..<line.count),
          message: "unterminated quoted field"))
      return false
    }
    if fields.count < columnCount {
      try issue(
        DataError.missingField(
          file: fileName, line: number, names: names, found: fields.count,
          lineText: ByteParsing.text(line, 0..<line.count)))
      return false
    }
    if fields.count > columnCount {
      try issue(
        DataError(
          .extraColumn, file: fileName, line: number, field: "column \(columnCount + 1)",
          value: String(decoding: scratch[fields[columnCount]], as: UTF8.self),
          message: "expected \(columnCount) fields, found \(fields.count)"))
      return false
    }
    return true
  }

  /// Reads a MovieLens CSV folder: `ratings.csv`, `movies.csv` and `links.csv`, each when
  /// present (at least one of the first two must be).
  public static func load(folder: URL, options: LoadOptions = LoadOptions()) throws
    -> LoadedDataset
  {
    var report = LoadReport()
    let ratingsFile = folder.appendingPathComponent("ratings.csv")
    let moviesFile = folder.appendingPathComponent("movies.csv")
    let linksFile = folder.appendingPathComponent("links.csv")
    guard
      try FileAccess.exists(atPath: ratingsFile.path) || FileAccess.exists(atPath: moviesFile.path)
    else {
      throw DataError(
        .fileNotFound, file: folder.lastPathComponent,
        message: "the folder has neither ratings.csv nor movies.csv")
    }
    var ratings: RatingsDataset?
    var catalog: Catalog?
    if try FileAccess.exists(atPath: ratingsFile.path) {
      ratings = try loadRatings(file: ratingsFile, options: options, report: &report)
    }
    if try FileAccess.exists(atPath: moviesFile.path) {
      catalog = try loadCatalog(
        movies: moviesFile, links: try FileAccess.exists(atPath: linksFile.path) ? linksFile : nil,
        options: options, report: &report)
    }
    return LoadedDataset(
      ratings: ratings, catalog: catalog, report: report, format: .movieLensCSV,
      source: folder.path)
  }
}
