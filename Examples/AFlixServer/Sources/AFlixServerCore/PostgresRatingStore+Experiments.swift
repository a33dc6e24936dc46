import AFlix
import Foundation
import PostgresNIO

/// Experiments and feedback on PostgreSQL (migration v4), as ``SQLiteRatingStore`` keeps them.
extension PostgresRatingStore {
  /// Adds `experiment` with what it changes; `false` when one of that name exists.
  public func addExperiment(_ experiment: Experiment, appliesTo: String?, createdAt: Int64)
    async throws -> Bool
  {
    let variants = String(decoding: try JSONEncoder().encode(experiment.variants), as: UTF8.self)
    return try await countReturned(
      """
      INSERT INTO experiments (name, variants, applies_to, created_at)
      VALUES (\(experiment.name), \(variants), \(appliesTo), \(createdAt))
      ON CONFLICT (name) DO NOTHING RETURNING 1
      """) == 1
  }

  /// The newest experiment that changes the served lists, with what it changes.
  public func listExperiment() async throws -> (experiment: Experiment, appliesTo: String)? {
    let rows = try await client.query(
      """
      SELECT name, variants, applies_to FROM experiments WHERE applies_to IS NOT NULL
      ORDER BY created_at DESC, name DESC LIMIT 1
      """, logger: logger)
    for try await (name, variants, appliesTo) in rows.decode((String, String, String).self) {
      return (
        try Experiment(
          name: name, variants: JSONDecoder().decode([String].self, from: Data(variants.utf8))),
        appliesTo
      )
    }
    return nil
  }

  /// The experiment named `name`, if stored.
  public func experiment(named name: String) async throws -> Experiment? {
    guard
      let variants = try await fetch(
        "SELECT variants FROM experiments WHERE name = \(name)", as: String.self
      ).first
    else { return nil }
    return try Experiment(
      name: name, variants: JSONDecoder().decode([String].self, from: Data(variants.utf8)))
  }

  /// The statement inserting one experiment event unless the user has one of that kind.
  private static func insertEvent(
    _ kind: String, experiment: String, user: String, variant: Int, value: Double?,
    at timestamp: Int64
  ) -> PostgresQuery {
    """
    INSERT INTO experiment_events (experiment, user_id, kind, variant, value, timestamp)
    VALUES (\(experiment), \(user), \(kind), \(Int32(clamping: variant)), \(value), \(timestamp))
    ON CONFLICT (experiment, user_id, kind) DO NOTHING RETURNING 1
    """
  }

  /// Records `user`'s exposure to `variant` once; whether this call recorded it.
  @discardableResult
  public func recordExposure(
    experiment: String, user: String, variant: Int, at timestamp: Int64
  ) async throws -> Bool {
    try await countReturned(
      Self.insertEvent(
        "exposure", experiment: experiment, user: user, variant: variant, value: nil,
        at: timestamp)) == 1
  }

  /// Records each exposure once, in one transaction; whether each was new.
  public func recordExposures(_ exposures: [Exposure]) async throws -> [Bool] {
    let logger = logger
    return try await client.withTransaction(logger: logger) { connection -> [Bool] in
      var new: [Bool] = []
      for exposure in exposures {
        var written = 0
        for try await _ in try await connection.query(
          Self.insertEvent(
            "exposure", experiment: exposure.experiment, user: exposure.user,
            variant: exposure.variant, value: nil, at: exposure.timestamp), logger: logger
        ) {
          written += 1
        }
        new.append(written == 1)
      }
      return new
    }
  }

  /// Records `user`'s conversion (and exposure if missing) once, in one transaction.
  public func recordConversion(
    experiment: String, user: String, variant: Int, value: Double?, at timestamp: Int64
  ) async throws -> Bool {
    let logger = logger
    return try await client.withTransaction(logger: logger) { connection -> Bool in
      try await connection.query(
        Self.insertEvent(
          "exposure", experiment: experiment, user: user, variant: variant, value: nil,
          at: timestamp), logger: logger)
      var written = 0
      for try await _ in try await connection.query(
        Self.insertEvent(
          "conversion", experiment: experiment, user: user, variant: variant, value: value,
          at: timestamp), logger: logger
      ) {
        written += 1
      }
      return written == 1
    }
  }

  /// The stored exposures and conversions of the experiment `name`, oldest first.
  public func experimentEvents(of name: String) async throws -> [StoredExperimentEvent] {
    var events: [StoredExperimentEvent] = []
    let rows = try await client.query(
      """
      SELECT kind, variant, value FROM experiment_events WHERE experiment = \(name)
      ORDER BY timestamp, user_id COLLATE "C", kind
      """, logger: logger)
    for try await (kind, variant, value) in rows.decode((String, Int32, Double?).self) {
      events.append(StoredExperimentEvent(kind: kind, variant: Int(variant), value: value))
    }
    return events
  }

  /// Records `event`.
  public func recordFeedback(_ event: FeedbackEvent) async throws {
    let variant = event.variant.map { Int32(clamping: $0) }
    try await client.query(
      """
      INSERT INTO feedback (user_id, movie_id, event, source, experiment, variant, timestamp)
      VALUES (\(event.userID), \(event.movieID), \(event.event.rawValue), \(event.source),
        \(event.experiment), \(variant), \(event.timestamp))
      """, logger: logger)
  }

  /// How many feedback events of each kind the store holds.
  public func feedbackCounts() async throws -> [FeedbackEvent.Kind: Int] {
    var counts: [FeedbackEvent.Kind: Int] = [:]
    let rows = try await client.query(
      "SELECT event, COUNT(*) FROM feedback GROUP BY event", logger: logger)
    for try await (event, count) in rows.decode((String, Int64).self) {
      if let kind = FeedbackEvent.Kind(rawValue: event) { counts[kind] = Int(count) }
    }
    return counts
  }
}
