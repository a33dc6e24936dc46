import AFlix
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The service's store on PostgreSQL through postgres-nio, for `--database postgres://…`: the same
/// tables, migrations and answers as ``SQLiteRatingStore``, shared by every instance that points
/// at the database. Each write is one transaction, committed (with PostgreSQL's default
/// `synchronous_commit`, on disk) before its method returns.
///
/// Ratings take their write sequence under a transaction-scoped advisory lock, so that the
/// sequence is the commit order and ``ratings(after:)`` never skips a rating committed late with
/// a smaller number (what the service's fold-in of new ratings relies on).
public final class PostgresRatingStore: RatingStore {
  let client: PostgresClient
  let logger: Logger
  private let running: Task<Void, Never>

  /// The advisory-lock key that orders rating writes ("AFLR" in ASCII).
  static let ratingLockKey: Int64 = 0x4146_4C52

  /// Whether `database` is a PostgreSQL URL (`postgres://` or `postgresql://`).
  public static func isURL(_ database: String) -> Bool {
    database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
  }

  /// Connects to the database `url` names —
  /// `postgres://user:password@host:port/database?sslmode=…` (port 5432 and `sslmode=prefer` by
  /// default; `disable`, `prefer` and `require` encrypt as libpq does, without checking the
  /// certificate, `verify-ca` and `verify-full` check it; percent-escapes decoded) — and applies
  /// the migrations not yet applied, up to `migratingUpTo` (`nil`: all).
  ///
  /// - Parameter connectTimeout: how long to wait for the server before giving up (postgres-nio
  ///   keeps retrying a server that refuses connections; the service should fail to start instead).
  /// - Throws: ``StoreURLError`` for a URL it cannot read or a server that does not answer in
  ///   `connectTimeout`; postgres-nio's `PSQLError` when a migration fails.
  public init(
    url: String, logger: Logger, migratingUpTo target: String? = nil,
    connectTimeout: Duration = .seconds(15)
  ) async throws {
    let configuration = try Self.configuration(from: url)
    // The client's own messages (a first lease before `run()` is scheduled, retries) stay below
    // errors; failures reach the caller as thrown errors.
    var background = logger
    background.logLevel = max(logger.logLevel, .error)
    let client = PostgresClient(configuration: configuration, backgroundLogger: background)
    self.client = client
    self.logger = logger
    running = Task { await client.run() }
    do {
      // Only the first round trip is time-boxed: a long migration is not a server that is away.
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await client.query("SELECT 1", logger: logger) }
        group.addTask {
          try await Task.sleep(for: connectTimeout)
          throw StoreURLError(url: url, reason: "no answer in \(connectTimeout)")
        }
        defer { group.cancelAll() }
        try await group.next()
      }
      try await PostgresMigrations.migrate(client, upTo: target, logger: logger)
    } catch {
      running.cancel()
      throw error
    }
  }

  deinit {
    running.cancel()
  }

  /// The postgres-nio client configuration `url` describes (see ``init(url:logger:migratingUpTo:)``).
  ///
  /// - Throws: ``StoreURLError`` for a URL it cannot read.
  public static func configuration(from url: String) throws -> PostgresClient.Configuration {
    guard isURL(url), let components = URLComponents(string: url), let host = components.host,
      !host.isEmpty
    else {
      throw StoreURLError(url: url, reason: "not a postgres://user:password@host/database URL")
    }
    let user = components.user ?? "postgres"
    let database = components.path.split(separator: "/").first.map(String.init)
    let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
    // libpq's meanings: `prefer` and `require` encrypt without checking the certificate,
    // `verify-ca` checks it against the trusted roots, `verify-full` its host name too.
    var unverified = TLSConfiguration.makeClientConfiguration()
    unverified.certificateVerification = .none
    var caOnly = TLSConfiguration.makeClientConfiguration()
    caOnly.certificateVerification = .noHostnameVerification
    let tls: PostgresClient.Configuration.TLS
    switch mode {
    case "disable": tls = .disable
    case "prefer", "allow": tls = .prefer(unverified)
    case "require": tls = .require(unverified)
    case "verify-ca": tls = .require(caOnly)
    case "verify-full": tls = .require(.makeClientConfiguration())
    default: throw StoreURLError(url: url, reason: "unknown sslmode '\(mode)'")
    }
    return PostgresClient.Configuration(
      host: host, port: components.port ?? 5432, username: user, password: components.password,
      database: database, tls: tls)
  }

  /// The rows of `query`, decoded as `type`.
  func fetch<Row: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: Row.Type)
    async throws -> [Row]
  {
    var rows: [Row] = []
    for try await row in try await client.query(query, logger: logger).decode(Row.self) {
      rows.append(row)
    }
    return rows
  }

  /// How many rows `query` (an `INSERT … RETURNING 1`) returned: the rows it wrote.
  func countReturned(_ query: PostgresQuery) async throws -> Int {
    try await fetch(query, as: Int32.self).count
  }

  /// The migrations applied so far, by identifier, sorted.
  public func appliedMigrations() async throws -> [String] {
    try await fetch(
      "SELECT identifier FROM aflix_schema_migrations ORDER BY identifier COLLATE \"C\"",
      as: String.self)
  }

  /// The schema's tables (the migrations' own table left out), sorted.
  public func tableNames() async throws -> [String] {
    try await fetch(
      """
      SELECT table_name::text FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_name <> 'aflix_schema_migrations'
      ORDER BY table_name COLLATE "C"
      """, as: String.self)
  }

  /// Records the catalogue's films in one statement (new ones added, titles updated).
  public func upsertFilms(_ films: [(id: String, title: String)]) async throws {
    let ids = films.map(\.id)
    let titles = films.map(\.title)
    try await client.query(
      """
      INSERT INTO films (id, title) SELECT * FROM unnest(\(ids)::text[], \(titles)::text[])
      ON CONFLICT (id) DO UPDATE SET title = excluded.title
      """, logger: logger)
  }

  /// Adds `movie` with its description; `false` when a film with its id exists.
  public func addFilm(_ movie: Movie, addedAt: Int64) async throws -> Bool {
    let details = String(decoding: try JSONEncoder().encode(movie), as: UTF8.self)
    return try await countReturned(
      """
      INSERT INTO films (id, title, details, added_at)
      VALUES (\(movie.id.description), \(movie.title), \(details), \(addedAt))
      ON CONFLICT (id) DO NOTHING RETURNING 1
      """) == 1
  }

  /// The added films' descriptions, in the order they were added.
  public func addedFilmDescriptions() async throws -> [String] {
    try await fetch(
      "SELECT details FROM films WHERE details IS NOT NULL ORDER BY added_at, added_order",
      as: String.self)
  }

  /// The columns ``StoredRating`` is read from, in its initialiser's order.
  static let ratingColumns = "user_id, movie_id, rating, timestamp, source, sequence"

  /// The ratings `query` selects (with ``ratingColumns``).
  func ratings(_ query: PostgresQuery) async throws -> [StoredRating] {
    var ratings: [StoredRating] = []
    let rows = try await client.query(query, logger: logger)
    for try await (user, movie, rating, timestamp, source, sequence) in rows.decode(
      (String, String, Double, Int64, String?, Int64).self)
    {
      ratings.append(
        StoredRating(
          userID: user, movieID: movie, rating: rating, timestamp: timestamp, source: source,
          sequence: sequence))
    }
    return ratings
  }

  /// Every rating of the film `movieID`, by user id.
  public func ratings(ofFilm movieID: String) async throws -> [StoredRating] {
    try await ratings(
      """
      SELECT \(unescaped: Self.ratingColumns) FROM ratings WHERE movie_id = \(movieID)
      ORDER BY user_id COLLATE "C"
      """)
  }

  /// Saves `rating` in one transaction, its sequence taken under the rating lock.
  @discardableResult
  public func save(_ rating: StoredRating) async throws -> StoredRating {
    let logger = logger
    let next = try await client.withTransaction(logger: logger) { connection -> Int64 in
      // Read committed whatever the server's default: each statement after the lock must see
      // the ratings committed before it was granted.
      try await connection.query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED", logger: logger)
      try await connection.query(
        "SELECT pg_advisory_xact_lock(\(Self.ratingLockKey))", logger: logger)
      try await connection.query(
        """
        INSERT INTO users (id, created_at) VALUES (\(rating.userID), \(rating.timestamp))
        ON CONFLICT (id) DO NOTHING
        """, logger: logger)
      var next: Int64 = 1
      for try await value in try await connection.query(
        "SELECT COALESCE(MAX(sequence), 0) + 1 FROM ratings", logger: logger
      ).decode(Int64.self) {
        next = value
      }
      try await connection.query(
        """
        INSERT INTO ratings (user_id, movie_id, rating, timestamp, source, sequence)
        VALUES (\(rating.userID), \(rating.movieID), \(rating.rating), \(rating.timestamp),
          \(rating.source), \(next))
        ON CONFLICT (user_id, movie_id) DO UPDATE SET rating = excluded.rating,
          timestamp = excluded.timestamp, source = excluded.source, sequence = excluded.sequence
        """, logger: logger)
      return next
    }
    var saved = rating
    saved.sequence = next
    return saved
  }

  /// Every rating of `user`, by film id.
  public func ratings(ofUser user: String) async throws -> [StoredRating] {
    try await ratings(
      """
      SELECT \(unescaped: Self.ratingColumns) FROM ratings WHERE user_id = \(user)
      ORDER BY movie_id COLLATE "C"
      """)
  }

  /// Every rating written after sequence `sequence`, in write order.
  public func ratings(after sequence: Int64) async throws -> [StoredRating] {
    try await ratings(
      """
      SELECT \(unescaped: Self.ratingColumns) FROM ratings WHERE sequence > \(sequence)
      ORDER BY sequence
      """)
  }

  /// How many ratings the store holds.
  public func ratingCount() async throws -> Int {
    Int(try await fetch("SELECT COUNT(*) FROM ratings", as: Int64.self).first ?? 0)
  }

  /// How many users the store holds.
  public func userCount() async throws -> Int {
    Int(try await fetch("SELECT COUNT(*) FROM users", as: Int64.self).first ?? 0)
  }

  /// Creates the account `username` unless it exists; whether it was created.
  public func createAccount(
    username: String, passwordHash: String, isAdmin: Bool, createdAt: Int64
  ) async throws -> Bool {
    try await countReturned(
      """
      INSERT INTO accounts (username, password_hash, is_admin, created_at)
      VALUES (\(username), \(passwordHash), \(isAdmin), \(createdAt))
      ON CONFLICT (username) DO NOTHING RETURNING 1
      """) == 1
  }

  /// The account `username`'s password hash and admin flag, if it exists.
  public func account(named username: String) async throws -> (passwordHash: String, isAdmin: Bool)?
  {
    let rows = try await client.query(
      "SELECT password_hash, is_admin FROM accounts WHERE username = \(username)", logger: logger)
    for try await (hash, isAdmin) in rows.decode((String, Bool).self) {
      return (passwordHash: hash, isAdmin: isAdmin)
    }
    return nil
  }

  /// Stops the client's connections; later calls throw.
  public func close() async throws {
    running.cancel()
  }
}

/// A `--database` URL the PostgreSQL store cannot read.
public struct StoreURLError: Error, CustomStringConvertible, Sendable {
  /// The URL, its password replaced by `***`.
  public var url: String
  /// What is wrong with it.
  public var reason: String

  /// Creates the error; the password in `url`, if any, is not kept.
  public init(url: String, reason: String) {
    var redacted = URLComponents(string: url)
    if redacted?.password != nil { redacted?.password = "***" }
    self.url = redacted?.string ?? "(unreadable URL)"
    self.reason = reason
  }

  /// A sentence for the log.
  public var description: String { "cannot use the database URL \(url): \(reason)" }
}
