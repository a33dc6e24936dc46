import AFlix
import ArgumentParser
import Foundation
import _AFlixSupport

/// `aflix synth`: generates a seeded synthetic world and writes it as CSV files with its ground
/// truth.
struct SynthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth",
    abstract: "Generate a seeded synthetic world: ratings, films and ground truth as CSV.",
    discussion: """
      Writes ratings.csv (userId,movieId,rating,timestamp), movies.csv (movieId,title,genres,
      popularity,vote_average,year), truth.csv (userId,movieId,expected_rating: each rating's
      noiseless expected value), profiles.csv (userId,segment,tendency,noise_sd,popularity_bias,
      preferred_genres) and world.json (seed and configuration). Generation streams: memory stays
      small for any size. Sizes are bounded: at most 100,000,000 users, 10,000,000 films and
      2,000,000,000 ratings (users x the most ratings per user); the popular exponent lies in
      -20...20. Files are written under temporary names and renamed when complete, so a run that
      fails or is interrupted (SIGINT, SIGTERM) leaves the folder as it was; unfinished files of a
      killed run are removed by the next run into the same folder. The files read back as
      written: `aflix info DIR` (the world) and `aflix info DIR/ratings.csv` (the world's scale
      applies, from world.json).

      Example: aflix synth --users 10000 --out world
      """
  )

  @Option(parsing: .unconditional, help: "Number of users (1–100,000,000).")
  var users = 10_000

  @Option(
    parsing: .unconditional,
    help: "Number of generated films (1–10,000,000; default 400; not with --catalog).")
  var movies: Int?

  @Option(help: "Seed: the same seed writes the same files.")
  var seed: UInt64 = 0

  @Flag(help: "Draw users from the original's five taste archetypes (segment in profiles.csv).")
  var archetypes = false

  @Option(help: "A real catalog instead of generated films: TMDB JSON, u.item, movies.csv, …")
  var catalog: String?

  @Option(
    parsing: .unconditional, help: "Distinct films each user rates, MIN-MAX.",
    transform: ParameterRange<Int>.parse)
  var ratingsPerUser = ParameterRange(10, 50)

  @Option(help: "Rounding of ratings: none, half or whole.")
  var rounding: RatingRounding = .none

  @Option(
    help: "Film choice: uniform, or popular[:EXPONENT] (weight (popularity+1)^EXPONENT).",
    transform: FilmChoice.parse)
  var filmChoice = FilmChoice.uniform

  @Option(help: "The folder to write into (created if needed).")
  var out: String

  @OptionGroup var common: CommonOptions

  mutating func validate() throws {
    if movies != nil && catalog != nil {
      throw ValidationError("give --movies or --catalog, not both")
    }
  }

  /// A configuration error with the command line's flag names instead of the configuration's
  /// property names (`ratingsPerUser: …` → `--ratings-per-user: …`).
  static func withFlagNames(_ text: String) -> String {
    let names = [
      ("catalog.count", "--movies"), ("ratingsPerUser", "--ratings-per-user"),
      ("filmChoice.exponent", "--film-choice exponent"), ("filmChoice", "--film-choice"),
      ("users", "--users"),
    ]
    for (property, flag) in names where text.hasPrefix(property + ":") {
      return flag + text.dropFirst(property.count)
    }
    return text
  }

  func run() throws {
    common.applyThreads()
    var configuration = WorldConfiguration(users: users)
    if let catalog {
      let loaded = try DatasetLoader.load(path: try DatasetReference.resolve(catalog))
      guard let films = loaded.catalog else {
        throw ValidationError("\(catalog) holds no catalog of films")
      }
      configuration.catalog = .provided(films)
    } else {
      configuration.catalog = .generated(CatalogConfiguration(count: movies ?? 400))
    }
    configuration.ratingsPerUser = ratingsPerUser
    configuration.rounding = rounding
    configuration.filmChoice = filmChoice
    if archetypes { configuration.archetypes = Archetype.original }
    do {
      try configuration.validate()
    } catch let error as SynthError {
      throw CommandError(Self.withFlagNames(error.description))
    }
    let clock = ContinuousClock()
    let start = clock.now
    let folder = URL(fileURLWithPath: out)
    let bar = ProgressBar("generating", enabled: common.showsProgress)
    let summary = try WorldWriter.stream(configuration, seed: seed, to: folder) { done, total in
      bar.update(step: done, of: total, note: "users \(done)/\(total)")
    }
    bar.clear()
    let elapsed = (clock.now - start).inSeconds
    if common.json {
      let object: [String: Any] = [
        "users": summary.users, "films": summary.films, "ratings": summary.ratings,
        "density": summary.density, "oracle_rmse": summary.oracleRMSE,
        "holdout_ratings": summary.holdoutRatings,
        "oracle_rmse_holdout": summary.holdoutOracleRMSE, "seconds": elapsed,
        "rounding": rounding.rawValue, "seed": seed, "out": folder.path,
      ]
      let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(
        """
        users        \(summary.users)
        films        \(summary.films)
        ratings      \(summary.ratings)
        density      \(String(format: "%.4f", summary.density))
        oracle RMSE  \(String(format: "%.4f", summary.holdoutOracleRMSE)) on a seeded 20% holdout \
        (\(String(format: "%.4f", summary.oracleRMSE)) on all ratings): the noise floor
        seconds      \(String(format: "%.3f", elapsed))
        written      \(folder.path)/{ratings,movies,truth,profiles}.csv, world.json
        """)
    }
  }
}

extension RatingRounding: ExpressibleByArgument {}
