import Foundation

/// Reads MovieLens 1M and 10M: `ratings.dat` (`UserID::MovieID::Rating::Timestamp`) and
/// `movies.dat` (`MovieID::Title::Genres`, genres `|`-separated), without headers.
///
/// Files are read as UTF-8 when they are valid UTF-8, else as latin-1 (MovieLens 1M's encoding).
/// The default scale is ``RatingScale/halfStars``, which holds 10M's half stars and 1M's whole
/// stars alike.
public enum MovieLensDatLoader {
  static let ratingsLayout = RatingsLayout(
    separator: .doubleColon, columnCount: 4, userColumn: 0, itemColumn: 1, ratingColumn: 2,
    timestampColumn: 3, names: ["UserID", "MovieID", "Rating", "Timestamp"], integerIDs: true,
    allowsQuotes: false, optionalTimestamps: false)

  static let movieColumns = ["MovieID", "Title", "Genres"]

  /// Reads a `ratings.dat` file.
  public static func loadRatings(file: URL, options: LoadOptions = LoadOptions()) throws
    -> RatingsDataset
  {
    var report = LoadReport()
    return try loadRatings(file: file, options: options, report: &report)
  }

  /// Reads a `ratings.dat` file, adding what was read and skipped to `report`.
  public static func loadRatings(
    file: URL, options: LoadOptions, report: inout LoadReport
  ) throws -> RatingsDataset {
    let text = try TextLineReader(contentsOf: file, maximumLineLength: options.maximumLineLength)
    guard try text.hasContent() else {
      throw DataError(.emptyFile, file: text.fileName, message: "the file is empty")
    }
    var accumulator = RatingsAccumulator(
      options: options, scale: options.scale ?? DatasetFormat.movieLensDat.defaultScale)
    try accumulator.parse(text, layout: ratingsLayout, headerLines: 0)
    let dataset = try accumulator.finish().dataset
    report.merge(accumulator.report, limit: options.maxReportedIssues)
    return dataset
  }

  /// Reads a `movies.dat` file.
  public static func loadCatalog(file: URL, options: LoadOptions = LoadOptions()) throws
    -> Catalog
  {
    var report = LoadReport()
    return try loadCatalog(file: file, options: options, report: &report)
  }

  /// Reads a `movies.dat` file, adding what was read and skipped to `report`.
  ///
  /// - Throws: ``DataError``: `.missingColumn` / `.extraColumn`, `.nonNumericValue` for an id,
  ///   `.duplicateRating` for a repeated id, `.emptyFile`.
  public static func loadCatalog(
    file: URL, options: LoadOptions, report: inout LoadReport
  ) throws -> Catalog {
    let text = try TextLineReader(contentsOf: file, maximumLineLength: options.maximumLineLength)
    guard try text.hasContent() else {
      throw DataError(.emptyFile, file: text.fileName, message: "the file is empty")
    }
    let utf8 = try text.isValidUTF8()
    let fileName = text.fileName
    var builder = CatalogBuilder(options: options, fileName: fileName)
    var fields: [Range<Int>] = []
    try text.forEachLine { number, line in
      builder.report.linesRead += 1
      func decode(_ range: Range<Int>) -> String {
        let bytes = UnsafeBufferPointer(rebasing: line[range])
        return utf8 ? String(decoding: bytes, as: UTF8.self) : ByteParsing.latin1String(bytes)
      }
      ByteParsing.split(line, separator: UInt8(ascii: ":"), UInt8(ascii: ":"), into: &fields)
      guard fields.count >= 3 else {
        try builder.issue(
          DataError.missingField(
            file: fileName, line: number, names: movieColumns, found: fields.count,
            lineText: decode(0..<line.count)))
        return
      }
      guard fields.count == 3 else {
        try builder.issue(
          DataError(
            .extraColumn, file: fileName, line: number, field: "column 4",
            value: decode(fields[3]), message: "expected 3 fields, found \(fields.count)"))
        return
      }
      guard let id = ByteParsing.parseInt(line, fields[0]) else {
        try builder.issue(
          DataError(
            .nonNumericValue, file: fileName, line: number, field: movieColumns[0],
            value: decode(fields[0]), message: "not an integer id"))
        return
      }
      let title = decode(fields[1])
      let genreText = decode(fields[2]).trimmingASCIISpaces()
      let genres =
        genreText.isEmpty || genreText == "(no genres listed)"
        ? []
        : genreText.split(separator: "|").map { Genre.named(String($0).trimmingASCIISpaces()) }
      try builder.add(
        Movie(
          id: .int(id), title: title, genres: genres, year: Movie.year(fromTitle: title),
          externalIDs: ExternalIDs(movieLens: id)),
        line: number)
    }
    let catalog = try builder.finish()
    report.merge(builder.report, limit: options.maxReportedIssues)
    return catalog
  }

  /// Reads a MovieLens `.dat` folder: `ratings.dat` and `movies.dat`, each when present (at
  /// least one must be).
  public static func load(folder: URL, options: LoadOptions = LoadOptions()) throws
    -> LoadedDataset
  {
    var report = LoadReport()
    let ratingsFile = folder.appendingPathComponent("ratings.dat")
    let moviesFile = folder.appendingPathComponent("movies.dat")
    guard
      try FileAccess.exists(atPath: ratingsFile.path) || FileAccess.exists(atPath: moviesFile.path)
    else {
      throw DataError(
        .fileNotFound, file: folder.lastPathComponent,
        message: "the folder has neither ratings.dat nor movies.dat")
    }
    var ratings: RatingsDataset?
    var catalog: Catalog?
    if try FileAccess.exists(atPath: ratingsFile.path) {
      ratings = try loadRatings(file: ratingsFile, options: options, report: &report)
    }
    if try FileAccess.exists(atPath: moviesFile.path) {
      catalog = try loadCatalog(file: moviesFile, options: options, report: &report)
    }
    return LoadedDataset(
      ratings: ratings, catalog: catalog, report: report, format: .movieLensDat,
      source: folder.path)
  }
}
