import AFlixLinalg
import Foundation
import Testing

@testable import AFlixData

/// A file read in byte ranges by several threads gives exactly what one thread gives: ratings,
/// ids, reported problems with their line numbers, and the first error.
struct ParallelParsingTests {
  /// A ratings CSV with blank lines, CRLF endings, quoted fields, duplicates and (optionally)
  /// bad lines, seeded.
  static func text(seed: UInt64, bad: Bool) -> String {
    var rng = SplitMix(seed: seed)
    var out = "userId,movieId,rating,timestamp\r\n"
    for k in 0..<600 {
      let user = Int.random(in: 1...40, using: &rng)
      let item = Int.random(in: 1...60, using: &rng)
      let rating = Double(Int.random(in: 1...10, using: &rng)) / 2
      switch Int.random(in: 0..<20, using: &rng) {
      case 0: out += "\n"
      case 1: out += "\"\(user)\",\(item),\(rating),\(k)\r\n"
      case 2 where bad: out += "\(user),x\(item),\(rating),\(k)\n"
      case 3 where bad: out += "\(user),\(item)\n"
      case 4 where bad: out += "\(user),\(item),9,\(k)\n"
      default: out += "\(user),\(item),\(rating),\(k)\n"
      }
    }
    return out
  }

  /// Loads `url` with `segments` byte ranges.
  static func load(_ url: URL, segments: Int, options: LoadOptions) throws -> (
    RatingsDataset, LoadReport
  ) {
    let reader = try TextLineReader(contentsOf: url)
    let (_, names) = try reader.headerNames(delimiter: UInt8(ascii: ","))
    let layout = try RatingsLayout.fromHeader(
      names, file: reader.fileName, line: 1, delimiter: UInt8(ascii: ","), user: ["userId"],
      item: ["movieId"], rating: ["rating"], timestamp: ["timestamp"], integerIDs: true,
      optionalTimestamps: true)
    var accumulator = RatingsAccumulator(options: options, scale: .halfStars)
    try accumulator.parse(reader, layout: layout, headerLines: 1, segments: segments)
    let dataset = try accumulator.finish().dataset
    return (dataset, accumulator.report)
  }

  @Test(arguments: [2, 3, 5, 8, 16])
  func lenientReadsAgreeWithOneThread(segments: Int) throws {
    for seed in 1...4 as ClosedRange<UInt64> {
      let url = try Fixtures.temporaryFile(
        named: "ratings.csv", contents: Self.text(seed: seed, bad: true))
      var options = LoadOptions(strictness: .lenient, duplicates: .keepLast)
      options.maxReportedIssues = 1000
      let (one, oneReport) = try Self.load(url, segments: 1, options: options)
      let (many, manyReport) = try Self.load(url, segments: segments, options: options)
      #expect(one.allRatings() == many.allRatings())
      #expect(one.users == many.users && one.items == many.items)
      #expect(oneReport == manyReport)
      #expect(oneReport.skippedLines > 0)
    }
  }

  @Test(arguments: [2, 3, 7])
  func strictReadsThrowTheSameFirstError(segments: Int) throws {
    for seed in 5...8 as ClosedRange<UInt64> {
      let url = try Fixtures.temporaryFile(
        named: "ratings.csv", contents: Self.text(seed: seed, bad: true))
      let options = LoadOptions(duplicates: .keepLast)
      let one = try #require(throws: DataError.self) {
        try Self.load(url, segments: 1, options: options)
      }
      let many = try #require(throws: DataError.self) {
        try Self.load(url, segments: segments, options: options)
      }
      #expect(one == many)
    }
  }

  @Test func duplicateErrorsNameTheSameLines() throws {
    let url = try Fixtures.temporaryFile(
      named: "ratings.csv", contents: Self.text(seed: 9, bad: false))
    let one = try #require(throws: DataError.self) {
      try Self.load(url, segments: 1, options: LoadOptions())
    }
    let many = try #require(throws: DataError.self) {
      try Self.load(url, segments: 4, options: LoadOptions())
    }
    #expect(one.kind == .duplicateRating)
    #expect(one == many)
  }

  @Test func aNULLineIsFoundInAnyRange() throws {
    var text = Self.text(seed: 10, bad: false)
    let index = text.index(text.startIndex, offsetBy: text.count * 3 / 4)
    text.insert("\0", at: index)
    let url = try Fixtures.temporaryFile(named: "ratings.csv", contents: text)
    let options = LoadOptions(strictness: .lenient, duplicates: .keepLast)
    let one = try #require(throws: DataError.self) {
      try Self.load(url, segments: 1, options: options)
    }
    let many = try #require(throws: DataError.self) {
      try Self.load(url, segments: 5, options: options)
    }
    #expect(one.kind == .malformedLine)
    #expect(one == many)
  }

  @Test(arguments: [1, 2, 3, 4, 9])
  func byteRangesSplitTheLinesExactly(parts: Int) throws {
    let text = "a\n\nbb\r\nccc\n\ndddd\ne"
    let url = try Fixtures.temporaryFile(named: "lines.txt", contents: text)
    let reader = try TextLineReader(contentsOf: url, maximumLineLength: 100, chunkSize: 2)
    var seen: [String] = []
    var total = 0
    for k in 0..<parts {
      let lower = text.utf8.count * k / parts
      let upper = k == parts - 1 ? Int.max : text.utf8.count * (k + 1) / parts
      total += try reader.scanLines(from: lower, to: upper) { _, line in
        seen.append(String(decoding: line, as: UTF8.self))
        return true
      }
    }
    #expect(seen == ["a", "bb", "ccc", "dddd", "e"])
    #expect(total == 7)
  }
}
