import AFlixData
import AFlixLinalg
import Foundation

extension SyntheticWorld {
  /// Reads a world folder written by ``WorldWriter``: `ratings.csv` through `AFlixData`'s
  /// delimited loader (integer and string ids alike, with the world's rating scale),
  /// `movies.csv`, `profiles.csv` and `truth.csv` through the world's own CSV reader, and
  /// `world.json`.
  ///
  /// Every value the files carry reads back bit for bit: ratings, timestamps, profiles,
  /// expected ratings, and each film's id, title, genres (names and TMDB ids, including
  /// `"TMDB genre <id>"` genres with ids TMDB's list lacks), popularity, vote average and year
  /// (an empty year is `nil`, whatever the title says). What the files do not carry is not
  /// restored: films' cast, director, vote count, original title and external ids.
  ///
  /// - Throws: ``SynthError`` `.invalidFile` for a missing, malformed or inconsistent file;
  ///   `DataError` from the ratings loader.
  public static func load(from directory: URL) throws -> SyntheticWorld {
    let file = try worldFile(in: directory)
    let configuration = file.configuration
    // truth.csv is as long as ratings.csv: it is read on another thread meanwhile, and checked
    // against the ratings once they are loaded; movies.csv and profiles.csv are read on a third.
    // Errors are reported in the order the files are checked: movies, ratings, profiles, truth.
    let truthURL = directory.appendingPathComponent("truth.csv")
    let pending = PendingTruth()
    let reading = DispatchGroup()
    DispatchQueue.global().async(group: reading) { pending.result = PendingTruth.read(truthURL) }
    DispatchQueue.global().async(group: reading) {
      pending.movies = Result {
        try WorldFiles.readMovies(directory.appendingPathComponent("movies.csv"))
      }
      pending.profiles = Result {
        try CSVReader.rows(
          of: directory.appendingPathComponent("profiles.csv"), header: WorldWriter.profilesHeader)
      }
    }
    defer { reading.wait() }
    let loaded = Result {
      try DelimitedRatingsLoader.loadRatings(
        file: directory.appendingPathComponent("ratings.csv"),
        options: LoadOptions(
          scale: configuration.ratingScale,
          delimited: DelimitedOptions(
            delimiter: ",", user: ["userId"], item: ["movieId"], rating: ["rating"],
            timestamp: ["timestamp"])))
    }
    reading.wait()
    let catalog = try pending.movies!.get()
    let ratings = try loaded.get()
    let profileRows = try pending.profiles!.get()
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
          message: "record \(k + 2) is malformed or out of order")
      }
      let genres = try row[5].split(separator: "|").map { text -> Int in
        guard let genre = Int(text) else {
          throw SynthError(
            .invalidFile, parameter: "profiles.csv",
            message: "record \(k + 2): bad genre \(text)")
        }
        return genre
      }
      profiles.append(
        UserProfile(
          id: id, preferredGenres: genres, tendency: tendency, noiseSD: noise,
          popularityBias: bias, segment: row[1].isEmpty ? nil : row[1]))
    }

    let expected =
      try pending.result.flatMap { $0.expected(matching: ratings) }
      ?? readTruth(truthURL, ratings: ratings)
    for movie in catalog.movies where movie.popularity == nil || movie.voteAverage == nil {
      throw SynthError(
        .invalidFile, parameter: "movies.csv",
        message: "film \(movie.id) has no popularity or vote_average")
    }
    for id in ratings.items.ids where catalog.movie(withID: id) == nil {
      throw SynthError(
        .invalidFile, parameter: "ratings.csv", message: "film \(id) is not in movies.csv")
    }
    return SyntheticWorld(
      configuration: configuration, seed: file.seed, ratings: ratings, profiles: profiles,
      expectedRatings: expected, films: FilmTable(effective: catalog))
  }
}

