import Foundation

/// The data formats AFlix reads, by the short names the command line uses.
public enum DatasetFormat: String, Sendable, CaseIterable, Codable {
  /// MovieLens 100k: `u.data` (or `u1.base` …), `u.item`, `u.genre`.
  case movieLens100K = "ml100k"
  /// MovieLens latest, 20M, 25M: `ratings.csv`, `movies.csv`, `links.csv`.
  case movieLensCSV = "mlcsv"
  /// MovieLens 1M, 10M: `ratings.dat`, `movies.dat` (`::`-separated, latin-1).
  case movieLensDat = "mldat"
  /// A JSON array of TMDB movie objects (a catalog, no ratings).
  case tmdbJSON = "tmdb"
  /// A delimited ratings file with a header naming its columns.
  case delimited = "csv"

  /// The scale values are checked against unless ``LoadOptions/scale`` says otherwise:
  /// whole stars 1–5 for MovieLens 100k, half stars 0.5–5 for the MovieLens CSV and `.dat`
  /// formats (1M's whole stars are on that grid too), continuous 0.5–5 for generic files.
  public var defaultScale: RatingScale {
    switch self {
    case .movieLens100K: return .oneToFive
    case .movieLensCSV, .movieLensDat: return .halfStars
    case .tmdbJSON, .delimited: return .continuousHalfToFive
    }
  }

  /// Recognises the format of a file or folder.
  ///
  /// - A folder holding `u.data` (or `u.item`) is ``movieLens100K``; `ratings.csv` (or
  ///   `movies.csv`) ``movieLensCSV``; `ratings.dat` (or `movies.dat`) ``movieLensDat``.
  /// - A `.json` file is ``tmdbJSON``; a `.dat` file ``movieLensDat``; `u.item` ``movieLens100K``.
  /// - A `.csv`, `.tsv`, `.data`, `.base`, `.test` or `.txt` file whose first line is four
  ///   tab-separated integers (`u.data`, `u1.base`) is ``movieLens100K``; a `ratings.csv`,
  ///   `movies.csv` or `links.csv` whose header is MovieLens' is ``movieLensCSV``; any other is
  ///   ``delimited``.
  ///
  /// Only the first line of a file is read, through a bounded buffer.
  ///
  /// - Throws: ``DataError`` `.fileNotFound`, `.notRegularFile` (a FIFO, device or socket),
  ///   `.malformedLine` for a first line longer than ``LoadOptions/defaultMaximumLineLength``
  ///   or holding a NUL byte, or `.unknownFormat` when nothing matches.
  public static func detect(path: String) throws -> DatasetFormat {
    try detect(path: path, maximumLineLength: LoadOptions.defaultMaximumLineLength)
  }

  /// ``detect(path:)`` with a chosen longest first line (``LoadOptions/maximumLineLength``).
  public static func detect(path: String, maximumLineLength: Int) throws -> DatasetFormat {
    let url = URL(fileURLWithPath: path)
    guard let kind = try FileAccess.kind(atPath: path) else {
      throw DataError(.fileNotFound, file: url.lastPathComponent, message: "no such file: \(path)")
    }
    if kind == .directory {
      func has(_ name: String) throws -> Bool {
        try FileAccess.exists(atPath: url.appendingPathComponent(name).path)
      }
      if try has("u.data") || has("u.item") { return .movieLens100K }
      if try has("ratings.csv") || has("movies.csv") { return .movieLensCSV }
      if try has("ratings.dat") || has("movies.dat") { return .movieLensDat }
      throw DataError(
        .unknownFormat, file: url.lastPathComponent,
        message: "the folder holds none of u.data, ratings.csv, ratings.dat, movies.csv, movies.dat"
      )
    }
    let name = url.lastPathComponent.lowercased()
    let ext = url.pathExtension.lowercased()
    if ext == "json" { return .tmdbJSON }
    if ext == "dat" { return .movieLensDat }
    if name == "u.item" || name == "u.genre" { return .movieLens100K }
    guard ["csv", "tsv", "data", "base", "test", "txt"].contains(ext) else {
      throw DataError(
        .unknownFormat, file: url.lastPathComponent,
        message: "cannot tell the format from the name; give it explicitly")
    }
    let text = try TextLineReader(contentsOf: url, maximumLineLength: maximumLineLength)
    guard let (_, line) = try text.firstLine() else { return .delimited }
    if isMovieLens100KRatingsLine(line) { return .movieLens100K }
    let header = String(decoding: line, as: UTF8.self).lowercased()
    if ["ratings.csv", "movies.csv", "links.csv"].contains(name)
      && (header.hasPrefix("userid,movieid,rating") || header.hasPrefix("movieid,title")
        || header.hasPrefix("movieid,imdbid"))
    {
      return .movieLensCSV
    }
    return .delimited
  }

  /// Whether `line` is four tab-separated integers.
  static func isMovieLens100KRatingsLine(_ line: [UInt8]) -> Bool {
    line.withUnsafeBufferPointer { buffer in
      var fields: [Range<Int>] = []
      ByteParsing.split(buffer, separator: UInt8(ascii: "\t"), into: &fields)
      return fields.count == 4 && fields.allSatisfy { ByteParsing.parseInt(buffer, $0) != nil }
    }
  }
}
