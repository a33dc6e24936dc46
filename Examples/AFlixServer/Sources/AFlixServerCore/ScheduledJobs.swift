import AFlix
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// When the scheduled jobs run and what sets them off.
public struct JobSchedule: Sendable {
  /// The time between two checks of the live accuracy (nightly: 24 h; `nil`: never).
  public var reoptimizeEvery: Duration?
  /// The time between two full retrainings (weekly: 7 days; `nil`: never).
  public var fullRetrainEvery: Duration?
  /// The re-optimisation runs when the live RMSE exceeds this multiple of the served model's
  /// held-out RMSE (1.1).
  public var rmseRatio: Double
  /// The fewest live ratings since the last check for the live RMSE to count (50).
  public var minimumLiveRatings: Int
  /// The K optimiser the re-optimisation runs.
  public var optimizer: KOptimizer

  /// Creates a schedule: nightly checks, weekly retrains, 1.1 × the held-out RMSE, 50 ratings.
  public init(
    reoptimizeEvery: Duration? = .seconds(86_400), fullRetrainEvery: Duration? = .seconds(604_800),
    rmseRatio: Double = 1.1, minimumLiveRatings: Int = 50, optimizer: KOptimizer = KOptimizer()
  ) {
    self.reoptimizeEvery = reoptimizeEvery
    self.fullRetrainEvery = fullRetrainEvery
    self.rmseRatio = rmseRatio
    self.minimumLiveRatings = max(1, minimumLiveRatings)
    self.optimizer = optimizer
  }
}

/// The service's scheduled jobs, run by swift-service-lifecycle beside the HTTP server: a
/// nightly K re-optimisation when the live RMSE (ratings given against the rating predictor's
/// predictions since the last check) exceeds ``JobSchedule/rmseRatio`` × the held-out RMSE — the
/// library's K optimiser on the fitted ratings, its K-SVD and K-cluster set as the service's
/// ``ServingTuning`` (the predictor's factors and the SVD's rank, the clustering's k), then a
/// training on every rating, the live ones included — and a weekly full retraining.
///
/// Each job's record (runs, last outcome and detail, progress while running) is in `/status`,
/// the live monitor and the metrics (`aflix_scheduled_job_runs_total{job, outcome}`,
/// `aflix_scheduled_job_running{job}`, `aflix_scheduled_job_last_run_timestamp_seconds{job}`).
/// A graceful shutdown cancels both: a running optimisation stops before its next candidate, a
/// running training before its next step.
public final class ScheduledJobs: Service, Sendable {
  /// A job.
  public enum Job: String, Sendable, CaseIterable, Encodable {
    /// The K re-optimisation when the live RMSE has drifted.
    case kReoptimization = "k_reoptimization"
    /// The full retraining.
    case fullRetrain = "full_retrain"
  }

  /// How a run ended.
  public enum Outcome: String, Sendable, Encodable {
    /// Nothing to do (the live RMSE within bounds, or too few live ratings).
    case skipped
    /// K re-optimised and the model retrained with it.
    case reoptimized
    /// The model retrained.
    case retrained
    /// The run failed (its detail says why).
    case failed
    /// Cancelled by the shutdown.
    case cancelled
  }

  /// A job's state, as `/status` and the monitor show it.
  public struct Record: Sendable, Encodable {
    /// The job.
    public var name: Job
    /// Its interval, in seconds (`nil`: it does not run).
    public var intervalSeconds: Double?
    /// How many runs ended.
    public var runs = 0
    /// Whether one runs now.
    public var running = false
    /// The running optimisation's progress, 0…100.
    public var progress: Double?
    /// How the last run ended.
    public var lastOutcome: Outcome?
    /// What the last run found or did.
    public var lastDetail: String?
    /// When the last run ended.
    public var lastRunAt: Date?
    /// How long it took, in seconds.
    public var lastSeconds: Double?
  }

  /// The service the jobs tune and retrain.
  public let service: RecommendationService
  /// The schedule.
  public let schedule: JobSchedule
  let metrics: ServiceMetrics?
  let logger: Logger
  private let state: Mutex<[Job: Record]>

  /// Creates the jobs of `service` on `schedule`, counted in `metrics` when given.
  public init(
    service: RecommendationService, schedule: JobSchedule = JobSchedule(),
    metrics: ServiceMetrics? = nil, logger: Logger = Logger(label: "aflix-server")
  ) {
    self.service = service
    self.schedule = schedule
    self.metrics = metrics
    self.logger = logger
    state = Mutex([
      .kReoptimization: Record(
        name: .kReoptimization,
        intervalSeconds: schedule.reoptimizeEvery.map(RecommendationService.seconds)),
      .fullRetrain: Record(
        name: .fullRetrain,
        intervalSeconds: schedule.fullRetrainEvery.map(RecommendationService.seconds)),
    ])
  }

  /// The jobs' records, re-optimisation first.
  public var records: [Record] {
    state.withLock { records in Job.allCases.compactMap { records[$0] } }
  }

