import Foundation

/// Reads MovieLens `tags.csv` (`userId,movieId,tag,timestamp`, UTF-8 with a header): the
/// free-text tags users gave films, gathered per film as keywords for content features.
///
/// ```swift
/// let tags = try MovieLensTagsLoader.loadTags(file: folder.appendingPathComponent("tags.csv"))
/// let catalog = try MovieLensCSVLoader.loadCatalog(movies: moviesFile).addingKeywords(tags)
/// ```
///
/// Columns are found by their header names (`movieId` and `tag` are needed; `userId` and
/// `timestamp` are read past), in any order; quoted tags with commas and doubled quotes are
/// accepted. Each film's tags are kept in file order, trimmed, blanks dropped, and a tag given
/// again (by anyone, in any letter case) only once, in its first spelling
/// (``Movie/distinctKeywords(_:)``). MovieLens 100k has no tags file.
public enum MovieLensTagsLoader {
  /// Reads a `tags.csv` file: film id → its distinct tags.
  ///
  /// - Throws: ``DataError``: see ``loadTags(file:options:report:)``.
  public static func loadTags(file: URL, options: LoadOptions = LoadOptions()) throws
    -> [EntityID: [String]]
  {
    var report = LoadReport()
    return try loadTags(file: file, options: options, report: &report)
  }

  /// Reads a `tags.csv` file with `options`' strictness, adding what was read and skipped to
  /// `report`.
  ///
  /// - Throws: ``DataError``: `.missingColumn` for a header without `movieId` or `tag` (always)
  ///   and, in strict loads, for a line with too few fields; `.extraColumn`, `.nonNumericValue`
  ///   for a movie id that is not an integer, `.unreadableEncoding`, `.malformedLine` (in lenient
  ///   loads those lines are skipped and reported); `.emptyFile` for an empty or header-only
  ///   file; the file-access kinds of `TextLineReader`.
  public static func loadTags(
    file: URL, options: LoadOptions, report: inout LoadReport
  ) throws -> [EntityID: [String]] {
    let text = try TextLineReader(contentsOf: file, maximumLineLength: options.maximumLineLength)
    let fileName = text.fileName
    let (headerLine, names) = try text.headerNames(delimiter: UInt8(ascii: ","))
    let columns = try MovieLensCSVLoader.locate(
      ["movieId", "tag"], in: names, file: fileName, line: headerLine)
    var raw: [EntityID: [String]] = [:]
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
        try MovieLensCSVLoader.split(
          line, number: number, columnCount: names.count, names: names, fileName: fileName,
          scratch: &scratch, fields: &fields, issue: issue)
      else { return }
      let idText = String(decoding: scratch[fields[columns[0]]], as: UTF8.self)
        .trimmingASCIISpaces()
      guard let id = Int(idText) else {
        return try issue(
          DataError(
            .nonNumericValue, file: fileName, line: number, field: names[columns[0]],
            value: idText, message: "not an integer id"))
      }
      let tag = String(decoding: scratch[fields[columns[1]]], as: UTF8.self)
      raw[.int(id), default: []].append(tag)
    }
    guard local.linesRead > 0 else {
      throw DataError(.emptyFile, file: fileName, message: "the file has a header and no data")
    }
    report.merge(local, limit: options.maxReportedIssues)
    var tags: [EntityID: [String]] = [:]
    for (id, list) in raw {
      let distinct = Movie.distinctKeywords(list)
      if !distinct.isEmpty { tags[id] = distinct }
    }
    return tags
  }
}
