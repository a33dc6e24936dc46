/// One event of an optimisation (``KOptimizer/optimize(_:)``): the original AFlix's messages, as
/// a service forwards them to a browser (Server-Sent Events).
///
/// Encoded as one flat JSON object: `type` (the original's snake_case name), `progress` (0…100,
/// rising) and the event's fields at the top level in snake_case:
///
/// ```json
/// {"type":"k_svd_result","progress":41.7,"k":20,"explained_variance":0.21,"efficiency":0.0105,
///  "overfitting_risk":0.05,"composite_score":0.276,"is_best":true,"seconds":0.04}
/// ```
public enum OptimizationEvent: Sendable, Hashable {
  /// A message and the progress so far.
  case status(message: String, progress: Double)
  /// The ratings matrix: users × items and the share of cells rated.
  case matrixInfo(users: Int, items: Int, ratings: Int, density: Double, progress: Double)
  /// A phase starts.
  case phase(OptimizationPhase, progress: Double)
  /// One K-SVD candidate's figures; `isBest` marks the best candidate so far.
  case kSVDResult(KSVDCandidate, isBest: Bool, progress: Double)
  /// The chosen K-SVD and its score.
  case kSVDOptimal(k: Int, score: Double, progress: Double)
  /// One K-cluster candidate's figures; `isBest` marks the best candidate so far.
  case kClusterResult(KClusterCandidate, isBest: Bool, progress: Double)
  /// The chosen K-cluster and its score.
  case kClusterOptimal(k: Int, score: Double, progress: Double)
  /// The optimisation ended with these values (the last event of a successful run).
  case completed(finalKSVD: Int, finalKCluster: Int, progress: Double)
  /// The optimisation failed (the last event of a failed run; the stream then throws).
  case error(message: String, progress: Double)
  /// A threshold the live model crossed (``ModelMonitor``; progress 0: not part of a sweep).
  case alert(MonitorAlert, progress: Double)
  /// A remedy for alerts (``ModelMonitor``'s ``RemedyPolicy``; progress 0).
  case action(MonitorAction, progress: Double)

  /// The progress, 0…100, of every event.
  public var progress: Double {
    switch self {
    case .status(_, let p), .matrixInfo(_, _, _, _, let p), .phase(_, let p),
      .kSVDResult(_, _, let p), .kSVDOptimal(_, _, let p), .kClusterResult(_, _, let p),
      .kClusterOptimal(_, _, let p), .completed(_, _, let p), .error(_, let p), .alert(_, let p),
      .action(_, let p):
      return p
    }
  }

  /// The original's snake_case name of the event (the JSON `type`).
  public var type: String {
    switch self {
    case .status: "status"
    case .matrixInfo: "matrix_info"
    case .phase: "phase"
    case .kSVDResult: "k_svd_result"
    case .kSVDOptimal: "k_svd_optimal"
    case .kClusterResult: "k_cluster_result"
    case .kClusterOptimal: "k_cluster_optimal"
    case .completed: "completed"
    case .error: "error"
    case .alert: "alert"
    case .action: "action"
    }
  }
}

/// The two phases of an optimisation.
public enum OptimizationPhase: String, Sendable, Hashable, Codable, CaseIterable {
  /// Choosing the number of latent factors.
  case kSVD = "k_svd"
  /// Choosing the number of user segments.
  case kCluster = "k_cluster"
}