extension SyntheticWorld {
  /// The expected ratings of `truth.csv`, one per rating in user-major order, each record
  /// checked against the rating it belongs to. The file is streamed (it is as long as
  /// `ratings.csv`): no record is held as strings.
  static func readTruth(_ url: URL, ratings: RatingsDataset) throws -> [Float] {
    func bad(_ message: String) -> SynthError {
      SynthError(.invalidFile, parameter: "truth.csv", message: message)
    }
    let reader: TextLineReader
    do {
      reader = try TextLineReader(contentsOf: url)
    } catch {
      throw bad("cannot read \(url.path): \(error)")
    }
    // Ids as the file writes them: a record matches when its fields are these bytes.
    let itemText = ratings.items.ids.map { Array($0.description.utf8) }
    let offsets = ratings.userItemMatrix.rowOffsets
    let columns = ratings.userItemMatrix.columnIndices
    let total = ratings.ratingCount
    var expected = [Float](repeating: 0, count: total)
    var p = -1  // the record's index; -1 is the header
    var user = 0
    var userText = Array(
      (ratings.userCount > 0 ? ratings.users.id(at: 0) : .int(0)).description.utf8)
    var fields: [Range<Int>] = []
    fields.reserveCapacity(4)
    do {
      try reader.forEachLine { _, line in
        if p == -1 {
          guard String(decoding: line, as: UTF8.self) == WorldWriter.truthHeader else {
            throw bad("the header is not \(WorldWriter.truthHeader)")
          }
          p = 0
          return
        }
        defer { p += 1 }
        guard p < total else { return }  // counted, reported after the loop
        while offsets[user + 1] <= p {
          user += 1
          userText = Array(ratings.users.id(at: user).description.utf8)
        }
        let value: Float?
        var matches: Bool
        if line.contains(UInt8(ascii: "\"")) {
          // A quoted id: the general CSV reader, for this one record.
          guard let records = CSVReader.records(in: Array(line)), records.count == 1,
            records[0].count == 3
          else { throw bad("record \(p + 2) does not have 3 fields") }
          let row = records[0]
          matches =
            Array(row[0].utf8) == userText && Array(row[1].utf8) == itemText[Int(columns[p])]
          value = Float(row[2])
        } else {
          fields.removeAll(keepingCapacity: true)
          var start = 0
          for k in 0..<line.count where line[k] == UInt8(ascii: ",") {
            fields.append(start..<k)
            start = k + 1
          }
          fields.append(start..<line.count)
          guard fields.count == 3 else { throw bad("record \(p + 2) does not have 3 fields") }
          matches =
            line[fields[0]].elementsEqual(userText)
            && line[fields[1]].elementsEqual(itemText[Int(columns[p])])
          let number = UnsafeBufferPointer(rebasing: line[fields[2]])
          value =
            TextLineReader.plainDecimalFloat(number)
            ?? Float(String(decoding: number, as: UTF8.self))
        }
        guard matches, let value else {
          throw bad("record \(p + 2) does not match ratings.csv")
        }
        expected[p] = value
      }
    } catch let error as DataError {
      throw bad("\(error)")
    }
    let records = max(p, 0)
    guard records == total else {
      throw bad("\(records) expected ratings for \(total) ratings")
    }
    return expected
  }
}

/// The files of a world read ahead of its ratings: `movies.csv`, `profiles.csv` and `truth.csv`
/// (each record's expected rating and its user and item
/// ids, when every id is a plain non-negative integer below 2³¹, as in every world with integer
/// ids). For `truth.csv`, anything else (string ids, a malformed record) leaves no result, and
/// ``SyntheticWorld/readTruth(_:ratings:)`` reads the file again and says what is wrong.
final class PendingTruth: @unchecked Sendable {
  /// Set by the reading thread before the reader's group is left; read after waiting on it.
  var result: PendingTruth.Records?
  /// `movies.csv`, read on another thread (set before its group is left).
  var movies: Result<Catalog, any Error>?
  /// `profiles.csv`'s records, read on another thread (set before its group is left).
  var profiles: Result<[[String]], any Error>?

  /// The records of a `truth.csv` whose ids are all plain integers.
  struct Records {
    var users: [Int32]
    var items: [Int32]
    var values: [Float]

    /// The expected ratings when the records are exactly `ratings`' (user, item) pairs in
    /// user-major order, else `nil`.
    func expected(matching ratings: RatingsDataset) -> [Float]? {
      guard values.count == ratings.ratingCount else { return nil }
      let userIDs = ratings.users.ids.map { $0.intValue ?? -1 }
      let itemIDs = ratings.items.ids.map { $0.intValue ?? -1 }
      let offsets = ratings.userItemMatrix.rowOffsets
      let columns = ratings.userItemMatrix.columnIndices
      for u in 0..<ratings.userCount {
        let user = userIDs[u]
        for p in offsets[u]..<offsets[u + 1]
        where Int(users[p]) != user || Int(items[p]) != itemIDs[Int(columns[p])] {
          return nil
        }
      }
      return values
    }
  }

