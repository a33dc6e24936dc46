import AFlixData
import Foundation
import Testing
import _AFlixTestSupport

@Suite struct MovieLens100KMiniTests {
  @Test func readsTheMiniFolder() throws {
    let loaded = try MovieLens100KLoader.load(folder: try Fixtures.url("ml100k-mini"))
    let ratings = try #require(loaded.ratings)
    #expect(ratings.ratingCount == 5)
    #expect(ratings.users.ids == [1, 2, 3])
    #expect(ratings.items.ids == [10, 20, 30, 267])
    #expect(ratings.scale == .oneToFive)
    let catalog = try #require(loaded.catalog)
    #expect(catalog.count == 4)
    let cafe = try #require(catalog.movie(withID: 30))
    #expect(cafe.title == "Caf\u{E9} au Lait (1993)")  // latin-1 0xE9
    #expect(cafe.year == 1993)
    #expect(cafe.genres == [Genre.named("Drama")])
    let noYearInTitle = try #require(catalog.movie(withID: 20))
    #expect(noYearInTitle.year == 1996)  // from the release date 14-Jul-1996
    #expect(
      noYearInTitle.genres == [
        Genre(id: nil, name: "Film-Noir"), Genre(id: 878, name: "Science Fiction"),
      ])
    let unknown = try #require(catalog.movie(withID: 267))
    #expect(unknown.title == "unknown")
    #expect(unknown.year == nil)
    #expect(unknown.genres == [Genre(id: nil, name: "unknown")])
    #expect(catalog.movie(withID: 10)?.genres.map(\.name) == ["Animation", "Family", "Comedy"])
  }

  @Test func predefinedSplitSharesOneIDSpace() throws {
    let split = try MovieLens100KLoader.loadPredefinedSplit(
      folder: try Fixtures.url("ml100k-mini"), fold: 1)
    #expect(split.name == "u1")
    #expect(split.train.ratingCount == 3)
    #expect(split.test.ratingCount == 2)
    #expect(split.train.users == split.test.users)
    #expect(split.train.items == split.test.items)
    #expect(split.train.itemCount == 4)  // items 20 and 267 appear only in u1.test
    #expect(split.test.value(userID: 2, itemID: 267) == 2)
    #expect(split.train.value(userID: 2, itemID: 267) == nil)
    #expect(split.train.value(userID: 1, itemID: 10) == 5)
  }

  @Test func badFoldIsAnInvalidArgument() throws {
    let error = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadPredefinedSplit(folder: try Fixtures.url("ml100k-mini"), fold: 6)
    }
    #expect(error.kind == .invalidArgument)
  }

  @Test func genreLayoutErrors() throws {
    let short = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadCatalog(file: try Fixtures.url("bad/u_badgenre.item"))
    }
    #expect(short.kind == .unknownGenreLayout)
    #expect(short.line == 2)
    #expect(short.file == "u_badgenre.item")
    let flag = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadCatalog(file: try Fixtures.url("bad/u_badflag.item"))
    }
    #expect(flag.kind == .unknownGenreLayout)
    #expect(flag.field == "Western")
    #expect(flag.value == "2")
    // Given 3 genre names, the 3-flag line fits and the 19-flag line is the odd one out.
    var report = LoadReport()
    let catalog = try MovieLens100KLoader.loadCatalog(
      file: try Fixtures.url("bad/u_badgenre.item"), genreNames: ["A", "B", "C"],
      options: LoadOptions(strictness: .lenient), report: &report)
    #expect(catalog.count == 1)
    #expect(catalog.movie(withID: 2)?.genres == [Genre(id: nil, name: "B")])
    #expect(report.skippedLines == 1)
  }

  @Test func badRatingsFiles() throws {
    let text = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadRatings(file: try Fixtures.url("bad/u_bad.data"))
    }
    #expect(text.description == "u_bad.data:2: field 'rating' value 'five': not a number")
    let half = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadRatings(file: try Fixtures.url("bad/u_outofscale.data"))
    }
    #expect(half.kind == .outOfScale)
    #expect(half.line == 2)
    let duplicate = try #require(throws: DataError.self) {
      try MovieLens100KLoader.loadRatings(file: try Fixtures.url("bad/u_duplicate.data"))
    }
    #expect(duplicate.kind == .duplicateRating)
    #expect(duplicate.line == 3)
    #expect(duplicate.message.contains("line 1"))
  }
}

/// Tests on the real MovieLens 100k (not in the repository: see `TestData`).
@Suite struct MovieLens100KRealTests {
  static var folder: URL { TestData.movieLens100K }

