/// What the users of each variant of an ``Experiment`` did: how many were exposed, how many
/// converted, and a metric's running mean and variance (Welford's), per variant. A value type:
/// a service keeps one per experiment (or rebuilds it from its stored events) and asks for a
/// ``report(confidence:)``.
public struct ExperimentTally: Sendable, Hashable, Codable {
  /// One variant's counts.
  public struct Variant: Sendable, Hashable, Codable {
    /// Users exposed to the variant (count each user once).
    public var exposures = 0
    /// Users who converted (each once; at most ``exposures`` for a report).
    public var conversions = 0
    /// How many metric values were recorded.
    public var metricCount = 0
    /// Their mean.
    public var metricMean = 0.0
    /// The sum of squared deviations from the mean (Welford's M₂).
    public var metricSquaredDeviations = 0.0

    /// An empty tally.
    public init() {}
  }

  /// The experiment.
  public let experiment: Experiment
  /// The counts, by variant index.
  public private(set) var variants: [Variant]

  /// An empty tally of `experiment`.
  public init(experiment: Experiment) {
    self.experiment = experiment
    variants = Array(repeating: Variant(), count: experiment.variants.count)
  }

  /// Counts one exposed user of variant `index`.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an index outside the variants.
  public mutating func recordExposure(variant index: Int) throws {
    try check(index)
    variants[index].exposures += 1
  }

  /// Counts one converted user of variant `index`.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an index outside the variants.
  public mutating func recordConversion(variant index: Int) throws {
    try check(index)
    variants[index].conversions += 1
  }

  /// Adds `value` to variant `index`'s metric (a rating, a watch time, a revenue).
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an index outside the variants or a
  ///   value that is not finite; nothing is recorded then.
  public mutating func recordMetric(_ value: Double, variant index: Int) throws {
    try check(index)
    guard value.isFinite else {
      throw RecommendError(.invalidArgument, "a metric value must be finite, got \(value)")
    }
    var v = variants[index]
    v.metricCount += 1
    let delta = value - v.metricMean
    v.metricMean += delta / Double(v.metricCount)
    v.metricSquaredDeviations += delta * (value - v.metricMean)
    variants[index] = v
  }

  private func check(_ index: Int) throws {
    guard variants.indices.contains(index) else {
      throw RecommendError(
        .invalidArgument,
        "experiment \(experiment.name) has variants 0…\(variants.count - 1), not \(index)")
    }
  }

  /// Each variant's conversion rate and metric mean with `confidence` intervals, and each later
  /// variant against the first (the control). See ``ExperimentReport``.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` when `confidence` is not inside (0, 1) or a
  ///   variant counts more conversions than exposures.
  public func report(confidence: Double = 0.95) throws -> ExperimentReport {
    guard confidence > 0, confidence < 1 else {
      throw RecommendError(.invalidArgument, "confidence must lie in (0, 1), got \(confidence)")
    }
    for (k, v) in variants.enumerated() where v.conversions > v.exposures {
      throw RecommendError(
        .invalidArgument,
        "variant \(experiment.variants[k]) counts \(v.conversions) conversions for "
          + "\(v.exposures) exposed users")
    }
    let z = NormalDistribution.quantile(1 - (1 - confidence) / 2)
    let control = variants[0]
    return ExperimentReport(
      experiment: experiment.name, confidence: confidence,
      variants: variants.enumerated().map { k, v in
        ExperimentReport.VariantReport(
          variant: v, name: experiment.variants[k], index: k, z: z,
          control: k == 0 ? nil : control)
      })
  }
}
