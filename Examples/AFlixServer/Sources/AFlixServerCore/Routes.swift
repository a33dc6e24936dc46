import AFlix
import Foundation
import Hummingbird

/// The headers of a recommendation response: `X-Cache` says `hit`, `miss` or `off`.
func cacheHeaders(_ status: String) -> HTTPFields {
  var fields = HTTPFields()
  fields[.init("X-Cache")!] = status
  return fields
}

/// The largest request body accepted, in bytes (a rating is well under 200).
public let maximumBodySize = 16 * 1024

/// The health thresholds of the original service, on the held-out RMSE.
public enum HealthThresholds {
  /// Above this the service is degraded.
  public static let degradedRMSE = 0.9
  /// Above this the service is unhealthy.
  public static let unhealthyRMSE = 1.0
}

/// The router of every route, over `service` and `accounts`; `trainingInterval` is the shortest
/// time between two trainings asked by one client (the original's once a minute), `cacheCapacity`
/// the most recommendation responses cached (0: no cache), `optimization` the settings of
/// `GET /api/admin/stream-k-optimization` (admin only, Server-Sent Events).
///
/// Health, readiness, status, evaluation, clustering, genres and films are public. Ratings, recommendations and history
/// need a bearer token and are only the token's own (an admin token reads any user, dataset users
/// included, who have no password); training needs an admin token.
public func makeRouter(
  service: RecommendationService, accounts: Accounts, trainingInterval: Duration = .seconds(60),
  cacheCapacity: Int = 10_000, optimization: OptimizationSettings = OptimizationSettings(),
  metrics: ServiceMetrics = ServiceMetrics(), jobs: ScheduledJobs? = nil,
  authAttemptsPerMinute: Int = 30
) -> Router<ServerRequestContext> {
  let router = Router(context: ServerRequestContext.self)
  router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
  router.add(middleware: JSONErrorMiddleware())
  let cache = RecommendationCache(capacity: cacheCapacity)
  service.onRatingsFoldedAfterSwap { users in
    for user in users { cache.invalidate(user: user) }
  }
  service.onExposuresStored { exposures in
    for exposure in exposures {
      metrics.recordExposure(experiment: exposure.experiment, variant: exposure.variantName)
    }
  }
  let api = API(
    service: service, accounts: accounts,
    trainingLimiter: WindowRateLimiter(limit: 1, window: trainingInterval),
    cache: cache, optimization: optimization,
    optimizationLimiter: WindowRateLimiter(limit: optimization.limit, window: optimization.window),
    monitor: ModelMonitor(), clusterings: ClusteringCache(), metrics: metrics, jobs: jobs,
    authLimiter: WindowRateLimiter(limit: max(1, authAttemptsPerMinute), window: .seconds(60)))
  router.post("/api/auth/register") { request, context in
    try await api.register(request: request, context: context)
  }
  router.post("/api/auth/login") { request, context in
    try await api.login(request: request, context: context)
  }
  router.get("/") { _, _ in api.dashboard() }
  router.get("/dashboard.js") { _, _ in api.dashboardScript() }
  router.get("/health") { _, _ in api.health() }
  router.get("/metrics") { _, _ in api.metricsExposition() }
  router.get("/openapi.json") { _, _ in api.openAPI() }
  router.get("/ready") { _, _ in api.ready() }
  router.get("/api/recommendations/status") { _, _ in try await api.status() }
  router.post("/api/recommendations/train-sync") { request, _ in
    try await api.trainSync(request: request)
  }
  router.get("/api/recommendations/user/{id}") { request, context in
    try await api.recommendations(request: request, context: context)
  }
  router.get("/api/recommendations/user/{id}/history") { request, context in
    try await api.history(request: request, context: context)
  }
  router.post("/api/ratings") { request, context in
    try await api.rate(request: request, context: context)
  }
  router.get("/api/genres") { _, _ in api.genres() }
  router.get("/api/recommendations/evaluation") { _, _ in try api.evaluation() }
  router.get("/api/recommendations/clustering") { request, _ in
    try await api.clustering(request: request)
  }
  router.get("/api/admin/ml/live-monitor") { request, _ in
    try await api.liveMonitor(request: request)
  }
  router.get("/api/admin/stream-k-optimization") { request, _ in
    try await api.streamOptimization(request: request)
  }
  router.get("/api/genres/{id}/films") { _, context in try api.films(context: context) }
  router.post("/api/admin/films") { request, _ in try await api.addFilm(request: request) }
  router.post("/api/admin/experiments") { request, _ in
    try await api.createExperiment(request: request)
  }
  router.get("/api/experiments/{name}/variant") { request, context in
    try await api.experimentVariant(request: request, context: context)
  }
  router.post("/api/experiments/{name}/conversions") { request, context in
    try await api.experimentConversion(request: request, context: context)
  }
  router.get("/api/admin/experiments/{name}/report") { request, context in
    try await api.experimentReport(request: request, context: context)
  }
  router.post("/api/feedback") { request, _ in try await api.feedback(request: request) }
  return router
}

