import Foundation

/// Reads MovieLens 100k: `u.data` (and `u1.base` … `u5.test`, the same tab-separated format
/// `user id \t item id \t rating \t timestamp`), `u.item` (`|`-separated, latin-1: id, title,
/// release date, video release date, IMDb URL and one 0/1 flag per genre) and `u.genre`.
///
/// ```swift
/// let loaded = try MovieLens100KLoader.load(folder: URL(fileURLWithPath: "ml-100k"))
/// loaded.ratings?.ratingCount       // 100000
/// loaded.catalog?.movie(withID: 1)  // Toy Story (1995)
/// let u1 = try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: 1)
/// ```
///
/// The default scale is ``RatingScale/oneToFive``.
public enum MovieLens100KLoader {
  /// The ratings file's column names, as MovieLens' README gives them.
  static let ratingsLayout = RatingsLayout(
    separator: .byte(UInt8(ascii: "\t")), columnCount: 4, userColumn: 0, itemColumn: 1,
    ratingColumn: 2, timestampColumn: 3, names: ["user id", "item id", "rating", "timestamp"],
    integerIDs: true, allowsQuotes: false, optionalTimestamps: false)

  /// `u.item`'s leading column names.
  static let itemColumns = [
    "movie id", "movie title", "release date", "video release date", "IMDb URL",
  ]

  /// Reads a ratings file in `u.data` format.
  ///
  /// - Throws: ``DataError`` (strict mode), including `.emptyFile` and `.fileNotFound`.
  public static func loadRatings(file: URL, options: LoadOptions = LoadOptions()) throws
    -> RatingsDataset
  {
    var report = LoadReport()
    return try loadRatings(file: file, options: options, report: &report)
  }

  /// Reads a ratings file in `u.data` format, adding what was read and skipped to `report`.
  public static func loadRatings(
    file: URL, options: LoadOptions, report: inout LoadReport
  ) throws -> RatingsDataset {
    let text = try TextLineReader(contentsOf: file, maximumLineLength: options.maximumLineLength)
    guard try text.hasContent() else {
      throw DataError(.emptyFile, file: text.fileName, message: "the file is empty")
    }
    var accumulator = RatingsAccumulator(
      options: options, scale: options.scale ?? DatasetFormat.movieLens100K.defaultScale)
    try accumulator.parse(text, layout: ratingsLayout, headerLines: 0)
    let dataset = try accumulator.finish().dataset
    report.merge(accumulator.report, limit: options.maxReportedIssues)
    return dataset
  }

  /// Reads the genre names of a `u.genre` file (`name|index` lines), in index order.
  public static func loadGenreNames(file: URL) throws -> [String] {
    let text = try TextLineReader(contentsOf: file)
    var byIndex: [Int: String] = [:]
    var fields: [Range<Int>] = []
    try text.forEachLine { number, line in
      ByteParsing.split(line, separator: UInt8(ascii: "|"), into: &fields)
      guard fields.count == 2, let index = ByteParsing.parseInt(line, fields[1]), index >= 0,
        byIndex[index] == nil
      else {
        throw DataError(
          .unknownGenreLayout, file: text.fileName, line: number,
          value: ByteParsing.latin1String(line), message: "expected 'name|index'")
      }
      byIndex[index] = ByteParsing.latin1String(line[fields[0]])
    }
    guard !byIndex.isEmpty else {
      throw DataError(.emptyFile, file: text.fileName, message: "the file lists no genres")
    }
    guard byIndex.keys.sorted() == Array(0..<byIndex.count) else {
      throw DataError(
        .unknownGenreLayout, file: text.fileName,
        message: "genre indices are not 0..<\(byIndex.count)")
    }
    return (0..<byIndex.count).map { byIndex[$0]! }
  }

  /// Reads a `u.item` catalog. Genre names come from `genreNames`, else from a `u.genre` beside
  /// the file, else ``Genre/movieLens100KNames``; they are mapped with ``Genre/named(_:)``.
  ///
  /// Titles are kept whole (`"Toy Story (1995)"`); the year comes from the title, else from the
  /// release date (`01-Jan-1995`); the "unknown" film (id 267), which has neither, gets `nil`.
  /// The file is read as UTF-8 when it is valid UTF-8, else as latin-1 (the original encoding).
  ///
  /// - Throws: ``DataError``: `.unknownGenreLayout` when a line's number of flags differs from
  ///   the number of genres or a flag is not 0 or 1, `.missingColumn`, `.nonNumericValue` for the
  ///   id, `.duplicateRating` for a repeated id, `.emptyFile`.
  public static func loadCatalog(file: URL, genreNames: [String]? = nil) throws -> Catalog {
    var report = LoadReport()
    return try loadCatalog(
      file: file, genreNames: genreNames, options: LoadOptions(), report: &report)
  }

