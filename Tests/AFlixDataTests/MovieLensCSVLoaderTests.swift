import AFlixData
import AFlixLinalg
import Foundation
import Testing

@Suite struct MovieLensCSVLoaderTests {
  @Test func readsTheFolderWithMessyValidFiles() throws {
    let loaded = try DatasetLoader.load(path: try Fixtures.url("mlcsv").path)
    #expect(loaded.format == .movieLensCSV)
    let ratings = try #require(loaded.ratings)
    #expect(ratings.ratingCount == 7)
    #expect(ratings.userCount == 3)
    #expect(ratings.itemCount == 4)
    #expect(ratings.value(userID: 1, itemID: 3) == 3.5)
    #expect(ratings.value(userID: 3, itemID: 3) == 0.5)
    #expect(ratings.scale == .halfStars)
    #expect(ratings.hasTimestamps)
    #expect(loaded.report.skippedLines == 0)
    #expect(loaded.report.linesRead == 7 + 7 + 5)

    let catalog = try #require(loaded.catalog)
    #expect(catalog.count == 7)
    let president = try #require(catalog.movie(withID: 11))
    #expect(president.title == "American President, The (1995)")
    #expect(president.year == 1995)
    #expect(president.genres.map(\.name) == ["Comedy", "Drama", "Romance"])
    #expect(catalog.movie(withID: 20)?.title == #"Dog Day "Afternoon" Redux (1975)"#)
    let noGenres = try #require(catalog.movie(withID: 21))
    #expect(noGenres.genres.isEmpty)
    #expect(noGenres.year == nil)
    #expect(noGenres.externalIDs.tmdb == nil)
    #expect(noGenres.externalIDs.imdb == "tt4733536")
    #expect(
      catalog.movie(withID: 1)?.externalIDs
        == ExternalIDs(movieLens: 1, imdb: "tt0114709", tmdb: 862))
    #expect(catalog.movie(withID: 1)?.genres.contains(Genre(id: 10751, name: "Family")) == true)
    #expect(catalog.movie(withID: 22)?.year == 2007)
    // Film 20 is listed but never rated: in the catalog, not in the ratings.
    #expect(ratings.items.index(of: 20) == nil)
  }

  struct BadCase: Sendable, CustomStringConvertible {
    var file: String
    var kind: DataError.Kind
    var line: Int?
    var field: String?
    var value: String?
    var description: String { file }
  }

  static let badRatings: [BadCase] = [
    BadCase(
      file: "ratings_nonnumeric.csv", kind: .nonNumericValue, line: 3, field: "rating", value: "abc"
    ),
    BadCase(file: "ratings_nan.csv", kind: .nonFiniteValue, line: 4, field: "rating", value: "nan"),
    BadCase(file: "ratings_inf.csv", kind: .nonFiniteValue, line: 2, field: "rating", value: "inf"),
    BadCase(
      file: "ratings_outofscale.csv", kind: .outOfScale, line: 3, field: "rating", value: "5.5"),
    BadCase(
      file: "ratings_offgrid.csv", kind: .outOfScale, line: 2, field: "rating", value: "3.25"),
    BadCase(file: "ratings_missingcol.csv", kind: .missingColumn, line: 3, field: "timestamp"),
    BadCase(file: "ratings_extracol.csv", kind: .extraColumn, line: 2, value: "99"),
    BadCase(file: "ratings_headeronly.csv", kind: .emptyFile),
    BadCase(file: "ratings_empty.csv", kind: .emptyFile),
    BadCase(
      file: "ratings_duplicate.csv", kind: .duplicateRating, line: 4, field: "movieId", value: "1"),
    BadCase(file: "ratings_norating.csv", kind: .missingColumn, line: 1, field: "rating"),
    BadCase(
      file: "ratings_badid.csv", kind: .nonNumericValue, line: 2, field: "userId", value: "x1"),
  ]

  @Test(arguments: badRatings)
  func strictLoadingNamesTheProblem(_ bad: BadCase) throws {
    let url = try Fixtures.url("bad/\(bad.file)")
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: url)
    }
    #expect(error.kind == bad.kind)
    #expect(error.file == bad.file)
    if let line = bad.line { #expect(error.line == line) }
    if let field = bad.field { #expect(error.field == field) }
    if let value = bad.value { #expect(error.value == value) }
  }

  @Test func duplicateErrorNamesBothLines() throws {
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: try Fixtures.url("bad/ratings_duplicate.csv"))
    }
    #expect(error.line == 4)
    #expect(error.message.contains("line 2"))
  }

  @Test func lenientLoadingSkipsAndCountsBadLines() throws {
    var options = LoadOptions(strictness: .lenient)
    var report = LoadReport()
    let data = try MovieLensCSVLoader.loadRatings(
      file: try Fixtures.url("bad/ratings_outofscale.csv"), options: options, report: &report)
    #expect(data.ratingCount == 2)
    #expect(report.skippedLines == 1)
    #expect(report.linesRead == 3)
    #expect(report.examples.count == 1)
    #expect(report.examples.first?.contains("ratings_outofscale.csv:3") == true)

    options.maxReportedIssues = 0
    var quiet = LoadReport()
    _ = try MovieLensCSVLoader.loadRatings(
      file: try Fixtures.url("bad/ratings_missingcol.csv"), options: options, report: &quiet)
    #expect(quiet.skippedLines == 1)
    #expect(quiet.examples.isEmpty)
  }

  @Test func lenientDuplicatesKeepTheFirstAndReportTheRest() throws {
    var report = LoadReport()
    let data = try MovieLensCSVLoader.loadRatings(
      file: try Fixtures.url("bad/ratings_duplicate.csv"),
      options: LoadOptions(strictness: .lenient), report: &report)
    #expect(data.ratingCount == 3)
    #expect(data.value(userID: 1, itemID: 1) == 4)
    #expect(report.skippedLines == 1)
  }

  @Test func duplicatePoliciesApplyToFiles() throws {
    let url = try Fixtures.url("bad/ratings_duplicate.csv")
    let last = try MovieLensCSVLoader.loadRatings(
      file: url, options: LoadOptions(duplicates: .keepLast))
    #expect(last.value(userID: 1, itemID: 1) == 2)
    #expect(last.timestamps(ofUser: 0)?.first == 30)
    let mean = try MovieLensCSVLoader.loadRatings(
      file: url, options: LoadOptions(duplicates: .mean))
    #expect(mean.value(userID: 1, itemID: 1) == 3)
  }

  @Test func scaleOptionOverridesTheDefault() throws {
    let url = try Fixtures.url("bad/ratings_outofscale.csv")
    let data = try MovieLensCSVLoader.loadRatings(
      file: url, options: LoadOptions(scale: RatingScale(minimum: 0, maximum: 10, step: 0.5)))
    #expect(data.value(userID: 1, itemID: 2) == 5.5)
    let strict = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(
        file: try Fixtures.url("mlcsv/ratings.csv"), options: LoadOptions(scale: .oneToFive))
    }
    #expect(strict.kind == .outOfScale)
  }

  @Test func badCatalogFiles() throws {
    let utf8 = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadCatalog(movies: try Fixtures.url("bad/movies_badutf8.csv"))
    }
    #expect(utf8.kind == .unreadableEncoding)
    #expect(utf8.line == 3)
    let quote = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadCatalog(movies: try Fixtures.url("bad/movies_unterminated.csv"))
    }
    #expect(quote.kind == .malformedLine)
    #expect(quote.line == 2)
    let duplicate = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadCatalog(movies: try Fixtures.url("bad/movies_duplicate.csv"))
    }
    #expect(duplicate.kind == .duplicateRating)
    #expect(duplicate.line == 3)

    var report = LoadReport()
    let catalog = try MovieLensCSVLoader.loadCatalog(
      movies: try Fixtures.url("bad/movies_badutf8.csv"), links: nil,
      options: LoadOptions(strictness: .lenient), report: &report)
    #expect(catalog.count == 1)
    #expect(report.skippedLines == 1)
  }

  @Test func missingFileIsReported() throws {
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: try Fixtures.url("mlcsv/nope.csv"))
    }
    #expect(error.kind == .fileNotFound)
    #expect(error.file == "nope.csv")
  }

  @Test func numbersInOtherSpellingsParseExactly() throws {
    let url = try Fixtures.temporaryFile(
      named: "ratings.csv",
      contents: "userId,movieId,rating,timestamp\n1,1,4,1\n1,2, 3.5 ,2\n1,3,+2.,3\n1,4,4.5e0,4\n"
        + "1,5,0.50000,5\n1,6,1.0000000000000000001,6\n")
    let data = try MovieLensCSVLoader.loadRatings(file: url)
    #expect(data.allRatings().map(\.value) == [4, 3.5, 2, 4.5, 0.5, 1])
  }

  @Test func invalidUTF8InARatingIsAnEncodingError() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-data-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent("ratings.csv")
    try Data(Array("userId,movieId,rating,timestamp\n1,1,".utf8) + [0xE9] + Array(",1\n".utf8))
      .write(to: url)
    let error = try #require(throws: DataError.self) {
      try MovieLensCSVLoader.loadRatings(file: url)
    }
    #expect(error.kind == .unreadableEncoding)
    #expect(error.line == 2)
    #expect(error.field == "rating")
  }
}