  @Test(.enabled(if: TestData.hasMovieLens100K))
  func countsFromTheDatasetREADME() throws {
    let loaded = try DatasetLoader.load(path: Self.folder.path)
    #expect(loaded.format == .movieLens100K)
    let ratings = try #require(loaded.ratings)
    #expect(ratings.userCount == 943)
    #expect(ratings.itemCount == 1682)
    #expect(ratings.ratingCount == 100_000)
    #expect(ratings.hasTimestamps)
    #expect(ratings.userDegrees().allSatisfy { $0 >= 20 })  // README: each user rated ≥ 20
    #expect(ratings.histogram().map(\.value) == [1, 2, 3, 4, 5])
    let catalog = try #require(loaded.catalog)
    #expect(catalog.count == 1682)
    #expect(catalog.genres.count == 19)
    #expect(
      try MovieLens100KLoader.loadGenreNames(file: Self.folder.appendingPathComponent("u.genre"))
        .count == 19)
    #expect(loaded.report.skippedLines == 0)
  }

  @Test(.enabled(if: TestData.hasMovieLens100K))
  func unknownFilmHasNoYear() throws {
    let catalog = try MovieLens100KLoader.loadCatalog(
      file: Self.folder.appendingPathComponent("u.item"))
    let unknown = try #require(catalog.movie(withID: 267))
    #expect(unknown.title == "unknown")
    #expect(unknown.year == nil)
    #expect(catalog.movie(withID: 1)?.title == "Toy Story (1995)")
    #expect(catalog.movie(withID: 1)?.year == 1995)
    #expect(catalog.movies.filter { $0.year == nil }.count < 5)
  }

  @Test(.enabled(if: TestData.hasMovieLens100K))
  func latin1TitlesDecodeLikeTheirBytes() throws {
    let file = Self.folder.appendingPathComponent("u.item")
    let catalog = try MovieLens100KLoader.loadCatalog(file: file)
    // Decode every title with a byte ≥ 0x80 independently: latin-1 maps byte b to U+00b.
    let bytes = [UInt8](try Data(contentsOf: file))
    var checked = 0
    for line in bytes.split(separator: UInt8(ascii: "\n"))
    where line.contains(where: { $0 >= 0x80 }) {
      let fields = line.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
      let id = try #require(Int(String(decoding: fields[0], as: UTF8.self)))
      var title = ""
      for b in fields[1] { title.unicodeScalars.append(Unicode.Scalar(b)) }
      #expect(catalog.movie(withID: .int(id))?.title == title)
      checked += 1
    }
    #expect(checked > 0)
    // Seen in the file's bytes: "Mis\xE9rables, Les (1995)" on line 543.
    #expect(catalog.movie(withID: 543)?.title == "Misérables, Les (1995)")
  }

  @Test(.enabled(if: TestData.hasMovieLens100K))
  func globalMeanMatchesANaiveSum() throws {
    let ratings = try MovieLens100KLoader.loadRatings(
      file: Self.folder.appendingPathComponent("u.data"))
    let text = try String(contentsOf: Self.folder.appendingPathComponent("u.data"), encoding: .utf8)
    var sum = 0.0
    var count = 0
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: "\t")
      sum += try #require(Double(fields[2]))
      count += 1
    }
    #expect(count == 100_000)
    #expect(abs(ratings.globalMean - sum / Double(count)) < 1e-12)
    #expect(abs(ratings.globalMean - 3.52986) < 1e-5)
    // A few lines looked up by id.
    for line in text.split(separator: "\n").prefix(50) {
      let f = line.split(separator: "\t").map { Int($0)! }
      #expect(ratings.value(userID: .int(f[0]), itemID: .int(f[1])) == Float(f[2]))
    }
  }

  @Test(.enabled(if: TestData.hasMovieLens100K))
  func predefinedSplitU1() throws {
    let split = try MovieLens100KLoader.loadPredefinedSplit(folder: Self.folder, fold: 1)
    #expect(split.train.ratingCount == 80_000)
    #expect(split.test.ratingCount == 20_000)
    #expect(split.train.users == split.test.users)
    #expect(split.train.items == split.test.items)
    #expect(split.train.userCount == 943)
    #expect(split.train.itemCount == 1682)
    // u1.base read alone has its own (smaller or equal) id space but the same ratings.
    let base = try MovieLens100KLoader.loadRatings(
      file: Self.folder.appendingPathComponent("u1.base"))
    #expect(base.ratingCount == 80_000)
    #expect(Set(base.allRatings()) == Set(split.train.allRatings()))
    #expect(
      try DatasetFormat.detect(path: Self.folder.appendingPathComponent("u1.base").path)
        == .movieLens100K)
  }
}
