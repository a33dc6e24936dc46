import AFlixData
import AFlixRecommend
import Foundation
import Testing

@Suite("Evaluation over splits")
struct EvaluationTests {
  /// 30 users × 20 items, about two thirds observed, whole stars from a fixed formula (so the
  /// data is the same everywhere and has no duplicate).
  static func dataset() throws -> RatingsDataset {
    var ratings: [Rating] = []
    for u in 0..<30 {
      for i in 0..<20 where (u + 2 * i) % 3 != 0 {
        let stars = Float(1 + (u * u + 3 * i + u * i) % 5)
        ratings.append(Rating(user: .int(u), item: .int(i), value: stars))
      }
    }
    return try RatingsDataset(ratings: ratings, scale: .oneToFive)
  }

  /// The fold reports without their timings, which are the only figures allowed to vary.
  static func untimed(_ report: EvaluationReport) -> [FoldReport] {
    report.folds.map { fold in
      var f = fold
      f.fitSeconds = 0
      f.predictSeconds = 0
      return f
    }
  }

  /// The sample standard deviation, written out independently of ``MeanAndDeviation``.
  static func sampleDeviation(_ values: [Double]) -> Double {
    let mean = values.reduce(0, +) / Double(values.count)
    var squares = 0.0
    for v in values { squares += (v - mean) * (v - mean) }
    return (squares / Double(values.count - 1)).squareRoot()
  }

  // MARK: Mean and deviation

  @Test func meanAndDeviationMatchHandValues() {
    let m = MeanAndDeviation([1, 2, 3, 4])
    #expect(m.mean == 2.5)
    // Squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, over n − 1 = 3.
    #expect(abs(m.std - (5.0 / 3).squareRoot()) < 1e-15)

    let one = MeanAndDeviation([0.75])
    #expect(one.mean == 0.75)
    #expect(one.std == 0)

    let constant = MeanAndDeviation([2, 2, 2])
    #expect(constant.mean == 2 && constant.std == 0)

    // Two values a, b: sample deviation |a − b| / √2.
    let two = MeanAndDeviation([1, 4])
    #expect(two.mean == 2.5)
    #expect(abs(two.std - 3 / 2.0.squareRoot()) < 1e-15)

    let none = MeanAndDeviation([])
    #expect(none.mean == 0 && none.std == 0)
  }

  // MARK: Rating algorithms

  @Test func kFoldReportHasOneIndependentlyCheckableFoldPerSplit() throws {
    let data = try Self.dataset()
    let splits = try data.split(.kFold(3), seed: 11)
    #expect(splits.count == 3)
    let report = try Evaluation.evaluate(Baseline(), on: splits)

    #expect(report.model == "baseline")
    #expect(report.k == 10)
    #expect(report.relevance == "all")
    #expect(report.folds.map(\.name) == ["fold1", "fold2", "fold3"])
    #expect(report.folds.map(\.name) == splits.map(\.name))

    var rmses: [Double] = []
    var maes: [Double] = []
    for (fold, split) in zip(report.folds, splits) {
      let model = try Baseline().fit(split.train)
      let accuracy = AccuracyReport(of: model, on: split.test)
      #expect(fold.accuracy == accuracy, "\(fold.name)")
      #expect(fold.accuracy?.count == split.test.ratingCount)
      let ranking = RankingReport(of: model, train: split.train, test: split.test, k: 10)
      #expect(fold.ranking == ranking, "\(fold.name)")
      #expect(fold.fitSeconds >= 0 && fold.predictSeconds >= 0)
      rmses.append(accuracy.rmse)
      maes.append(accuracy.mae)
    }
    // Every rating is tested exactly once over the folds.
    #expect(report.folds.map { $0.accuracy?.count ?? 0 }.reduce(0, +) == data.ratingCount)

    let rmse = try #require(report.rmse)
    #expect(abs(rmse.mean - (rmses[0] + rmses[1] + rmses[2]) / 3) < 1e-12)
    #expect(abs(rmse.std - Self.sampleDeviation(rmses)) < 1e-12)
    let mae = try #require(report.mae)
    #expect(abs(mae.mean - (maes[0] + maes[1] + maes[2]) / 3) < 1e-12)
    #expect(abs(mae.std - Self.sampleDeviation(maes)) < 1e-12)

    let ndcgs = report.folds.map(\.ranking.ndcg)
    #expect(abs(report.ndcg.mean - ndcgs.reduce(0, +) / 3) < 1e-12)
    #expect(abs(report.ndcg.std - Self.sampleDeviation(ndcgs)) < 1e-12)
    let fits = report.folds.map(\.fitSeconds)
    #expect(abs(report.fitSeconds.mean - fits.reduce(0, +) / 3) < 1e-12)

    // The summary carries the same figures.
    let summary = report.summary
    #expect(summary.rmse == report.rmse)
    #expect(summary.mae == report.mae)
    #expect(summary.precision == report.precision)
    #expect(summary.recall == report.recall)
    #expect(summary.ndcg == report.ndcg)
    #expect(summary.map == report.map)
    let hitRates = report.folds.map(\.ranking.hitRate)
    #expect(abs(summary.hitRate.mean - hitRates.reduce(0, +) / 3) < 1e-12)
    let coverages = report.folds.map(\.ranking.coverage)
    #expect(abs(summary.coverage.mean - coverages.reduce(0, +) / 3) < 1e-12)
  }

