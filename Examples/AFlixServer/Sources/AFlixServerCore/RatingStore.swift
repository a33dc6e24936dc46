import AFlix
import Foundation
import Logging

/// One rating as the store keeps it: the latest a user gave a film.
public struct StoredRating: Sendable, Hashable, Codable {
  /// The user's id, as the dataset spells it (or a new user's).
  public var userID: String
  /// The film's id, as the dataset spells it.
  public var movieID: String
  /// The rating, within the dataset's scale.
  public var rating: Double
  /// When it was given, in seconds since 1970.
  public var timestamp: Int64
  /// The recommendation source that led to it (`nil` when none was said).
  public var source: String?
  /// The store's write order: larger is later (a replaced rating takes a new one).
  public var sequence: Int64

  /// Creates a rating; `sequence` is set by the store when it is saved.
  public init(
    userID: String, movieID: String, rating: Double, timestamp: Int64, source: String? = nil,
    sequence: Int64 = 0
  ) {
    self.userID = userID
    self.movieID = movieID
    self.rating = rating
    self.timestamp = timestamp
    self.source = source
    self.sequence = sequence
  }
}

/// The service's durable state: users, films, ratings (one per user and film, a new rating
/// replacing the old), accounts, films added through the service, experiments and feedback.
/// Every write is committed before its method returns.
///
/// Two back ends keep it: ``SQLiteRatingStore`` (GRDB; a file or memory) and
/// ``PostgresRatingStore`` (postgres-nio, when `--database postgres://…` is given). Both apply the
/// same numbered migrations, named alike, and pass the same tests.
public protocol RatingStore: Sendable {
  /// The migrations applied so far, by identifier, sorted.
  func appliedMigrations() async throws -> [String]
  /// The names of the schema's tables (the back end's own bookkeeping left out), sorted.
  func tableNames() async throws -> [String]
  /// Records the catalogue's films (new ones added, titles of known ones updated).
  func upsertFilms(_ films: [(id: String, title: String)]) async throws
  /// Adds `movie`, a film the dataset does not have, with its whole description (kept as JSON)
  /// and when it was added; `false`, writing nothing, when a film with its id exists.
  func addFilm(_ movie: Movie, addedAt: Int64) async throws -> Bool
  /// The JSON descriptions of the films added through the service, in the order they were added.
  func addedFilmDescriptions() async throws -> [String]
  /// Every rating of the film `movieID`, by user id.
  func ratings(ofFilm movieID: String) async throws -> [StoredRating]
  /// Saves `rating`, replacing the user's earlier rating of the film, and returns it with its
  /// write sequence (larger than every earlier one: the store's commit order); the user is created
  /// when new. Committed when this returns.
  ///
  /// - Throws: the back end's error, e.g. a foreign-key failure for a film the store lacks.
  @discardableResult
  func save(_ rating: StoredRating) async throws -> StoredRating
  /// Every rating of `user`, by film id.
  func ratings(ofUser user: String) async throws -> [StoredRating]
  /// Every rating written after sequence `sequence` (all of them for 0), in write order.
  func ratings(after sequence: Int64) async throws -> [StoredRating]
  /// How many ratings the store holds.
  func ratingCount() async throws -> Int
  /// How many users the store holds.
  func userCount() async throws -> Int
  /// Creates the account `username` unless it exists; returns whether it was created.
  func createAccount(
    username: String, passwordHash: String, isAdmin: Bool, createdAt: Int64
  ) async throws -> Bool
  /// The account `username`'s password hash and admin flag, if it exists.
  func account(named username: String) async throws -> (passwordHash: String, isAdmin: Bool)?
  /// Adds `experiment`, with what its variants change in the served lists (`appliesTo`, a
  /// ``ListTreatment/Kind`` raw value; `nil`: nothing, the variants are only labels); `false`,
  /// writing nothing, when one of that name exists.
  func addExperiment(_ experiment: Experiment, appliesTo: String?, createdAt: Int64) async throws
    -> Bool
  /// The newest experiment that changes the served lists, with what it changes, if any.
  ///
  /// - Throws: the library's error when the stored variants are no longer a valid experiment.
  func listExperiment() async throws -> (experiment: Experiment, appliesTo: String)?
  /// The experiment named `name`, if stored.
  ///
  /// - Throws: the library's error when the stored variants are no longer a valid experiment.
  func experiment(named name: String) async throws -> Experiment?
  /// Records that `user` saw variant `variant` of `experiment` (once: later calls change
  /// nothing); returns whether this call recorded it.
  @discardableResult
  func recordExposure(
    experiment: String, user: String, variant: Int, at timestamp: Int64
  ) async throws -> Bool
  /// Records each of `exposures` once per user and experiment, in one transaction; whether each
  /// was new (`false` for a user the store had already).
  func recordExposures(_ exposures: [Exposure]) async throws -> [Bool]
  /// Records `user`'s conversion in variant `variant` of `experiment`, with an optional metric
  /// `value`, and their exposure if it was not recorded; once per user: returns `false`,
  /// changing nothing, when the user had converted already.
  func recordConversion(
    experiment: String, user: String, variant: Int, value: Double?, at timestamp: Int64
  ) async throws -> Bool
  /// The stored exposures and conversions of the experiment `name`, oldest first.
  func experimentEvents(of name: String) async throws -> [StoredExperimentEvent]
  /// Records `event`.
  func recordFeedback(_ event: FeedbackEvent) async throws
  /// How many feedback events of each kind the store holds.
  func feedbackCounts() async throws -> [FeedbackEvent.Kind: Int]
  /// Closes the store; later calls throw.
  func close() async throws
}

extension RatingStore {
  /// Adds `experiment` as a label-only experiment (it changes no list); `false` when one of that
  /// name exists.
  public func addExperiment(_ experiment: Experiment, createdAt: Int64) async throws -> Bool {
    try await addExperiment(experiment, appliesTo: nil, createdAt: createdAt)
  }

  /// Every rating, in write order.
  public func ratings() async throws -> [StoredRating] {
    try await ratings(after: 0)
  }

  /// The films added through the service (``addFilm(_:addedAt:)``), in the order they were added.
  ///
  /// - Throws: `DecodingError` when a stored description is not a film's.
  public func addedFilms() async throws -> [Movie] {
    try await addedFilmDescriptions().map {
      try JSONDecoder().decode(Movie.self, from: Data($0.utf8))
    }
  }
}

/// Opens the store `database` names: a `postgres://` or `postgresql://` URL opens
/// ``PostgresRatingStore``, anything else is a SQLite file path (`nil`: in memory).
///
/// - Throws: the back end's error when it cannot be reached, opened or migrated.
public func openRatingStore(database: String?, logger: Logger) async throws -> any RatingStore {
  if let database, PostgresRatingStore.isURL(database) {
    return try await PostgresRatingStore(url: database, logger: logger)
  }
  return try SQLiteRatingStore(path: database)
}