/// The routes' handlers.
struct API: Sendable {
  let service: RecommendationService
  let accounts: Accounts
  let trainingLimiter: WindowRateLimiter
  let cache: RecommendationCache
  let optimization: OptimizationSettings
  let optimizationLimiter: WindowRateLimiter
  let monitor: ModelMonitor
  let clusterings: ClusteringCache
  let metrics: ServiceMetrics
  let jobs: ScheduledJobs?
  /// Sign-ins and registrations per client address and minute: each costs a bcrypt.
  let authLimiter: WindowRateLimiter

  struct Credentials: Decodable {
    var username: String
    var password: String
  }

  struct Registered: Encodable {
    var username: String
  }

  struct AccessToken: Encodable {
    var accessToken: String
    var tokenType: String
    var expiresIn: Int64
  }

  func credentials(of request: Request) async throws -> Credentials {
    try await decodeBody(
      request, as: Credentials.self, empty: nil, shape: #"{"username": "…", "password": "…"}"#)
  }

  /// Registers an account: 201, 409 when the username is taken, 400 for an empty password.
  func register(request: Request, context: ServerRequestContext) async throws -> Response {
    if let refusal = authRefusal(context) { return refusal }
    let input = try await credentials(of: request)
    try await accounts.register(username: input.username, password: input.password)
    return JSON.response(Registered(username: input.username), status: .created)
  }

  /// Logs in: an access token, 401 for a wrong username or password.
  func login(request: Request, context: ServerRequestContext) async throws -> Response {
    if let refusal = authRefusal(context) { return refusal }
    let input = try await credentials(of: request)
    let token = try await accounts.login(username: input.username, password: input.password)
    return JSON.response(
      AccessToken(
        accessToken: token, tokenType: "bearer",
        expiresIn: accounts.tokenLifetime.components.seconds))
  }

  /// The 429 of a client address past its sign-ins and registrations of the minute (shared by
  /// both routes), `nil` within it or when the address is unknown.
  func authRefusal(_ context: ServerRequestContext) -> Response? {
    guard let address = context.clientAddress,
      let wait = authLimiter.acquire(client: "auth " + address)
    else { return nil }
    return authLimiter.refusal(
      wait: wait,
      "at most \(authLimiter.limit) sign-ins and registrations a minute from one address")
  }

  /// The identity of `request`, which must be `user` or an admin: 401 without a valid token, 403
  /// for another user.
  func requireUser(_ user: String, of request: Request) async throws -> Identity {
    let identity = try await accounts.requireIdentity(of: request)
    guard identity.username == user || identity.isAdmin else {
      throw APIError(
        .forbidden, code: "forbidden", "\(identity.username) may not act as user \(user)")
    }
    return identity
  }

  /// The identity of an admin token: 401 without a valid token, 403 for a user's.
  @discardableResult
  func requireAdmin(_ request: Request, _ what: String) async throws -> Identity {
    let identity = try await accounts.requireIdentity(of: request)
    guard identity.isAdmin else {
      throw APIError(.forbidden, code: "admin_only", "\(what) needs an admin token")
    }
    return identity
  }

  /// The body of `request` decoded as `T`, `empty` for an empty body; 400 `invalid_json` with
  /// `shape` otherwise.
  func decodeBody<T: Decodable>(_ request: Request, as type: T.Type, empty: T?, shape: String)
    async throws -> T
  {
    var request = request
    let body = try await request.collectBody(upTo: maximumBodySize)
    if body.readableBytes == 0, let empty { return empty }
    do {
      return try JSON.decoder().decode(T.self, from: Data(buffer: body))
    } catch {
      throw APIError(.badRequest, code: "invalid_json", "the body must be JSON \(shape)")
    }
  }

  struct Health: Encodable {
    var status: String
    var modelPhase: ModelPhase
    var heldOutRmse: Double?
    var degradedAbove: Double
    var unhealthyAbove: Double
  }

  func health() -> Response {
    let rmse = service.trainingInfo?.heldOutRMSE
    let status: String
    if service.engine == nil {
      status = "unhealthy"
    } else if let rmse, rmse > HealthThresholds.unhealthyRMSE {
      status = "unhealthy"
    } else if let rmse, rmse > HealthThresholds.degradedRMSE {
      status = "degraded"
    } else {
      status = "healthy"
    }
    return JSON.response(
      Health(
        status: status, modelPhase: service.phase, heldOutRmse: rmse,
        degradedAbove: HealthThresholds.degradedRMSE,
        unhealthyAbove: HealthThresholds.unhealthyRMSE),
      status: status == "unhealthy" ? .serviceUnavailable : .ok)
  }

  struct Ready: Encodable {
    var ready: Bool
    var modelPhase: ModelPhase
  }

  func ready() -> Response {
    let ready = service.engine != nil
    return JSON.response(
      Ready(ready: ready, modelPhase: service.phase), status: ready ? .ok : .serviceUnavailable)
  }

  struct Status: Encodable {
    var trained: Bool
    var modelPhase: ModelPhase
    var algorithm: String
    var modelGeneration: Int?
    var trainedAt: Date?
    var modelAgeSeconds: Double?
    var trainingSeconds: Double?
    var heldOutRmse: Double?
    var heldOutMae: Double?
    var trainedRatingCount: Int?
    var kSvd: Int?
    var explainedVariance: Double?
    var kClusters: Int?
    var predictorFactors: Int?
    var userCount: Int?
    var filmCount: Int
    var datasetRatingCount: Int
    var storedRatingCount: Int
    var pendingRatingCount: Int?
    var modelFile: String?
    var loadedFromFile: Bool?
    var cache: RecommendationCache.Statistics
    var failure: String?
    var scheduledJobs: [ScheduledJobs.Record]?
  }

  func status() async throws -> Response {
    let info = service.trainingInfo
    let engine = service.engine
    return JSON.response(
      Status(
        trained: engine != nil, modelPhase: service.phase, algorithm: "hybrid",
        modelGeneration: engine == nil ? nil : service.modelGeneration, trainedAt: info?.trainedAt,
        modelAgeSeconds: info.map { Date().timeIntervalSince($0.trainedAt) },
        trainingSeconds: info?.trainingSeconds, heldOutRmse: info?.heldOutRMSE,
        heldOutMae: info?.heldOutMAE, trainedRatingCount: info?.ratingCount,
        kSvd: info?.svdRank, explainedVariance: info?.explainedVariance,
        kClusters: info?.segmentCount, predictorFactors: info?.predictorFactors,
        userCount: info?.userCount, filmCount: service.catalog.count,
        datasetRatingCount: service.baseRatings.ratingCount,
        storedRatingCount: try await service.store.ratingCount(),
        pendingRatingCount: engine?.pendingRatingCount, modelFile: info?.modelFile,
        loadedFromFile: info?.loadedFromFile, cache: cache.statistics,
        failure: service.failure.map { _ in "the last training failed: see the server's log" },
        scheduledJobs: jobs?.records))
  }

  /// Trains on the store's ratings and answers with the status once the new model serves; 409
  /// while a training runs, 429 with `Retry-After` within a minute of the client's last one.
  /// Needs an admin token (401 without, 403 for a user's); the limit is per token subject.
  func trainSync(request: Request) async throws -> Response {
    let identity = try await requireAdmin(request, "training")
    guard !service.isTraining else {
      throw APIError(.conflict, code: "training_in_progress", "a training is already running")
    }
    if let wait = trainingLimiter.acquire(client: identity.clientKey) {
      return trainingLimiter.refusal(
        wait: wait, "training may be asked once every \(trainingLimiter.window)")
    }
    guard await service.train() else {
      // Refused, not run: the client keeps its turn.
      trainingLimiter.release(client: identity.clientKey)
      throw APIError(.conflict, code: "training_in_progress", "a training is already running")
    }
    if let failure = service.failure {
      // The server's failure, not the request's: its detail is for the administrator who asked.
      throw APIError(.internalServerError, code: "training_failed", failure)
    }
    return try await status()
  }

  struct Item: Encodable {
    var movieId: String
    var title: String?
    var score: Float
    var predictedRating: Float?
    var newFilm: Bool?
    var explanation: Explanation?
  }

  struct Recommendations: Encodable {
    /// The user's variant of the experiment that changes the lists, when one runs.
    var experiment: ExperimentAssignment?
    var userId: String
    var recommendations: [Item]
    var source: PredictionSource
    var fallback: Bool
    var note: String?
    var knownRatings: Int
    var modelGeneration: Int
  }

  func recommendations(request: Request, context: ServerRequestContext) async throws -> Response {
    let user = try context.parameters.require("id")
    _ = try await requireUser(user, of: request)
    let query = request.uri.queryParameters
    var count = 10
    if let text = query.get("top_n") {
      guard let value = Int(text), (1...100).contains(value) else {
        throw APIError(.badRequest, code: "invalid_top_n", "top_n must be an integer in 1…100")
      }
      count = value
    }
    var explain = false
    if let text = query.get("explain") {
      switch text.lowercased() {
      case "true", "1", "yes": explain = true
      case "false", "0", "no": explain = false
      default:
        throw APIError(.badRequest, code: "invalid_explain", "explain must be true or false")
      }
    }
    guard let snapshot = service.snapshot else { throw notReady }
    let key = RecommendationCache.Key(user: user, count: count, explain: explain)
    if let body = cache.value(for: key, catalogVersion: snapshot.version) {
      return JSON.response(data: body, headers: cacheHeaders("hit"))
    }
    let userVersion = cache.version(ofUser: user)
    var hybridRequest = HybridRequest(count: count, explain: explain)
    var assignment: ExperimentAssignment?
    var engine = snapshot.engine
    var algorithm = "hybrid"
    if let treatment = service.listTreatment {
      let variant = treatment.experiment.assignment(forUser: user)
      if treatment.kind == .kSVD {
        // The variant's engine once built for the served model; until then the model's list,
        // not counted as the variant's, and a build started.
        if let variantEngine = service.variantEngine(
          experiment: variant.experiment, variant: variant.index)
        {
          engine = variantEngine
          assignment = variant
          algorithm = "hybrid-svd-k\(treatment.factorCounts[variant.index])"
        } else {
          service.startFactorVariantsIfMissing()
        }
      } else {
        treatment.apply(variant: variant.index, to: &hybridRequest)
        assignment = variant
      }
      // The user is exposed to the variant when a list of it is first computed for them.
      if let assignment { service.noteExposure(assignment, user: user, at: Self.now) }
    }
    let result = try engine.recommend(user: EntityID(parsing: user), hybridRequest)
    let fallback = result.source != .model
    let list = Recommendations(
      experiment: assignment,
      userId: user,
      recommendations: snapshot.ranked(result, forUser: user, count: count).map {
        Item($0, explain: explain)
      },
      source: result.source, fallback: fallback,
      note: fallback
        ? "user unknown to the model: served by the library's fallback (\(result.source.rawValue))"
        : nil,
      knownRatings: result.knownRatings, modelGeneration: snapshot.generation)
    let body = try list.listJSON() ?? JSON.encoder().encode(list)
    cache.store(body, for: key, catalogVersion: snapshot.version, userVersion: userVersion)
    monitor.recordRecommendations(
      isNewUser: result.knownRatings == 0, covered: !result.items.isEmpty, at: Self.now)
    metrics.recordRecommendations(
      algorithm: algorithm, source: result.source.rawValue,
      segment: Self.segment(of: user, in: snapshot.engine))
    return JSON.response(data: body, headers: cacheHeaders(cache.isEnabled ? "miss" : "off"))
  }

  struct HistoryEntry: Encodable {
    var movieId: String
    var title: String?
    var rating: Double
    var timestamp: Int64
    var source: String?
  }

  struct History: Encodable {
    var userId: String
    var ratings: [HistoryEntry]
  }

  func history(request: Request, context: ServerRequestContext) async throws -> Response {
    let user = try context.parameters.require("id")
    _ = try await requireUser(user, of: request)
    let ratings = try await service.history(ofUser: user)
    // No rating: an empty list for an account (a user who has not rated yet), 404 for a name
    // that is neither an account nor a dataset user.
    if ratings.isEmpty, try await accounts.passwordHash(of: user) == nil {
      throw APIError(.notFound, code: "unknown_user", "no user \(user)")
    }
    return JSON.response(
      History(
        userId: user,
        ratings: ratings.map {
          HistoryEntry(
            movieId: $0.movieID,
            title: service.catalog.movie(withID: EntityID(parsing: $0.movieID))?.title,
            rating: $0.rating, timestamp: $0.timestamp, source: $0.source)
        }))
  }

  struct RatingRequest: Decodable {
    var userId: String?
    var movieId: String
    var rating: Double
    var source: String?
  }

  struct RatingResponse: Encodable {
    var rating: HistoryEntry
    var userId: String
    var appliedToModel: Bool
  }

  /// Saves a rating of the token's user; a body's `user_id`, optional, must be that user (403).
  func rate(request: Request, context: ServerRequestContext) async throws -> Response {
    let identity = try await accounts.requireIdentity(of: request)
    let input = try await decodeBody(
      request, as: RatingRequest.self, empty: nil, shape: #"{"movie_id": "…", "rating": number}"#)
    let user = identity.username
    if let claimed = input.userId, claimed.trimmingCharacters(in: .whitespaces) != user {
      throw APIError(
        .forbidden, code: "forbidden", "\(user) may not rate as user \(claimed)")
    }
    if let source = input.source, source.count > 64 {
      throw APIError(.badRequest, code: "invalid_source", "source must have at most 64 characters")
    }
    let scale = service.baseRatings.scale
    guard input.rating.isFinite, scale.contains(Float(input.rating)) else {
      throw APIError(
        .badRequest, code: "rating_out_of_scale",
        "rating \(input.rating) is outside the scale \(scale)")
    }
    guard let film = service.catalog.movie(withID: EntityID(parsing: input.movieId)) else {
      throw APIError(.notFound, code: "unknown_film", "no film with id \(input.movieId)")
    }
    defer { cache.invalidate(user: user) }
    let predicted = service.ratingPredictor?.predict(
      userID: EntityID(parsing: user), itemID: film.id)
    let saved = try await service.rate(
      StoredRating(
        userID: user, movieID: film.id.description, rating: input.rating,
        timestamp: Int64(Date().timeIntervalSince1970), source: input.source))
    // Counted once stored: a rating the store refused is no rating.
    if let predicted {
      monitor.recordRating(predicted: Double(predicted.value), actual: input.rating, at: Self.now)
      service.recordLiveRating(predicted: Double(predicted.value), actual: input.rating)
    }
    return JSON.response(
      RatingResponse(
        rating: HistoryEntry(
          movieId: saved.movieID, title: film.title, rating: saved.rating,
          timestamp: saved.timestamp, source: saved.source),
        userId: user, appliedToModel: service.engine != nil),
      status: .created)
  }

  struct GenreEntry: Encodable {
    var id: Int?
    var name: String
    var filmCount: Int
  }

  struct Genres: Encodable {
    var genres: [GenreEntry]
  }

  func genres() -> Response {
    let movies = service.catalog.movies
    return JSON.response(
      Genres(
        genres: service.catalog.genres.map { genre in
          GenreEntry(
            id: genre.id, name: genre.name,
            filmCount: movies.count { $0.genres.contains(genre) })
        }))
  }

  struct Film: Encodable {
    var movieId: String
    var title: String
    var year: Int?
    var genres: [String]
  }

  struct Films: Encodable {
    var genre: GenreEntry
    var films: [Film]
  }

  func films(context: ServerRequestContext) throws -> Response {
    let key = try context.parameters.require("id")
    let genre = service.catalog.genres.first {
      if let id = $0.id, String(id) == key { return true }
      return $0.name.lowercased() == key.lowercased()
    }
    guard let genre else {
      throw APIError(.notFound, code: "unknown_genre", "no genre with id or name \(key)")
    }
    let films = service.catalog.movies.filter { $0.genres.contains(genre) }
    return JSON.response(
      Films(
        genre: GenreEntry(id: genre.id, name: genre.name, filmCount: films.count),
        films: films.map {
          Film(
            movieId: $0.id.description, title: $0.title, year: $0.year,
            genres: $0.genres.map(\.name))
        }))
  }

  var notReady: APIError {
    APIError(.serviceUnavailable, code: "model_not_ready", "no model serves yet: see /ready")
  }
}
