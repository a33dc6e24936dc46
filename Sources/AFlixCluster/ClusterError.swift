/// A problem with the data given to an AFlixCluster routine: thrown, never a crash.
///
/// Data problems are thrown: no points or no coordinates, a cluster count the data cannot have,
/// NaN or infinite coordinates, unusable weights, label sets a metric is not defined for. A few
/// inputs have a *defined result* instead of an error (see ``KMeans/fit(_:weights:)``): all points
/// identical, and fewer distinct points than clusters.
///
/// ```swift
/// do {
///   _ = try KMeans(clusterCount: 3).fit(points)
/// } catch let error as ClusterError where error.kind == .invalidClusterCount {
///   print(error)    // "invalidClusterCount: 3 clusters asked for 2 points …"
/// }
/// ```
public struct ClusterError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of problem it is, for code that reacts to one kind.
  public enum Kind: String, Sendable, Equatable, Codable {
    /// No points (`n = 0`) or no coordinates (`d = 0`).
    case emptyInput
    /// The cluster count is below 1 or above the number of points.
    case invalidClusterCount
    /// A coordinate is NaN or infinite.
    case nonFiniteValue
    /// A weight is negative, NaN or infinite, the weights sum to 0, or their count is not the
    /// number of points.
    case invalidWeights
    /// A metric is not defined for these labels: the silhouette, Calinski–Harabasz and
    /// Davies–Bouldin indices need between 2 and `n − 1` distinct labels (as scikit-learn).
    case invalidLabelCount
    /// An argument is not usable: label count ≠ point count, restarts or iterations below 1, a
    /// negative tolerance, initial centres of the wrong shape, a sample size below 2.
    case invalidArgument
  }

  /// The kind of problem.
  public let kind: Kind
  /// A sentence describing it, with the offending values.
  public let message: String

  /// Creates an error of `kind` described by `message`.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The kind and message, for logs and the command line.
  public var description: String { "\(kind.rawValue): \(message)" }
}