  /// Runs both jobs on their intervals until the graceful shutdown (or cancellation), which
  /// stops a run under way.
  public func run() async throws {
    await cancelWhenGracefulShutdown {
      await withTaskGroup(of: Void.self) { group in
        group.addTask {
          await self.repeatEvery(self.schedule.reoptimizeEvery) { await self.reoptimizeIfDrifted() }
        }
        group.addTask {
          await self.repeatEvery(self.schedule.fullRetrainEvery) { await self.retrain() }
        }
      }
    }
  }

  private func repeatEvery(_ interval: Duration?, _ job: @Sendable () async -> Outcome) async {
    guard let interval, interval > .zero else { return }
    while !Task.isCancelled {
      do { try await Task.sleep(for: interval) } catch { return }
      _ = await job()
    }
  }

  /// The check behind the nightly job, run now: when the live RMSE since the last check (at
  /// least ``JobSchedule/minimumLiveRatings`` ratings) exceeds ``JobSchedule/rmseRatio`` × the
  /// held-out RMSE, optimises K on the fitted ratings, sets the service's tuning and retrains.
  @discardableResult
  public func reoptimizeIfDrifted() async -> Outcome {
    await running(.kReoptimization) { () async -> (Outcome, String) in
      let live = service.takeLiveAccuracy()
      guard let baseline = service.trainingInfo?.heldOutRMSE, let data = service.fittedRatings
      else { return (.skipped, "no model serves yet") }
      guard live.count >= schedule.minimumLiveRatings, let rmse = live.rmse else {
        return (
          .skipped,
          "\(live.count) live ratings since the last check (\(schedule.minimumLiveRatings) needed)"
        )
      }
      let limit = schedule.rmseRatio * baseline
      let drift = "live RMSE \(Self.format(rmse)) over \(live.count) ratings"
      guard rmse > limit else {
        return (.skipped, "\(drift) within \(schedule.rmseRatio) × \(Self.format(baseline))")
      }
      var final: (svd: Int, cluster: Int)?
      do {
        for try await event in schedule.optimizer.optimize(data) {
          setProgress(event.progress, of: .kReoptimization)
          if case .completed(let svd, let cluster, _) = event { final = (svd, cluster) }
        }
      } catch is CancellationError {
        return (.cancelled, "\(drift); the optimisation was cancelled")
      } catch {
        return (.failed, "\(drift); the optimisation failed: \(error)")
      }
      if Task.isCancelled { return (.cancelled, "\(drift); the optimisation was cancelled") }
      guard let final else { return (.failed, "\(drift); the optimisation did not complete") }
      let before = service.tuning
      service.setTuning(
        ServingTuning(svdRank: final.svd, predictorFactors: final.svd, clusterCount: final.cluster))
      let changed =
        "K-SVD \(before.svdRank) → \(final.svd), K-cluster \(before.clusterCount) → \(final.cluster)"
      let generation = service.modelGeneration
      guard await service.train() else {
        return (.reoptimized, "\(drift); \(changed); a training was running: the next one uses it")
      }
      if Task.isCancelled {
        return (.cancelled, "\(drift); \(changed); the training was cancelled")
      }
      guard service.modelGeneration > generation else {
        return (.failed, "\(drift); \(changed); the training failed: \(service.failure ?? "-")")
      }
      return (.reoptimized, "\(drift) above \(Self.format(limit)); \(changed); retrained")
    }
  }

  /// The weekly job, run now: a full retraining on the dataset and every stored rating.
  @discardableResult
  public func retrain() async -> Outcome {
    await running(.fullRetrain) { () async -> (Outcome, String) in
      let before = service.modelGeneration
      guard await service.train() else { return (.skipped, "a training was running already") }
      if Task.isCancelled { return (.cancelled, "the training was cancelled") }
      guard service.modelGeneration > before else {
        return (.failed, "the training failed: \(service.failure ?? "no model")")
      }
      return (.retrained, "model #\(service.modelGeneration) serving")
    }
  }

  private func running(_ job: Job, _ body: () async -> (Outcome, String)) async -> Outcome {
    let start = ContinuousClock.now
    state.withLock {
      $0[job]?.running = true
      $0[job]?.progress = nil
    }
    let (outcome, detail) = await body()
    state.withLock {
      $0[job]?.running = false
      $0[job]?.progress = nil
      $0[job]?.runs += 1
      $0[job]?.lastOutcome = outcome
      $0[job]?.lastDetail = detail
      $0[job]?.lastRunAt = Date()
      $0[job]?.lastSeconds = RecommendationService.seconds(ContinuousClock.now - start)
    }
    metrics?.recordJobRun(job: job.rawValue, outcome: outcome.rawValue)
    let level: Logger.Level = outcome == .failed ? .error : .info
    logger.log(level: level, "scheduled \(job.rawValue): \(outcome.rawValue): \(detail)")
    return outcome
  }

  private func setProgress(_ progress: Double, of job: Job) {
    state.withLock { $0[job]?.progress = progress }
  }

  private static func format(_ value: Double) -> String {
    String(format: "%.4f", value)
  }
}
