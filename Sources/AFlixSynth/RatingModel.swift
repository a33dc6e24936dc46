import Foundation

/// The grid a rating lands on: `first + k · step` for `k` in `0...steps`, or the continuous
/// clamp range when ratings are not rounded.
struct RatingGrid: Sendable, Hashable {
  /// The clamp range.
  let lower: Double
  let upper: Double
  /// Whether values are rounded to the grid.
  let isRounded: Bool
  /// The smallest grid value.
  let first: Double
  /// The grid spacing (0 without rounding).
  let step: Double
  /// The number of steps: grid values are `first + k · step`, `k` in `0...steps`.
  let steps: Int

  /// The grid of `range` for `rounding`, or `nil` when the range is not a finite, increasing
  /// range or holds no grid value.
  init?(range: ParameterRange<Double>, rounding: RatingRounding) {
    guard range.lowerBound.isFinite, range.upperBound.isFinite,
      range.lowerBound < range.upperBound
    else { return nil }
    lower = range.lowerBound
    upper = range.upperBound
    switch rounding {
    case .none:
      isRounded = false
      first = lower
      step = 0
      steps = 0
      return
    case .halfStars: step = 0.5
    case .wholeStars: step = 1
    }
    isRounded = true
    let lowK = (lower / step).rounded(.up)
    let highK = (upper / step).rounded(.down)
    guard lowK <= highK else { return nil }
    first = lowK * step
    steps = Int(highK - lowK)
  }

  /// The rating for the unclamped value `x`: clamped, then (with rounding) the nearest grid
  /// value, ties up, values beyond the grid's ends at the ends.
  @inline(__always)
  func apply(_ x: Double) -> Double {
    if !isRounded { return Swift.min(Swift.max(x, lower), upper) }
    let k = ((x - first) / step + 0.5).rounded(.down)
    return first + Swift.min(Swift.max(k, 0), Double(steps)) * step
  }

  /// E[apply(X)] for X ~ Normal(mean, sd²), in closed form.
  ///
  /// Without rounding, with α = (a − μ)/σ and β = (b − μ)/σ for the clamp range [a, b]:
  /// E = a·Φ(α) + b·(1 − Φ(β)) + μ·(Φ(β) − Φ(α)) + σ·(φ(α) − φ(β)).
  /// With rounding to `first + k·step`, `k` in `0...K`: E = first + step · Σₖ₌₁…K P(X ≥ cₖ) with
  /// the cell boundaries cₖ = first + (k − ½)·step.
  func expectation(mean: Double, sd: Double) -> Double {
    guard sd > 0 else { return apply(mean) }
    if isRounded {
      var total = 0.0
      for k in stride(from: 1, through: steps, by: 1) {
        let boundary = first + (Double(k) - 0.5) * step
        total += Normal.upperTail((boundary - mean) / sd)
      }
      return first + step * total
    }
    let alpha = (lower - mean) / sd
    let beta = (upper - mean) / sd
    let below = Normal.cdf(alpha)
    let above = Normal.upperTail(beta)
    let inside =
      alpha > 0
      ? Normal.upperTail(alpha) - above
      : Normal.cdf(beta) - below
    return lower * below + upper * above + mean * inside
      + sd * (Normal.density(alpha) - Normal.density(beta))
  }
}

/// The standard normal distribution's density and tails, through `erfc` (accurate in both tails).
enum Normal {
  /// φ(z).
  @inline(__always)
  static func density(_ z: Double) -> Double {
    Foundation.exp(-0.5 * z * z) * 0.398_942_280_401_432_7
  }

  /// Φ(z) = P(Z ≤ z).
  @inline(__always)
  static func cdf(_ z: Double) -> Double {
    0.5 * Foundation.erfc(-z * 0.707_106_781_186_547_5)
  }

  /// 1 − Φ(z) = P(Z > z).
  @inline(__always)
  static func upperTail(_ z: Double) -> Double {
    0.5 * Foundation.erfc(z * 0.707_106_781_186_547_5)
  }
}

/// The rating formula: the noiseless mean of a (user, film) pair, and the grid.
struct RatingModel: Sendable, Hashable {
  let genreBonus: Double
  let popularityWeight: Double
  let voteWeight: Double
  let voteCenter: Double
  let grid: RatingGrid

  init(_ configuration: WorldConfiguration) {
    genreBonus = configuration.genreBonus
    popularityWeight = configuration.popularityWeight
    voteWeight = configuration.voteWeight
    voteCenter = configuration.voteCenter
    grid = RatingGrid(range: configuration.ratingRange, rounding: configuration.rounding)!
  }

  /// tendency + genreBonus·shared + bias·popularity·popularityWeight + (vote − center)·voteWeight.
  @inline(__always)
  func mean(
    tendency: Double, popularityBias: Double, sharedGenres: Int, popularity: Double,
    voteAverage: Double
  ) -> Double {
    tendency + genreBonus * Double(sharedGenres) + popularityBias * popularity * popularityWeight
      + (voteAverage - voteCenter) * voteWeight
  }
}
