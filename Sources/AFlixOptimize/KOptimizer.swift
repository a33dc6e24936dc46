import AFlixCluster
import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
internal import _AFlixSupport

/// Chooses K-SVD (latent factors) and then K-cluster (user segments) for a dataset, reporting
/// every candidate's figures as it goes: the original AFlix's self-tuning, streamed.
///
/// ```swift
/// let optimizer = KOptimizer(strategy: ValidationStrategy())
/// for try await event in optimizer.optimize(ratings) {
///   if case .kSVDResult(let c, let isBest, _) = event { print(c.k, c.validationRMSE ?? 0, isBest) }
/// }
/// ```
///
/// Work is shared: one randomized truncated SVD of the ratings at the largest K serves every
/// smaller K (its leading triplets: explained variance, and the points clustered at the chosen
/// K); with a validating strategy, one truncated-SVD recommender per fold at the largest K serves
/// every K by its leading factors; the silhouettes of every K-cluster candidate come from one pass
/// over the pairwise distances.
public struct KOptimizer: Sendable {
  /// The K-SVD values tried (by default the original's, adaptive by density).
  public var svdCandidates: KSVDCandidates
  /// The K-cluster values tried (by default 2…8).
  public var clusterCandidates: [Int]
  /// How K-SVD candidates are scored and chosen.
  public var strategy: any KSVDStrategy
  /// Seed of the decompositions, the folds and K-means: the same seed gives the same result.
  public var seed: UInt64
  /// K-means restarts per K (the lowest inertia kept; 10 as scikit-learn's `n_init`).
  public var restarts: Int
  /// Threads of the work (nil: the caller's `Parallelism.currentThreadCount`).
  public var threadCount: Int?
  /// Users up to which the silhouette is exact (over every user); above, a seeded sample of this
  /// many users (at least 2).
  public var exactSilhouetteLimit: Int
  /// Whether every K-SVD candidate carries held-out RMSE and NDCG@10 (over ``reportFolds``
  /// seeded folds) even when the strategy does not score by them (the original composite): every
  /// per-K figure reported, at the cost of one fitted recommender per fold.
  public var reportsValidation: Bool
  /// The folds of ``reportsValidation`` (at least 2; 3 by default).
  public var reportFolds: Int

  /// Creates an optimiser.
  public init(
    svdCandidates: KSVDCandidates = .adaptive, clusterCandidates: [Int] = Array(2...8),
    strategy: any KSVDStrategy = ValidationStrategy(), seed: UInt64 = 0, restarts: Int = 10,
    threadCount: Int? = nil, exactSilhouetteLimit: Int = 20_000, reportsValidation: Bool = false,
    reportFolds: Int = 3
  ) {
    self.svdCandidates = svdCandidates
    self.clusterCandidates = clusterCandidates
    self.strategy = strategy
    self.seed = seed
    self.restarts = restarts
    self.threadCount = threadCount
    self.exactSilhouetteLimit = max(2, exactSilhouetteLimit)
    self.reportsValidation = reportsValidation
    self.reportFolds = max(2, reportFolds)
  }

  /// The optimisation of `data` as a stream of events, ending with ``OptimizationEvent/completed(finalKSVD:finalKCluster:progress:)``
  /// (or ``OptimizationEvent/error(message:progress:)`` and a thrown error).
  ///
  /// The work runs on a thread of its own (never on Swift's cooperative pool). Ending the
  /// iteration early, or cancelling the consuming task, stops it before the next candidate (or
  /// fold, or K-means fit) and frees what it holds; a cancelled consumer's next `next()` throws
  /// `CancellationError` (see ``OptimizationEvents``).
  public func optimize(_ data: RatingsDataset) -> OptimizationEvents {
    let (stream, continuation) = AsyncThrowingStream<OptimizationEvent, any Error>.makeStream()
    let flag = CancellationFlag()
    // Read here: a new thread does not inherit task-local values.
    let threads = threadCount ?? Parallelism.currentThreadCount
    let optimizer = self
    let thread = Thread {
      DedicatedThread.nameCurrentThread("AFlix optimize")
      var last = 0.0
      do {
        _ = try Parallelism.withThreadCount(threads) {
          try optimizer.run(data, isCancelled: { flag.isSet }) { event in
            last = event.progress
            continuation.yield(event)
          }
        }
        continuation.finish()
      } catch is CancellationError {
        continuation.finish(throwing: CancellationError())
      } catch {
        continuation.yield(.error(message: "\(error)", progress: last))
        continuation.finish(throwing: error)
      }
    }
    thread.name = "AFlix optimize"
    continuation.onTermination = { _ in flag.set() }
    thread.start()
    return OptimizationEvents(stream: stream, flag: flag)
  }

  /// The optimisation of `data` on the calling thread, each event passed to `emit` as it
  /// happens; `isCancelled` is asked between candidates.
  ///
  /// - Throws: ``OptimizeError`` for empty data or no valid candidate, `CancellationError` once
  ///   `isCancelled` answers true, and what the decompositions and K-means throw.
  public func run(
    _ data: RatingsDataset, isCancelled: () -> Bool = { false },
    emit: (OptimizationEvent) -> Void = { _ in }
  ) throws -> OptimizationResult {
    guard let threadCount else { return try sweep(data, isCancelled: isCancelled, emit: emit) }
    return try Parallelism.withThreadCount(threadCount) {
      try sweep(data, isCancelled: isCancelled, emit: emit)
    }
  }