  /// Reads a `u.item` catalog with `options`' strictness, adding to `report`.
  public static func loadCatalog(
    file: URL, genreNames: [String]? = nil, options: LoadOptions, report: inout LoadReport
  ) throws -> Catalog {
    let text = try TextLineReader(contentsOf: file, maximumLineLength: options.maximumLineLength)
    guard try text.hasContent() else {
      throw DataError(.emptyFile, file: text.fileName, message: "the file is empty")
    }
    var names = genreNames
    if names == nil {
      let sibling = file.deletingLastPathComponent().appendingPathComponent("u.genre")
      if try FileAccess.exists(atPath: sibling.path) {
        names = try loadGenreNames(file: sibling)
      }
    }
    let genres = (names ?? Genre.movieLens100KNames).map(Genre.named)
    let utf8 = try text.isValidUTF8()
    var builder = CatalogBuilder(options: options, fileName: text.fileName)
    var fields: [Range<Int>] = []
    let fileName = text.fileName
    try text.forEachLine { number, line in
      builder.report.linesRead += 1
      func decode(_ range: Range<Int>) -> String {
        let bytes = UnsafeBufferPointer(rebasing: line[range])
        return utf8 ? String(decoding: bytes, as: UTF8.self) : ByteParsing.latin1String(bytes)
      }
      ByteParsing.split(line, separator: UInt8(ascii: "|"), into: &fields)
      guard fields.count >= itemColumns.count else {
        try builder.issue(
          DataError.missingField(
            file: fileName, line: number, names: itemColumns + genres.map(\.name),
            found: fields.count, lineText: decode(0..<line.count)))
        return
      }
      let flags = fields.count - itemColumns.count
      guard flags == genres.count else {
        try builder.issue(
          DataError(
            .unknownGenreLayout, file: fileName, line: number, field: "genres",
            value: "\(flags) flags",
            message: "expected \(genres.count) genre flags, found \(flags)"))
        return
      }
      guard let id = ByteParsing.parseInt(line, fields[0]) else {
        try builder.issue(
          DataError(
            .nonNumericValue, file: fileName, line: number, field: itemColumns[0],
            value: decode(fields[0]), message: "not an integer id"))
        return
      }
      var movieGenres: [Genre] = []
      for g in 0..<flags {
        let range = fields[itemColumns.count + g]
        switch ByteParsing.parseInt(line, range) {
        case 1: movieGenres.append(genres[g])
        case 0: break
        default:
          try builder.issue(
            DataError(
              .unknownGenreLayout, file: fileName, line: number, field: genres[g].name,
              value: decode(range), message: "a genre flag must be 0 or 1"))
          return
        }
      }
      let title = decode(fields[1])
      let year = Movie.year(fromTitle: title) ?? releaseYear(decode(fields[2]))
      try builder.add(
        Movie(
          id: .int(id), title: title, genres: movieGenres, year: year,
          externalIDs: ExternalIDs(movieLens: id)),
        line: number)
    }
    let catalog = try builder.finish()
    report.merge(builder.report, limit: options.maxReportedIssues)
    return catalog
  }

  /// The year of a `dd-Mmm-yyyy` release date, or `nil`.
  static func releaseYear(_ date: String) -> Int? {
    let parts = date.trimmingASCIISpaces().split(separator: "-")
    guard let last = parts.last, last.count == 4 else { return nil }
    return Int(last)
  }

  /// Reads a MovieLens 100k folder: `u.data` (required), `u.item` (when present) with `u.genre`.
  public static func load(folder: URL, options: LoadOptions = LoadOptions()) throws
    -> LoadedDataset
  {
    var report = LoadReport()
    let ratings = try loadRatings(
      file: folder.appendingPathComponent("u.data"), options: options, report: &report)
    let itemFile = folder.appendingPathComponent("u.item")
    var catalog: Catalog?
    if try FileAccess.exists(atPath: itemFile.path) {
      catalog = try loadCatalog(file: itemFile, options: options, report: &report)
    }
    return LoadedDataset(
      ratings: ratings, catalog: catalog, report: report, format: .movieLens100K,
      source: folder.path)
  }

  /// One of MovieLens 100k's five predefined 80/20 splits: `u{fold}.base` as train and
  /// `u{fold}.test` as test, read into **one** id space (a dataset of both files, then two
  /// subsets), so user and item indices agree between them.
  ///
  /// - Parameters:
  ///   - folder: the `ml-100k` folder.
  ///   - fold: 1 … 5.
  ///   - options: how to load; the format's default scale (1…5) unless overridden.
  /// - Throws: ``DataError`` `.invalidArgument` for a fold outside 1…5, and the loading errors.
  public static func loadPredefinedSplit(
    folder: URL, fold: Int, options: LoadOptions = LoadOptions()
  ) throws -> DatasetSplit {
    var report = LoadReport()
    return try loadPredefinedSplit(folder: folder, fold: fold, options: options, report: &report)
  }

  /// ``loadPredefinedSplit(folder:fold:options:)``, adding what was read and skipped to `report`.
  public static func loadPredefinedSplit(
    folder: URL, fold: Int, options: LoadOptions, report: inout LoadReport
  ) throws -> DatasetSplit {
    guard (1...5).contains(fold) else {
      throw DataError(
        .invalidArgument, field: "fold", value: String(fold),
        message: "MovieLens 100k has predefined folds 1 to 5")
    }
    var accumulator = RatingsAccumulator(
      options: options, scale: options.scale ?? DatasetFormat.movieLens100K.defaultScale)
    for name in ["u\(fold).base", "u\(fold).test"] {
      let text = try TextLineReader(
        contentsOf: folder.appendingPathComponent(name),
        maximumLineLength: options.maximumLineLength)
      guard try text.hasContent() else {
        throw DataError(.emptyFile, file: text.fileName, message: "the file is empty")
      }
      try accumulator.parse(text, layout: ratingsLayout, headerLines: 0)
    }
    let (dataset, sources) = try accumulator.finish(keepSources: true)
    var train: [Int] = []
    var test: [Int] = []
    for (position, source) in sources.enumerated() {
      if accumulator.fileIndex(ofCollected: source) == 0 {
        train.append(position)
      } else {
        test.append(position)
      }
    }
    report.merge(accumulator.report, limit: options.maxReportedIssues)
    return DatasetSplit(
      name: "u\(fold)", train: dataset.subset(userMajorIndices: train),
      test: dataset.subset(userMajorIndices: test))
  }
}
