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
    #expect(error.message.contains("line 3, column 12"))
    #expect(!error.description.contains("movies.json: movies.json"))
    #expect(error.description.contains("movies.json:3"))
  }

  @Test func aTruncatedDocumentIsReportedAtItsEnd() throws {
    let text = "[\n  {\"id\": 1, \"title\": \"A\"},\n  {\"id\": 2\n"
    let url = try Fixtures.temporaryFile(named: "movies.json", contents: text)
    let error = try #require(throws: DataError.self) { try TMDBJSONLoader.loadCatalog(file: url) }
    #expect(error.kind == .invalidJSON)
    #expect(error.line == 3)
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

/// The streamed syntax check refuses what is not a JSON array of movies before reading the file
/// whole, at the right line and column, and accepts what JSONSerialization accepts.
@Suite("Streamed JSON syntax")
struct JSONStreamValidatorTests {
  static func check(_ text: String, objects: Bool = true) -> DataError? {
    var validator = JSONStreamValidator(fileName: "t.json", requireObjectElements: objects)
    do {
      try Array(text.utf8).withUnsafeBufferPointer { try validator.feed($0) }
      try validator.finish()
      return nil
    } catch let error as DataError {
      return error
    } catch {
      return DataError(.invalidJSON, message: "\(error)")
    }
  }

  @Test(arguments: [
    "[]", "{}", "[{}]", "{\"results\": [{\"id\": 1}]}", "[{\"a\": [1, -2.5e+3, 0, true, null]}]",
    "\u{FEFF}[{\"t\": \"\\u00e9\\n\\\"x\\\"\"}]", " [ { } , { } ] \n",
  ])
  func validDocumentsPass(text: String) throws {
    #expect(Self.check(text) == nil, "\(text)")
    #expect(throws: Never.self) { _ = try JSONSerialization.jsonObject(with: Data(text.utf8)) }
  }

  @Test(arguments: [
    ("[{}, {}", 1), ("[{},,{}]", 1), ("[{\"a\" 1}]", 1), ("[{\"a\": 01}]", 1),
    ("[{\"a\": tru}]", 1), ("[{}]x", 1), ("[\n{\"a\": \"\u{1}\"}]", 2), ("\0\0\0", 1),
    ("[{\"a\": \"\\x\"}]", 1), ("[1, 2]", 1), ("[{}]\n[{}]", 2), ("{\"a\": 1,}", 1),
  ])
  func invalidDocumentsAreRefusedAtTheirLine(text: String, line: Int) {
    let error = Self.check(text)
    #expect(error?.kind == .invalidJSON, "\(text)")
    #expect(error?.line == line, "\(text): \(String(describing: error))")
  }

  @Test func depthIsBounded() {
    let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
    #expect(Self.check(deep, objects: false)?.message.contains("nested deeper") == true)
  }

  @Test func aFileOfZerosIsRefusedWithoutReadingItWhole() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-zeros-\(UUID().uuidString).json")
    try Data(count: 8 << 20).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let error = try #require(throws: DataError.self) { try TMDBJSONLoader.loadCatalog(file: url) }
    #expect(error.kind == .invalidJSON)
    #expect(error.message.contains("NUL"))
  }
}
