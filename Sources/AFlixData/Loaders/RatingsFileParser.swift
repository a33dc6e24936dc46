import AFlixLinalg
import Foundation
internal import _AFlixSupport

/// How the fields of a ratings file are laid out.
struct RatingsLayout {
  /// How fields are separated.
  enum Separator {
    /// One byte (`\t`, `,`, `;`).
    case byte(UInt8)
    /// The two bytes `::` (MovieLens 1M and 10M).
    case doubleColon
  }

  var separator: Separator
  /// The number of fields each line must have.
  var columnCount: Int
  var userColumn: Int
  var itemColumn: Int
  var ratingColumn: Int
  var timestampColumn: Int?
  /// Column names, for errors.
  var names: [String]
  /// Whether ids must be integers (MovieLens); otherwise an id that is not an integer is a string.
  var integerIDs: Bool
  /// Whether fields may be double-quoted (generic CSV).
  var allowsQuotes: Bool
  /// Whether an empty timestamp is allowed (the dataset then has timestamps only if no line has
  /// an empty one).
  var optionalTimestamps: Bool
}

/// Collects the ratings of one or more files, checking each value, and builds the dataset.
struct RatingsAccumulator {
  let options: LoadOptions
  let scale: RatingScale
  private(set) var report = LoadReport()
  private var users = IDInterner()
  private var items = IDInterner()
  private var userIndices: [Int32] = []
  private var itemIndices: [Int32] = []
  private var values: [Float] = []
  private var timestamps: [Int64] = []
  private var lines: [Int32] = []
  private var files: [(name: String, start: Int, itemField: String, timestampField: String?)] = []
  private static let missingTimestamp = Int64.min

  init(options: LoadOptions, scale: RatingScale) {
    self.options = options
    self.scale = scale
  }

  /// Where issues go in lenient mode: `nil` adds their descriptions to ``report``; a segment
  /// of a file read in parallel keeps them (the first `maxReportedIssues`) to renumber their
  /// lines when the segments are joined.
  private var heldIssues: [DataError]? = nil

  /// Throws `error` when strict; counts and records it when lenient.
  mutating func issue(_ error: DataError) throws {
    guard options.strictness == .lenient else { throw error }
    if heldIssues != nil {
      report.skippedLines += 1
      if heldIssues!.count < options.maxReportedIssues { heldIssues!.append(error) }
    } else {
      report.skip(error, limit: options.maxReportedIssues)
    }
  }

  /// Files at least this large are read by several threads (when ``Parallelism`` allows).
  static let parallelThreshold = 64 << 20

  /// Parses every data line of `text` laid out as `layout`, after `headerLines` header lines.
  ///
  /// A large file is cut into byte ranges read by separate threads, each with its own ids, and
  /// the parts are joined in file order: the ratings, ids, line numbers, reported problems and
  /// the first error (strict mode) are the same as one thread's, whatever the thread count.
  ///
  /// `segments` forces the number of byte ranges (tests); by default it is 1 below
  /// ``parallelThreshold`` or with one thread, else 4 per thread of
  /// ``Parallelism/currentThreadCount`` (at least 16 MiB each, at most 64), so that threads
  /// slowed by other work share the ranges out evenly.
  mutating func parse(
    _ text: TextLineReader, layout: RatingsLayout, headerLines: Int, segments forced: Int? = nil
  ) throws {
    files.append(
      (
        text.fileName, values.count, layout.names[layout.itemColumn],
        layout.timestampColumn.map { layout.names[$0] }
      ))
    let threads = Parallelism.currentThreadCount
    let segments =
      forced
      ?? (text.byteCount < Self.parallelThreshold || threads == 1
        ? 1
        : min(4 * threads, text.byteCount / (16 << 20), 64))
    if segments > 1 {
      if try parseInParallel(
        text, layout: layout, headerLines: headerLines, segments: segments,
        threads: min(threads, segments))
      {
        return
      }
    }
    try parseLines(text, layout: layout, headerLines: headerLines)
  }

