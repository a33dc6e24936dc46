/// Which held-out ratings count as relevant in ranking metrics.
public enum Relevance: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Every held-out rating is relevant.
  case all
  /// Held-out ratings at or above a threshold are relevant (e.g. 4 stars).
  case atLeast(Float)

  /// Whether a held-out rating of `value` is relevant.
  @inlinable
  public func isRelevant(_ value: Float) -> Bool {
    switch self {
    case .all: return true
    case .atLeast(let threshold): return value >= threshold
    }
  }

  /// `all` or the threshold, as the command line spells it.
  public var description: String {
    switch self {
    case .all: return "all"
    case .atLeast(let t):
      // Whole thresholds print without ".0"; `Int(exactly:)` is nil for huge, NaN or ∞ values.
      if let whole = Int(exactly: t) { return String(whole) }
      return String(t)
    }
  }
}
