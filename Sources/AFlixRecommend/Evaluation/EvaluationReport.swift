import AFlixData
import Foundation

/// How one model did on one train/test split.
public struct FoldReport: Sendable, Hashable, Codable {
  /// The split's name (`u1`, `fold3`, `holdout` …).
  public var name: String
  /// Rating accuracy, for rating predictors (nil for ranking-only models).
  public var accuracy: AccuracyReport?
  /// Top-k ranking quality.
  public var ranking: RankingReport
  /// Seconds spent fitting.
  public var fitSeconds: Double
  /// Seconds spent predicting the test ratings and ranking for every test user.
  public var predictSeconds: Double

  /// Creates a fold report.
  public init(
    name: String, accuracy: AccuracyReport?, ranking: RankingReport, fitSeconds: Double,
    predictSeconds: Double
  ) {
    self.name = name
    self.accuracy = accuracy
    self.ranking = ranking
    self.fitSeconds = fitSeconds
    self.predictSeconds = predictSeconds
  }
}

/// A mean and a standard deviation over folds.
public struct MeanAndDeviation: Sendable, Hashable, Codable {
  /// The mean over folds.
  public var mean: Double
  /// The sample standard deviation over folds (0 for one fold).
  public var std: Double

  /// The mean and sample standard deviation of `values`.
  public init(_ values: [Double]) {
    let n = Double(values.count)
    mean = values.isEmpty ? 0 : values.reduce(0, +) / n
    let m = mean
    std =
      values.count < 2 ? 0 : (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot()
  }
}

/// A model evaluated on several splits (Surprise's `cross_validate`): per-fold reports and
/// mean ± std of every figure.
public struct EvaluationReport: Sendable, Hashable, Codable {
  /// The algorithm's name.
  public var model: String
  /// The cut-off of the ranking metrics.
  public var k: Int
  /// Which held-out ratings counted as relevant.
  public var relevance: String
  /// One report per split, in order.
  public var folds: [FoldReport]

  /// Creates a report from fold reports.
  public init(model: String, k: Int, relevance: Relevance, folds: [FoldReport]) {
    self.model = model
    self.k = k
    self.relevance = relevance.description
    self.folds = folds
  }

  /// RMSE over folds (nil for ranking-only models).
  public var rmse: MeanAndDeviation? {
    folds.allSatisfy { $0.accuracy != nil }
      ? MeanAndDeviation(folds.map { $0.accuracy!.rmse }) : nil
  }
  /// MAE over folds (nil for ranking-only models).
  public var mae: MeanAndDeviation? {
    folds.allSatisfy { $0.accuracy != nil }
      ? MeanAndDeviation(folds.map { $0.accuracy!.mae }) : nil
  }
  /// Precision@k over folds.
  public var precision: MeanAndDeviation { MeanAndDeviation(folds.map(\.ranking.precision)) }
  /// Recall@k over folds.
  public var recall: MeanAndDeviation { MeanAndDeviation(folds.map(\.ranking.recall)) }
  /// NDCG@k over folds.
  public var ndcg: MeanAndDeviation { MeanAndDeviation(folds.map(\.ranking.ndcg)) }
  /// MAP@k over folds.
  public var map: MeanAndDeviation { MeanAndDeviation(folds.map(\.ranking.map)) }
  /// Fit seconds over folds.
  public var fitSeconds: MeanAndDeviation { MeanAndDeviation(folds.map(\.fitSeconds)) }
  /// Predict seconds over folds.
  public var predictSeconds: MeanAndDeviation { MeanAndDeviation(folds.map(\.predictSeconds)) }
}

/// Fits and evaluates algorithms on splits.
public enum Evaluation {
  /// Fits `algorithm` on each split's train part and reports accuracy and ranking on its test
  /// part.
  public static func evaluate<A: RatingAlgorithm>(
    _ algorithm: A, on splits: [DatasetSplit], k: Int = 10, relevance: Relevance = .all,
    catalog: Catalog? = nil
  ) throws -> EvaluationReport {
    try run(
      algorithm.name, on: splits, k: k, relevance: relevance, catalog: catalog, fit: algorithm.fit
    ) {
      model, split in
      AccuracyReport(of: model, on: split.test)
    }
  }

  /// Fits `algorithm` on each split's train part and reports ranking on its test part.
  public static func evaluate<A: RankingAlgorithm>(
    _ algorithm: A, on splits: [DatasetSplit], k: Int = 10, relevance: Relevance = .all,
    catalog: Catalog? = nil
  ) throws -> EvaluationReport {
    try run(
      algorithm.name, on: splits, k: k, relevance: relevance, catalog: catalog, fit: algorithm.fit
    ) { _, _ in
      nil
    }
  }

  /// The fold loop shared by both kinds of model: fit, then time accuracy (if any) and ranking.
  private static func run<Model: ItemScorer>(
    _ name: String, on splits: [DatasetSplit], k: Int, relevance: Relevance,
    catalog: Catalog?, fit: (RatingsDataset) throws -> Model,
    accuracy: (Model, DatasetSplit) -> AccuracyReport?
  ) throws -> EvaluationReport {
    var folds: [FoldReport] = []
    let clock = ContinuousClock()
    for split in splits {
      var model: Model?
      let fitDuration = try clock.measure { model = try fit(split.train) }
      var accuracyReport: AccuracyReport?
      var ranking: RankingReport?
      let predictDuration = clock.measure {
        accuracyReport = accuracy(model!, split)
        ranking = RankingReport(
          of: model!, train: split.train, test: split.test, k: k, relevance: relevance,
          catalog: catalog)
      }
      folds.append(
        FoldReport(
          name: split.name, accuracy: accuracyReport, ranking: ranking!,
          fitSeconds: seconds(fitDuration), predictSeconds: seconds(predictDuration)))
    }
    return EvaluationReport(model: name, k: k, relevance: relevance, folds: folds)
  }

  static func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
}
