import AFlixRecommend
import Foundation
import Testing

@testable import AFlixRecommend

/// A/B experiments: the original's MD5 assignment rule and the report's statistics, against
/// Python's `hashlib` and SciPy (figures computed there, independently of this code).
@Suite struct ExperimentTests {
  @Test func assignmentFollowsTheMD5RuleAsPythonComputesIt() throws {
    // int(hashlib.md5(f"{name}_{user}".encode()).hexdigest(), 16) % n, Python 3.
    let cases: [(name: String, variants: Int, users: [(String, Int)])] = [
      ("k_svd", 3, [("42", 0), ("1", 1), ("alice", 0), ("user_7", 2), ("éclair", 0)]),
      ("weights", 2, [("42", 1), ("943", 1), ("bob", 1)]),
      (
        "five", 5,
        [
          ("0", 4), ("1", 1), ("2", 4), ("3", 4), ("4", 2), ("5", 3), ("6", 0), ("7", 3),
          ("8", 0), ("9", 2),
        ]
      ),
    ]
    for (name, count, users) in cases {
      let experiment = try Experiment(name: name, variants: (0..<count).map { "v\($0)" })
      for (user, index) in users {
        #expect(experiment.variantIndex(forUser: user) == index, "\(name) / \(user)")
        let assignment = experiment.assignment(forUser: user)
        #expect(
          assignment == ExperimentAssignment(experiment: name, variant: "v\(index)", index: index))
      }
    }
  }

  @Test func assignmentsSpreadEvenly() throws {
    let experiment = try Experiment(name: "spread", variants: ["a", "b", "c", "d"])
    var counts = [0, 0, 0, 0]
    for user in 0..<40_000 { counts[experiment.variantIndex(forUser: String(user))] += 1 }
    // 10,000 expected each; a binomial's standard deviation is about 87.
    #expect(counts.allSatisfy { abs($0 - 10_000) < 500 }, "\(counts)")
  }

  @Test func badExperimentsAreRefused() {
    for (name, variants) in [
      ("", ["a", "b"]), ("x", ["a"]), ("x", []), ("x", ["a", "a"]), ("x", ["a", ""]),
      (String(repeating: "n", count: 201), ["a", "b"]),
      ("x", (0...Experiment.maximumVariantCount).map(String.init)),
    ] {
      #expect(throws: RecommendError.self, "\(name.count) \(variants.count)") {
        try Experiment(name: name, variants: variants)
      }
    }
    let decoded = #"{"name": "x", "variants": ["a", "a"]}"#
    #expect(throws: RecommendError.self) {
      try JSONDecoder().decode(Experiment.self, from: Data(decoded.utf8))
    }
  }

  @Test func theNormalQuantileMatchesSciPy() {
    // scipy.stats.norm.ppf
    let cases: [(Double, Double)] = [
      (0.975, 1.959963984540054), (0.95, 1.6448536269514722), (0.995, 2.5758293035489004),
      (0.001, -3.090232306167813), (0.999999, 4.753424308817087), (0.5, 0),
      (0.3, -0.5244005127080409),
    ]
    for (p, expected) in cases {
      #expect(
        abs(NormalDistribution.quantile(p) - expected) <= 1e-12 * max(1, abs(expected)), "\(p)")
    }
  }

  @Test func theReportMatchesSciPy() throws {
    let experiment = try Experiment(name: "k_svd", variants: ["25", "30", "35"])
    var tally = ExperimentTally(experiment: experiment)
    for (index, exposed, converted) in [(0, 1_000, 120), (1, 1_000, 150), (2, 50, 0)] {
      for _ in 0..<exposed { try tally.recordExposure(variant: index) }
      for _ in 0..<converted { try tally.recordConversion(variant: index) }
    }
    for value in [3, 4, 5, 4, 2.5, 3.5, 4.5] { try tally.recordMetric(value, variant: 0) }
    try tally.recordMetric(4, variant: 1)
    let report = try tally.report()
    #expect(report.confidence == 0.95)
    let (control, better, none) = (report.variants[0], report.variants[1], report.variants[2])
    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
      a.map { abs($0 - b) <= tolerance } ?? false
    }
    // Wilson intervals, the formula in SciPy: 120/1000 and 0/50.
    #expect(control.conversionRate == 0.12)
    let wilson = try #require(control.conversionInterval)
    #expect(close(wilson.lower, 0.10129926060130913, 1e-9))
    #expect(close(wilson.upper, 0.14160907584771276, 1e-9))
    #expect(none.conversionRate == 0)
    #expect(close(none.conversionInterval?.lower, 0))
    #expect(close(none.conversionInterval?.upper, 0.07134759913335872, 1e-9))
    // The metric: mean, standard deviation (ddof 1) and its interval.
    #expect(close(control.metricMean, 3.7857142857142856))
    #expect(close(control.metricStandardDeviation, 0.8591246929842246))
    #expect(close(control.metricInterval?.lower, 3.1492775014117704, 1e-9))
    #expect(close(control.metricInterval?.upper, 4.422151070016801, 1e-9))
    #expect(better.metricMean == 4 && better.metricInterval == nil)
    #expect(none.metricMean == nil)
    // 150/1000 against 120/1000: difference, Wald interval, pooled z-test.
    #expect(close(better.differenceFromControl, 0.03))
    #expect(close(better.differenceInterval?.lower, 7.602882129778554e-05, 1e-9))
    #expect(close(better.differenceInterval?.upper, 0.05992397117870221, 1e-9))
    #expect(close(better.pValue, 0.04964038686536878, 1e-9))
    #expect(control.differenceFromControl == nil && control.pValue == nil)
  }

  @Test func reportsRefuseImpossibleCountsAndConfidences() throws {
    let experiment = try Experiment(name: "x", variants: ["a", "b"])
    var tally = ExperimentTally(experiment: experiment)
    #expect(throws: RecommendError.self) { try tally.recordExposure(variant: 2) }
    #expect(throws: RecommendError.self) { try tally.recordConversion(variant: -1) }
    #expect(throws: RecommendError.self) { try tally.recordMetric(.nan, variant: 0) }
    #expect(tally.variants[0].metricCount == 0)
    for confidence in [0, 1, -0.5, 1.5, .nan] {
      #expect(throws: RecommendError.self) { try tally.report(confidence: confidence) }
    }
    try tally.recordConversion(variant: 1)
    #expect(throws: RecommendError.self) { try tally.report() }
    try tally.recordExposure(variant: 1)
    let report = try tally.report()
    // No exposure in the control: no difference to report.
    #expect(report.variants[1].conversionRate == 1)
    #expect(report.variants[1].differenceFromControl == nil)
    #expect(report.variants[0].conversionRate == nil)
  }
}
