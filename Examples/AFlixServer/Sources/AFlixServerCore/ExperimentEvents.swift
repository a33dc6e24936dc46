import AFlix
import Foundation

/// One impression or click of a served recommendation, as `POST /api/feedback` records it.
public struct FeedbackEvent: Sendable, Hashable, Codable {
  /// What happened.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// The recommendation was shown.
    case impression
    /// The user clicked it.
    case click
  }
  /// The user's id.
  public var userID: String
  /// The film's id.
  public var movieID: String
  /// What happened.
  public var event: Kind
  /// The recommendation source that served it (`"model"`, a fallback, …), when said.
  public var source: String?
  /// The experiment the user's list came from, when said.
  public var experiment: String?
  /// The user's variant of that experiment.
  public var variant: Int?
  /// When, in seconds since 1970.
  public var timestamp: Int64

  /// Creates an event.
  public init(
    userID: String, movieID: String, event: Kind, source: String? = nil,
    experiment: String? = nil, variant: Int? = nil, timestamp: Int64
  ) {
    self.userID = userID
    self.movieID = movieID
    self.event = event
    self.source = source
    self.experiment = experiment
    self.variant = variant
    self.timestamp = timestamp
  }
}

/// A user's exposure to a variant, as ``RatingStore/recordExposures(_:)`` writes it.
public struct Exposure: Sendable, Hashable {
  /// The experiment's name.
  public var experiment: String
  /// The user's id.
  public var user: String
  /// The variant's index.
  public var variant: Int
  /// The variant's name (for the metrics).
  public var variantName: String
  /// When, in seconds since 1970.
  public var timestamp: Int64

  /// Creates an exposure of `user` to `assignment`'s variant at `timestamp`.
  public init(_ assignment: ExperimentAssignment, user: String, at timestamp: Int64) {
    experiment = assignment.experiment
    self.user = user
    variant = assignment.index
    variantName = assignment.variant
    self.timestamp = timestamp
  }
}

/// One stored exposure or conversion of an experiment, as ``RatingStore/experimentEvents(of:)``
/// reads it back.
public struct StoredExperimentEvent: Sendable, Hashable {
  /// `"exposure"` or `"conversion"`.
  public var kind: String
  /// The user's variant, by index.
  public var variant: Int
  /// A conversion's metric value, when one was sent.
  public var value: Double?

  /// Creates an event.
  public init(kind: String, variant: Int, value: Double?) {
    self.kind = kind
    self.variant = variant
    self.value = value
  }
}

extension RatingStore {
  /// The tally of `experiment` from its stored events: exposures and conversions per variant,
  /// the conversions' values as the metric.
  public func tally(of experiment: Experiment) async throws -> ExperimentTally {
    var tally = ExperimentTally(experiment: experiment)
    for event in try await experimentEvents(of: experiment.name) {
      // A variant the experiment no longer has (the rows predate a change of the file) is
      // skipped rather than trapped on.
      guard experiment.variants.indices.contains(event.variant) else { continue }
      if event.kind == "exposure" {
        try tally.recordExposure(variant: event.variant)
      } else {
        try tally.recordConversion(variant: event.variant)
        if let value = event.value, value.isFinite {
          try tally.recordMetric(value, variant: event.variant)
        }
      }
    }
    return tally
  }
}
