import AFlixData
import AFlixLinalg
import AFlixSynth
import Foundation
import Testing

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
    #expect(loaded.catalog.movies.map(\.year) == [nil, nil, nil, nil, 1999])
    #expect(loaded.expectedRatings == world.expectedRatings)
    // The film without a TMDB genre earns no genre bonus: its expectation ignores preferences.
    #expect(loaded.configuration == configuration)
  }
}
