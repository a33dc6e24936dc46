import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema's migrations: the same steps, under the same identifiers, as
/// ``SQLiteRatingStore/migrator``, in PostgreSQL's types. Applied in one transaction under an
/// advisory lock, so that instances starting together migrate once; the applied identifiers are
/// kept in `aflix_schema_migrations`.
enum PostgresMigrations {
  /// The migrations in order: identifier and statements.
  static let all: [(identifier: String, statements: [String])] = [
    (
      "v1: users, films, ratings",
      [
        "CREATE TABLE users (id TEXT PRIMARY KEY, created_at BIGINT NOT NULL)",
        "CREATE TABLE films (id TEXT PRIMARY KEY, title TEXT NOT NULL)",
        """
        CREATE TABLE ratings (
          user_id TEXT NOT NULL REFERENCES users ON DELETE CASCADE,
          movie_id TEXT NOT NULL REFERENCES films ON DELETE CASCADE,
          rating DOUBLE PRECISION NOT NULL, timestamp BIGINT NOT NULL, source TEXT,
          sequence BIGINT NOT NULL, PRIMARY KEY (user_id, movie_id))
        """,
        "CREATE INDEX ratings_by_sequence ON ratings (sequence)",
      ]
    ),
    (
      "v2: accounts",
      [
        """
        CREATE TABLE accounts (username TEXT PRIMARY KEY, password_hash TEXT NOT NULL,
          is_admin BOOLEAN NOT NULL DEFAULT FALSE, created_at BIGINT NOT NULL)
        """
      ]
    ),
    (
      "v3: films added through the service",
      [
        // `added_order` stands for SQLite's rowid: films added in the same second keep their order.
        "ALTER TABLE films ADD COLUMN details TEXT, ADD COLUMN added_at BIGINT, "
          + "ADD COLUMN added_order BIGSERIAL",
        "CREATE INDEX ratings_by_film ON ratings (movie_id)",
      ]
    ),
    (
      "v4: experiments and feedback",
      [
        """
        CREATE TABLE experiments (name TEXT PRIMARY KEY, variants TEXT NOT NULL,
          created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE experiment_events (
          experiment TEXT NOT NULL REFERENCES experiments ON DELETE CASCADE,
          user_id TEXT NOT NULL, kind TEXT NOT NULL, variant INTEGER NOT NULL,
          value DOUBLE PRECISION, timestamp BIGINT NOT NULL,
          PRIMARY KEY (experiment, user_id, kind))
        """,
        """
        CREATE TABLE feedback (id BIGSERIAL PRIMARY KEY, user_id TEXT NOT NULL,
          movie_id TEXT NOT NULL, event TEXT NOT NULL, source TEXT, experiment TEXT,
          variant INTEGER, timestamp BIGINT NOT NULL)
        """,
        "CREATE INDEX feedback_by_user ON feedback (user_id)",
      ]
    ),
    (
      "v5: experiments that change the lists",
      ["ALTER TABLE experiments ADD COLUMN applies_to TEXT"]
    ),
  ]

  /// The advisory-lock key migrations take (any constant; "AFLX" in ASCII).
  static let lockKey: Int64 = 0x4146_4C58

  /// Applies the migrations not yet applied, up to and including `target` (`nil`: all).
  ///
  /// - Throws: `PSQLError` when a statement fails (the transaction is rolled back whole).
  static func migrate(_ client: PostgresClient, upTo target: String?, logger: Logger) async throws {
    try await client.withTransaction(logger: logger) { connection in
      try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
      try await connection.query(
        """
        CREATE TABLE IF NOT EXISTS aflix_schema_migrations (identifier TEXT PRIMARY KEY,
          applied_at BIGINT NOT NULL)
        """, logger: logger)
      var applied = Set<String>()
      for try await identifier in try await connection.query(
        "SELECT identifier FROM aflix_schema_migrations", logger: logger
      ).decode(String.self) {
        applied.insert(identifier)
      }
      for migration in all {
        if !applied.contains(migration.identifier) {
          for statement in migration.statements {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
          }
          let now = Int64(Date().timeIntervalSince1970)
          try await connection.query(
            "INSERT INTO aflix_schema_migrations VALUES (\(migration.identifier), \(now))",
            logger: logger)
        }
        if migration.identifier == target { break }
      }
    }
  }
}