  /// The records of `url`, or `nil` when it is not a header and records of three plain fields.
  static func read(_ url: URL) -> Records? {
    guard let reader = try? TextLineReader(contentsOf: url) else { return nil }
    var records = Records(users: [], items: [], values: [])
    let estimate = reader.byteCount / 20
    records.users.reserveCapacity(estimate)
    records.items.reserveCapacity(estimate)
    records.values.reserveCapacity(estimate)
    var header = true
    struct NotPlain: Error {}
    do {
      try reader.forEachLine { _, line in
        if header {
          guard String(decoding: line, as: UTF8.self) == WorldWriter.truthHeader else {
            throw NotPlain()
          }
          header = false
          return
        }
        var k = 0
        guard let user = plainInteger(line, &k), k < line.count, line[k] == UInt8(ascii: ",")
        else { throw NotPlain() }
        k += 1
        guard let item = plainInteger(line, &k), k < line.count, line[k] == UInt8(ascii: ",")
        else { throw NotPlain() }
        let number = UnsafeBufferPointer(rebasing: line[(k + 1)...])
        guard let value = TextLineReader.plainDecimalFloat(number) else { throw NotPlain() }
        records.users.append(user)
        records.items.append(item)
        records.values.append(value)
      }
    } catch {
      return nil
    }
    return header ? nil : records
  }

  /// The plain decimal integer at `k` (digits only, no leading zero, below 2³¹), advancing `k`
  /// past it; `nil` otherwise.
  @inline(__always)
  private static func plainInteger(_ line: UnsafeBufferPointer<UInt8>, _ k: inout Int) -> Int32? {
    let start = k
    var value = 0
    while k < line.count, line[k] &- UInt8(ascii: "0") < 10, k - start < 10 {
      value = value * 10 + Int(line[k] &- UInt8(ascii: "0"))
      k += 1
    }
    guard k > start, value <= Int(Int32.max), line[start] != UInt8(ascii: "0") || k - start == 1
    else { return nil }
    return Int32(value)
  }
}

/// What the world's files can carry, and the reader of their `movies.csv`.
enum WorldFiles {
  /// Whether a film id reads back as itself from `ratings.csv`, `truth.csv` and `movies.csv`:
  /// any integer; a string that does not read as an integer (`"42"` would read back as the
  /// integer 42), is not empty, does not start or end with a space (loaders trim them) and
  /// holds no line break.
  static func isRepresentable(_ id: EntityID) -> Bool {
    guard case .string(let text) = id else { return true }
    return EntityID(parsing: text) == id && !text.isEmpty && !text.hasPrefix(" ")
      && !text.hasSuffix(" ") && !text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
  }

  /// Whether a genre reads back as itself from `movies.csv`'s `|`-separated names.
  static func isRepresentable(_ genre: Genre) -> Bool {
    !genre.name.isEmpty && !genre.name.contains("|") && genre.name != noGenres
      && Self.genre(named: genre.name) == genre
  }

  /// The `genres` field of a film without genres.
  static let noGenres = "(no genres listed)"

  /// The genre a `movies.csv` name stands for: `"TMDB genre <id>"` (as `AFlixData`'s TMDB
  /// loader names ids that are not in TMDB's list) is that id; any other name is
  /// `Genre.named(_:)`'s genre.
  static func genre(named name: String) -> Genre {
    let prefix = "TMDB genre "
    if name.hasPrefix(prefix) {
      let digits = name.dropFirst(prefix.count)
      if let id = Int(digits), String(id) == digits, Genre.tmdb(id: id) == nil {
        return Genre(id: id, name: name)
      }
    }
    return Genre.named(name)
  }

  /// Reads a world's `movies.csv` (`movieId,title,genres,popularity,vote_average,year`).
  static func readMovies(_ url: URL) throws -> Catalog {
    let rows = try CSVReader.rows(of: url, header: WorldWriter.moviesHeader)
    func bad(_ k: Int, _ what: String) -> SynthError {
      SynthError(.invalidFile, parameter: "movies.csv", message: "record \(k + 2): \(what)")
    }
    func number(_ text: String, _ k: Int, _ column: String) throws -> Double? {
      if text.isEmpty { return nil }
      guard let value = Double(text), value.isFinite else {
        throw bad(k, "\(column) \(text) is not a finite number")
      }
      return value
    }
    var movies: [Movie] = []
    movies.reserveCapacity(rows.count)
    for (k, row) in rows.enumerated() {
      guard !row[0].isEmpty else { throw bad(k, "empty movieId") }
      let genres =
        row[2].isEmpty || row[2] == noGenres
        ? []
        : row[2].split(separator: "|", omittingEmptySubsequences: false).map {
          genre(named: String($0))
        }
      var year: Int?
      if !row[5].isEmpty {
        guard let value = Int(row[5]) else { throw bad(k, "year \(row[5]) is not an integer") }
        year = value
      }
      movies.append(
        Movie(
          id: EntityID(parsing: row[0]), title: row[1], genres: genres, year: year,
          popularity: try number(row[3], k, "popularity"),
          voteAverage: try number(row[4], k, "vote_average")))
    }
    do {
      return try Catalog(movies: movies)
    } catch {
      throw SynthError(.invalidFile, parameter: "movies.csv", message: "\(error)")
    }
  }
}
