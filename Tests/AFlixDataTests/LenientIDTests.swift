import Foundation
import Testing

@testable import AFlixData

/// In lenient mode an id enters the maps only with an accepted rating, and a load that accepts
/// nothing is an error.
struct LenientIDTests {
  static let lenient = LoadOptions(strictness: .lenient)

  /// Two good ratings (users 1 and 2, items 10 and 20) and one rejected line (user 999, item
  /// 888, rating 9: off every format's scale), for each ratings format.
  static let cases: [(name: String, text: String, load: @Sendable (URL) throws -> RatingsDataset)] =
    [
      (
        "ratings.csv", "userId,movieId,rating,timestamp\n1,10,4,100\n999,888,9,100\n2,20,3,200\n",
        { try MovieLensCSVLoader.loadRatings(file: $0, options: lenient) }
      ),
      (
        "u.data", "1\t10\t4\t100\n999\t888\t9\t100\n2\t20\t3\t200\n",
        { try MovieLens100KLoader.loadRatings(file: $0, options: lenient) }
      ),
      (
        "ratings.dat", "1::10::4::100\n999::888::9::100\n2::20::3::200\n",
        { try MovieLensDatLoader.loadRatings(file: $0, options: lenient) }
      ),
      (
        "scores.csv", "user,item,score\nann,10,4\nzed,888,9\nbob,20,3\n",
        { try DelimitedRatingsLoader.loadRatings(file: $0, options: lenient) }
      ),
    ]

  @Test(arguments: 0..<4)
  func rejectedLinesLeaveNoIDs(index: Int) throws {
    let c = Self.cases[index]
    let data = try c.load(Fixtures.temporaryFile(named: c.name, contents: c.text))
    #expect(data.userCount == 2)
    #expect(data.itemCount == 2)
    #expect(data.ratingCount == 2)
    #expect(data.density == 0.5)
    #expect(data.items.index(of: 888) == nil)
  }

  @Test(arguments: 0..<4)
  func everyLineRejectedIsAnEmptyFileInLenientModeToo(index: Int) throws {
    let c = Self.cases[index]
    // Keep the header (if any) and the rejected line only.
    let lines = c.text.split(separator: "\n")
    let kept = lines.filter { $0.contains("888") || $0.contains("rating") || $0.contains("score") }
    let url = try Fixtures.temporaryFile(
      named: c.name, contents: kept.joined(separator: "\n") + "\n")
    let error = try #require(throws: DataError.self) { try c.load(url) }
    #expect(error.kind == .emptyFile)
    #expect(error.file == c.name)
    #expect(error.description.contains("1 of 1 data lines were rejected"))
  }

  @Test func ratingsDroppedForAMissingTimestampTakeTheirIDsAlong() throws {
    let text = "user,item,rating,timestamp\n1,10,4,100\n2,30,3,\n1,20,5,200\n"
    let url = try Fixtures.temporaryFile(named: "ratings.csv", contents: text)
    var report = LoadReport()
    let data = try DelimitedRatingsLoader.loadRatings(
      file: url, options: Self.lenient, report: &report)
    #expect(report.skippedLines == 1)
    #expect(data.users.ids == [1])
    #expect(data.items.ids == [10, 20])
    #expect(data.hasTimestamps)
  }

  @Test func droppedDuplicatesKeepTheFirstRatingsIDs() throws {
    let text = "userId,movieId,rating,timestamp\n1,10,4,100\n1,10,5,200\n2,20,3,300\n"
    let url = try Fixtures.temporaryFile(named: "ratings.csv", contents: text)
    let data = try MovieLensCSVLoader.loadRatings(file: url, options: Self.lenient)
    #expect(data.userCount == 2)
    #expect(data.itemCount == 2)
    #expect(data.value(userID: 1, itemID: 10) == 4)
  }

  @Test func aHeaderOnlyFileIsEmptyWithoutRejections() throws {
    let url = try Fixtures.temporaryFile(
      named: "ratings.csv", contents: "userId,movieId,rating,timestamp\n")
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: url, options: Self.lenient)
    }
    #expect(error.kind == .emptyFile)
  }

  @Test func internerKeepsOnlyFlaggedIDs() {
    var interner = IDInterner()
    for id in [5, 3, 9, 1] { _ = interner.intern(id) }
    let (map, remap) = interner.sortedMap(keeping: [true, false, true, true])
    #expect(map.ids == [1, 5, 9])
    #expect(remap == [1, -1, 2, 0])
  }

  @Test func denseAndDictionaryPathsGiveTheSameIndices() {
    // Large ids first (dictionary), then small ones that grow the dense array past them.
    let ids = [1 << 40, 5_000_000, 7, 3, 5_000_000, -4, 7, 1 << 40, 4_000_000, 3]
    var interner = IDInterner()
    let indices = ids.map { interner.intern($0) }
    var reference: [Int: Int32] = [:]
    let expected = ids.map { id in
      if let index = reference[id] { return index }
      reference[id] = Int32(reference.count)
      return Int32(reference.count - 1)
    }
    #expect(indices == expected)
    #expect(interner.ids.count == Set(ids).count)
  }
}
