import AFlix
import Foundation
import GRDB

/// The service's durable state in SQLite through GRDB: users, films, and ratings (one per user
/// and film, a new rating replacing the old). Created and migrated when opened; every write is
/// committed before its method returns. The default store (`--database PATH`, or in memory).
public final class SQLiteRatingStore: RatingStore {
  let queue: DatabaseQueue

  /// Opens (creating and migrating when needed) the store at `path`; `nil` opens an in-memory one.
  /// `migratingUpTo` stops the migrations after the one of that identifier (for tests of
  /// upgrades; `nil` applies them all).
  ///
  /// - Throws: GRDB's `DatabaseError` when the file cannot be opened or migrated.
  public init(path: String?, migratingUpTo target: String? = nil) throws {
    var configuration = Configuration()
    configuration.foreignKeysEnabled = true
    if let path {
      queue = try DatabaseQueue(path: path, configuration: configuration)
    } else {
      queue = try DatabaseQueue(configuration: configuration)
    }
    if let target {
      try Self.migrator.migrate(queue, upTo: target)
    } else {
      try Self.migrator.migrate(queue)
    }
  }

  /// The schema's migrations, in order.
  public static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: users, films, ratings") { db in
      try db.create(table: "users") { t in
        t.primaryKey("id", .text)
        t.column("created_at", .integer).notNull()
      }
      try db.create(table: "films") { t in
        t.primaryKey("id", .text)
        t.column("title", .text).notNull()
      }
      try db.create(table: "ratings") { t in
        t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
        t.column("movie_id", .text).notNull().references("films", onDelete: .cascade)
        t.column("rating", .double).notNull()
        t.column("timestamp", .integer).notNull()
        t.column("source", .text)
        t.column("sequence", .integer).notNull()
        t.primaryKey(["user_id", "movie_id"])
      }
      try db.create(index: "ratings_by_sequence", on: "ratings", columns: ["sequence"])
    }
    migrator.registerMigration("v2: accounts") { db in
      try db.create(table: "accounts") { t in
        t.primaryKey("username", .text)
        t.column("password_hash", .text).notNull()
        t.column("is_admin", .boolean).notNull().defaults(to: false)
        t.column("created_at", .integer).notNull()
      }
    }
    migrator.registerMigration("v3: films added through the service") { db in
      try db.alter(table: "films") { t in
        t.add(column: "details", .text)
        t.add(column: "added_at", .integer)
      }
      try db.create(index: "ratings_by_film", on: "ratings", columns: ["movie_id"])
    }
    migrator.registerMigration("v4: experiments and feedback") { db in
      try db.create(table: "experiments") { t in
        t.primaryKey("name", .text)
        t.column("variants", .text).notNull()
        t.column("created_at", .integer).notNull()
      }
      // One exposure and at most one conversion per user and experiment.
      try db.create(table: "experiment_events") { t in
        t.column("experiment", .text).notNull().references("experiments", onDelete: .cascade)
        t.column("user_id", .text).notNull()
        t.column("kind", .text).notNull()
        t.column("variant", .integer).notNull()
        t.column("value", .double)
        t.column("timestamp", .integer).notNull()
        t.primaryKey(["experiment", "user_id", "kind"])
      }
      try db.create(table: "feedback") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("user_id", .text).notNull()
        t.column("movie_id", .text).notNull()
        t.column("event", .text).notNull()
        t.column("source", .text)
        t.column("experiment", .text)
        t.column("variant", .integer)
        t.column("timestamp", .integer).notNull()
      }
      try db.create(index: "feedback_by_user", on: "feedback", columns: ["user_id"])
    }
    migrator.registerMigration("v5: experiments that change the lists") { db in
      try db.alter(table: "experiments") { t in t.add(column: "applies_to", .text) }
    }
    return migrator
  }

  /// The migrations applied so far, by identifier.
  public func appliedMigrations() async throws -> [String] {
    try await queue.read { db in try Self.migrator.appliedIdentifiers(db).sorted() }
  }

  /// The names of the tables the schema has.
  public func tableNames() async throws -> [String] {
    try await queue.read { db in
      try String.fetchAll(
        db,
        sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
          + "AND name NOT LIKE 'grdb_%' ORDER BY name")
    }
  }

  /// Records the catalogue's films (new ones added, titles of known ones updated).
  public func upsertFilms(_ films: [(id: String, title: String)]) async throws {
    try await queue.write { db in
      let statement = try db.makeStatement(
        sql: "INSERT INTO films (id, title) VALUES (?, ?) "
          + "ON CONFLICT(id) DO UPDATE SET title = excluded.title")
      for film in films {
        try statement.execute(arguments: [film.id, film.title])
      }
    }
  }

  /// Adds `movie`, a film the dataset does not have, with its whole description (kept as JSON)
  /// and when it was added; `false`, writing nothing, when a film with its id exists.
  public func addFilm(_ movie: Movie, addedAt: Int64) async throws -> Bool {
    let details = String(decoding: try JSONEncoder().encode(movie), as: UTF8.self)
    return try await queue.write { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO films (id, title, details, added_at) VALUES (?, ?, ?, ?)",
        arguments: [movie.id.description, movie.title, details, addedAt])
      return db.changesCount == 1
    }
  }

  /// The added films' descriptions, in the order they were added.
  public func addedFilmDescriptions() async throws -> [String] {
    try await queue.read { db in
      try String.fetchAll(
        db,
        sql: "SELECT details FROM films WHERE details IS NOT NULL ORDER BY added_at, rowid")
    }
  }

  /// Every rating of the film `movieID`, by user id.
  public func ratings(ofFilm movieID: String) async throws -> [StoredRating] {
    try await queue.read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM ratings WHERE movie_id = ? ORDER BY user_id",
        arguments: [movieID]
      ).map(Self.rating(from:))
    }
  }

  /// Saves `rating`, replacing the user's earlier rating of the film, and returns it with its
  /// write sequence; the user is created when new. Committed when this returns.
  ///
  /// - Throws: GRDB's `DatabaseError`, e.g. a foreign-key failure for a film the store lacks.
  @discardableResult
  public func save(_ rating: StoredRating) async throws -> StoredRating {
    try await queue.write { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO users (id, created_at) VALUES (?, ?)",
        arguments: [rating.userID, rating.timestamp])
      let next =
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM ratings") ?? 1
      try db.execute(
        sql: """
          INSERT INTO ratings (user_id, movie_id, rating, timestamp, source, sequence)
          VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT(user_id, movie_id) DO UPDATE SET rating = excluded.rating,
            timestamp = excluded.timestamp, source = excluded.source, sequence = excluded.sequence
          """,
        arguments: [
          rating.userID, rating.movieID, rating.rating, rating.timestamp, rating.source, next,
        ])
      var saved = rating
      saved.sequence = next
      return saved
    }
  }

  /// Every rating of `user`, by film id.
  public func ratings(ofUser user: String) async throws -> [StoredRating] {
    try await queue.read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM ratings WHERE user_id = ? ORDER BY movie_id", arguments: [user]
      ).map(Self.rating(from:))
    }
  }

  /// Every rating written after sequence `sequence`, in write order.
  public func ratings(after sequence: Int64) async throws -> [StoredRating] {
    try await queue.read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM ratings WHERE sequence > ? ORDER BY sequence",
        arguments: [sequence]
      ).map(Self.rating(from:))
    }
  }

  /// How many ratings the store holds.
  public func ratingCount() async throws -> Int {
    try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ratings") ?? 0 }
  }

  /// How many users the store holds.
  public func userCount() async throws -> Int {
    try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0 }
  }

  /// Creates the account `username` unless it exists; returns whether it was created.
  public func createAccount(
    username: String, passwordHash: String, isAdmin: Bool, createdAt: Int64
  ) async throws -> Bool {
    try await queue.write { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO accounts (username, password_hash, is_admin, created_at) "
          + "VALUES (?, ?, ?, ?)",
        arguments: [username, passwordHash, isAdmin, createdAt])
      return db.changesCount == 1
    }
  }

  /// The account `username`'s password hash and admin flag, if it exists.
  public func account(named username: String) async throws -> (passwordHash: String, isAdmin: Bool)?
  {
    try await queue.read { db in
      try Row.fetchOne(
        db, sql: "SELECT password_hash, is_admin FROM accounts WHERE username = ?",
        arguments: [username]
      ).map { (passwordHash: $0["password_hash"], isAdmin: $0["is_admin"]) }
    }
  }

  /// Closes the database; later calls throw.
  public func close() throws {
    try queue.close()
  }

  private static func rating(from row: Row) -> StoredRating {
    StoredRating(
      userID: row["user_id"], movieID: row["movie_id"], rating: row["rating"],
      timestamp: row["timestamp"], source: row["source"], sequence: row["sequence"])
  }
}
