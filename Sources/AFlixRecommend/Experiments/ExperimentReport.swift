/// An ``Experiment``'s variants compared: each one's conversion rate with its Wilson score
/// interval, its metric's mean with a normal-approximation interval, and, for every variant but
/// the first (the control), the difference of conversion rates from the control with its Wald
/// interval and the two-sided p-value of the pooled two-proportion z-test.
///
/// With `p̂ = x/n` and `z` the normal quantile of the confidence (1.96 at 95 %):
///
/// - Wilson: `(p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)` — well-behaved at 0 and n
///   conversions, where the Wald interval collapses.
/// - Metric mean: `m ± z·s/√k` for `k` values of sample standard deviation `s` (normal
///   approximation: read it with care below about 30 values).
/// - Difference from the control: `d = p̂₁ − p̂₀`, `d ± z·√(p̂₁(1 − p̂₁)/n₁ + p̂₀(1 − p̂₀)/n₀)`;
///   p-value `2·P(Z > |d| / √(p̄(1 − p̄)(1/n₁ + 1/n₀)))` with the pooled `p̄ = (x₁ + x₀)/(n₁ + n₀)`.
///
/// Figures that need data the variant lacks (no exposure, fewer than two metric values) are
/// `nil`.
public struct ExperimentReport: Sendable, Hashable, Codable {
  /// A closed interval.
  public struct Interval: Sendable, Hashable, Codable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double

    /// Creates an interval.
    public init(lower: Double, upper: Double) {
      self.lower = lower
      self.upper = upper
    }
  }

  /// One variant's figures.
  public struct VariantReport: Sendable, Hashable, Codable {
    /// The variant's name.
    public var name: String
    /// Its index (0 is the control).
    public var index: Int
    /// Users exposed.
    public var exposures: Int
    /// Users converted.
    public var conversions: Int
    /// `conversions / exposures`; `nil` without exposures.
    public var conversionRate: Double?
    /// The Wilson score interval of the rate.
    public var conversionInterval: Interval?
    /// How many metric values were recorded.
    public var metricCount: Int
    /// Their mean; `nil` without values.
    public var metricMean: Double?
    /// Their sample standard deviation; `nil` below two values.
    public var metricStandardDeviation: Double?
    /// The interval of the mean; `nil` below two values.
    public var metricInterval: Interval?
    /// This rate minus the control's; `nil` for the control or without exposures on either side.
    public var differenceFromControl: Double?
    /// The Wald interval of the difference.
    public var differenceInterval: Interval?
    /// The two-sided p-value of the pooled z-test of equal rates; `nil` when undefined (no
    /// exposure on a side, or no variation: every user converted, or none did, on both sides).
    public var pValue: Double?

    init(
      variant v: ExperimentTally.Variant, name: String, index: Int, z: Double,
      control: ExperimentTally.Variant?
    ) {
      self.name = name
      self.index = index
      exposures = v.exposures
      conversions = v.conversions
      metricCount = v.metricCount
      if v.exposures > 0 {
        let n = Double(v.exposures)
        let p = Double(v.conversions) / n
        conversionRate = p
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
        conversionInterval = Interval(lower: max(0, centre - half), upper: min(1, centre + half))
      }
      if v.metricCount > 0 { metricMean = v.metricMean }
      if v.metricCount > 1 {
        let s = (v.metricSquaredDeviations / Double(v.metricCount - 1)).squareRoot()
        metricStandardDeviation = s
        let half = z * s / Double(v.metricCount).squareRoot()
        metricInterval = Interval(lower: v.metricMean - half, upper: v.metricMean + half)
      }
      if let control, control.exposures > 0, v.exposures > 0 {
        let (n1, n0) = (Double(v.exposures), Double(control.exposures))
        let (p1, p0) = (Double(v.conversions) / n1, Double(control.conversions) / n0)
        let d = p1 - p0
        differenceFromControl = d
        let half = z * (p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0).squareRoot()
        differenceInterval = Interval(lower: d - half, upper: d + half)
        let pooled = Double(v.conversions + control.conversions) / (n1 + n0)
        let se = (pooled * (1 - pooled) * (1 / n1 + 1 / n0)).squareRoot()
        if se > 0 { pValue = 2 * NormalDistribution.upperTail(abs(d) / se) }
      }
    }
  }

  /// The experiment's name.
  public var experiment: String
  /// The confidence of every interval.
  public var confidence: Double
  /// Every variant, in declaration order.
  public var variants: [VariantReport]
}
