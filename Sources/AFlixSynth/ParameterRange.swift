/// The bounds of a configuration parameter drawn from a range: unlike `ClosedRange`, it can hold
/// bounds in the wrong order or NaN, so that ``WorldConfiguration/validate()`` reports them as a
/// ``SynthError`` instead of the program trapping.
///
/// ```swift
/// var configuration = WorldConfiguration()
/// configuration.ratingsPerUser = ParameterRange(20...80)
/// configuration.noiseSD = ParameterRange(0.5, 1.0)
/// ParameterRange(50, 10).closedRange   // nil: not a valid range
/// ```
public struct ParameterRange<Bound: Comparable & Sendable & Codable & Hashable>: Sendable,
  Codable, Hashable, CustomStringConvertible
{
  /// The smallest value.
  public var lowerBound: Bound
  /// The largest value.
  public var upperBound: Bound

  /// Creates a range from its bounds, in any order (an invalid range is reported by validation).
  public init(_ lowerBound: Bound, _ upperBound: Bound) {
    self.lowerBound = lowerBound
    self.upperBound = upperBound
  }

  /// Creates a range from a closed range.
  public init(_ range: ClosedRange<Bound>) {
    self.init(range.lowerBound, range.upperBound)
  }

  /// The bounds as a closed range, or `nil` when `lowerBound > upperBound` or a bound is not
  /// comparable (NaN).
  public var closedRange: ClosedRange<Bound>? {
    lowerBound <= upperBound ? lowerBound...upperBound : nil
  }

  /// `"lower...upper"`.
  public var description: String { "\(lowerBound)...\(upperBound)" }
}
