import AFlixData
import AFlixLinalg
import Foundation
import Testing

@Suite("Strict parsing edge cases")
struct StrictnessEdgeCaseTests {
  static func load(_ csv: String, _ options: LoadOptions = LoadOptions()) throws -> RatingsDataset {
    let file = try Fixtures.temporaryFile(named: "ratings.csv", contents: csv)
    return try #require(
      DatasetLoader.load(path: file.path, format: .delimited, options: options).ratings)
  }

  @Test(arguments: ["0x1p2", "4e", "1..5", "4,0", "four", "+", "e5", "0x4"])
  func oddNumberFormsAreNotRatings(text: String) throws {
    let error = try #require(throws: DataError.self) {
      _ = try Self.load("userId,movieId,rating\n1,1,\"\(text)\"\n")
    }
    #expect(error.kind == .nonNumericValue || error.kind == .extraColumn, "\(error)")
    #expect(error.line == 2)
  }

  @Test func decimalAndExponentFormsAreNumbers() throws {
    let data = try Self.load("userId,movieId,rating\n1,1,4e0\n1,2,.5\n1,3,3.50\n")
    #expect(data.histogram().map(\.value) == [0.5, 3.5, 4])
  }

  @Test(arguments: ["nan", "NaN", "inf", "-Infinity"])
  func nonFiniteSpellingsAreReportedAsNonFinite(text: String) throws {
    let error = try #require(throws: DataError.self) {
      _ = try Self.load("userId,movieId,rating\n1,1,\(text)\n")
    }
    #expect(error.kind == .nonFiniteValue, "\(error)")
  }

  @Test func combinedDuplicatesMustStayOnTheScale() throws {
    let csv = "userId,movieId,rating\n1,1,4\n1,1,5\n2,1,3\n"
    var sum = LoadOptions(duplicates: .sum)
    sum.scale = RatingScale(minimum: 1, maximum: 5, step: 1)
    #expect(throws: DataError.self) { _ = try Self.load(csv, sum) }
    var mean = LoadOptions(duplicates: .mean)
    mean.scale = RatingScale(minimum: 1, maximum: 5, step: 1)
    let offGrid = try #require(throws: DataError.self) { _ = try Self.load(csv, mean) }
    #expect(offGrid.kind == .outOfScale && offGrid.value == "4.5")
    mean.scale = RatingScale(minimum: 1, maximum: 5, step: 0.5)
    let data = try Self.load(csv, mean)
    #expect(data.value(userID: 1, itemID: 1) == 4.5)
    #expect(data.scale.contains(4.5))
  }

  @Test func itemMajorViewMatchesTheUserMajorOne() throws {
    let data = try Self.load("userId,movieId,rating\n1,1,4\n1,2,5\n2,1,3\n3,2,1\n")
    let csc = data.itemUserMatrix
    #expect(csc.rows == data.userCount && csc.columns == data.itemCount)
    #expect(csc.rowMajor() == data.userItemMatrix)
  }
}

@Suite("TMDB JSON errors")
struct TMDBErrorTests {
  @Test func invalidUTF8IsAnEncodingErrorWithItsLine() throws {
    var bytes = Array("[\n{\"id\": 1, \"title\": \"Fine\"},\n{\"id\": 2, \"title\": \"".utf8)
    bytes += [0xE9, 0x74, 0xE9]  // latin-1 "été"
    bytes += Array("\"}\n]\n".utf8)
    let file = try Fixtures.temporaryFile(named: "movies.json", contents: "")
    try Data(bytes).write(to: file)
    let error = try #require(throws: DataError.self) {
      _ = try TMDBJSONLoader.loadCatalog(file: file)
    }
    #expect(error.kind == .unreadableEncoding)
    #expect(error.line == 3)
  }

  @Test func movieErrorsNameTheLineTheMovieStartsOn() throws {
    let json =
      "[\n  {\"id\": 1, \"title\": \"Fine\"},\n  {\"title\": \"No \\\"id\\\" {here}\"}\n]\n"
    let file = try Fixtures.temporaryFile(named: "movies.json", contents: json)
    let error = try #require(throws: DataError.self) {
      _ = try TMDBJSONLoader.loadCatalog(file: file)
    }
    #expect(error.kind == .missingColumn && error.field == "id")
    #expect(error.line == 3)
  }
}
