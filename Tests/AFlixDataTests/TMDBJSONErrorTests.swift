import Foundation
import Testing

@testable import AFlixData

/// JSON syntax errors name their line and column; oversized files are refused before reading.
struct TMDBJSONErrorTests {
  @Test func aSyntaxErrorNamesItsLineAndColumn() throws {
    let text = "[\n  {\"id\": 1, \"title\": \"A\"},\n  {\"id\": 2,, \"title\": \"B\"}\n]\n"
    let url = try Fixtures.temporaryFile(named: "movies.json", contents: text)
    let error = try #require(throws: DataError.self) { try TMDBJSONLoader.loadCatalog(file: url) }
    #expect(error.kind == .invalidJSON)
    #expect(error.line == 3)
    #expect(error.field == "column 12")
    #expect(error.description.contains("movies.json:3"))
  }

  @Test func aTruncatedDocumentIsReportedAtItsEnd() throws {
    let text = "[\n  {\"id\": 1, \"title\": \"A\"},\n  {\"id\": 2\n"
    let url = try Fixtures.temporaryFile(named: "movies.json", contents: text)
    let error = try #require(throws: DataError.self) { try TMDBJSONLoader.loadCatalog(file: url) }
    #expect(error.kind == .invalidJSON)
    #expect(error.line == 3)
  }

  @Test func lineAndColumnOfAByteOffset() {
    let bytes = Array("ab\ncd\n\nef".utf8)
    #expect(TMDBJSONLoader.lineAndColumn(ofByte: 0, in: bytes) == (1, 1))
    #expect(TMDBJSONLoader.lineAndColumn(ofByte: 4, in: bytes) == (2, 2))
    #expect(TMDBJSONLoader.lineAndColumn(ofByte: 7, in: bytes) == (4, 1))
  }

  @Test func aFileAboveTheMaximumSizeIsRefused() throws {
    let text = "[" + String(repeating: " ", count: 2000) + "]"
    let url = try Fixtures.temporaryFile(named: "movies.json", contents: text)
    let error = try #require(throws: DataError.self) {
      try TMDBJSONLoader.loadCatalog(file: url, options: LoadOptions(maximumJSONSize: 1000))
    }
    #expect(error.kind == .fileTooLarge)
    #expect(error.description.contains("1000"))
  }

  @Test func everyMovieRejectedIsAnEmptyFileSayingHowMany() throws {
    let text = "[{\"title\": \"no id\"}, {\"id\": \"x\", \"title\": \"bad id\"}]"
    let url = try Fixtures.temporaryFile(named: "movies.json", contents: text)
    let error = try #require(throws: DataError.self) {
      try TMDBJSONLoader.loadCatalog(file: url, options: LoadOptions(strictness: .lenient))
    }
    #expect(error.kind == .emptyFile)
    #expect(error.description.contains("2 of 2"))
  }
}
