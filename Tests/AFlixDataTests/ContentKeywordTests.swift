import AFlixData
import Foundation
import Testing

/// Keywords and tags for content features: `Movie.keywords` (decoding files written before it
/// existed), TMDB `keywords`, MovieLens `tags.csv`, and merging tags into a catalog.
@Suite("Content keywords and tags")
struct ContentKeywordTests {
  /// A new temporary file holding `text`.
  static func file(_ name: String, _ text: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("keywords-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
  }

  @Test func moviesWithoutAKeywordsFieldDecodeAsEmpty() throws {
    let movie = Movie(
      id: 7, title: "Seven", genres: [.named("Crime")], year: 1995, cast: ["A"],
      director: "D", keywords: ["serial killer"])
    let data = try JSONEncoder().encode(movie)
    #expect(try JSONDecoder().decode(Movie.self, from: data) == movie)
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["keywords"] != nil)
    object["keywords"] = nil
    let old = try JSONSerialization.data(withJSONObject: object)
    let decoded = try JSONDecoder().decode(Movie.self, from: old)
    #expect(decoded.keywords == [])
    var expected = movie
    expected.keywords = []
    #expect(decoded == expected)
  }

  @Test func distinctKeywordsTrimAndDropRepeats() {
    #expect(
      Movie.distinctKeywords([" time travel", "Time Travel", "", "  ", "robots\n"])
        == ["time travel", "robots"])
  }

  /// TMDB keywords as names, as objects with a name, or TMDB's `{"keywords": [...]}` object.
  @Test func tmdbKeywordsInEveryShape() throws {
    let url = try Self.file(
      "movies.json",
      """
      [{"id": 1, "title": "A", "keywords": ["space", "Space", " robots "]},
       {"id": 2, "title": "B", "keywords": [{"id": 9, "name": "heist"}]},
       {"id": 3, "title": "C", "keywords": {"id": 3, "keywords": [{"id": 4, "name": "noir"}]}},
       {"id": 4, "title": "D"}]
      """)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let catalog = try TMDBJSONLoader.loadCatalog(file: url)
    #expect(catalog.movie(withID: 1)?.keywords == ["space", "robots"])
    #expect(catalog.movie(withID: 2)?.keywords == ["heist"])
    #expect(catalog.movie(withID: 3)?.keywords == ["noir"])
    #expect(catalog.movie(withID: 4)?.keywords == [])
  }

  @Test func tagsAreGatheredPerFilm() throws {
    let url = try Self.file(
      "tags.csv",
      """
      userId,movieId,tag,timestamp
      1,10,funny,100
      2,10,Funny,101
      2,10,"dark, but warm",102
      3,20,  noir ,103
      4,20,,104
      """)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let tags = try MovieLensTagsLoader.loadTags(file: url)
    #expect(tags == [10: ["funny", "dark, but warm"], 20: ["noir"]])
    let catalog = try Catalog(movies: [
      Movie(id: 10, title: "Ten", keywords: ["FUNNY", "own"]), Movie(id: 30, title: "Thirty"),
    ])
    let merged = catalog.addingKeywords(tags)
    #expect(merged.movie(withID: 10)?.keywords == ["FUNNY", "own", "dark, but warm"])
    #expect(merged.movie(withID: 30)?.keywords == [])
    #expect(merged.movie(withID: 20) == nil)
    #expect(merged.count == 2)
  }

  @Test func badTagFilesAreRefusedOrSkipped() throws {
    let bad = try Self.file(
      "tags.csv", "userId,movieId,tag,timestamp\n1,ten,funny,100\n1,11,ok,101\n")
    defer { try? FileManager.default.removeItem(at: bad.deletingLastPathComponent()) }
    let strict = #expect(throws: DataError.self) { try MovieLensTagsLoader.loadTags(file: bad) }
    #expect(strict?.kind == .nonNumericValue)
    #expect(strict?.line == 2)
    var report = LoadReport()
    let lenient = try MovieLensTagsLoader.loadTags(
      file: bad, options: LoadOptions(strictness: .lenient), report: &report)
    #expect(lenient == [11: ["ok"]])
    #expect(report.skippedLines == 1)
    let noTag = try Self.file("tags.csv", "userId,movieId,timestamp\n1,10,100\n")
    defer { try? FileManager.default.removeItem(at: noTag.deletingLastPathComponent()) }
    let missing = #expect(throws: DataError.self) { try MovieLensTagsLoader.loadTags(file: noTag) }
    #expect(missing?.kind == .missingColumn)
    let headerOnly = try Self.file("tags.csv", "userId,movieId,tag,timestamp\n")
    defer { try? FileManager.default.removeItem(at: headerOnly.deletingLastPathComponent()) }
    let empty = #expect(throws: DataError.self) {
      try MovieLensTagsLoader.loadTags(file: headerOnly)
    }
    #expect(empty?.kind == .emptyFile)
  }
}
