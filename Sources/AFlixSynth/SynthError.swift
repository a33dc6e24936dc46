/// A synthetic-world configuration or file that cannot be used, with the parameter it concerns.
///
/// ```swift
/// var configuration = WorldConfiguration()
/// configuration.ratingsPerUser = ParameterRange(50, 10)
/// do { try configuration.validate() } catch let error as SynthError {
///   error.kind        // .invalidRange
///   print(error)      // ratingsPerUser: 50...10 has its lower bound above its upper bound
/// }
/// ```
///
/// Invalid configurations are thrown, never crashes; new kinds may be added without breaking
/// code that switches over ``kind`` with a `default`.
public struct SynthError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of problem it is.
  public enum Kind: String, Sendable, Codable {
    /// A genre set is empty (the users' genre pool, an archetype's weights, a catalog's genre
    /// weights).
    case emptyGenreSet
    /// A genre id that is not one of the 19 TMDB genre ids.
    case unknownGenre
    /// A range whose lower bound is above its upper bound, or that excludes what it must hold.
    case invalidRange
    /// More distinct films (or genres) per user than there are to choose from.
    case notEnoughFilms
    /// A standard deviation (or the lower bound of one's range) below zero.
    case negativeDeviation
    /// A parameter that is NaN or infinite.
    case nonFiniteParameter
    /// Archetype shares that are negative or do not sum to 1.
    case invalidShares
    /// A count that is too small (fewer than one user, no films).
    case invalidCount
    /// A user or film id that the world does not know.
    case unknownID
    /// A world file that is missing, malformed or inconsistent with the others.
    case invalidFile
    /// A value outside the bounds the generator supports (``SynthLimits``): a count, a size or
    /// a magnitude so large (or an exponent so steep) that generation would overflow, exhaust
    /// memory or never finish.
    case outOfBounds
    /// A generated rating or expected rating that is not finite: never written, always thrown
    /// (a guard: the bounds of ``SynthLimits`` keep every value finite).
    case nonFiniteResult
    /// A catalog value the world's files cannot carry so that it reads back as written: a film
    /// id that reads back as another id, or a genre name that reads back as another genre.
    case unrepresentable
  }

  /// The kind of problem.
  public let kind: Kind
  /// The configuration parameter (or file) concerned, when there is one.
  public let parameter: String?
  /// A sentence describing the problem.
  public let message: String

  /// Creates an error.
  public init(_ kind: Kind, parameter: String? = nil, message: String) {
    self.kind = kind
    self.parameter = parameter
    self.message = message
  }

  /// `parameter: message`, or the message alone.
  public var description: String {
    parameter.map { "\($0): \(message)" } ?? message
  }
}