  @Test func cutOffAndRelevanceReachEveryFold() throws {
    let data = try Self.dataset()
    let splits = try data.split(.kFold(3), seed: 2)
    let report = try Evaluation.evaluate(Baseline(), on: splits, k: 3, relevance: .atLeast(4))
    #expect(report.k == 3)
    #expect(report.relevance == "4")
    for (fold, split) in zip(report.folds, splits) {
      let model = try Baseline().fit(split.train)
      let expected = RankingReport(
        of: model, train: split.train, test: split.test, k: 3, relevance: .atLeast(4))
      #expect(fold.ranking == expected, "\(fold.name)")
      #expect(fold.ranking.k == 3)
    }
    // Only users with a held-out 4 or 5 are averaged: fewer than with every rating relevant.
    let all = try Evaluation.evaluate(Baseline(), on: splits, k: 3)
    for (strict, loose) in zip(report.folds, all.folds) {
      #expect(strict.ranking.users <= loose.ranking.users)
    }
    #expect(report.folds.map(\.ranking.users) != all.folds.map(\.ranking.users))
  }

  @Test func holdoutThroughEvaluationGivesOneFold() throws {
    let data = try Self.dataset()
    let splits = try data.split(.holdout(testFraction: 0.25), seed: 3)
    let report = try Evaluation.evaluate(Baseline(), on: splits)
    #expect(report.folds.count == 1)
    #expect(report.folds.first?.name == "holdout")
    let expectedTest = Int((0.25 * Double(data.ratingCount)).rounded())
    #expect(report.folds.first?.accuracy?.count == expectedTest)
    // One fold: the mean is the fold's figure and the deviation is 0.
    let fold = try #require(report.folds.first?.accuracy)
    #expect(report.rmse == MeanAndDeviation([fold.rmse]))
    #expect(report.rmse?.mean == fold.rmse)
    #expect(report.rmse?.std == 0)
    #expect(report.ndcg.std == 0)
  }

