import AFlix
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The data a server starts from.
public struct ServerData: Sendable {
  /// The ratings.
  public var ratings: RatingsDataset
  /// The films.
  public var catalog: Catalog

  /// Creates the data of `ratings` and `catalog`.
  public init(ratings: RatingsDataset, catalog: Catalog) {
    self.ratings = ratings
    self.catalog = catalog
  }

  /// The synthetic world of `users` users and `films` films at `seed` (AFlixSynth).
  ///
  /// - Throws: ``SynthError``.
  public static func synthetic(users: Int = 10_000, films: Int = 400, seed: UInt64 = 42) throws
    -> ServerData
  {
    let world = try SyntheticWorld.generate(
      WorldConfiguration(users: users, catalog: .generated(CatalogConfiguration(count: films))),
      seed: seed)
    return ServerData(ratings: world.ratings, catalog: world.catalog)
  }

  /// The dataset at `path`: a MovieLens or TMDB dataset the library loads, or a synthetic world
  /// written by `aflix synth`.
  ///
  /// - Throws: the loaders' errors, or a `ServerDataError` when the dataset lacks ratings or films.
  public static func load(path: String) throws -> ServerData {
    if let world = try? SyntheticWorld.load(from: URL(fileURLWithPath: path)) {
      return ServerData(ratings: world.ratings, catalog: world.catalog)
    }
    let loaded = try DatasetLoader.load(path: path)
    guard let ratings = loaded.ratings, let catalog = loaded.catalog else {
      throw ServerDataError(message: "\(path) needs both ratings and a film catalogue")
    }
    return ServerData(ratings: ratings, catalog: catalog)
  }
}

/// A dataset the server cannot serve from.
public struct ServerDataError: Error, CustomStringConvertible {
  /// What is missing.
  public var message: String
  /// The message.
  public var description: String { message }
}

/// Loads or trains the service's first model in the background, then retrains it every
/// `retrainInterval` when one is set (each training starts that long after the previous one
/// ended; zero retrains without pause), until the graceful shutdown.
public struct TrainingService: Service {
  /// The service trained.
  public let service: RecommendationService
  /// The pause between the end of a training and the start of the next; `nil`: no retraining.
  public let retrainInterval: Duration?

  /// Creates the training of `service`, retrained every `retrainInterval` when set.
  public init(service: RecommendationService, retrainInterval: Duration? = nil) {
    self.service = service
    self.retrainInterval = retrainInterval
  }

  /// Loads or trains, then retrains on schedule (all cancelled by a graceful shutdown), then
  /// waits for the shutdown.
  public func run() async throws {
    await cancelWhenGracefulShutdown {
      await service.start()
      guard let retrainInterval else { return }
      while !Task.isCancelled {
        do { try await Task.sleep(for: retrainInterval) } catch { return }
        await service.train()
      }
    }
    try? await gracefulShutdown()
  }
}

/// The Hummingbird application of `service` and `accounts`, listening on `host`:`port`;
/// `trainingInterval` is the shortest time between two trainings asked by one client,
/// `cacheCapacity` the most recommendation responses cached (0: no cache), `optimization` the
/// settings of the streamed K optimisation, `metrics` the registry of `GET /metrics` (shared with
/// `jobs`, whose records the status, monitor and metrics show, when scheduled jobs run),
/// `authAttemptsPerMinute` the sign-ins and registrations one client address may make a minute.
public func makeApplication(
  service: RecommendationService, accounts: Accounts, host: String = "127.0.0.1", port: Int = 8080,
  trainingInterval: Duration = .seconds(60), cacheCapacity: Int = 10_000,
  optimization: OptimizationSettings = OptimizationSettings(),
  metrics: ServiceMetrics = ServiceMetrics(), jobs: ScheduledJobs? = nil,
  authAttemptsPerMinute: Int = 30, logger: Logger = Logger(label: "aflix-server")
) -> some ApplicationProtocol {
  Application(
    router: makeRouter(
      service: service, accounts: accounts, trainingInterval: trainingInterval,
      cacheCapacity: cacheCapacity, optimization: optimization, metrics: metrics, jobs: jobs,
      authAttemptsPerMinute: authAttemptsPerMinute),
    configuration: .init(address: .hostname(host, port: port), serverName: "aflix-server"),
    logger: logger)
}
