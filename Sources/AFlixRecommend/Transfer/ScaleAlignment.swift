import AFlixData

/// How a world's ratings are brought onto a cohort's rating scale before they are mixed: real
/// ratings are whole stars, synthetic ones continuous, and the two scales must be aligned
/// explicitly.
public enum ScaleAlignment: String, Sendable, Hashable, Codable, CaseIterable {
  /// Values are kept; a value outside the target scale is an error.
  case none
  /// The source range mapped affinely onto the target range (`0.5…5` → `1…5`).
  case linear
  /// ``linear``, then rounded to the target's step (whole stars); a target without a step is not
  /// rounded.
  case linearRounded

  /// `value` of scale `source`, on scale `target`.
  public func align(_ value: Float, from source: RatingScale, to target: RatingScale) -> Float {
    switch self {
    case .none:
      return value
    case .linear, .linearRounded:
      let width = source.maximum - source.minimum
      let t = width > 0 ? (value - source.minimum) / width : 0.5
      var mapped = target.minimum + t * (target.maximum - target.minimum)
      if self == .linearRounded, let step = target.step, step > 0 {
        mapped = target.minimum + ((mapped - target.minimum) / step).rounded() * step
      }
      return min(target.maximum, max(target.minimum, mapped))
    }
  }

  /// `data` with every value aligned onto `target` (timestamps kept). The result's scale is
  /// `target`'s range, with `target`'s step only for ``linearRounded`` (aligned values are
  /// continuous otherwise).
  ///
  /// - Throws: `DataError` `.invalidValue` (from the dataset's checks) when ``none`` leaves a value
  ///   outside `target`'s range.
  public func aligned(_ data: RatingsDataset, to target: RatingScale) throws -> RatingsDataset {
    let scale =
      self == .linearRounded
      ? target : RatingScale(minimum: target.minimum, maximum: target.maximum, step: nil)
    let ratings = data.allRatings().map { r in
      Rating(
        user: r.user, item: r.item, value: align(r.value, from: data.scale, to: target),
        timestamp: r.timestamp)
    }
    return try RatingsDataset(ratings: ratings, scale: scale)
  }
}
