/// The values a rating may take: a closed range, optionally restricted to a grid.
///
/// ```swift
/// RatingScale.oneToFive.contains(4)      // true
/// RatingScale.oneToFive.contains(3.5)    // false: not on the 1-step grid
/// RatingScale.halfStars.contains(3.5)    // true
/// RatingScale(minimum: 0.5, maximum: 5, step: nil).contains(3.14)  // true: continuous
/// ```
public struct RatingScale: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The smallest allowed value.
  public var minimum: Float
  /// The largest allowed value.
  public var maximum: Float
  /// The grid spacing from ``minimum``, or `nil` for a continuous scale.
  public var step: Float?

  /// Creates a scale.
  ///
  /// - Precondition: `minimum <= maximum`, both finite; `step`, when given, is positive.
  public init(minimum: Float, maximum: Float, step: Float? = nil) {
    precondition(minimum.isFinite && maximum.isFinite && minimum <= maximum, "bad rating range")
    precondition(step.map { $0 > 0 && $0.isFinite } ?? true, "rating step must be positive")
    self.minimum = minimum
    self.maximum = maximum
    self.step = step
  }

  /// Whole stars from 1 to 5 (MovieLens 100k and 1M).
  public static let oneToFive = RatingScale(minimum: 1, maximum: 5, step: 1)

  /// Half stars from 0.5 to 5 (MovieLens 10M, 20M, 25M and latest).
  public static let halfStars = RatingScale(minimum: 0.5, maximum: 5, step: 0.5)

  /// Any value from 0.5 to 5 (the default of generic delimited files).
  public static let continuousHalfToFive = RatingScale(minimum: 0.5, maximum: 5, step: nil)

  /// The tolerance used to decide whether a value lies on the grid or at a bound.
  public static let tolerance: Float = 1e-4

  /// Whether `value` is finite, in `minimum...maximum` and, with a step, within 1e-4 of the grid
  /// `minimum + k·step`.
  public func contains(_ value: Float) -> Bool {
    guard value.isFinite, value >= minimum - Self.tolerance, value <= maximum + Self.tolerance
    else { return false }
    guard let step else { return true }
    let k = ((value - minimum) / step).rounded()
    return abs(minimum + k * step - value) <= Self.tolerance
  }

  /// `value` limited to `minimum...maximum` (NaN gives `minimum`).
  public func clamp(_ value: Float) -> Float {
    guard !value.isNaN else { return minimum }
    return Swift.min(Swift.max(value, minimum), maximum)
  }

  /// `"1–5 step 1"` or `"0.5–5 continuous"`.
  public var description: String {
    let range = "\(Self.format(minimum))–\(Self.format(maximum))"
    return step.map { "\(range) step \(Self.format($0))" } ?? "\(range) continuous"
  }

  private static func format(_ v: Float) -> String {
    v == v.rounded() && abs(v) < 1e7 ? String(Int(v)) : "\(v)"
  }
}
