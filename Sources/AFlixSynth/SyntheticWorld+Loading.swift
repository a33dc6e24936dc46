import AFlixData
import Foundation

extension SyntheticWorld {
  /// Reads a world folder written by ``WorldWriter``: the ratings and the catalog through
  /// `AFlixData`'s MovieLens CSV loader (with the world's rating scale), the profiles, the
  /// expected ratings and `world.json`.
  ///
  /// Every value reads back bit for bit; only what the files do not hold differs from the world
  /// that was written: films' cast and director, and the external ids (the loader records each
  /// film id as a MovieLens id).
  ///
  /// - Throws: ``SynthError`` `.invalidFile` for a missing, malformed or inconsistent file;
  ///   `DataError` from the loaders.
  public static func load(from directory: URL) throws -> SyntheticWorld {
    let jsonURL = directory.appendingPathComponent("world.json")
    guard let json = FileManager.default.contents(atPath: jsonURL.path) else {
      throw SynthError(
        .invalidFile, parameter: "world.json", message: "cannot read \(jsonURL.path)")
    }
    let file: WorldFile
    do {
      file = try JSONDecoder().decode(WorldFile.self, from: json)
    } catch {
      throw SynthError(.invalidFile, parameter: "world.json", message: "\(error)")
    }
    let configuration = file.configuration
    try configuration.validate()
    let catalog = try MovieLensCSVLoader.loadCatalog(
      movies: directory.appendingPathComponent("movies.csv"))
    guard catalog.movies.allSatisfy({ $0.popularity != nil && $0.voteAverage != nil }) else {
      throw SynthError(
        .invalidFile, parameter: "movies.csv",
        message: "every film needs a popularity and a vote_average")
    }
    let ratings = try MovieLensCSVLoader.loadRatings(
      file: directory.appendingPathComponent("ratings.csv"),
      options: LoadOptions(scale: configuration.ratingScale))

    let profileRows = try CSVReader.rows(
      of: directory.appendingPathComponent("profiles.csv"), header: WorldWriter.profilesHeader)
    guard profileRows.count == ratings.userCount else {
      throw SynthError(
        .invalidFile, parameter: "profiles.csv",
        message: "\(profileRows.count) profiles for \(ratings.userCount) users")
    }
    var profiles: [UserProfile] = []
    profiles.reserveCapacity(profileRows.count)
    for (k, row) in profileRows.enumerated() {
      let id = EntityID(parsing: row[0])
      guard id == ratings.users.id(at: k), let tendency = Double(row[2]),
        let noise = Double(row[3]), let bias = Double(row[4])
      else {
        throw SynthError(
          .invalidFile, parameter: "profiles.csv",
          message: "line \(k + 2) is malformed or out of order")
      }
      let genres = try row[5].split(separator: "|").map { text -> Int in
        guard let genre = Int(text) else {
          throw SynthError(
            .invalidFile, parameter: "profiles.csv", message: "line \(k + 2): bad genre \(text)")
        }
        return genre
      }
      profiles.append(
        UserProfile(
          id: id, preferredGenres: genres, tendency: tendency, noiseSD: noise,
          popularityBias: bias, segment: row[1].isEmpty ? nil : row[1]))
    }

    let truthRows = try CSVReader.rows(
      of: directory.appendingPathComponent("truth.csv"), header: WorldWriter.truthHeader)
    guard truthRows.count == ratings.ratingCount else {
      throw SynthError(
        .invalidFile, parameter: "truth.csv",
        message: "\(truthRows.count) expected ratings for \(ratings.ratingCount) ratings")
    }
    var expected = [Float](repeating: 0, count: truthRows.count)
    for u in 0..<ratings.userCount {
      let user = ratings.users.id(at: u)
      for p in ratings.ratings(ofUser: u).items.indices {
        let row = truthRows[p]
        let item = ratings.items.id(at: Int(ratings.ratings(ofUser: u).items[p]))
        guard EntityID(parsing: row[0]) == user, EntityID(parsing: row[1]) == item,
          let value = Float(row[2])
        else {
          throw SynthError(
            .invalidFile, parameter: "truth.csv",
            message: "line \(p + 2) does not match ratings.csv")
        }
        expected[p] = value
      }
    }
    return SyntheticWorld(
      configuration: configuration, seed: file.seed, ratings: ratings, profiles: profiles,
      expectedRatings: expected, films: FilmTable(effective: catalog))
  }
}
