import Foundation

/// The K values the service works with: the rank of the truncated SVD fitted at each training
/// (its explained variance and user factors: `/status`, the monitor, the clustering route), the
/// factors of the rating predictor (the model of the held-out and live RMSE) and the clustering
/// route's default number of segments. The scheduled re-optimisation sets them from the library's
/// K optimiser (its K-SVD for both factor counts).
public struct ServingTuning: Sendable, Hashable, Codable {
  /// The truncated SVD's rank (K-SVD); 12, the library's tuned default.
  public var svdRank: Int
  /// The rating predictor's (biased MF) factors; 32.
  public var predictorFactors: Int
  /// The clustering route's default k (K-cluster); 5.
  public var clusterCount: Int

  /// Creates K values (at least 1, 1 and 2).
  public init(svdRank: Int = 12, predictorFactors: Int = 32, clusterCount: Int = 5) {
    self.svdRank = max(1, svdRank)
    self.predictorFactors = max(1, predictorFactors)
    self.clusterCount = max(2, clusterCount)
  }
}

/// The ratings given through the service against what the rating predictor predicted for them:
/// the live RMSE and MAE since a count started.
public struct LiveAccuracy: Sendable, Hashable {
  /// How many ratings were counted.
  public private(set) var count = 0
  private var squaredErrors = 0.0
  private var absoluteErrors = 0.0

  /// An empty count.
  public init() {}

  /// Counts one rating.
  public mutating func add(predicted: Double, actual: Double) {
    let error = predicted - actual
    count += 1
    squaredErrors += error * error
    absoluteErrors += abs(error)
  }

  /// The root mean squared error, `nil` without ratings.
  public var rmse: Double? { count == 0 ? nil : (squaredErrors / Double(count)).squareRoot() }
  /// The mean absolute error, `nil` without ratings.
  public var mae: Double? { count == 0 ? nil : absoluteErrors / Double(count) }
}