  /// Reads the lines of `text` that start in `lowerBound..<upperBound`, the first `headerLines`
  /// non-blank ones being headers.
  ///
  /// - Returns: how many lines the range holds (blank ones included) and how many headers were
  ///   skipped.
  @discardableResult
  private mutating func parseLines(
    _ text: TextLineReader, layout: RatingsLayout, headerLines: Int, from lowerBound: Int = 0,
    to upperBound: Int = .max
  ) throws -> (lines: Int, headers: Int) {
    var fields: [Range<Int>] = []
    fields.reserveCapacity(layout.columnCount + 2)
    var scratch: [UInt8] = []
    var skippedHeaders = 0
    let fileName = text.fileName
    // After a sample of lines, reserve room for the range's ratings (estimated from its size),
    // so that the arrays are not copied as they grow.
    var sampledLines = 0
    var sampledBytes = 0
    let sample = 2048
    let rangeBytes = min(upperBound, text.byteCount) - lowerBound
    let count = try text.scanLines(from: lowerBound, to: upperBound) { number, line in
      if skippedHeaders < headerLines {
        skippedHeaders += 1
        return true
      }
      report.linesRead += 1
      if sampledLines < sample {
        sampledLines += 1
        sampledBytes += line.count + 1
        if sampledLines == sample {
          reserve(
            estimatedLines: Int(Double(rangeBytes) * Double(sample) / Double(sampledBytes)))
        }
      }
      switch layout.separator {
      case .byte(let separator):
        if layout.allowsQuotes && line.contains(UInt8(ascii: "\"")) {
          guard
            ByteParsing.splitQuoted(
              line, delimiter: separator, scratch: &scratch, fields: &fields)
          else {
            try issue(
              DataError(
                .malformedLine, file: fileName, line: number,
                value: ByteParsing.text(line, 0..<line.count),
                message: "unterminated quoted field"))
            return true
          }
          try scratch.withUnsafeBufferPointer { buffer in
            try parseFields(buffer, fields, layout: layout, file: fileName, line: number)
          }
          return true
        }
        ByteParsing.split(line, separator: separator, into: &fields)
      case .doubleColon:
        ByteParsing.split(
          line, separator: UInt8(ascii: ":"), UInt8(ascii: ":"), into: &fields)
      }
      try parseFields(line, fields, layout: layout, file: fileName, line: number)
      return true
    }
    return (count, skippedHeaders)
  }

  /// One byte range's ratings, read by its own thread.
  private struct Segment {
    var part: RatingsAccumulator
    var lines = 0
    var headers = 0
    var error: DataError?
  }

  /// Reads `text` in `segments` byte ranges on as many threads and appends the parts in file
  /// order. Returns `false`, having changed nothing, when the header is not in the first range
  /// (a file that starts with megabytes of blank lines), for the caller to read it in one go.
  private mutating func parseInParallel(
    _ text: TextLineReader, layout: RatingsLayout, headerLines: Int, segments: Int, threads: Int
  ) throws -> Bool {
    let size = text.byteCount
    let bounds = (0...segments).map { k in k == segments ? Int.max : size * k / segments }
    let slots = UnsafeMutableBufferPointer<Segment?>.allocate(capacity: segments)
    slots.initialize(repeating: nil)
    defer {
      slots.deinitialize()
      slots.deallocate()
    }
    // Each segment is written to its own slot and read after all have finished.
    let shared = SharedPointer(base: slots.baseAddress!)
    let template = RatingsAccumulator(options: options, scale: scale)
    ParallelLoop.forEach(count: segments, threads: threads) { k in
      shared.base[k] = Self.readSegment(
        text, template: template, layout: layout, headerLines: k == 0 ? headerLines : 0,
        from: bounds[k], to: bounds[k + 1])
    }
    guard let first = slots[0], first.error != nil || first.headers == headerLines else {
      return false
    }
    return try join(slots, segments: segments)
  }

  /// One byte range read by a fresh accumulator like `template`.
  private static func readSegment(
    _ text: TextLineReader, template: RatingsAccumulator, layout: RatingsLayout,
    headerLines: Int, from lowerBound: Int, to upperBound: Int
  ) -> Segment {
    var segment = Segment(part: template)
    segment.part.heldIssues = []
    do {
      (segment.lines, segment.headers) = try segment.part.parseLines(
        text, layout: layout, headerLines: headerLines, from: lowerBound, to: upperBound)
    } catch let error as DataError {
      segment.error = error
    } catch {
      segment.error = FileAccess.error(error, path: text.url.path, action: "read")
    }
    return segment
  }

