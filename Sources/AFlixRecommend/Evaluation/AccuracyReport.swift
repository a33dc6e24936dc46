import AFlixData

/// Rating accuracy on held-out ratings.
public struct AccuracyReport: Sendable, Hashable, Codable {
  /// Root mean squared error, `√(Σ(r − r̂)² / n)`.
  public var rmse: Double
  /// Mean absolute error, `Σ|r − r̂| / n`.
  public var mae: Double
  /// The number of held-out ratings `n`.
  public var count: Int
  /// How many predictions used a fallback (unknown user or item).
  public var fallbacks: Int

  /// Creates a report.
  public init(rmse: Double, mae: Double, count: Int, fallbacks: Int) {
    self.rmse = rmse
    self.mae = mae
    self.count = count
    self.fallbacks = fallbacks
  }

  /// RMSE and MAE of `predictor` on every rating of `test` (matched to the model by external
  /// ids; unknown ones use the predictor's fallback and are counted in ``fallbacks``).
  public init(of predictor: some RatingPredictor, on test: RatingsDataset) {
    let predictions = predictor.predictions(for: test)
    var squared = 0.0
    var absolute = 0.0
    var fallbacks = 0
    var p = 0
    for u in 0..<test.userCount {
      for actual in test.ratings(ofUser: u).values {
        let e = Double(predictions[p].value) - Double(actual)
        squared += e * e
        absolute += abs(e)
        if predictions[p].source != .model { fallbacks += 1 }
        p += 1
      }
    }
    let n = max(1, predictions.count)
    self.init(
      rmse: (squared / Double(n)).squareRoot(), mae: absolute / Double(n),
      count: predictions.count, fallbacks: fallbacks)
  }
}
