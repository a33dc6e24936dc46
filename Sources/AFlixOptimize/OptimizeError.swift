/// Why an optimisation could not run.
public struct OptimizeError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The kind of failure.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// No rating to optimise on.
    case emptyData
    /// No K-SVD or K-cluster candidate is valid for the data.
    case noValidCandidate
    /// A setting is out of range.
    case invalidArgument
  }

  /// The kind of failure.
  public let kind: Kind
  /// What went wrong, with the values involved.
  public let message: String

  /// Creates an error.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