  /// Appends the read segments in file order: line numbers move down by the lines of the
  /// ranges before; the first error (in file order) is thrown.
  private mutating func join(_ slots: UnsafeMutableBufferPointer<Segment?>, segments: Int) throws
    -> Bool
  {
    // Join in file order: line numbers move down by the lines of the ranges before.
    var offset = 0
    var total = values.count
    for k in 0..<segments { total += slots[k]?.part.values.count ?? 0 }
    for k in 0..<segments {
      if k == 1 { reserve(estimatedLines: total - values.count) }  // once, after adopting part 0
      guard var segment = slots[k] else { continue }
      slots[k] = nil
      if let error = segment.error { throw error.movingLine(by: offset) }
      for error in segment.part.heldIssues ?? [] {
        report.skip(error.movingLine(by: offset), limit: options.maxReportedIssues)
      }
      report.skippedLines +=
        segment.part.report.skippedLines - (segment.part.heldIssues?.count ?? 0)
      report.linesRead += segment.part.report.linesRead
      append(&segment.part, lineOffset: offset)
      offset += segment.lines
    }
    return true
  }

  /// Appends `part`'s ratings (its ids mapped to this accumulator's, its lines moved down by
  /// `lineOffset`), emptying it.
  private mutating func append(_ part: inout RatingsAccumulator, lineOffset: Int) {
    let userMap = part.users.ids.map { users.intern($0) }
    let itemMap = part.items.ids.map { items.intern($0) }
    if values.isEmpty && userMap.elementsEqual(0..<Int32(userMap.count))
      && itemMap.elementsEqual(0..<Int32(itemMap.count)) && lineOffset == 0
    {
      // The first part: its arrays become these (no copy).
      swap(&userIndices, &part.userIndices)
      swap(&itemIndices, &part.itemIndices)
      swap(&values, &part.values)
      swap(&timestamps, &part.timestamps)
      swap(&lines, &part.lines)
      return
    }
    let n = part.values.count
    for p in 0..<n {
      userIndices.append(userMap[Int(part.userIndices[p])])
      itemIndices.append(itemMap[Int(part.itemIndices[p])])
      lines.append(part.lines[p] &+ Int32(truncatingIfNeeded: lineOffset))
    }
    values.append(contentsOf: part.values)
    timestamps.append(contentsOf: part.timestamps)
    part = RatingsAccumulator(options: options, scale: scale)
  }

  /// Reserves room for about `estimatedLines` more ratings (2 % more, for the estimate's error).
  private mutating func reserve(estimatedLines: Int) {
    let wanted = values.count + estimatedLines + estimatedLines / 50 + 16
    guard estimatedLines > 0 else { return }
    guard wanted > values.capacity else { return }
    userIndices.reserveCapacity(wanted)
    itemIndices.reserveCapacity(wanted)
    values.reserveCapacity(wanted)
    timestamps.reserveCapacity(wanted)
    lines.reserveCapacity(wanted)
  }

