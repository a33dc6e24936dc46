import AFlixData
import Foundation
import Testing

@Suite struct DelimitedRatingsLoaderTests {
  @Test func tabFileWithStringIDsAndRenamedColumns() throws {
    let loaded = try DatasetLoader.load(path: try Fixtures.url("delimited/ratings.tsv").path)
    #expect(loaded.format == .delimited)
    let data = try #require(loaded.ratings)
    #expect(data.ratingCount == 4)
    #expect(data.scale == .continuousHalfToFive)
    #expect(data.value(userID: "alice", itemID: "m1") == 4.25)
    #expect(data.value(userID: "alice", itemID: 42) == 0.5)
    #expect(data.value(userID: "007", itemID: "m2") == 5)  // leading zero: kept as a string
    #expect(data.users.index(of: 7) == nil)
    #expect(data.hasTimestamps)
  }

  @Test func semicolonsAndCaseInsensitiveNames() throws {
    let data = try DelimitedRatingsLoader.loadRatings(
      file: try Fixtures.url("delimited/ratings_semicolon.csv"))
    #expect(data.value(userID: 1, itemID: 10) == 2.75)
    #expect(!data.hasTimestamps)
  }

  @Test func columnsInAnyOrderAndQuotedExtras() throws {
    let data = try DelimitedRatingsLoader.loadRatings(
      file: try Fixtures.url("delimited/ratings_reordered.csv"))
    #expect(data.ratingCount == 2)
    #expect(data.value(userID: 1, itemID: 10) == 4.5)
    #expect(data.timestamps(ofUser: 0).map(Array.init) == [5, 6])
  }

  @Test func emptyTimestampColumnMeansNoTimestamps() throws {
    let data = try DelimitedRatingsLoader.loadRatings(
      file: try Fixtures.url("delimited/ratings_empty_timestamps.csv"))
    #expect(data.ratingCount == 2)
    #expect(!data.hasTimestamps)
  }

  @Test func someEmptyTimestampsAreAProblem() throws {
    let url = try Fixtures.url("delimited/ratings_mixed_timestamps.csv")
    let error = try #require(throws: DataError.self) {
      try DelimitedRatingsLoader.loadRatings(file: url)
    }
    #expect(error.line == 3)
    #expect(error.field == "timestamp")
    var report = LoadReport()
    let data = try DelimitedRatingsLoader.loadRatings(
      file: url, options: LoadOptions(strictness: .lenient), report: &report)
    #expect(data.ratingCount == 2)
    #expect(data.hasTimestamps)
    #expect(report.skippedLines == 1)
  }

  @Test func explicitDelimiterAndColumnNames() throws {
    let url = try Fixtures.temporaryFile(
      named: "custom.txt", contents: "customer|product|stars\nc1|p1|3\nc2|p1|4\n")
    var options = LoadOptions(scale: .oneToFive)
    options.delimited = DelimitedOptions(
      delimiter: "|", user: ["customer"], item: ["product"], rating: ["stars"])
    let data = try DelimitedRatingsLoader.loadRatings(file: url, options: options)
    #expect(data.value(userID: "c2", itemID: "p1") == 4)
    let missing = try #require(throws: DataError.self) {
      try DelimitedRatingsLoader.loadRatings(file: url)
    }
    #expect(missing.kind == .missingColumn)
    let badDelimiter = try #require(throws: DataError.self) {
      var o = LoadOptions()
      o.delimited.delimiter = "é"
      return try DelimitedRatingsLoader.loadRatings(file: url, options: o)
    }
    #expect(badDelimiter.kind == .invalidArgument)
  }

  @Test func headerOnlyIsEmpty() throws {
    let url = try Fixtures.temporaryFile(named: "h.csv", contents: "user,item,rating\n")
    let error = try #require(throws: DataError.self) {
      try DelimitedRatingsLoader.loadRatings(file: url)
    }
    #expect(error.kind == .emptyFile)
  }
}

@Suite struct DatasetFormatTests {
  @Test func detectsFoldersAndFiles() throws {
    #expect(try DatasetFormat.detect(path: Fixtures.url("ml100k-mini").path) == .movieLens100K)
    #expect(
      try DatasetFormat.detect(path: Fixtures.url("ml100k-mini/u1.base").path) == .movieLens100K)
    #expect(
      try DatasetFormat.detect(path: Fixtures.url("ml100k-mini/u.data").path) == .movieLens100K)
    #expect(
      try DatasetFormat.detect(path: Fixtures.url("ml100k-mini/u.item").path) == .movieLens100K)
    #expect(try DatasetFormat.detect(path: Fixtures.url("mlcsv").path) == .movieLensCSV)
    #expect(try DatasetFormat.detect(path: Fixtures.url("mlcsv/ratings.csv").path) == .movieLensCSV)
    #expect(try DatasetFormat.detect(path: Fixtures.url("mldat").path) == .movieLensDat)
    #expect(try DatasetFormat.detect(path: Fixtures.url("mldat/ratings.dat").path) == .movieLensDat)
    #expect(try DatasetFormat.detect(path: Fixtures.url("tmdb/movies.json").path) == .tmdbJSON)
    #expect(
      try DatasetFormat.detect(path: Fixtures.url("delimited/ratings.tsv").path) == .delimited)
    #expect(
      try DatasetFormat.detect(path: Fixtures.url("delimited/ratings_semicolon.csv").path)
        == .delimited)
  }

  @Test func unknownAndMissingPaths() throws {
    let missing = try #require(throws: DataError.self) {
      try DatasetFormat.detect(path: Fixtures.url("does-not-exist").path)
    }
    #expect(missing.kind == .fileNotFound)
    let unknown = try #require(throws: DataError.self) {
      try DatasetFormat.detect(path: Fixtures.url("bad").path)
    }
    #expect(unknown.kind == .unknownFormat)
    let loadMissing = try #require(throws: DataError.self) {
      try DatasetLoader.load(path: Fixtures.url("nothing.csv").path, format: .delimited)
    }
    #expect(loadMissing.kind == .fileNotFound)
  }

  @Test func rawValuesAreTheCommandLineNames() {
    #expect(DatasetFormat.allCases.map(\.rawValue) == ["ml100k", "mlcsv", "mldat", "tmdb", "csv"])
    #expect(DatasetFormat.movieLens100K.defaultScale == .oneToFive)
    #expect(DatasetFormat.movieLensCSV.defaultScale == .halfStars)
    #expect(DatasetFormat.movieLensDat.defaultScale == .halfStars)
    #expect(
      DatasetFormat.delimited.defaultScale == RatingScale(minimum: 0.5, maximum: 5, step: nil))
  }

  @Test func singleFilesLoadAsRatingsOrCatalog() throws {
    let movies = try DatasetLoader.load(path: Fixtures.url("mlcsv/movies.csv").path)
    #expect(movies.ratings == nil)
    #expect(movies.catalog?.count == 7)
    let item = try DatasetLoader.load(path: Fixtures.url("ml100k-mini/u.item").path)
    #expect(item.catalog?.count == 4)
    let moviesDat = try DatasetLoader.load(path: Fixtures.url("mldat/movies.dat").path)
    #expect(moviesDat.catalog?.count == 4)
    let base = try DatasetLoader.load(path: Fixtures.url("ml100k-mini/u1.base").path)
    #expect(base.ratings?.ratingCount == 3)
    #expect(base.catalog == nil)
  }
}
