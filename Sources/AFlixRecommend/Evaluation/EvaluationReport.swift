import AFlixData
import Foundation
internal import _AFlixSupport

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
///
/// Standard deviations are sample deviations (n − 1 denominator); Surprise's `cross_validate`
/// reports the population deviation (n), which is √((n − 1)/n) times smaller (0.894 of ours for
/// five folds).
///
/// Encoded (`Codable`), the report holds `model`, `k`, `relevance`, `folds` and a `summary`
/// object with the mean and deviation of every figure (`rmse` and `mae` absent for ranking-only
/// models); decoding reads the folds and recomputes the summary from them.
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

  /// The mean ± std of every figure over the folds, as encoded under `summary`.
  public struct Summary: Sendable, Hashable, Codable {
    /// RMSE (nil for ranking-only models).
    public var rmse: MeanAndDeviation?
    /// MAE (nil for ranking-only models).
    public var mae: MeanAndDeviation?
    /// Precision@k.
    public var precision: MeanAndDeviation
    /// Recall@k.
    public var recall: MeanAndDeviation
    /// NDCG@k.
    public var ndcg: MeanAndDeviation
    /// MAP@k.
    public var map: MeanAndDeviation
    /// Hit rate.
    public var hitRate: MeanAndDeviation
    /// Catalog coverage.
    public var coverage: MeanAndDeviation
    /// Novelty, in bits.
    public var novelty: MeanAndDeviation
    /// Intra-list diversity (nil unless every fold was evaluated with a catalog).
    public var intraListDiversity: MeanAndDeviation?
    /// Fit seconds.
    public var fitSeconds: MeanAndDeviation
    /// Predict seconds.
    public var predictSeconds: MeanAndDeviation
  }

  /// Every figure's mean ± std over the folds.
  public var summary: Summary {
    Summary(
      rmse: rmse, mae: mae, precision: precision, recall: recall, ndcg: ndcg, map: map,
      hitRate: MeanAndDeviation(folds.map(\.ranking.hitRate)),
      coverage: MeanAndDeviation(folds.map(\.ranking.coverage)),
      novelty: MeanAndDeviation(folds.map(\.ranking.novelty)),
      intraListDiversity: folds.allSatisfy { $0.ranking.intraListDiversity != nil }
        ? MeanAndDeviation(folds.map { $0.ranking.intraListDiversity! }) : nil,
      fitSeconds: fitSeconds, predictSeconds: predictSeconds)
  }

  private enum CodingKeys: String, CodingKey {
    case model, k, relevance, folds, summary
  }

  /// Decodes `model`, `k`, `relevance` and `folds` (the summary is recomputed from the folds).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    model = try c.decode(String.self, forKey: .model)
    k = try c.decode(Int.self, forKey: .k)
    relevance = try c.decode(String.self, forKey: .relevance)
    folds = try c.decode([FoldReport].self, forKey: .folds)
  }

  /// Encodes the report with its `summary`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(model, forKey: .model)
    try c.encode(k, forKey: .k)
    try c.encode(relevance, forKey: .relevance)
    try c.encode(folds, forKey: .folds)
    try c.encode(summary, forKey: .summary)
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
  /// Fits `algorithm` on each split's train part and reports ranking on its test part, and
  /// accuracy too when the fitted model predicts ratings (a ``RatingPredictor``).
  ///
  /// `progress`, when given, is called after each split with the number of splits done and
  /// their total (on the calling thread).
  ///
  /// - Throws: ``RecommendError`` `.emptyTestData` for no split or a split with no test rating
  ///   (before any fit), and whatever fitting throws.
  public static func evaluate<A: RecommenderAlgorithm>(
    _ algorithm: A, on splits: [DatasetSplit], k: Int = 10, relevance: Relevance = .all,
    catalog: Catalog? = nil, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
  ) throws -> EvaluationReport {
    try run(
      algorithm.name, on: splits, k: k, relevance: relevance, catalog: catalog,
      fit: algorithm.fit, progress: progress
    ) { model, split in
      (model as? any RatingPredictor).map { AccuracyReport(of: $0, on: split.test) }
    }
  }

  /// The fold loop shared by both kinds of model: fit, then time accuracy (if any) and ranking.
  private static func run<Model: RecommenderModel>(
    _ name: String, on splits: [DatasetSplit], k: Int, relevance: Relevance,
    catalog: Catalog?, fit: (RatingsDataset) throws -> Model,
    progress: ((Int, Int) -> Void)? = nil,
    accuracy: (Model, DatasetSplit) -> AccuracyReport?
  ) throws -> EvaluationReport {
    var folds: [FoldReport] = []
    let clock = ContinuousClock()
    guard !splits.isEmpty else {
      throw RecommendError(.emptyTestData, "no split to evaluate")
    }
    for split in splits where split.test.ratingCount == 0 {
      throw RecommendError(
        .emptyTestData, "split '\(split.name)' has no test rating: nothing to evaluate")
    }
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
          fitSeconds: fitDuration.inSeconds, predictSeconds: predictDuration.inSeconds))
      progress?(folds.count, splits.count)
    }
    return EvaluationReport(model: name, k: k, relevance: relevance, folds: folds)
  }
}