  /// Checks and stores one line's fields.
  @inline(__always)
  private mutating func parseFields(
    _ line: UnsafeBufferPointer<UInt8>, _ fields: [Range<Int>], layout: RatingsLayout,
    file: String, line number: Int
  ) throws {
    func error(_ kind: DataError.Kind, _ column: Int, _ message: String) -> DataError {
      let range = fields[column]
      let valid = ByteParsing.isValidUTF8(UnsafeBufferPointer(rebasing: line[range]))
      return DataError(
        valid ? kind : .unreadableEncoding, file: file, line: number,
        field: layout.names[column], value: ByteParsing.text(line, range),
        message: valid ? message : "invalid UTF-8")
    }
    guard fields.count >= layout.columnCount else {
      try issue(
        DataError.missingField(
          file: file, line: number, names: layout.names, found: fields.count,
          lineText: ByteParsing.text(line, 0..<line.count)))
      return
    }
    guard fields.count == layout.columnCount else {
      try issue(
        DataError(
          .extraColumn, file: file, line: number, field: "column \(layout.columnCount + 1)",
          value: ByteParsing.text(line, fields[layout.columnCount]),
          message: "expected \(layout.columnCount) fields, found \(fields.count)"))
      return
    }
    // Every field is checked before any id is interned: a rejected line leaves no id behind.
    guard let user = id(line, fields[layout.userColumn], layout: layout) else {
      try issue(error(.nonNumericValue, layout.userColumn, "not an integer id"))
      return
    }
    guard let item = id(line, fields[layout.itemColumn], layout: layout) else {
      try issue(error(.nonNumericValue, layout.itemColumn, "not an integer id"))
      return
    }
    guard let value = ByteParsing.parseFloat(line, fields[layout.ratingColumn]) else {
      try issue(error(.nonNumericValue, layout.ratingColumn, "not a number"))
      return
    }
    guard value.isFinite else {
      try issue(error(.nonFiniteValue, layout.ratingColumn, "not a finite number"))
      return
    }
    guard scale.contains(value) else {
      try issue(error(.outOfScale, layout.ratingColumn, "outside the rating scale \(scale)"))
      return
    }
    var timestamp = Self.missingTimestamp
    if let column = layout.timestampColumn {
      let range = ByteParsing.trimmed(line, fields[column])
      if !(range.isEmpty && layout.optionalTimestamps) {
        guard let t = ByteParsing.parseInt(line, range) else {
          try issue(error(.nonNumericValue, column, "not an integer timestamp"))
          return
        }
        timestamp = Int64(t)
      }
    }
    userIndices.append(users.intern(user))
    itemIndices.append(items.intern(item))
    values.append(value)
    timestamps.append(timestamp)
    lines.append(Int32(truncatingIfNeeded: number))
  }

  /// The id in `range`: an integer, or (when the layout allows) any other UTF-8 text.
  @inline(__always)
  private func id(
    _ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, layout: RatingsLayout
  ) -> EntityID? {
    if let value = ByteParsing.parseInt(line, range) {
      let r = ByteParsing.trimmed(line, range)
      // A leading zero or plus sign would be lost as an integer: keep such ids as strings.
      let canonical =
        layout.integerIDs || r.count == 1
        || (line[r.lowerBound] != UInt8(ascii: "0") && line[r.lowerBound] != UInt8(ascii: "+")
          && !(line[r.lowerBound] == UInt8(ascii: "-")
            && line[r.lowerBound + 1] == UInt8(ascii: "0")))
      if canonical { return .int(value) }
    }
    guard !layout.integerIDs else { return nil }
    let r = ByteParsing.trimmed(line, range)
    guard !r.isEmpty, let text = ByteParsing.utf8String(UnsafeBufferPointer(rebasing: line[r]))
    else { return nil }
    return .string(text)
  }

  /// The file and line of collected rating `p`.
  private func origin(of p: Int) -> (
    file: String, line: Int, itemField: String, timestampField: String?
  ) {
    var k = files.count - 1
    while k > 0 && files[k].start > p { k -= 1 }
    return (files[k].name, Int(lines[p]), files[k].itemField, files[k].timestampField)
  }

