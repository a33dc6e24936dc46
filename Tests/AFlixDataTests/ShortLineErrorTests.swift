import Foundation
import Testing

@testable import AFlixData

/// A line with too few fields names the first missing field and shows the line apart.
struct ShortLineErrorTests {
  @Test func uDataShortLineNamesTheRatingField() throws {
    let url = try Fixtures.temporaryFile(
      named: "u.data", contents: "1\t10\t4\t100\n2\t20\t3\t200\n1\t2\n")
    let error = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadRatings(file: url)
    }
    #expect(error.kind == .missingColumn)
    #expect(error.field == "rating")
    #expect(error.value == nil)
    #expect(error.lineText == "1\\t2")
    #expect(
      error.description
        == "u.data:3: field 'rating' missing (expected 4 fields, found 2); line: '1\\t2'")
  }

  @Test func csvShortLineNamesTheFirstMissingColumn() throws {
    let url = try Fixtures.temporaryFile(
      named: "ratings.csv", contents: "userId,movieId,rating,timestamp\n1,10,4,100\n7\n")
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: url)
    }
    #expect(error.field == "movieId")
    #expect(error.line == 3)
    #expect(error.description.hasSuffix("; line: '7'"))
  }

  @Test func catalogShortLinesDoTheSame() throws {
    let dat = try Fixtures.temporaryFile(named: "movies.dat", contents: "1::Heat (1995)\n")
    let e1 = try #require(throws: DataError.self) { try MovieLensDatLoader.loadCatalog(file: dat) }
    #expect(e1.field == "Genres")
    #expect(e1.lineText == "1::Heat (1995)")
    let item = try Fixtures.temporaryFile(named: "u.item", contents: "1|Toy Story (1995)\n")
    let e2 = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadCatalog(file: item)
    }
    #expect(e2.field == "release date")
    #expect(e2.lineText == "1|Toy Story (1995)")
    let csv = try Fixtures.temporaryFile(
      named: "movies.csv", contents: "movieId,title,genres\n1,\"Heat, the\"\n")
    let e3 = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadCatalog(movies: csv)
    }
    #expect(e3.field == "genres")
    #expect(e3.lineText == "1,\"Heat, the\"")
  }

  @Test func controlCharactersInTheLineAreEscaped() {
    let error = DataError.missingField(
      file: "f", line: 1, names: ["a", "b"], found: 1, lineText: "x\u{1B}[2J\0")
    #expect(
      error.description
        == "f:1: field 'b' missing (expected 2 fields, found 1); line: 'x\\u{1B}[2J\\0'")
  }
}
