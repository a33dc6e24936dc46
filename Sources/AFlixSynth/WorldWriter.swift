import AFlixData
import AFlixLinalg
import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a synthetic world as files any tool (and `AFlixData`'s loaders) reads back exactly.
///
/// A world folder holds:
/// - `ratings.csv`: `userId,movieId,rating,timestamp`, users then films in ascending id order,
///   exactly what `RatingsCSVWriter` writes for ``SyntheticWorld/ratings``;
/// - `movies.csv`: `movieId,title,genres,popularity,vote_average,year`, genres `|`-separated TMDB
///   names (`(no genres listed)` for none), the popularity (0–100) and vote average the formula
///   used; cast and director are not written;
/// - `truth.csv`: `userId,movieId,expected_rating`, one line per rating in `ratings.csv`'s order:
///   its noiseless expected value;
/// - `profiles.csv`: `userId,segment,tendency,noise_sd,popularity_bias,preferred_genres`, one
///   line per user (segment empty without archetypes, preferred genres `|`-separated TMDB ids);
/// - `world.json`: the seed and the configuration.
///
/// Numbers are written in Swift's shortest round-trip form, so ``SyntheticWorld/load(from:)``
/// reads every value back bit for bit.
///
/// Files are written under registered partial names (`.ratings.csv.<pid>.<token>.partial` … in
/// an existing folder; a hidden staging folder `.<folder>.<pid>.<token>.partial` beside a new
/// one), flushed to disk and renamed into place only once all five are complete; when writing
/// fails part-way the partial files are removed, and whatever the folder held before is left as
/// it was. A signal handler calling `PartialFiles.removeAll()` removes them too, and the next
/// write to the same folder removes those of a killed process. Only a folder is written into,
/// and only regular files in it are replaced: a file, FIFO or device at the folder's path, or a
/// symbolic link, FIFO, device or folder at one of the five names, is refused before anything is
/// written.
///
/// ```swift
/// let world = try SyntheticWorld.generate(seed: 42)
/// try WorldWriter.write(world, to: URL(fileURLWithPath: "world"))
/// // Or without holding the ratings in memory (the same bytes for the same seed):
/// let summary = try WorldWriter.stream(WorldConfiguration(users: 162_000), seed: 42,
///                                      to: URL(fileURLWithPath: "big-world"))
/// ```
public enum WorldWriter {
  /// The header of `movies.csv`.
  public static let moviesHeader = "movieId,title,genres,popularity,vote_average,year"
  /// The header of `truth.csv`.
  public static let truthHeader = "userId,movieId,expected_rating"
  /// The header of `profiles.csv`.
  public static let profilesHeader =
    "userId,segment,tendency,noise_sd,popularity_bias,preferred_genres"

  /// What a streamed world holds, with its noise floor.
  public struct Summary: Sendable, Codable, Equatable {
    /// The number of users.
    public var users: Int
    /// The number of films in the catalog.
    public var films: Int
    /// The number of ratings.
    public var ratings: Int
    /// `ratings / (users · films)`.
    public var density: Double
    /// The RMSE of all ratings against their expected values.
    public var oracleRMSE: Double
    /// The number of ratings in the seeded holdout.
    public var holdoutRatings: Int
    /// The RMSE of the holdout's ratings against their expected values (0 for an empty holdout).
    public var holdoutOracleRMSE: Double
  }

  /// Writes `world` into `directory` (created if needed; the five files are replaced).
  ///
  /// - Throws: `DataError` naming the path for a destination that is not a folder (or a name in
  ///   it that is not a regular file) and for the file system's failures (permission, a full
  ///   disk); ``SynthError``. On any error the folder is left as it was.
  public static func write(_ world: SyntheticWorld, to directory: URL) throws {
    let stage = try Stage(directory)
    do {
      try writeStaged(world, stage: stage)
      try stage.commit()
    } catch {
      stage.discard()
      throw error
    }
  }

  static func writeStaged(_ world: SyntheticWorld, stage: Stage) throws {
    try writeJSON(configuration: world.configuration, seed: world.seed, to: stage)
    try writeMovies(world.catalog, to: stage)
    let sinks = try Sinks(stage)
    defer { sinks.closeQuietly() }
    let data = world.ratings
    let itemTexts = data.items.ids.map { CSVBytes.field($0.description) }
    var ratings = CSVBytes(capacity: 1 << 20)
    var truth = CSVBytes(capacity: 1 << 20)
    var profiles = CSVBytes(capacity: 1 << 16)
    for u in 0..<data.userCount {
      let profile = world.profiles[u]
      let userText = CSVBytes.field(profile.id.description)
      appendProfile(profile, userText: userText, to: &profiles)
      let (items, values) = data.ratings(ofUser: u)
      let times = data.timestamps(ofUser: u)!
      for p in items.indices {
        appendRating(
          user: userText, item: itemTexts[Int(items[p])], value: values[p], time: times[p],
          expected: world.expectedRatings[p], ratings: &ratings, truth: &truth)
      }
      if ratings.bytes.count > 1 << 20 {
        try sinks.ratings.write(ratings.bytes)
        try sinks.truth.write(truth.bytes)
        ratings.bytes.removeAll(keepingCapacity: true)
        truth.bytes.removeAll(keepingCapacity: true)
      }
    }
    try sinks.ratings.write(ratings.bytes)
    try sinks.truth.write(truth.bytes)
    try sinks.profiles.write(profiles.bytes)
    try sinks.close()
  }

  /// Generates the world of `configuration` and `seed` chunk by chunk and writes it into
  /// `directory`, never holding more than a few chunks of ratings: the files are byte for byte
  /// those ``write(_:to:)`` writes for `SyntheticWorld.generate(configuration, seed: seed)`.
  ///
  /// The summary's holdout takes each rating with probability `holdoutFraction`, from its own
  /// random stream (the ratings do not depend on it). `progress`, when given, is called on the
  /// calling thread after each batch of users is generated, with the users done so far and the
  /// total (the last call has both equal).
  ///
  /// - Throws: ``SynthError`` for an invalid configuration or fraction (nothing is written), or
  ///   `.nonFiniteResult`; `DataError` naming the path for a destination that is not a folder (or
  ///   a name in it that is not a regular file) and for the file system's failures. On any error
  ///   the folder is left as it was.
  /// - Complexity: O(ratings) time; memory O(films + chunkSize · ratings per user · threads).
  @discardableResult
  public static func stream(
    _ configuration: WorldConfiguration, seed: UInt64, to directory: URL,
    holdoutFraction: Double = 0.2,
    progress: ((_ usersDone: Int, _ users: Int) -> Void)? = nil
  ) throws -> Summary {
    try stream(
      configuration, seed: seed, to: directory, holdoutFraction: holdoutFraction,
      afterBatch: nil, progress: progress)
  }

  /// ``stream(_:seed:to:holdoutFraction:progress:)`` calling `afterBatch` with each batch's index once
  /// its write is queued (tests inject failures through it).
  static func stream(
    _ configuration: WorldConfiguration, seed: UInt64, to directory: URL,
    holdoutFraction: Double, afterBatch: ((Int) throws -> Void)?,
    progress: ((Int, Int) -> Void)? = nil
  ) throws -> Summary {
    guard holdoutFraction.isFinite, (0...1).contains(holdoutFraction) else {
      throw SynthError(
        .invalidRange, parameter: "holdoutFraction", message: "\(holdoutFraction) is not in 0...1")
    }
    let engine = try SyntheticWorld.engine(for: configuration, seed: seed)
    let stage = try Stage(directory)
    do {
      let summary = try streamStaged(
        engine, configuration: configuration, seed: seed, stage: stage,
        holdoutFraction: holdoutFraction, afterBatch: afterBatch, progress: progress)
      try stage.commit()
      return summary
    } catch {
      stage.discard()
      throw error
    }
  }

  static func streamStaged(
    _ engine: WorldEngine, configuration: WorldConfiguration, seed: UInt64, stage: Stage,
    holdoutFraction: Double, afterBatch: ((Int) throws -> Void)?,
    progress: ((Int, Int) -> Void)? = nil
  ) throws -> Summary {
    try writeJSON(configuration: configuration, seed: seed, to: stage)
    try writeMovies(engine.films.catalog, to: stage)
    let sinks = try Sinks(stage)
    defer { sinks.closeQuietly() }
    let itemTexts = engine.films.ids.map { CSVBytes.field($0.description) }
    let batch = max(1, min(16, Parallelism.currentThreadCount))
    // Batch k + 1 is generated while batch k is written (on a serial queue): two batches of
    // chunks in memory at most.
    let writer = DispatchQueue(label: "org.aflix.synth.writer")
    let pending = DispatchGroup()
    let state = WriteState(sinks)
    // Whatever ends the loop, the queued write finishes before the files are closed.
    defer { pending.wait() }
    var c = 0
    var batchIndex = 0
    while c < engine.chunkCount {
      let texts = engine.runChunks(c..<min(c + batch, engine.chunkCount)) { k, scratch in
        let chunk = engine.chunk(k, seed: seed, scratch: &scratch)
        return format(chunk, itemTexts: itemTexts, seed: seed, holdout: holdoutFraction)
      }
      for text in texts {
        if let (user, film) = text.nonFinite {
          throw SynthError(
            .nonFiniteResult, parameter: nil,
            message: "user \(user)'s rating of film \(engine.films.ids[film]) (or its expected "
              + "value) is not finite: the parameters' magnitudes overflow")
        }
      }
      pending.wait()
      if let error = state.error { throw error }
      writer.async(group: pending) { state.write(texts) }
      try afterBatch?(batchIndex)
      batchIndex += 1
      c += batch
      progress?(min(configuration.users, c * WorldEngine.chunkSize), configuration.users)
    }
    pending.wait()
    if let error = state.error { throw error }
    let total = state.total
    try sinks.close()
    let films = engine.films.count
    return Summary(
      users: configuration.users, films: films, ratings: total.count,
      density: Double(total.count) / (Double(configuration.users) * Double(films)),
      oracleRMSE: (total.squares / Double(max(1, total.count))).squareRoot(),
      holdoutRatings: total.holdoutCount,
      holdoutOracleRMSE: (total.holdoutSquares / Double(max(1, total.holdoutCount))).squareRoot())
  }

  /// The sinks and running totals of a stream, used by one write at a time (each write is
  /// waited for before the next is queued and before the totals are read).
  final class WriteState: @unchecked Sendable {
    let sinks: Sinks
    var total = ChunkText()
    var error: (any Error)?

    init(_ sinks: Sinks) { self.sinks = sinks }

    func write(_ texts: [ChunkText]) {
      guard error == nil else { return }
      do {
        for text in texts {
          try sinks.ratings.write(text.ratings)
          try sinks.truth.write(text.truth)
          try sinks.profiles.write(text.profiles)
          total.add(text)
        }
      } catch {
        self.error = error
      }
    }
  }

  /// One chunk's text and error sums.
  struct ChunkText: Sendable {
    var ratings: [UInt8] = []
    var truth: [UInt8] = []
    var profiles: [UInt8] = []
    var count = 0
    var squares = 0.0
    var holdoutCount = 0
    var holdoutSquares = 0.0
    /// The chunk's first rating whose value or expectation is not finite.
    var nonFinite: (user: EntityID, film: Int)?

    mutating func add(_ other: ChunkText) {
      count += other.count
      squares += other.squares
      holdoutCount += other.holdoutCount
      holdoutSquares += other.holdoutSquares
    }
  }

  static func format(
    _ chunk: UserChunk, itemTexts: [[UInt8]], seed: UInt64, holdout: Double
  ) -> ChunkText {
    var selector = SeededGenerator(
      seed: seed, stream: Streams.holdout &+ UInt64(chunk.firstUser / WorldEngine.chunkSize))
    var ratings = CSVBytes(capacity: chunk.values.count * 28)
    var truth = CSVBytes(capacity: chunk.values.count * 24)
    var profiles = CSVBytes(capacity: chunk.profiles.count * 64)
    var out = ChunkText()
    out.nonFinite = chunk.nonFinite
    for (u, profile) in chunk.profiles.enumerated() {
      let userText = CSVBytes.field(profile.id.description)
      appendProfile(profile, userText: userText, to: &profiles)
      for p in chunk.offsets[u]..<chunk.offsets[u + 1] {
        appendRating(
          user: userText, item: itemTexts[Int(chunk.films[p])], value: chunk.values[p],
          time: chunk.timestamps[p], expected: chunk.expected[p], ratings: &ratings,
          truth: &truth)
        let d = Double(chunk.values[p]) - Double(chunk.expected[p])
        out.count += 1
        out.squares += d * d
        if selector.nextUnitDouble() < holdout {
          out.holdoutCount += 1
          out.holdoutSquares += d * d
        }
      }
    }
    out.ratings = ratings.bytes
    out.truth = truth.bytes
    out.profiles = profiles.bytes
    return out
  }

  @inline(__always)
  static func appendRating(
    user: [UInt8], item: [UInt8], value: Float, time: Int64, expected: Float,
    ratings: inout CSVBytes, truth: inout CSVBytes
  ) {
    ratings.append(raw: user)
    ratings.comma()
    ratings.append(raw: item)
    ratings.comma()
    ratings.append(value)
    ratings.comma()
    ratings.append(time)
    ratings.newline()
    truth.append(raw: user)
    truth.comma()
    truth.append(raw: item)
    truth.comma()
    truth.append(expected)
    truth.newline()
  }

  static func appendProfile(_ profile: UserProfile, userText: [UInt8], to out: inout CSVBytes) {
    out.append(raw: userText)
    out.comma()
    out.append(field: profile.segment ?? "")
    out.comma()
    out.append(profile.tendency)
    out.comma()
    out.append(profile.noiseSD)
    out.comma()
    out.append(profile.popularityBias)
    out.comma()
    out.append(raw: profile.preferredGenres.map(String.init).joined(separator: "|"))
    out.newline()
  }

  /// Writes `world.json` (under its temporary name).
  static func writeJSON(configuration: WorldConfiguration, seed: UInt64, to stage: Stage) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json = try encoder.encode(WorldFile(format: 1, seed: seed, configuration: configuration))
    try AtomicFile.createFile(json, at: stage.url("world.json"))
  }

  /// Writes `movies.csv` (under its temporary name).
  static func writeMovies(_ catalog: Catalog, to stage: Stage) throws {
    var out = CSVBytes(capacity: catalog.count * 64)
    out.append(raw: moviesHeader)
    out.newline()
    for movie in catalog.movies {
      out.append(field: movie.id.description)
      out.comma()
      out.append(field: movie.title)
      out.comma()
      out.append(
        field: movie.genres.isEmpty
          ? WorldFiles.noGenres : movie.genres.map(\.name).joined(separator: "|"))
      out.comma()
      if let popularity = movie.popularity { out.append(popularity) }
      out.comma()
      if let vote = movie.voteAverage { out.append(vote) }
      out.comma()
      if let year = movie.year { out.append(Int64(year)) }
      out.newline()
    }
    try AtomicFile.createFile(Data(out.bytes), at: stage.url("movies.csv"))
  }
}

/// The content of `world.json`.
struct WorldFile: Codable {
  var format: Int
  var seed: UInt64
  var configuration: WorldConfiguration
}
