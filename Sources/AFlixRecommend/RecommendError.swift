/// A problem fitting, serving or loading a model: thrown, never a crash.
public struct RecommendError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of problem it is.
  public enum Kind: String, Sendable, Equatable, Codable {
    /// The training data has no ratings.
    case emptyTrainingData
    /// An evaluation split has no test rating (its figures would be meaningless zeros).
    case emptyTestData
    /// A hyper-parameter is outside its domain (named in the message).
    case invalidHyperparameter
    /// A numerical routine failed (LAPACK, a non-finite result).
    case numericalFailure
    /// An argument of a call is outside its domain (an index, a count, a malformed part).
    case invalidArgument
    /// A name the registry does not know (an algorithm), or a hyper-parameter the algorithm does
    /// not have.
    case unknownName
    /// A fit would need more memory than its budget allows (the estimate is in the message).
    case memoryBudgetExceeded
  }

  /// The kind of problem.
  public let kind: Kind
  /// A sentence describing it, with the offending values.
  public let message: String

  /// Creates an error.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The kind and the message.
  public var description: String { "\(kind.rawValue): \(message)" }
}
