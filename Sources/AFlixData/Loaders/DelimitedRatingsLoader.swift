import Foundation

/// Delimiter and column names of a generic delimited ratings file.
///
/// ```swift
/// var options = LoadOptions()
/// options.delimited = DelimitedOptions(delimiter: ";", user: ["customer"], item: ["product"])
/// ```
public struct DelimitedOptions: Sendable, Hashable {
  /// The field delimiter, one ASCII character; `nil` picks whichever of tab, `,` and `;` occurs
  /// most in the header.
  public var delimiter: Character?
  /// Accepted names of the user column (matched case-insensitively; the first header column that
  /// matches any is used).
  public var user: [String]
  /// Accepted names of the item column.
  public var item: [String]
  /// Accepted names of the rating column.
  public var rating: [String]
  /// Accepted names of the optional timestamp column.
  public var timestamp: [String]

  /// The default user column names: `userId`, `user_id`, `user`.
  public static let defaultUserColumns = ["userId", "user_id", "user"]
  /// The default item column names: `movieId`, `itemId`, `item_id`, `item`, `movie_id`.
  public static let defaultItemColumns = ["movieId", "itemId", "item_id", "item", "movie_id"]
  /// The default rating column names: `rating`, `value`, `score`.
  public static let defaultRatingColumns = ["rating", "value", "score"]
  /// The default timestamp column names: `timestamp`, `time`.
  public static let defaultTimestampColumns = ["timestamp", "time"]

  /// Creates options; by default the delimiter is detected and the usual column names accepted.
  public init(
    delimiter: Character? = nil, user: [String] = defaultUserColumns,
    item: [String] = defaultItemColumns, rating: [String] = defaultRatingColumns,
    timestamp: [String] = defaultTimestampColumns
  ) {
    self.delimiter = delimiter
    self.user = user
    self.item = item
    self.rating = rating
    self.timestamp = timestamp
  }
}

/// Reads a generic delimited ratings file: a header naming the columns, then one rating per line.
///
/// Columns are found by name (``DelimitedOptions``), in any order; other columns are ignored.
/// Ids that are integers become `.int` ids, others `.string` ids. Fields may be double-quoted.
/// An empty timestamp column on every line means no timestamps. The default scale is continuous
/// 0.5–5 (``RatingScale/continuousHalfToFive``); set ``LoadOptions/scale`` for others.
public enum DelimitedRatingsLoader {
  /// Reads a delimited ratings file.
  public static func loadRatings(file: URL, options: LoadOptions = LoadOptions()) throws
    -> RatingsDataset
  {
    var report = LoadReport()
    return try loadRatings(file: file, options: options, report: &report)
  }

  /// Reads a delimited ratings file, adding what was read and skipped to `report`.
  ///
  /// - Throws: ``DataError``: `.invalidArgument` for a delimiter that is not one ASCII character,
  ///   `.missingColumn` when the header lacks a user, item or rating column (or no delimiter is
  ///   found), `.emptyFile` for an empty or header-only file, and the per-line errors.
  public static func loadRatings(
    file: URL, options: LoadOptions, report: inout LoadReport
  ) throws -> RatingsDataset {
    let text = try TextLineReader(contentsOf: file, maximumLineLength: options.maximumLineLength)
    let columns = options.delimited
    guard let (_, firstLine) = try text.firstLine() else {
      throw DataError(.emptyFile, file: text.fileName, message: "the file is empty")
    }
    let delimiter: UInt8
    if let given = columns.delimiter {
      guard let ascii = given.asciiValue, given != "\"" else {
        throw DataError(
          .invalidArgument, field: "delimiter", value: String(given),
          message: "the delimiter must be one ASCII character other than a quote")
      }
      delimiter = ascii
    } else {
      let candidates: [UInt8] = [UInt8(ascii: "\t"), UInt8(ascii: ","), UInt8(ascii: ";")]
      let counts = candidates.map { c in firstLine.reduce(0) { $0 + ($1 == c ? 1 : 0) } }
      let best = counts.indices.max { counts[$0] < counts[$1] }!
      guard counts[best] > 0 else {
        throw DataError(
          .missingColumn, file: text.fileName, line: 1,
          value: String(decoding: firstLine, as: UTF8.self),
          message: "the header has no tab, comma or semicolon: cannot find the columns")
      }
      delimiter = candidates[best]
    }
    let (line, names) = try text.headerNames(delimiter: delimiter)
    let layout = try RatingsLayout.fromHeader(
      names, file: text.fileName, line: line, delimiter: delimiter, user: columns.user,
      item: columns.item, rating: columns.rating, timestamp: columns.timestamp,
      integerIDs: false, optionalTimestamps: true)
    var accumulator = RatingsAccumulator(
      options: options, scale: options.scale ?? DatasetFormat.delimited.defaultScale)
    try accumulator.parse(text, layout: layout, headerLines: 1)
    guard accumulator.report.linesRead > 0 else {
      throw DataError(.emptyFile, file: text.fileName, message: "the file has a header and no data")
    }
    let dataset = try accumulator.finish().dataset
    report.merge(accumulator.report, limit: options.maxReportedIssues)
    return dataset
  }
}
