import AFlixData
import Foundation
import Testing

/// `movies.csv` with the optional TMDB-style columns `popularity`, `vote_average` and `year`.
@Suite struct MovieLensCSVExtraColumnsTests {
  static func write(_ text: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-movies-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent("movies.csv")
    try Data(text.utf8).write(to: url)
    return url
  }

  @Test func optionalColumnsAreReadByName() throws {
    let url = try Self.write(
      """
      movieId,title,genres,year,vote_average,popularity
      1,Film 1,Drama|Science Fiction,1999,7.3,12.625
      2,"Heat, Again (1995)",Action,,,
      3,Film 3,(no genres listed),2020,6.5,0.1

      """)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let catalog = try MovieLensCSVLoader.loadCatalog(movies: url)
    let first = try #require(catalog.movie(withID: 1))
    #expect(first.year == 1999 && first.voteAverage == 7.3 && first.popularity == 12.625)
    #expect(first.genres == [Genre.named("Drama"), Genre(id: 878, name: "Science Fiction")])
    let second = try #require(catalog.movie(withID: 2))
    // Empty optional fields are unknown, the year too: a year column that says nothing is not
    // overridden by the title's "(1995)".
    #expect(second.year == nil && second.voteAverage == nil && second.popularity == nil)
    #expect(catalog.movie(withID: 3)?.genres.isEmpty == true)
  }

  @Test func titleYearOnlyWithoutAYearColumn() throws {
    let url = try Self.write(
      """
      movieId,title,genres,popularity
      1,Heat (1995),Action,3.5
      2,No Year,Drama,

      """)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let catalog = try MovieLensCSVLoader.loadCatalog(movies: url)
    #expect(catalog.movie(withID: 1)?.year == 1995)
    #expect(catalog.movie(withID: 2)?.year == nil)
  }

  @Test func badOptionalNumbersAreTypedErrors() throws {
    for (column, row) in [
      ("popularity", "1,A,Drama,abc,7,2000"), ("vote_average", "1,A,Drama,3,nan,2000"),
      ("year", "1,A,Drama,3,7,19x9"),
    ] {
      let url = try Self.write(
        "movieId,title,genres,popularity,vote_average,year\n\(row)\n2,B,Comedy,1,5,2001\n")
      defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
      #expect {
        try MovieLensCSVLoader.loadCatalog(movies: url)
      } throws: { error in
        let error = error as? DataError
        return error?.kind == .nonNumericValue && error?.field == column && error?.line == 2
      }
      // Lenient loading skips the line and reports it.
      var report = LoadReport()
      let catalog = try MovieLensCSVLoader.loadCatalog(
        movies: url, links: nil, options: LoadOptions(strictness: .lenient), report: &report)
      #expect(catalog.count == 1 && catalog.movie(withID: 2)?.popularity == 1)
      #expect(report.skippedLines == 1)
    }
  }
}
