import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixSynth

@Suite struct FilesTests {
  static let names = ["ratings.csv", "movies.csv", "truth.csv", "profiles.csv", "world.json"]

  static func small(rounding: RatingRounding, archetypes: Bool) -> WorldConfiguration {
    var configuration = WorldConfiguration(users: 1_300)
    configuration.rounding = rounding
    if archetypes { configuration.archetypes = Archetype.original }
    return configuration
  }

  @Test(arguments: [RatingRounding.none, .halfStars, .wholeStars])
  func roundTripIsLossless(rounding: RatingRounding) throws {
    let world = try SyntheticWorld.generate(
      Self.small(rounding: rounding, archetypes: rounding != .none), seed: 11)
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try WorldWriter.write(world, to: folder)
    let loaded = try SyntheticWorld.load(from: folder)
    #expect(loaded.seed == world.seed)
    #expect(loaded.configuration == world.configuration)
    #expect(loaded.ratings.scale == world.ratings.scale)
    #expect(loaded.ratings.allRatings() == world.ratings.allRatings())
    #expect(
      loaded.ratings.users == world.ratings.users && loaded.ratings.items == world.ratings.items)
    #expect(loaded.expectedRatings == world.expectedRatings)
    #expect(loaded.profiles == world.profiles)
    #expect(loaded.catalog.count == world.catalog.count)
    for (a, b) in zip(loaded.catalog.movies, world.catalog.movies) {
      #expect(a.id == b.id && a.title == b.title && a.genres == b.genres && a.year == b.year)
      #expect(a.popularity == b.popularity && a.voteAverage == b.voteAverage)
    }
    // The ground truth read back gives the same noise floor.
    #expect(try loaded.oracleRMSE(on: world.ratings) == world.oracleRMSE(on: world.ratings))
    // ratings.csv is exactly what AFlixData's writer writes.
    let text = try Data(contentsOf: folder.appendingPathComponent("ratings.csv"))
    #expect(text == Data(RatingsCSVWriter.csv(world.ratings).utf8))
  }

  @Test func streamingWritesTheSameBytes() throws {
    let configuration = Self.small(rounding: .none, archetypes: true)
    let world = try SyntheticWorld.generate(configuration, seed: 12)
    let inMemory = try Worlds.temporaryFolder()
    let streamed = try Worlds.temporaryFolder()
    defer {
      try? FileManager.default.removeItem(at: inMemory)
      try? FileManager.default.removeItem(at: streamed)
    }
    try WorldWriter.write(world, to: inMemory)
    let summary = try WorldWriter.stream(configuration, seed: 12, to: streamed)
    for name in Self.names {
      let a = try Data(contentsOf: inMemory.appendingPathComponent(name))
      let b = try Data(contentsOf: streamed.appendingPathComponent(name))
      #expect(a == b, "\(name) differs")
      #expect(a.count > 100)
    }
    #expect(summary.users == 1_300 && summary.ratings == world.ratings.ratingCount)
    #expect(summary.films == 400)
    let all = try world.oracleRMSE(on: world.ratings)
    #expect(abs(summary.oracleRMSE - all) < 1e-5)
    #expect(abs(Double(summary.holdoutRatings) / Double(summary.ratings) - 0.2) < 0.01)
    #expect(abs(summary.holdoutOracleRMSE - all) < 0.03)
  }

  @Test func realCatalogPopularityIsRescaledByPercentile() throws {
    let movies = [
      Movie(id: 10, title: "A", genres: [Genre.named("Horror")], popularity: 10, voteAverage: 7),
      Movie(id: 20, title: "B, with a comma", genres: [Genre.named("Film-Noir")], popularity: 20),
      Movie(id: 30, title: #"C "quoted""#, popularity: 20, voteAverage: 8),
      Movie(id: 40, title: "D", genres: [Genre.named("Sci-Fi")]),
      Movie(id: 50, title: "E (1999)", popularity: 1_000, voteAverage: 9),
    ]
    var configuration = WorldConfiguration(users: 30)
    configuration.catalog = .provided(try Catalog(movies: movies))
    configuration.ratingsPerUser = ParameterRange(1, 5)
    let world = try SyntheticWorld.generate(configuration, seed: 3)
    let effective = world.catalog.movies
    #expect(effective.map(\.popularity) == [0, 50, 50, 50, 100])
    #expect(effective.map(\.voteAverage) == [7, 6.5, 8, 6.5, 9])
    #expect(effective[1].genres == [Genre(id: nil, name: "Film-Noir")])
    // Written and read back, titles with commas and quotes included.
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try WorldWriter.write(world, to: folder)
    let loaded = try SyntheticWorld.load(from: folder)
    #expect(loaded.catalog.movies.map(\.title) == movies.map(\.title))
    #expect(loaded.catalog.movies.map(\.popularity) == effective.map(\.popularity))
    // "E (1999)" has no year: it reads back without one (the title is not a year column).
    #expect(loaded.catalog.movies.map(\.year) == [nil, nil, nil, nil, nil])
    #expect(loaded.expectedRatings == world.expectedRatings)
    // The film without a TMDB genre earns no genre bonus: its expectation ignores preferences.
    #expect(loaded.configuration == configuration)
  }

  /// Every field `movies.csv` carries reads back as written: string and integer ids, titles
  /// with commas, quotes and line breaks, genres (TMDB, MovieLens-only, unknown TMDB ids),
  /// popularity, vote average and year (present, absent with a year in the title).
  @Test func providedCatalogsRoundTripEveryField() throws {
    let movies = [
      Movie(
        id: "tt0113277", title: "Heat, again", genres: [Genre.named("Crime")], year: 1995,
        popularity: 30, voteAverage: 7.9, cast: ["Al Pacino"], director: "Michael Mann"),
      Movie(
        id: "with \"quote\", comma", title: "Two\nLines (2001)",
        genres: [Genre(id: 99_999, name: "TMDB genre 99999"), Genre.named("Film-Noir")],
        popularity: 3.25),
      Movie(id: 7, title: "No Year (1987)", genres: [], voteAverage: 4.5),
      Movie(id: "007", title: "Leading zero", genres: [Genre.named("Action")], year: -12),
      Movie(id: "-0", title: "Minus zero", genres: [Genre.named("Sci-Fi")], year: 2_030),
    ]
    var configuration = WorldConfiguration(users: 40)
    configuration.catalog = .provided(try Catalog(movies: movies))
    configuration.ratingsPerUser = ParameterRange(1, 5)
    let world = try SyntheticWorld.generate(configuration, seed: 5)
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try WorldWriter.write(world, to: folder)
    let loaded = try SyntheticWorld.load(from: folder)
    #expect(loaded.catalog.count == world.catalog.count)
    for (a, b) in zip(loaded.catalog.movies, world.catalog.movies) {
      #expect(a.id == b.id && a.title == b.title && a.genres == b.genres && a.year == b.year)
      #expect(a.popularity == b.popularity && a.voteAverage == b.voteAverage)
      // Not carried by the files (documented): cast, director, vote count, external ids.
      #expect(a.cast.isEmpty && a.director == nil)
    }
    #expect(loaded.catalog.movie(withID: "tt0113277")?.year == 1995)
    #expect(loaded.catalog.movie(withID: 7)?.year == nil)
    #expect(
      loaded.catalog.movie(withID: "with \"quote\", comma")?.genres.first
        == Genre(id: 99_999, name: "TMDB genre 99999"))
    #expect(loaded.ratings.allRatings() == world.ratings.allRatings())
    #expect(loaded.ratings.items == world.ratings.items)
    #expect(loaded.expectedRatings == world.expectedRatings)
    #expect(loaded.profiles == world.profiles)
    #expect(loaded.configuration == world.configuration)
    #expect(try loaded.oracleRMSE(on: world.ratings) == world.oracleRMSE(on: world.ratings))
  }

  @Test func unrepresentableCatalogValuesAreRefused() throws {
    for movie in [
      Movie(id: .string("42"), title: "A string that reads as an integer"),
      Movie(id: .string(" padded"), title: "Leading space"),
      Movie(id: .string(""), title: "Empty"),
      Movie(id: .string("two\nlines"), title: "Line break"),
      Movie(id: 1, title: "Pipe", genres: [Genre(id: nil, name: "Sci|Fi")]),
      Movie(id: 1, title: "Renamed", genres: [Genre(id: nil, name: "Drama")]),
      Movie(id: 1, title: "Mismatch", genres: [Genre(id: 28, name: "Thriller")]),
    ] {
      var configuration = WorldConfiguration(users: 5)
      configuration.catalog = .provided(try Catalog(movies: [movie]))
      configuration.ratingsPerUser = ParameterRange(1, 1)
      #expect(
        performing: { try configuration.validate() },
        throws: { ($0 as? SynthError)?.kind == .unrepresentable })
    }
  }

  /// A failure part-way through a stream leaves the folder as it was: no partial or temporary
  /// files, earlier files untouched.
  @Test func failedStreamsLeaveNoPartialFiles() throws {
    struct Injected: Error {}
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let old = Data("an earlier file\n".utf8)
    try old.write(to: folder.appendingPathComponent("ratings.csv"))
    var configuration = WorldConfiguration(users: 40 * SyntheticWorld.chunkSize)
    configuration.ratingsPerUser = ParameterRange(1, 3)
    var batches = 0
    #expect(throws: Injected.self) {
      try WorldWriter.stream(
        configuration, seed: 1, to: folder, holdoutFraction: 0.2,
        afterBatch: { index in
          batches = index + 1
          if index == 1 { throw Injected() }
        })
    }
    #expect(batches == 2)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(names == ["ratings.csv"], "\(names)")
    #expect(try Data(contentsOf: folder.appendingPathComponent("ratings.csv")) == old)

    // Invalid configurations are refused before anything is written.
    configuration.ratingsPerUser = ParameterRange(5, 1)
    let fresh = folder.appendingPathComponent("fresh")
    #expect(throws: SynthError.self) { try WorldWriter.stream(configuration, seed: 1, to: fresh) }
    #expect(!FileManager.default.fileExists(atPath: fresh.path))

    // An unwritable target (a file where the folder should be) is an error, and leaves nothing.
    let blocker = folder.appendingPathComponent("blocker")
    try Data().write(to: blocker)
    configuration.ratingsPerUser = ParameterRange(1, 2)
    #expect(throws: (any Error).self) {
      try WorldWriter.stream(configuration, seed: 1, to: blocker.appendingPathComponent("x"))
    }
    // A folder the failed stream created is removed again.
    let created = folder.appendingPathComponent("created")
    #expect(throws: Injected.self) {
      try WorldWriter.stream(
        configuration, seed: 1, to: created, holdoutFraction: 0.2,
        afterBatch: { _ in throw Injected() })
    }
    #expect(!FileManager.default.fileExists(atPath: created.path))

    // A successful stream into the same folder replaces the earlier file.
    configuration.users = 100
    try WorldWriter.stream(configuration, seed: 1, to: folder)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        == (Self.names + ["blocker"]).sorted())
    #expect(try Data(contentsOf: folder.appendingPathComponent("ratings.csv")) != old)
  }
}
