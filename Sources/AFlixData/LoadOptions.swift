import AFlixLinalg

/// How strictly a loader treats malformed lines.
public enum Strictness: String, Sendable, Hashable, Codable, CaseIterable {
  /// The first malformed line throws its ``DataError``.
  case strict
  /// Malformed lines are skipped; each skip is counted in the ``LoadReport``.
  case lenient
}

/// Options shared by every loader.
///
/// ```swift
/// var options = LoadOptions(strictness: .lenient, duplicates: .keepLast)
/// options.scale = .halfStars          // override the format's default scale
/// let loaded = try DatasetLoader.load(path: "ratings.csv", options: options)
/// ```
public struct LoadOptions: Sendable {
  /// Whether a malformed line throws (`.strict`) or is skipped and reported (`.lenient`).
  public var strictness: Strictness
  /// What to do with a (user, item) pair rated more than once. Under `.error` a strict load throws
  /// ``DataError/Kind-swift.enum/duplicateRating`` and a lenient one keeps the first rating and
  /// reports each later one as a skipped line.
  public var duplicates: DuplicatePolicy
  /// The rating scale to check values against; `nil` uses the format's default
  /// (``DatasetFormat/defaultScale``).
  public var scale: RatingScale?
  /// How many problem descriptions a ``LoadReport`` keeps (every skip is still counted).
  public var maxReportedIssues: Int
  /// Delimiter and column names for ``DatasetFormat/delimited`` files.
  public var delimited: DelimitedOptions
  /// The longest line accepted in a text file, in bytes without the line ending (default
  /// ``defaultMaximumLineLength``, 1 MiB). A longer line, or one holding a NUL byte, is a
  /// ``DataError/Kind-swift.enum/malformedLine`` error at that line, in lenient loads too: the
  /// file is not a text file of lines. Files are read in bounded chunks, so a bad file fails at
  /// its first bad line with small memory.
  public var maximumLineLength: Int
  /// The largest JSON file read (default ``defaultMaximumJSONSize``, 512 MiB). JSON is parsed as
  /// a whole document, so a larger file is refused with
  /// ``DataError/Kind-swift.enum/fileTooLarge`` before it is read.
  public var maximumJSONSize: Int

  /// The default ``maximumLineLength``: 1 MiB.
  public static let defaultMaximumLineLength = 1 << 20
  /// The default ``maximumJSONSize``: 512 MiB.
  public static let defaultMaximumJSONSize = 512 << 20

  /// Creates options; the defaults are strict, duplicates refused, the format's scale, lines up
  /// to 1 MiB, JSON files up to 512 MiB.
  public init(
    strictness: Strictness = .strict, duplicates: DuplicatePolicy = .error,
    scale: RatingScale? = nil, maxReportedIssues: Int = 10,
    delimited: DelimitedOptions = DelimitedOptions(),
    maximumLineLength: Int = LoadOptions.defaultMaximumLineLength,
    maximumJSONSize: Int = LoadOptions.defaultMaximumJSONSize
  ) {
    self.maximumLineLength = maximumLineLength
    self.maximumJSONSize = maximumJSONSize
    self.strictness = strictness
    self.duplicates = duplicates
    self.scale = scale
    self.maxReportedIssues = maxReportedIssues
    self.delimited = delimited
  }
}

/// What a load read and what it skipped.
public struct LoadReport: Sendable, Codable, Equatable {
  /// Data lines (or JSON objects) skipped as malformed, in lenient mode. Always 0 in strict mode.
  public var skippedLines: Int
  /// Descriptions of the first skipped lines' problems (at most
  /// ``LoadOptions/maxReportedIssues``).
  public var examples: [String]
  /// Data lines (or JSON objects) read, headers and blank lines excluded.
  public var linesRead: Int

  /// Creates a report.
  public init(skippedLines: Int = 0, examples: [String] = [], linesRead: Int = 0) {
    self.skippedLines = skippedLines
    self.examples = examples
    self.linesRead = linesRead
  }

  /// Adds `other`'s counts and examples (keeping at most `limit` examples).
  mutating func merge(_ other: LoadReport, limit: Int) {
    skippedLines += other.skippedLines
    linesRead += other.linesRead
    for example in other.examples where examples.count < limit { examples.append(example) }
  }

  /// Records one skipped line described by `error`.
  mutating func skip(_ error: DataError, limit: Int) {
    skippedLines += 1
    if examples.count < limit { examples.append(error.description) }
  }
}
