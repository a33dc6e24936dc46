import AFlixCluster
import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Synchronization
internal import _AFlixSupport

extension KOptimizer {
  /// One validation fold: the truncated-SVD recommender fitted on its training part at the
  /// largest K (or the largest its data allows), and its held-out part.
  struct Fold {
    var model: TruncatedSVDModel
    var train: RatingsDataset
    var test: RatingsDataset
  }

  /// The strategy's folds (none when it does not validate, unless ``reportsValidation``: then
  /// ``reportFolds``): a seeded k-fold split of the ratings, one recommender per fold.
  func validationFolds(
    _ data: RatingsDataset, maxK: Int, check: () throws -> Void,
    emit: (OptimizationEvent) -> Void
  ) throws -> [Fold] {
    let count =
      strategy.validationFolds > 0
      ? strategy.validationFolds : (reportsValidation ? reportFolds : 0)
    guard count > 0 else { return [] }
    var folds: [Fold] = []
    for (index, split) in try data.split(.kFold(count), seed: seed).enumerated() {
      try check()
      let rank = min(maxK, min(split.train.userCount, split.train.itemCount) - 1)
      guard rank >= 1, split.test.ratingCount > 0 else { continue }
      emit(
        .status(
          message:
            "validation fold \(index + 1) of \(count): truncated SVD recommender at K = \(rank)",
          progress: 10 + 20 * Double(index) / Double(count)))
      let model = try TruncatedSVDRecommender(rank: rank, seed: seed).fit(split.train)
      folds.append(Fold(model: model, train: split.train, test: split.test))
    }
    return folds
  }

  /// K-means for every K (status events as each ends), then every silhouette from one pass over
  /// the pairwise distances (a seeded sample above ``exactSilhouetteLimit`` users).
  func clusterSweep(
    _ points: Matrix<Double>, ks: [Int], check: () throws -> Void,
    emit: (OptimizationEvent) -> Void
  ) throws -> [KClusterCandidate] {
    let clock = ContinuousClock()
    var fits: [KMeansResult] = []
    var seconds: [Double] = []
    for (index, k) in ks.enumerated() {
      try check()
      let start = clock.now
      let fit = try KMeans(clusterCount: k, restarts: restarts, seed: seed).fit(points)
      fits.append(fit)
      seconds.append((clock.now - start).inSeconds)
      emit(
        .status(
          message: "k-means with k = \(k): inertia \(fit.inertia)",
          progress: 65 + 25 * Double(index + 1) / Double(ks.count)))
    }
    try check()
    let users = points.rows
    let scorable = fits.indices.filter {
      let distinct = Set(fits[$0].labels).count
      return distinct >= 2 && distinct <= users - 1
    }
    let silhouetteStart = clock.now
    var silhouettes: [Int: Double] = [:]
    if users <= exactSilhouetteLimit {
      let scores = try ClusterMetrics.silhouetteScores(
        points, labelings: scorable.map { fits[$0].labels })
      for (index, score) in zip(scorable, scores) { silhouettes[index] = score }
    } else {
      for index in scorable {
        try check()
        do {
          silhouettes[index] = try ClusterMetrics.sampledSilhouetteScore(
            points, labels: fits[index].labels, sampleSize: max(2, exactSilhouetteLimit),
            seed: seed)
        } catch let error as ClusterError where error.kind == .invalidLabelCount {
          continue  // the sample holds a single cluster: no silhouette for this k
        }
      }
    }
    let share = (clock.now - silhouetteStart).inSeconds / Double(max(1, scorable.count))
    return fits.indices.map { index in
      let balance = ClusterMetrics.balance(sizes: fits[index].clusterSizes)
      let silhouette = silhouettes[index]
      return KClusterCandidate(
        k: ks[index], silhouetteScore: silhouette, balance: balance, inertia: fits[index].inertia,
        compositeScore: silhouette.map {
          KClusterCandidate.compositeScore(silhouette: $0, balance: balance, k: ks[index])
        },
        seconds: seconds[index] + (silhouette == nil ? 0 : share))
    }
  }

  /// The mean of `values` and its standard error (`s / √n`; 0 for one value); `nil`s when empty.
  static func meanAndError(_ values: [Double]) -> (Double?, Double?) {
    guard !values.isEmpty else { return (nil, nil) }
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    guard values.count > 1 else { return (mean, 0) }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, (variance / n).squareRoot())
  }

  /// The first `count` columns of `matrix`.
  static func leadingColumns(_ matrix: Matrix<Double>, _ count: Int) -> Matrix<Double> {
    let k = min(count, matrix.columns)
    var out: [Double] = []
    out.reserveCapacity(matrix.rows * k)
    for r in 0..<matrix.rows {
      for c in 0..<k { out.append(matrix[r, c]) }
    }
    return Matrix(rows: matrix.rows, columns: k, elements: out)
  }
}

/// A flag set once from any thread (the stream's termination) and read by the optimiser.
final class CancellationFlag: Sendable {
  private let state = Mutex(false)

  /// Whether ``set()`` was called.
  var isSet: Bool { state.withLock { $0 } }

  /// Sets the flag.
  func set() { state.withLock { $0 = true } }
}
