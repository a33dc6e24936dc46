import AFlix
import AFlixServerCore
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

/// `aflix-server`: AFlix's recommendations over HTTP.
@main
struct AFlixServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "aflix-server",
    abstract:
      "Serves AFlix's hybrid recommendations over HTTP (Hummingbird 2, SQLite or PostgreSQL store)."
  )

  @Option(help: "The address to listen on.")
  var host = "127.0.0.1"

  @Option(help: "The port to listen on.")
  var port = 8080

  @Option(
    help: """
      A dataset to serve (MovieLens folder or file, TMDB JSON, or a synthetic world from \
      `aflix synth`); default: the synthetic world of --synthetic-users users × 400 films, seed 42.
      """)
  var data: String?

  @Option(help: "The users of the default synthetic world.")
  var syntheticUsers = 10_000

  @Option(
    help: """
      The store of users, films and ratings, created and migrated on start: a SQLite file, or a \
      PostgreSQL URL (postgres://user:password@host:port/database?sslmode=disable|prefer|require).
      """)
  var database = "aflix.sqlite"

  @Option(
    help: "A folder for model files: the newest is loaded at start, each trained model saved there."
  )
  var modelDir: String?

  @Option(
    help: """
      Seconds between two checks of the live RMSE (86400: nightly); above --reoptimize-above × the \
      held-out RMSE, K is re-optimised and the model retrained. 0 turns the check off.
      """)
  var reoptimizeEvery: Double = 86_400

  @Option(help: "The live RMSE / held-out RMSE ratio that sets off the re-optimisation.")
  var reoptimizeAbove = 1.1

  @Option(help: "Seconds between two full retrainings (604800: weekly); 0 turns them off.")
  var fullRetrainEvery: Double = 604_800

  @Option(
    help: "Sign-ins and registrations one client address may make a minute (each costs a bcrypt).")
  var authAttemptsPerMinute = 30

  @Option(help: "The most recommendation responses cached in process (0 turns the cache off).")
  var cacheSize = 10_000

  @Flag(help: "Print the OpenAPI document of every route and exit.")
  var printOpenapi = false

  @Option(help: "Seconds the requests under way get to end after SIGTERM or SIGINT.")
  var shutdownTimeout = 30.0

  @Option(
    help: """
      Threads of AFlix's own loops in a training. BLAS runs on one thread unless \
      OPENBLAS_NUM_THREADS says otherwise, so a training leaves the other cores to requests.
      """)
  var trainingThreads = 1

  @Option(
    help: """
      Retrain in the background this many seconds after each training ends (0: without pause); \
      default: only at start and on POST /api/recommendations/train-sync.
      """)
  var retrainEvery: Double?

  @Option(
    help: """
      The password of the administrator `admin`, created on the first start with it (default: \
      $AFLIX_ADMIN_PASSWORD; without either, no admin and training is refused).
      """)
  var adminPassword: String?

  @Option(
    help: """
      The HMAC-SHA256 secret signing access tokens (default: $AFLIX_JWT_SECRET; without either, a \
      random one per start, so tokens die with the process).
      """)
  var jwtSecret: String?

  func validate() throws {
    guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1…65535") }
    guard cacheSize >= 0 else { throw ValidationError("--cache-size must be 0 or more") }
    guard syntheticUsers > 0 else { throw ValidationError("--synthetic-users must be positive") }
    guard (1...256).contains(trainingThreads) else {
      throw ValidationError("--training-threads must be 1…256")
    }
    guard shutdownTimeout.isFinite, (0...3600).contains(shutdownTimeout) else {
      throw ValidationError("--shutdown-timeout must be 0…3600 seconds")
    }
    if let retrainEvery, !(retrainEvery.isFinite && (0...86_400 * 365).contains(retrainEvery)) {
      throw ValidationError("--retrain-every must be 0…31536000 seconds")
    }
    for (name, value) in [
      ("--reoptimize-every", reoptimizeEvery), ("--full-retrain-every", fullRetrainEvery),
    ] where !(value.isFinite && (0...86_400 * 365).contains(value)) {
      throw ValidationError("\(name) must be 0…31536000 seconds")
    }
    guard (1...10_000).contains(authAttemptsPerMinute) else {
      throw ValidationError("--auth-attempts-per-minute must be 1…10000")
    }
    guard reoptimizeAbove.isFinite, reoptimizeAbove >= 1 else {
      throw ValidationError("--reoptimize-above must be a ratio of at least 1")
    }
  }

  func run() async throws {
    if printOpenapi {
      FileHandle.standardOutput.write(OpenAPIDocument.data())
      return
    }
    var logger = Logger(label: "aflix-server")
    logger.logLevel = .info
    let environment = ProcessInfo.processInfo.environment
    if environment["OPENBLAS_NUM_THREADS"] == nil && environment["OMP_NUM_THREADS"] == nil {
      // Set once, before anything runs: requests score on their own threads, and a training on
      // one BLAS thread leaves the other cores to them.
      BLAS.threadCount = 1
    }
    let clock = ContinuousClock()
    let start = clock.now
    let serverData =
      if let data {
        try ServerData.load(path: data)
      } else {
        try ServerData.synthetic(users: syntheticUsers, films: 400, seed: 42)
      }
    logger.info(
      "dataset ready",
      metadata: [
        "ratings": "\(serverData.ratings.ratingCount)", "users": "\(serverData.ratings.userCount)",
        "films": "\(serverData.catalog.count)", "elapsed": "\(clock.now - start)",
      ])
    let store = try await openRatingStore(database: database, logger: logger)
    let service = try await RecommendationService(
      ratings: serverData.ratings, catalog: serverData.catalog, store: store,
      modelDirectory: modelDir.map { URL(fileURLWithPath: $0, isDirectory: true) },
      trainingThreads: trainingThreads, logger: logger)
    let secret: String
    if let given = jwtSecret ?? environment["AFLIX_JWT_SECRET"], !given.isEmpty {
      guard given.utf8.count >= Accounts.minimumSecretLength else {
        throw ValidationError(
          "the JWT secret needs at least \(Accounts.minimumSecretLength) bytes")
      }
      secret = given
    } else {
      secret = Accounts.randomSecret()
      logger.warning(
        "no --jwt-secret or AFLIX_JWT_SECRET: tokens are signed with a random key generated now"
      )
    }
    let accounts = await Accounts(service: service, secret: secret)
    if let password = adminPassword ?? environment["AFLIX_ADMIN_PASSWORD"], !password.isEmpty {
      let created = try await accounts.bootstrapAdmin(password: password)
      logger.info("admin account \(created ? "created" : "exists; its password kept")")
    } else {
      logger.warning("no --admin-password or AFLIX_ADMIN_PASSWORD: no admin is created")
    }
    let metrics = ServiceMetrics()
    var services: [any Service] = [
      TrainingService(service: service, retrainInterval: retrainEvery.map { .seconds($0) })
    ]
    var jobs: ScheduledJobs?
    if reoptimizeEvery > 0 || fullRetrainEvery > 0 {
      let scheduled = ScheduledJobs(
        service: service,
        schedule: JobSchedule(
          reoptimizeEvery: reoptimizeEvery > 0 ? .seconds(reoptimizeEvery) : nil,
          fullRetrainEvery: fullRetrainEvery > 0 ? .seconds(fullRetrainEvery) : nil,
          rmseRatio: reoptimizeAbove),
        metrics: metrics, logger: logger)
      services.append(scheduled)
      jobs = scheduled
    }
    let app = makeApplication(
      service: service, accounts: accounts, host: host, port: port, cacheCapacity: cacheSize,
      metrics: metrics, jobs: jobs, authAttemptsPerMinute: authAttemptsPerMinute, logger: logger)
    var configuration = ServiceGroupConfiguration(
      services: [app] + services,
      gracefulShutdownSignals: [.sigterm, .sigint],
      logger: logger)
    // Requests under way (a train-sync, an open event stream) get this long to end; then their
    // tasks are cancelled. Every acknowledged write is committed already.
    configuration.maximumGracefulShutdownDuration = .seconds(shutdownTimeout)
    do {
      try await ServiceGroup(configuration: configuration).run()
    } catch {
      logger.warning("stopped with: \(error)")
    }
    await service.flushExposures()
    try await store.close()
    logger.info("stopped; store closed")
  }
}
