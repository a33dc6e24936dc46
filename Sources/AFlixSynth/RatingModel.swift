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
    guard mean.isFinite, sd.isFinite else { return .nan }
    guard sd > 0 else { return apply(mean) }
    if isRounded {
      // P(X ≥ cₖ) is exactly 1 for (cₖ − μ)/σ ≤ −40 and exactly 0 for ≥ 40 (erfc rounds to 2
      // and to 0 there), so only the boundaries in between are evaluated: O(80σ/step) terms at
      // most, whatever the grid's size, and the same sum as evaluating every term.
      let low = ((mean - 40 * sd - first) / step + 0.5).rounded(.up)
      let high = ((mean + 40 * sd - first) / step + 0.5).rounded(.down)
      let from = low <= 1 ? 1 : (low > Double(steps) ? steps + 1 : Int(low))
      let to = high >= Double(steps) ? steps : (high < 1 ? 0 : Int(high))
      var total = Double(from - 1)
      if from <= to {
        for k in from...to {
          let boundary = first + (Double(k) - 0.5) * step
          total += Normal.upperTail((boundary - mean) / sd)
        }
      }
      return first + step * total
    }
    let alpha = (lower - mean) / sd
    let beta = (upper - mean) / sd
    // Φ and 1 − Φ of each bound from one erfc each (the same bits as `cdf` and `upperTail`).
    let a = Normal.tails(alpha)
    let b = Normal.tails(beta)
    let below = a.lower
    let above = b.upper
    let inside = alpha > 0 ? a.upper - above : b.lower - below
    return lower * below + upper * above + mean * inside
      + sd * (Normal.density(alpha) - Normal.density(beta))
  }
}

/// The standard normal distribution's density and tails, through `erfc` (accurate in both tails),
/// in `PortableMath` (the same bits on every platform).
enum Normal {
  /// φ(z).
  @inline(__always)
  static func density(_ z: Double) -> Double {
    PortableMath.exp(-0.5 * z * z) * 0.398_942_280_401_432_7
  }

  /// Φ(z) = P(Z ≤ z).
  @inline(__always)
  static func cdf(_ z: Double) -> Double {
    0.5 * PortableMath.erfc(-z * 0.707_106_781_186_547_5)
  }

  /// 1 − Φ(z) = P(Z > z).
  @inline(__always)
  static func upperTail(_ z: Double) -> Double {
    0.5 * PortableMath.erfc(z * 0.707_106_781_186_547_5)
  }

  /// `(cdf(z), upperTail(z))`, bit for bit, from a single `erfc`: with `x = z/√2` and
  /// `e = erfc(|x|)`, one of them is `e/2` and the other `(2 − e)/2`, which is how `erfc` of a
  /// negative argument is computed (2 exactly from −6 down).
  @inline(__always)
  static func tails(_ z: Double) -> (lower: Double, upper: Double) {
    let x = z * 0.707_106_781_186_547_5
    if x >= 0 {
      let e = PortableMath.erfc(x)
      return (0.5 * (x >= 6 ? 2 : 2 - e), 0.5 * e)
    }
    let e = PortableMath.erfc(-x)
    return (0.5 * e, 0.5 * (x <= -6 ? 2 : 2 - e))
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