  /// Builds the dataset; with `keepSources`, `sources` maps each user-major position to its
  /// index in collection order (see ``fileIndex(ofCollected:)``), else it is empty.
  mutating func finish(keepSources: Bool = false) throws -> (
    dataset: RatingsDataset, sources: [Int]
  ) {
    // Timestamps: all or none. Lines without one, when others have one, are problems.
    var missing = 0
    for t in timestamps where t == Self.missingTimestamp { missing += 1 }
    if missing > 0 && missing < values.count {
      var keep = [Bool](repeating: true, count: values.count)
      for p in values.indices where timestamps[p] == Self.missingTimestamp {
        let o = origin(of: p)
        try issue(
          DataError(
            .nonNumericValue, file: o.file, line: o.line, field: o.timestampField, value: "",
            message: "timestamp missing while other lines have one"))
        keep[p] = false
      }
      compact(keeping: keep)
    }
    guard !values.isEmpty else {
      let names = files.map(\.name).joined(separator: ", ")
      let rejected = report.skippedLines
      throw DataError(
        .emptyFile, file: files.map(\.name).first,
        message: report.linesRead == 0
          ? "\(names) holds no data lines"
          : "no rating of \(names) was accepted: \(rejected) of \(report.linesRead) data "
            + "lines were rejected (the first problems: "
            + report.examples.prefix(3).joined(separator: " | ") + ")")
    }
    let hasTimestamps = timestamps.allSatisfy { $0 != Self.missingTimestamp }

    // Only ids with a kept rating enter the maps (ratings dropped above leave none behind).
    var usedUsers = [Bool](repeating: false, count: users.ids.count)
    var usedItems = [Bool](repeating: false, count: items.ids.count)
    for p in values.indices {
      usedUsers[Int(userIndices[p])] = true
      usedItems[Int(itemIndices[p])] = true
    }
    let (userMap, userRemap) = users.sortedMap(keeping: usedUsers)
    let (itemMap, itemRemap) = items.sortedMap(keeping: usedItems)
    for p in values.indices {
      userIndices[p] = userRemap[Int(userIndices[p])]
      itemIndices[p] = itemRemap[Int(itemIndices[p])]
    }
    let result = try RatingsDataset.build(
      scale: scale, users: userMap, items: itemMap, userIndices: userIndices,
      itemIndices: itemIndices, values: values, timestamps: hasTimestamps ? timestamps : nil,
      duplicates: options.duplicates, keepSources: keepSources
    ) { first, later in
      let o1 = origin(of: first)
      let o2 = origin(of: later)
      let user = userMap.id(at: Int(userIndices[later]))
      let item = itemMap.id(at: Int(itemIndices[later]))
      let place = o1.file == o2.file ? "line \(o1.line)" : "\(o1.file):\(o1.line)"
      try issue(
        DataError(
          .duplicateRating, file: o2.file, line: o2.line, field: o2.itemField,
          value: item.description,
          message: "user \(user) already rated item \(item) on \(place)"))
    }
    return result
  }

  /// Which parsed file (0-based, in ``parse(_:layout:headerLines:)`` order) collected rating `p`
  /// came from.
  func fileIndex(ofCollected p: Int) -> Int {
    var k = files.count - 1
    while k > 0 && files[k].start > p { k -= 1 }
    return k
  }

  /// Keeps only the collected ratings whose `keep` flag is set.
  private mutating func compact(keeping keep: [Bool]) {
    var w = 0
    var newStarts = files.map(\.start)
    for r in values.indices {
      for k in files.indices where files[k].start == r { newStarts[k] = w }
      guard keep[r] else { continue }
      userIndices[w] = userIndices[r]
      itemIndices[w] = itemIndices[r]
      values[w] = values[r]
      timestamps[w] = timestamps[r]
      lines[w] = lines[r]
      w += 1
    }
    for k in files.indices { files[k].start = min(newStarts[k], w) }
    userIndices.removeLast(values.count - w)
    itemIndices.removeLast(values.count - w)
    timestamps.removeLast(values.count - w)
    lines.removeLast(values.count - w)
    values.removeLast(values.count - w)
  }
}

extension RatingsLayout {
  /// The layout of a file whose header (`names`, read from `file`'s line `line`) names its
  /// columns; each role is the first column whose name (case-insensitively) is one of its
  /// candidates.
  ///
  /// - Throws: ``DataError`` `.missingColumn` when the user, item or rating column is absent.
  static func fromHeader(
    _ names: [String], file: String, line: Int, delimiter: UInt8, user: [String],
    item: [String], rating: [String], timestamp: [String], integerIDs: Bool,
    optionalTimestamps: Bool
  ) throws -> RatingsLayout {
    let lowered = names.map { $0.lowercased() }
    func column(_ candidates: [String]) -> Int? {
      let wanted = Set(candidates.map { $0.lowercased() })
      return lowered.firstIndex { wanted.contains($0) }
    }
    func require(_ candidates: [String]) throws -> Int {
      guard let index = column(candidates) else {
        throw DataError(
          .missingColumn, file: file, line: line, field: candidates.first,
          value: names.joined(separator: String(UnicodeScalar(delimiter))),
          message: "the header has no \(candidates.first ?? "?") column (accepted names: "
            + candidates.joined(separator: ", ") + ")")
      }
      return index
    }
    return RatingsLayout(
      separator: .byte(delimiter), columnCount: names.count, userColumn: try require(user),
      itemColumn: try require(item), ratingColumn: try require(rating),
      timestampColumn: column(timestamp), names: names, integerIDs: integerIDs,
      allowsQuotes: true, optionalTimestamps: optionalTimestamps)
  }
}
