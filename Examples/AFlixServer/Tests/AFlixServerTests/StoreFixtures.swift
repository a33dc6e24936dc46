import AFlixServerCore
import Foundation
import Logging
import PostgresNIO

/// A database a store test opens, closes and opens again, removed at the end.
protocol StoreFixture: Sendable {
  /// Opens the store on the fixture's database, migrated up to `target` (`nil`: all).
  func open(migratingUpTo target: String?) async throws -> any RatingStore
  /// Removes the database.
  func remove() async throws
}

extension StoreFixture {
  /// Opens the store, fully migrated.
  func open() async throws -> any RatingStore { try await open(migratingUpTo: nil) }
}

/// A SQLite file in the temporary folder.
struct SQLiteFixture: StoreFixture {
  let path = temporaryPath()

  func open(migratingUpTo target: String?) async throws -> any RatingStore {
    try SQLiteRatingStore(path: path, migratingUpTo: target)
  }

  func remove() async throws {
    try? FileManager.default.removeItem(atPath: path)
  }
}

/// A new database on the PostgreSQL server `AFLIX_POSTGRES_URL` names (a role allowed to create
/// databases; `.ci/run` starts one with `scripts/start-postgres.sh`), dropped at the end.
struct PostgresFixture: StoreFixture {
  /// The server's URL, when the environment gives one.
  static let serverURL = ProcessInfo.processInfo.environment["AFLIX_POSTGRES_URL"].flatMap {
    $0.isEmpty ? nil : $0
  }
  /// Why the PostgreSQL tests are disabled, when they are.
  static let disabledReason =
    "AFLIX_POSTGRES_URL is not set (scripts/start-postgres.sh starts a server and prints it)"

  static let logger: Logger = {
    var logger = Logger(label: "aflix.tests.postgres")
    logger.logLevel = .error
    return logger
  }()

  let name: String
  let url: String

  /// Creates a database of a new name on the server.
  static func make() async throws -> PostgresFixture {
    guard let serverURL else { throw StoreURLError(url: "", reason: disabledReason) }
    let name =
      "aflix_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    try await onServer("CREATE DATABASE \(name)")
    var components = URLComponents(string: serverURL)!
    components.path = "/" + name
    return PostgresFixture(name: name, url: components.string!)
  }

  /// Runs `sql` on the server's own database (statements that cannot run in a transaction).
  static func onServer(_ sql: String) async throws {
    guard let serverURL else { return }
    let client = PostgresClient(
      configuration: try PostgresRatingStore.configuration(from: serverURL),
      backgroundLogger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { await client.run() }
      try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
      group.cancelAll()
    }
  }

  func open(migratingUpTo target: String?) async throws -> any RatingStore {
    try await PostgresRatingStore(url: url, logger: Self.logger, migratingUpTo: target)
  }

  func remove() async throws {
    try await Self.onServer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
  }
}