  @Test func rankingOnlyAlgorithmHasNoAccuracy() throws {
    let data = try Self.dataset()
    let splits = try data.split(.kFold(3), seed: 5)
    let report = try Evaluation.evaluate(PopularityAlgorithm(), on: splits)
    #expect(report.model == "popularity")
    #expect(report.folds.count == 3)
    #expect(report.folds.allSatisfy { $0.accuracy == nil })
    #expect(report.rmse == nil)
    #expect(report.mae == nil)
    #expect(report.summary.rmse == nil)
    #expect(report.summary.mae == nil)
    for (fold, split) in zip(report.folds, splits) {
      let model = try PopularityModel(fitting: split.train)
      #expect(
        fold.ranking == RankingReport(of: model, train: split.train, test: split.test),
        "\(fold.name)")
    }
    // Encoded, the summary has no rmse or mae, but has the ranking figures.
    let object = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
    let summary = try #require(object["summary"] as? [String: Any])
    #expect(summary["rmse"] == nil)
    #expect(summary["mae"] == nil)
    #expect(summary["ndcg"] != nil)
    let decoded = try JSONDecoder().decode(
      EvaluationReport.self, from: JSONEncoder().encode(report))
    #expect(decoded == report)
    #expect(decoded.rmse == nil)
  }

  // MARK: Determinism

  @Test func sameSeedGivesSameFiguresAndAnotherSeedOtherSplits() throws {
    let data = try Self.dataset()
    let a = try Evaluation.evaluate(Baseline(), on: try data.split(.kFold(3), seed: 21))
    let b = try Evaluation.evaluate(Baseline(), on: try data.split(.kFold(3), seed: 21))
    #expect(Self.untimed(a) == Self.untimed(b))
    #expect(a.rmse == b.rmse && a.mae == b.mae)
    #expect(a.precision == b.precision && a.ndcg == b.ndcg && a.map == b.map)

    let splitsA = try data.split(.kFold(3), seed: 21)
    let splitsC = try data.split(.kFold(3), seed: 22)
    #expect(splitsA[0].test.allRatings() != splitsC[0].test.allRatings())
    let c = try Evaluation.evaluate(Baseline(), on: splitsC)
    #expect(Self.untimed(a) != Self.untimed(c))
    #expect(a.rmse?.mean != c.rmse?.mean)
  }

  // MARK: JSON

  @Test func jsonHoldsFoldsAndSummaryAndDecodesToAnEqualReport() throws {
    let data = try Self.dataset()
    let report = try Evaluation.evaluate(
      Baseline(), on: try data.split(.kFold(3), seed: 8), k: 5, relevance: .atLeast(3.5))
    let encoded = try JSONEncoder().encode(report)
    let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
    #expect(Set(object.keys) == ["model", "k", "relevance", "folds", "summary"])
    #expect(object["model"] as? String == "baseline")
    #expect(object["k"] as? Int == 5)
    #expect(object["relevance"] as? String == "3.5")
    #expect((object["folds"] as? [Any])?.count == 3)

    let summary = try #require(object["summary"] as? [String: Any])
    let expectedKeys: Set<String> = [
      "rmse", "mae", "precision", "recall", "ndcg", "map", "hitRate", "coverage", "novelty",
      "fitSeconds", "predictSeconds",
    ]
    #expect(Set(summary.keys) == expectedKeys)
    let rmse = try #require(summary["rmse"] as? [String: Any])
    let rmseMean = try #require(rmse["mean"] as? Double)
    let rmseStd = try #require(rmse["std"] as? Double)
    // JSONSerialization may parse the last binary digit differently from JSONDecoder: compare
    // its figures with a tolerance, and the typed decoding below exactly.
    let expectedRMSE = try #require(report.rmse)
    #expect(abs(rmseMean - expectedRMSE.mean) < 1e-12)
    #expect(abs(rmseStd - expectedRMSE.std) < 1e-12)
    let ndcg = try #require(summary["ndcg"] as? [String: Any])
    #expect(abs(try #require(ndcg["mean"] as? Double) - report.ndcg.mean) < 1e-12)

    // The typed summary decodes exactly to the computed one.
    struct Envelope: Decodable { var summary: EvaluationReport.Summary }
    #expect(try JSONDecoder().decode(Envelope.self, from: encoded).summary == report.summary)

    let decoded = try JSONDecoder().decode(EvaluationReport.self, from: encoded)
    #expect(decoded == report)
    #expect(decoded.rmse == report.rmse)
  }

  @Test func decodingRecomputesTheSummaryFromTheFolds() throws {
    let data = try Self.dataset()
    let report = try Evaluation.evaluate(Baseline(), on: try data.split(.kFold(3), seed: 9))
    var object = try #require(
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
    var summary = try #require(object["summary"] as? [String: Any])
    summary["rmse"] = ["mean": 99.0, "std": 99.0]
    object["summary"] = summary
    let tampered = try JSONSerialization.data(withJSONObject: object)
    let decoded = try JSONDecoder().decode(EvaluationReport.self, from: tampered)
    #expect(decoded.rmse == report.rmse)
    #expect(decoded.rmse?.mean != 99)
    // A report without a summary (older files) decodes too.
    object["summary"] = nil
    let bare = try JSONSerialization.data(withJSONObject: object)
    #expect(try JSONDecoder().decode(EvaluationReport.self, from: bare) == report)
  }

  // MARK: Empty test data

  @Test func splitWithoutTestRatingThrowsBeforeAnyFit() throws {
    let data = try Self.dataset()
    let good = try data.split(.holdout(testFraction: 0.2), seed: 1)[0]
    let empty = DatasetSplit(
      name: "empty-one", train: data, test: data.subset(userMajorIndices: []))
    #expect(empty.test.ratingCount == 0)

    let error = try #require(throws: RecommendError.self) {
      _ = try Evaluation.evaluate(Baseline(), on: [good, empty])
    }
    #expect(error.kind == .emptyTestData)
    #expect(error.message.contains("empty-one"))

    let ranking = try #require(throws: RecommendError.self) {
      _ = try Evaluation.evaluate(PopularityAlgorithm(), on: [empty])
    }
    #expect(ranking.kind == .emptyTestData)

    // The check comes before any fit: an algorithm that cannot fit still reports the empty split.
    let invalid = Baseline(epochs: -1)
    #expect(throws: RecommendError.self) { _ = try invalid.fit(data) }
    let first = try #require(throws: RecommendError.self) {
      _ = try Evaluation.evaluate(invalid, on: [good, empty])
    }
    #expect(first.kind == .emptyTestData)
    // Without an empty split, the fit's own error comes through.
    let fitError = try #require(throws: RecommendError.self) {
      _ = try Evaluation.evaluate(invalid, on: [good])
    }
    #expect(fitError.kind == .invalidHyperparameter)
  }
}