  /// ``run(_:isCancelled:emit:)`` at the caller's thread count.
  func sweep(
    _ data: RatingsDataset, isCancelled: () -> Bool, emit: (OptimizationEvent) -> Void
  ) throws -> OptimizationResult {
    func check() throws { if isCancelled() { throw CancellationError() } }
    let clock = ContinuousClock()
    let start = clock.now
    try check()
    guard restarts >= 1 else {
      throw OptimizeError(.invalidArgument, "K-means restarts must be at least 1, got \(restarts)")
    }
    let (users, items) = (data.userCount, data.itemCount)
    guard data.ratingCount > 0, users > 0, items > 0 else {
      throw OptimizeError(.emptyData, "the dataset holds no ratings to optimise on")
    }
    emit(
      .status(message: "optimising K-SVD and K-cluster (\(strategy.name) strategy)", progress: 0))
    emit(
      .matrixInfo(
        users: users, items: items, ratings: data.ratingCount, density: data.density, progress: 5))
    let (ks, skipped) = svdCandidates.resolved(users: users, items: items, density: data.density)
    guard let maxK = ks.last else {
      throw OptimizeError(
        .noValidCandidate,
        "no K-SVD candidate is valid for a \(users) × \(items) matrix: K must be at least 1 and "
          + "below min(users, items) = \(min(users, items)) (candidates: "
          + "\(skipped.map(String.init).joined(separator: ", ")))")
    }
    if !skipped.isEmpty {
      emit(
        .status(
          message: "skipped K-SVD \(skipped.map(String.init).joined(separator: ", ")): "
            + "K must be below min(users, items) = \(min(users, items))", progress: 5))
    }
    let clusterKs = Array(Set(clusterCandidates)).sorted().filter { $0 >= 2 && $0 < users }
    guard !clusterKs.isEmpty else {
      throw OptimizeError(
        .noValidCandidate,
        "no K-cluster candidate is valid for \(users) users: K must be in 2…\(users - 1) "
          + "(candidates: \(clusterCandidates.map(String.init).joined(separator: ", ")))")
    }

    // One decomposition at the largest K.
    try check()
    emit(.status(message: "truncated SVD of the ratings at K = \(maxK)", progress: 8))
    let svdStart = clock.now
    let svd = try data.userItemMatrix(as: Double.self).truncatedSVD(
      rank: maxK, centering: .none, method: .randomized(.init(seed: seed)))
    let ratios = svd.explainedVarianceRatio
    let decompositionSeconds = (clock.now - svdStart).inSeconds
    let folds = try validationFolds(data, maxK: maxK, check: check, emit: emit)

    // The K-SVD sweep.
    emit(.phase(.kSVD, progress: 30))
    var candidates: [KSVDCandidate] = []
    for (index, k) in ks.enumerated() {
      try check()
      let candidateStart = clock.now
      let explained = ratios.prefix(k).reduce(0, +)
      var candidate = KSVDCandidate(
        k: k, explainedVariance: explained, efficiency: explained / Double(k),
        overfittingRisk: Double(k) / Double(min(users, items)))
      if !folds.isEmpty {
        var rmse: [Double] = []
        var ndcg: [Double] = []
        for fold in folds where k <= fold.model.rank {
          try check()
          let model = k == fold.model.rank ? fold.model : try fold.model.keepingLeadingFactors(k)
          rmse.append(AccuracyReport(of: model, on: fold.test).rmse)
          ndcg.append(RankingReport(of: model, train: fold.train, test: fold.test, k: 10).ndcg)
        }
        (candidate.validationRMSE, candidate.validationRMSEStandardError) = Self.meanAndError(rmse)
        (candidate.validationNDCG, candidate.validationNDCGStandardError) = Self.meanAndError(ndcg)
      }
      candidate.compositeScore = strategy.score(candidate)
      candidate.seconds = (clock.now - candidateStart).inSeconds
      candidates.append(candidate)
      emit(
        .kSVDResult(
          candidate, isBest: strategy.bestSoFar(candidates) == index,
          progress: 30 + 35 * Double(index + 1) / Double(ks.count)))
    }
    guard let chosen = strategy.choose(candidates) else {
      throw OptimizeError(
        .noValidCandidate, "the \(strategy.name) strategy could score no K-SVD candidate")
    }
    let kSVD = candidates[chosen].k
    emit(.kSVDOptimal(k: kSVD, score: candidates[chosen].compositeScore, progress: 65))

    // The K-cluster sweep on U·Σ at the chosen K.
    emit(.phase(.kCluster, progress: 65))
    let points = Self.leadingColumns(
      SegmentationFeatures.scaledFactors(svd.u, svd.singularValues), kSVD)
    let sweep = try clusterSweep(points, ks: clusterKs, check: check, emit: emit)
    var best: Int?
    for (index, candidate) in sweep.enumerated() {
      if let score = candidate.compositeScore,
        best.flatMap({ sweep[$0].compositeScore }).map({ score > $0 }) ?? true
      {
        best = index
      }
      emit(
        .kClusterResult(
          candidate, isBest: best == index,
          progress: 90 + 5 * Double(index + 1) / Double(sweep.count)))
    }
    guard let best, let clusterScore = sweep[best].compositeScore else {
      throw OptimizeError(
        .noValidCandidate,
        "no K-cluster candidate has a silhouette: the \(users) users' factors fall into fewer "
          + "than two distinct clusters")
    }
    emit(.kClusterOptimal(k: sweep[best].k, score: clusterScore, progress: 95))
    emit(.completed(finalKSVD: kSVD, finalKCluster: sweep[best].k, progress: 100))
    return OptimizationResult(
      strategy: strategy.name, users: users, items: items, ratings: data.ratingCount,
      density: data.density, seed: seed, kSVD: kSVD, kCluster: sweep[best].k,
      kSVDCandidates: candidates, kClusterCandidates: sweep,
      decompositionSeconds: decompositionSeconds, seconds: (clock.now - start).inSeconds)
  }
}
