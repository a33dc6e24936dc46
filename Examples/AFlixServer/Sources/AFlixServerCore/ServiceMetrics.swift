import AFlix
import Foundation
import Hummingbird
import Metrics
import Prometheus

/// The service's metrics, recorded through swift-metrics into a Prometheus registry of its own
/// (no process-wide bootstrap: two routers in one process, as in tests, keep separate figures),
/// and exported at `GET /metrics` in Prometheus's text format.
///
/// Counters: `aflix_http_requests_total{route, method, status}` (the route's template, so the
/// label set stays small; `NotFound` for an unknown path, as Hummingbird names it),
/// `aflix_recommendations_total{algorithm, source, segment}` (lists computed, by the algorithm —
/// `hybrid`, or a `k_svd` variant's — the library's source — `model` or a fallback — and the
/// user's taste segment), `aflix_scheduled_job_runs_total{job, outcome}`,
/// `aflix_experiment_exposures_total` and `aflix_experiment_conversions_total{experiment,
/// variant}`, `aflix_feedback_events_total{event}`. A histogram:
/// `aflix_http_request_duration_seconds{route}`. Gauges, read from the service when scraped:
/// held-out RMSE and MAE, K-SVD, K-cluster, explained variance, model age and generation, cache
/// hit rate and entries.
public final class ServiceMetrics: Sendable {
  /// The registry the metrics are kept in.
  public let registry: PrometheusCollectorRegistry
  private let factory: PrometheusMetricsFactory

  /// Creates metrics in a new registry; request durations in buckets from 0.25 ms to 10 s.
  public init() {
    registry = PrometheusCollectorRegistry()
    var factory = PrometheusMetricsFactory(registry: registry)
    factory.defaultDurationHistogramBuckets = [
      .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
      .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
      .seconds(10),
    ]
    self.factory = factory
  }

  /// Counts a request answered with `status` on `route` (a template such as
  /// `/api/recommendations/user/{id}`) and records how long it took.
  public func recordRequest(route: String, method: String, status: Int, duration: Duration) {
    Counter(
      label: "aflix_http_requests_total",
      dimensions: [("route", route), ("method", method), ("status", String(status))],
      factory: factory
    ).increment()
    Metrics.Timer(
      label: "aflix_http_request_duration_seconds", dimensions: [("route", route)],
      factory: factory
    ).recordNanoseconds(
      duration.components.seconds * 1_000_000_000 + duration.components.attoseconds
        / 1_000_000_000)
  }

  /// Counts a computed recommendation list: by the algorithm that ranked it (`hybrid`, or a
  /// `k_svd` variant's `hybrid-svd-k<K>`), the library's source (`model` or a fallback) and the
  /// user's taste segment.
  public func recordRecommendations(algorithm: String, source: String, segment: String) {
    Counter(
      label: "aflix_recommendations_total",
      dimensions: [("algorithm", algorithm), ("source", source), ("segment", segment)],
      factory: factory
    ).increment()
  }

  /// Counts a first exposure of a user to a variant.
  public func recordExposure(experiment: String, variant: String) {
    Counter(
      label: "aflix_experiment_exposures_total",
      dimensions: [("experiment", experiment), ("variant", variant)], factory: factory
    ).increment()
  }

  /// Counts a user's conversion in a variant.
  public func recordConversion(experiment: String, variant: String) {
    Counter(
      label: "aflix_experiment_conversions_total",
      dimensions: [("experiment", experiment), ("variant", variant)], factory: factory
    ).increment()
  }

  /// Counts a feedback event.
  public func recordFeedback(event: String) {
    Counter(
      label: "aflix_feedback_events_total", dimensions: [("event", event)], factory: factory
    ).increment()
  }

  /// Counts a scheduled job's run by how it ended.
  public func recordJobRun(job: String, outcome: String) {
    Counter(
      label: "aflix_scheduled_job_runs_total", dimensions: [("job", job), ("outcome", outcome)],
      factory: factory
    ).increment()
  }

  /// Sets the gauge `name` to `value` (left unset while `value` is `nil`).
  func gauge(
    _ name: String, _ value: Double?, dimensions: [(String, String)] = [], allowingNaN: Bool = false
  ) {
    guard let value, value.isFinite || (allowingNaN && value.isNaN) else { return }
    Gauge(label: name, dimensions: dimensions, factory: factory).record(value)
  }

  /// The registry in Prometheus's text format, with the service's (and the jobs') gauges read
  /// now.
  func exposition(
    service: RecommendationService, cache: RecommendationCache, jobs: ScheduledJobs? = nil
  ) -> [UInt8] {
    let live = service.liveAccuracy
    // NaN (Prometheus's "no value") once the nightly check has started a new count, rather than
    // the last drifted figure.
    gauge("aflix_live_rmse", live.rmse ?? .nan, allowingNaN: true)
    gauge("aflix_live_ratings", Double(live.count))
    for record in jobs?.records ?? [] {
      let job = [("job", record.name.rawValue)]
      gauge("aflix_scheduled_job_running", record.running ? 1 : 0, dimensions: job)
      gauge(
        "aflix_scheduled_job_last_run_timestamp_seconds", record.lastRunAt?.timeIntervalSince1970,
        dimensions: job)
    }
    let info = service.trainingInfo
    gauge("aflix_model_held_out_rmse", info?.heldOutRMSE)
    gauge("aflix_model_held_out_mae", info?.heldOutMAE)
    gauge("aflix_model_k_svd", info?.svdRank.map(Double.init))
    gauge("aflix_model_k_clusters", info?.segmentCount.map(Double.init))
    gauge("aflix_model_explained_variance", info?.explainedVariance)
    gauge("aflix_model_age_seconds", info.map { Date().timeIntervalSince($0.trainedAt) })
    gauge("aflix_model_generation", Double(service.modelGeneration))
    gauge("aflix_model_serving", service.engine == nil ? 0 : 1)
    let statistics = cache.statistics
    gauge("aflix_cache_hit_rate", statistics.hitRate)
    gauge("aflix_cache_entries", Double(statistics.entries))
    var buffer: [UInt8] = []
    registry.emit(into: &buffer)
    return buffer
  }
}

/// Records every request's route, method, status and duration in ``ServiceMetrics``. Added
/// before the JSON error middleware, so that it sees the status the client gets.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
  let metrics: ServiceMetrics

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    var status = 500
    defer {
      metrics.recordRequest(
        route: context.endpointPath ?? "unmatched", method: request.method.rawValue,
        status: status, duration: ContinuousClock.now - start)
    }
    do {
      let response = try await next(request, context)
      status = response.status.code
      return response
    } catch let error as any HTTPResponseError {
      status = error.status.code
      throw error
    }
  }
}

extension API {
  /// `GET /metrics`: Prometheus's text format (public, as the original's).
  func metricsExposition() -> Response {
    Response(
      status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
      body: .init(
        byteBuffer: ByteBuffer(
          bytes: metrics.exposition(service: service, cache: cache, jobs: jobs))))
  }
}

extension API {
  /// The taste segment of `user` in the engine's hybrid (its label), `"new user"` for an id the
  /// model does not know, `"none"` without segments: the metrics' `segment` label.
  static func segment(of user: String, in engine: RecommendationEngine) -> String {
    guard let hybrid = engine.model as? HybridModel, let segments = hybrid.segments else {
      return "none"
    }
    guard let index = hybrid.users.index(of: EntityID(parsing: user)) else { return "new user" }
    return segments.label(ofUser: index) ?? "none"
  }
}
