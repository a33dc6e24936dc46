import AFlix
import Foundation
import GRDB

/// Experiments and feedback in SQLite (migration v4): each experiment with its variants, each
/// user's exposure and conversion once per experiment, every feedback event.
extension SQLiteRatingStore {
  /// Adds `experiment` with what it changes; `false` when one of that name exists.
  public func addExperiment(_ experiment: Experiment, appliesTo: String?, createdAt: Int64)
    async throws -> Bool
  {
    let variants = String(decoding: try JSONEncoder().encode(experiment.variants), as: UTF8.self)
    return try await queue.write { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO experiments (name, variants, applies_to, created_at) "
          + "VALUES (?, ?, ?, ?)",
        arguments: [experiment.name, variants, appliesTo, createdAt])
      return db.changesCount == 1
    }
  }

  /// The newest experiment that changes the served lists, with what it changes.
  public func listExperiment() async throws -> (experiment: Experiment, appliesTo: String)? {
    let row = try await queue.read { db -> [String]? in
      try Row.fetchOne(
        db,
        sql: "SELECT name, variants, applies_to FROM experiments WHERE applies_to IS NOT NULL "
          + "ORDER BY created_at DESC, rowid DESC LIMIT 1"
      ).map { [$0["name"], $0["variants"], $0["applies_to"]] }
    }
    guard let row else { return nil }
    return (
      try Experiment(
        name: row[0], variants: JSONDecoder().decode([String].self, from: Data(row[1].utf8))),
      row[2]
    )
  }

  /// The experiment named `name`, if stored.
  ///
  /// - Throws: the library's error when the stored variants are no longer a valid experiment.
  public func experiment(named name: String) async throws -> Experiment? {
    let variants = try await queue.read { db in
      try String.fetchOne(
        db, sql: "SELECT variants FROM experiments WHERE name = ?", arguments: [name])
    }
    guard let variants else { return nil }
    return try Experiment(
      name: name, variants: JSONDecoder().decode([String].self, from: Data(variants.utf8)))
  }

  /// Records that `user` saw variant `variant` of `experiment` (once: later calls change
  /// nothing); returns whether this call recorded it.
  @discardableResult
  public func recordExposure(
    experiment: String, user: String, variant: Int, at timestamp: Int64
  ) async throws -> Bool {
    try await queue.write { db in
      try Self.insertEvent(
        db, "exposure", experiment: experiment, user: user, variant: variant, value: nil,
        at: timestamp)
    }
  }

  /// Records each exposure once, in one transaction; whether each was new.
  public func recordExposures(_ exposures: [Exposure]) async throws -> [Bool] {
    try await queue.write { db in
      try exposures.map {
        try Self.insertEvent(
          db, "exposure", experiment: $0.experiment, user: $0.user, variant: $0.variant,
          value: nil, at: $0.timestamp)
      }
    }
  }

  /// Inserts one experiment event unless the user has one of that kind; whether it did.
  private static func insertEvent(
    _ db: Database, _ kind: String, experiment: String, user: String, variant: Int,
    value: Double?, at timestamp: Int64
  ) throws -> Bool {
    try db.execute(
      sql: "INSERT OR IGNORE INTO experiment_events "
        + "(experiment, user_id, kind, variant, value, timestamp) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [experiment, user, kind, variant, value, timestamp])
    return db.changesCount == 1
  }

  /// Records `user`'s conversion in variant `variant` of `experiment`, with an optional metric
  /// `value`, and their exposure if it was not recorded; once per user: returns `false`,
  /// changing nothing, when the user had converted already.
  public func recordConversion(
    experiment: String, user: String, variant: Int, value: Double?, at timestamp: Int64
  ) async throws -> Bool {
    try await queue.write { db in
      _ = try Self.insertEvent(
        db, "exposure", experiment: experiment, user: user, variant: variant, value: nil,
        at: timestamp)
      return try Self.insertEvent(
        db, "conversion", experiment: experiment, user: user, variant: variant, value: value,
        at: timestamp)
    }
  }

  /// The stored exposures and conversions of the experiment `name`, oldest first.
  public func experimentEvents(of name: String) async throws -> [StoredExperimentEvent] {
    // Rows are read into plain values inside the read: GRDB's asynchronous read needs a Sendable
    // result (with `Row`s it would pick the blocking overload).
    try await queue.read { db in
      try Row.fetchAll(
        db,
        sql: "SELECT kind, variant, value FROM experiment_events WHERE experiment = ? "
          + "ORDER BY timestamp, user_id, kind",
        arguments: [name]
      ).map { StoredExperimentEvent(kind: $0["kind"], variant: $0["variant"], value: $0["value"]) }
    }
  }

  /// Records `event`.
  public func recordFeedback(_ event: FeedbackEvent) async throws {
    try await queue.write { db in
      try db.execute(
        sql: "INSERT INTO feedback (user_id, movie_id, event, source, experiment, variant, "
          + "timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
        arguments: [
          event.userID, event.movieID, event.event.rawValue, event.source, event.experiment,
          event.variant, event.timestamp,
        ])
    }
  }

  /// How many feedback events of each kind the store holds.
  public func feedbackCounts() async throws -> [FeedbackEvent.Kind: Int] {
    let rows = try await queue.read { db -> [(event: String, count: Int)] in
      try Row.fetchAll(db, sql: "SELECT event, COUNT(*) AS n FROM feedback GROUP BY event")
        .map { (event: $0["event"], count: $0["n"]) }
    }
    var counts: [FeedbackEvent.Kind: Int] = [:]
    for (event, count) in rows {
      if let kind = FeedbackEvent.Kind(rawValue: event) { counts[kind] = count }
    }
    return counts
  }
}
