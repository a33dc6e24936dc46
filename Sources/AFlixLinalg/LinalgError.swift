/// A problem with the data given to an AFlixLinalg routine: thrown, never a crash.
///
/// Programmer errors (two matrices whose shapes cannot multiply, an index outside a matrix) are
/// preconditions instead; this type covers what comes from data: empty or non-finite matrices, a
/// rank the matrix cannot have, duplicate entries where they are refused, LAPACK failures.
public struct LinalgError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What kind of problem it is, for code that reacts to one kind.
  public enum Kind: String, Sendable, Equatable, Codable {
    /// The matrix has no rows, no columns or (where values are needed) no stored entries.
    case emptyMatrix
    /// An entry is NaN or infinite.
    case nonFiniteValue
    /// The requested rank is ≤ 0 or ≥ min(rows, columns).
    case invalidRank
    /// A (row, column) pair was given twice and the duplicate policy is `.error`.
    case duplicateEntry
    /// A row or column index lies outside the declared shape.
    case indexOutOfRange
    /// An argument (oversampling, iteration count, shape) is not usable.
    case invalidArgument
    /// A LAPACK routine reported failure (`info ≠ 0`).
    case lapackFailure
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
