/// The external identifier of a user or an item, as a data file spells it: an integer
/// (MovieLens, TMDB) or any other string.
///
/// ```swift
/// let a: EntityID = 42            // .int(42)
/// let b: EntityID = "tt0114709"   // .string("tt0114709")
/// a.description                   // "42"
/// [b, a].sorted()                 // [42, "tt0114709"]: integers first
/// ```
///
/// Ordering puts every integer before every string; integers compare numerically and strings
/// lexicographically (by Unicode scalar values), so sorted ids read naturally.
public enum EntityID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
  ExpressibleByIntegerLiteral, ExpressibleByStringLiteral
{
  /// An integer identifier.
  case int(Int)
  /// Any other identifier.
  case string(String)

  /// Creates an integer identifier from a literal.
  public init(integerLiteral value: Int) {
    self = .int(value)
  }

  /// Creates a string identifier from a literal (kept as a string even when it looks numeric).
  public init(stringLiteral value: String) {
    self = .string(value)
  }

  /// Reads an identifier from text: `.int` when the text is an integer written canonically
  /// (`"42"`, `"-7"`; not `"007"` or `"+3"`, whose spelling would be lost), else `.string`.
  public init(parsing text: some StringProtocol) {
    if let value = Int(text), String(value) == text {
      self = .int(value)
    } else {
      self = .string(String(text))
    }
  }

  /// The integer, for an integer identifier.
  public var intValue: Int? {
    if case .int(let value) = self { return value }
    return nil
  }

  /// The identifier as text: `"42"` for `.int(42)`, the string itself for `.string`.
  public var description: String {
    switch self {
    case .int(let value): return String(value)
    case .string(let value): return value
    }
  }

  /// Integers before strings; then numeric or lexicographic (Unicode scalar) order.
  public static func < (lhs: EntityID, rhs: EntityID) -> Bool {
    switch (lhs, rhs) {
    case (.int(let a), .int(let b)): return a < b
    case (.int, .string): return true
    case (.string, .int): return false
    case (.string(let a), .string(let b)):
      return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }
  }

  /// Decodes a JSON number as `.int` and a JSON string as `.string`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let value = try? container.decode(Int.self) {
      self = .int(value)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  /// Encodes `.int` as a number and `.string` as a string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .int(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    }
  }
}
