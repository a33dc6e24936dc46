import AFlixData
import Foundation
import Testing

@Suite struct MovieLensDatLoaderTests {
  @Test func readsRatingsAndLatin1Movies() throws {
    let loaded = try DatasetLoader.load(path: try Fixtures.url("mldat").path)
    #expect(loaded.format == .movieLensDat)
    let ratings = try #require(loaded.ratings)
    #expect(ratings.ratingCount == 4)
    #expect(ratings.value(userID: 2, itemID: 1193) == 3.5)
    #expect(ratings.value(userID: 1, itemID: 1193) == 5)
    #expect(ratings.timestamps(ofUser: 0) != nil)
    let catalog = try #require(loaded.catalog)
    #expect(catalog.count == 4)
    // The file holds the latin-1 byte 0xE9, which is U+00E9.
    #expect(catalog.movie(withID: 2000)?.title == "Am\u{E9}lie (2001)")
    #expect(catalog.movie(withID: 2000)?.year == 2001)
    #expect(catalog.movie(withID: 661)?.genres.map(\.id) == [16, 10751, 10402])
  }

  @Test func wrongFieldCounts() throws {
    let extra = try #require(throws: DataError.self) {
      try MovieLensDatLoader.loadRatings(file: try Fixtures.url("bad/ratings_extra.dat"))
    }
    #expect(extra.kind == .extraColumn)
    #expect(extra.line == 1)
    #expect(extra.value == "7")
    let short = try #require(throws: DataError.self) {
      try MovieLensDatLoader.loadRatings(file: try Fixtures.url("bad/ratings_short.dat"))
    }
    #expect(short.kind == .missingColumn)
    #expect(short.field == "Timestamp")
  }
}

@Suite struct TMDBJSONLoaderTests {
  @Test func readsMoviesWithGenresAndNumbers() throws {
    let loaded = try DatasetLoader.load(path: try Fixtures.url("tmdb/movies.json").path)
    #expect(loaded.format == .tmdbJSON)
    #expect(loaded.ratings == nil)
    let catalog = try #require(loaded.catalog)
    #expect(catalog.count == 4)
    let toy = try #require(catalog.movie(withID: 862))
    #expect(toy.title == "Toy Story")
    #expect(toy.year == 1995)
    #expect(toy.genres.map(\.name) == ["Animation", "Comedy", "Family"])
    #expect(toy.popularity == 21.946)
    #expect(toy.voteAverage == 7.7)
    #expect(toy.voteCount == 5415)
    #expect(toy.externalIDs.tmdb == 862)
    #expect(catalog.movie(withID: 8844)?.popularity == 17)
    let exhale = try #require(catalog.movie(withID: 31357))
    #expect(exhale.title == "Waiting to Exhale")  // from original_title
    #expect(exhale.year == nil)  // empty release date
    #expect(exhale.genres.last == Genre(id: 99999, name: "TMDB genre 99999"))
    let rooms = try #require(catalog.movie(withID: 5))
    #expect(rooms.genres.map(\.id) == [80, 35])
    #expect(rooms.cast == ["Tim Roth", "Antonio Banderas"])
    #expect(rooms.director == "Allison Anders")
    #expect(rooms.externalIDs.imdb == "tt0113101")
  }

  @Test func readsAnAPIPage() throws {
    let catalog = try TMDBJSONLoader.loadCatalog(file: try Fixtures.url("tmdb/page.json"))
    #expect(catalog.movie(withID: 603)?.genres.map(\.name) == ["Action", "Science Fiction"])
  }

  @Test func badJSON() throws {
    let invalid = try #require(throws: DataError.self) {
      try TMDBJSONLoader.loadCatalog(file: try Fixtures.url("tmdb/invalid.json"))
    }
    #expect(invalid.kind == .invalidJSON)
    #expect(invalid.file == "invalid.json")
    let empty = try #require(throws: DataError.self) {
      try TMDBJSONLoader.loadCatalog(file: try Fixtures.url("tmdb/empty.json"))
    }
    #expect(empty.kind == .emptyFile)
    let noID = try #require(throws: DataError.self) {
      try TMDBJSONLoader.loadCatalog(file: try Fixtures.url("tmdb/missing_id.json"))
    }
    #expect(noID.kind == .missingColumn)
    #expect(noID.field == "id")
    var report = LoadReport()
    let lenient = try TMDBJSONLoader.loadCatalog(
      file: try Fixtures.url("tmdb/missing_id.json"), options: LoadOptions(strictness: .lenient),
      report: &report)
    #expect(lenient.count == 1)
    #expect(report.skippedLines == 1)
    #expect(report.linesRead == 2)
  }
}
