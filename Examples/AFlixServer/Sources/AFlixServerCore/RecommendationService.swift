import AFlix
import Foundation
import Logging
import Synchronization

/// Where the service's model stands.
public enum ModelPhase: String, Sendable, Codable {
  /// No training has started.
  case idle
  /// The first model is being trained.
  case training
  /// A model serves requests.
  case serving
  /// The training failed and no model serves.
  case failed
}

/// What the training of the served model measured.
public struct TrainingInfo: Sendable, Codable {
  /// When the model was trained, in seconds since 1970.
  public var trainedAt: Date
  /// How long the fit took, in seconds.
  public var trainingSeconds: Double
  /// The held-out RMSE of the rating model trained beside the hybrid (a biased matrix
  /// factorisation fitted on 90% of the ratings and tested on the other 10%).
  public var heldOutRMSE: Double
  /// The held-out MAE of the same model.
  public var heldOutMAE: Double
  /// How many ratings the model was fitted on.
  public var ratingCount: Int
  /// How many users it knows.
  public var userCount: Int
  /// How many films it knows.
  public var filmCount: Int
  /// The store's last write sequence the model was fitted on: later ratings are folded in.
  public var throughSequence: Int64 = 0
  /// The model file it was saved to or loaded from, when `modelDirectory` is set.
  public var modelFile: String?
  /// Whether the model was loaded from a file rather than trained by this process.
  public var loadedFromFile = false
  /// The rank (K-SVD) of the truncated SVD fitted beside the model (its user factors segment
  /// the users when the collaborative model has none), `nil` when it could not be fitted.
  public var svdRank: Int?
  /// That SVD's explained variance: the share of the centred ratings' energy its rank keeps.
  public var explainedVariance: Double?
  /// The hybrid's taste segments (K-cluster), `nil` without segments.
  public var segmentCount: Int?
  /// The factors of the rating predictor behind ``heldOutRMSE``.
  public var predictorFactors: Int?
  /// The shape of the dataset the service started from (`--data`), without the store's ratings:
  /// a model file is loaded only by a service over the same dataset.
  public var datasetShape: DatasetShape?
}

/// The counts that tell two datasets apart cheaply.
public struct DatasetShape: Sendable, Codable, Equatable {
  /// The ratings.
  public var ratingCount: Int
  /// The users.
  public var userCount: Int
  /// The films.
  public var filmCount: Int

  /// The shape of `data`.
  public init(of data: RatingsDataset) {
    ratingCount = data.ratingCount
    userCount = data.userCount
    filmCount = data.itemCount
  }
}

/// The recommendation service behind the HTTP routes: the catalogue, the dataset, the durable
/// store and the library's ``RecommendationEngine`` once a model has been trained.
///
/// Films added while the service runs (``addFilm(_:)``) join the catalogue at once; until a
/// training fits them they are placed into the served model by the library
/// (`HybridModel.placeNewFilm`): by content, and by their first ratings folded into the
/// collaborative model as they come.
public final class RecommendationService: Sendable {
  /// The ratings the service started from (the dataset's).
  public let baseRatings: RatingsDataset
  /// The durable store of the ratings given through the service.
  public let store: any RatingStore
  /// Where models are saved after training and loaded from at start (`nil`: neither).
  public let modelDirectory: URL?
  /// The threads of AFlix's own loops in a training (`FitOptions.threadCount`); BLAS's threads
  /// are the process's (`OPENBLAS_NUM_THREADS`, or `BLAS.threadCount`).
  public let trainingThreads: Int
  let logger: Logger
  let state: Mutex<State>
  private let foldedHandler = Mutex<(@Sendable (Set<String>) -> Void)?>(nil)
  let exposureHandler = Mutex<(@Sendable ([Exposure]) -> Void)?>(nil)

  struct State {
    var catalog: Catalog
    var newFilms: [PlacedFilm] = []
    var addedFilmIDs: Set<String> = []
    var catalogVersion = 0
    var phase = ModelPhase.idle
    var engine: RecommendationEngine?
    var fitted: RatingsDataset?
    var predictor: BiasedMFModel?
    var decomposition: TruncatedSVDModel?
    var info: TrainingInfo?
    var failure: String?
    var isTraining = false
    var generation = 0
    var listTreatment: ListTreatment?
    var tuning = ServingTuning()
    var live = LiveAccuracy()
    var factorVariants: FactorVariants?
    var isBuildingVariants = false
    /// The users whose exposure to the serving experiment is stored or queued (so that a list
    /// computed again writes nothing).
    var exposed: Set<String> = []
    /// Exposures waiting for the next batch write.
    var pendingExposures: [Exposure] = []
    var exposureFlushScheduled = false
    var exposureWritesInFlight = 0
  }

  /// Creates a service over `ratings` and `catalog`, recording the catalogue's films in `store`;
  /// trainings run AFlix's loops on `trainingThreads` threads (at least 1).
  ///
  /// - Throws: the store's errors.
  public init(
    ratings: RatingsDataset, catalog: Catalog, store: any RatingStore, modelDirectory: URL? = nil,
    trainingThreads: Int = 1, logger: Logger = Logger(label: "aflix-server")
  ) async throws {
    self.baseRatings = ratings
    self.store = store
    self.modelDirectory = modelDirectory
    self.trainingThreads = max(1, trainingThreads)
    self.logger = logger
    try await store.upsertFilms(catalog.movies.map { (id: $0.id.description, title: $0.title) })
    let added = try await store.addedFilms().filter { catalog.movie(withID: $0.id) == nil }
    var initial = State(catalog: try Catalog(movies: catalog.movies + added))
    initial.addedFilmIDs = Set(added.map(\.id.description))
    if let (experiment, appliesTo) = try await store.listExperiment() {
      if let kind = ListTreatment.Kind(rawValue: appliesTo) {
        initial.listTreatment = try? ListTreatment(experiment: experiment, appliesTo: kind)
      }
      if initial.listTreatment == nil {
        logger.error("experiment \(experiment.name) changes the lists by an unknown '\(appliesTo)'")
      }
    }
    state = Mutex(initial)
  }

  /// The K values the service trains and answers with; a re-optimisation changes them
  /// (``setTuning(_:)``), the next training uses them.
  public var tuning: ServingTuning { state.withLock { $0.tuning } }

  /// Sets the K values of the next trainings and of the clustering route.
  public func setTuning(_ tuning: ServingTuning) {
    state.withLock { $0.tuning = tuning }
  }

  /// Counts a rating given against the rating predictor's prediction for it: what the
  /// re-optimisation job compares with the held-out RMSE (non-finite values are ignored).
  public func recordLiveRating(predicted: Double, actual: Double) {
    guard predicted.isFinite, actual.isFinite else { return }
    state.withLock { $0.live.add(predicted: predicted, actual: actual) }
  }

  /// The live accuracy since the last call, and a new count started.
  public func takeLiveAccuracy() -> LiveAccuracy {
    state.withLock { s in
      defer { s.live = LiveAccuracy() }
      return s.live
    }
  }

  /// The live accuracy since the last ``takeLiveAccuracy()``, without resetting it.
  public var liveAccuracy: LiveAccuracy { state.withLock { $0.live } }

  /// The experiment whose variants change the served lists now, if any.
  public var listTreatment: ListTreatment? { state.withLock { $0.listTreatment } }

  /// Serves `treatment`'s variants from now on (`nil`: none): every cached list is dropped, as
  /// when a film is added.
  public func setListTreatment(_ treatment: ListTreatment?) {
    state.withLock {
      $0.listTreatment = treatment
      $0.catalogVersion += 1
      $0.exposed = []
    }
  }

  /// The films served: the dataset's and those added since (``addFilm(_:)``).
  public var catalog: Catalog { state.withLock { $0.catalog } }

  /// The engine now serving, if any.
  public var engine: RecommendationEngine? { state.withLock { $0.engine } }
  /// The ratings the served model was fitted on (its user and film indexes), if any.
  public var fittedRatings: RatingsDataset? { state.withLock { $0.fitted } }
  /// The rating predictor trained beside the served model (the one of the held-out accuracy),
  /// whose predictions the live monitor compares with the ratings given.
  public var ratingPredictor: BiasedMFModel? { state.withLock { $0.predictor } }
  /// The truncated SVD fitted beside the served model at training (``TrainingInfo/svdRank``),
  /// `nil` for a model loaded from a file or when the data was too small.
  public var decomposition: TruncatedSVDModel? { state.withLock { $0.decomposition } }
  /// Where the model stands.
  public var phase: ModelPhase { state.withLock { $0.phase } }
  /// What the served model's training measured.
  public var trainingInfo: TrainingInfo? { state.withLock { $0.info } }
  /// Why the last training failed, if it did.
  public var failure: String? { state.withLock { $0.failure } }

  /// Serves the newest model of ``modelDirectory`` when one matches the data, else trains one
  /// (``train()``).
  public func start() async {
    if let directory = modelDirectory {
      do {
        if try await load(from: directory) { return }
      } catch {
        logger.warning("no model loaded from \(directory.path): \(error); training one")
      }
    }
    await train()
  }

  /// The engine now serving with its generation, read together.
  public var serving: (engine: RecommendationEngine, generation: Int)? {
    state.withLock { s in s.engine.map { (engine: $0, generation: s.generation) } }
  }

  /// What a recommendation request reads, together: the engine, the model's generation, the films
  /// added since the model was fitted (placed into it), and the catalogue's version, which changes
  /// when a film is added: a cached response of another version is stale. A model swapped in
  /// does not change it: cached lists live until they expire or their user rates, as Gorse's
  /// cached recommendations outlive a model update until their refresh period.
  public var snapshot: ServingSnapshot? {
    state.withLock { s in
      s.engine.map {
        ServingSnapshot(
          engine: $0, generation: s.generation, newFilms: s.newFilms, version: s.catalogVersion)
      }
    }
  }

  /// How many models have been served: 1 for the first, then one more at each swap.
  public var modelGeneration: Int { state.withLock { $0.generation } }

  /// Whether a training runs now.
  public var isTraining: Bool { state.withLock { $0.isTraining } }

  /// Trains the hybrid on the dataset plus the store's ratings and serves it; the ratings stored
  /// while it trains are folded in once it serves. The model is saved to ``modelDirectory`` when
  /// set. A failure is logged and kept in ``failure``. Requests go on meanwhile with the model
  /// served before, and see the new one once it is swapped in.
  ///
  /// - Returns: `false`, doing nothing, when a training already runs.
  @discardableResult
  public func train() async -> Bool {
    let started = state.withLock { s -> Bool in
      guard !s.isTraining else { return false }
      s.isTraining = true
      if s.engine == nil { s.phase = .training }
      return true
    }
    guard started else { return false }
    defer { state.withLock { $0.isTraining = false } }
    do {
      let clock = ContinuousClock()
      let start = clock.now
      let stored = try await store.ratings()
      let through = stored.last?.sequence ?? 0
      // Every step runs off the cooperative pool at low priority: the fits on the library's
      // threads (`FitPriority.background`), the rest on a thread of the service's.
      let (data, split) = try await OffPool.background {
        let data = try self.dataset(adding: stored)
        return (data, try data.split(.holdout(testFraction: 0.1), seed: 42)[0])
      }
      let options = FitOptions(threadCount: trainingThreads, priority: .background)
      let model = try await Hybrid(catalog: catalog).fit(data, options: options)
      let predictor = try await BiasedMF(factors: tuning.predictorFactors, epochs: 20, seed: 42)
        .fit(
          split.train, options: options)
      let accuracy = try await OffPool.background { AccuracyReport(of: predictor, on: split.test) }
      let rank = min(tuning.svdRank, min(data.userCount, data.itemCount) - 1)
      let decomposition =
        rank >= 1
        ? try await TruncatedSVDRecommender(rank: rank, seed: 0).fit(data, options: options)
        : nil
      let elapsed = Self.seconds(clock.now - start)
      var info = TrainingInfo(
        trainedAt: Date(), trainingSeconds: elapsed, heldOutRMSE: accuracy.rmse,
        heldOutMAE: accuracy.mae, ratingCount: data.ratingCount, userCount: data.userCount,
        filmCount: data.itemCount, throughSequence: through)
      info.svdRank = decomposition.map { _ in rank }
      info.explainedVariance = decomposition.map { Double($0.explainedVariance) }
      info.segmentCount = model.segments?.labels.count
      info.predictorFactors = predictor.factorCount
      info.datasetShape = DatasetShape(of: baseRatings)
      if let directory = modelDirectory {
        do {
          let record = info
          info.modelFile = try await OffPool.background {
            try self.save(model, info: record, in: directory)
          }
        } catch {
          logger.error("model not saved to \(directory.path): \(error)")
        }
      }
      state.withLock {
        $0.predictor = predictor
        $0.decomposition = decomposition
      }
      try await serve(model, fittedOn: data, info: info)
      logger.info(
        "model serving",
        metadata: [
          "ratings": "\(data.ratingCount)", "seconds": "\(elapsed)",
          "held_out_rmse": "\(accuracy.rmse)", "file": "\(info.modelFile ?? "-")",
        ])
    } catch is CancellationError {
      logger.info("training cancelled")
      state.withLock { if $0.engine == nil { $0.phase = .idle } }
    } catch {
      logger.error("training failed: \(error)")
      state.withLock {
        if $0.engine == nil { $0.phase = .failed }
        $0.failure = "\(error)"
      }
    }
    return true
  }

  /// The dataset with `stored` added (a stored rating replaces the dataset's of the same film).
  func dataset(adding stored: [StoredRating]) throws -> RatingsDataset {
    var data = baseRatings
    try data.add(
      stored.map {
        Rating(
          user: EntityID(parsing: $0.userID), item: EntityID(parsing: $0.movieID),
          value: Float($0.rating), timestamp: $0.timestamp)
      }, duplicates: .keepLast)
    return data
  }

  /// Serves `model`, with the ratings stored after `info.throughSequence` folded in: those
  /// stored so far before it serves, those stored while they were read just after (their
  /// requests applied them to the engine served before; their users are passed to the handler
  /// of ``onRatingsFoldedAfterSwap(_:)``, whose cached lists may have missed them). A rating
  /// applied twice is harmless: same value.
  func serve(_ model: HybridModel, fittedOn data: RatingsDataset, info: TrainingInfo)
    async throws
  {
    let engine = RecommendationEngine(model: model, ratings: data)
    let folded = try await foldStoredRatings(after: info.throughSequence, into: [engine]).through
    while true {
      // The added films are placed before the swap; a film added meanwhile places them again.
      let (placed, seen) = try await placeNewFilms(into: model)
      let swapped = state.withLock { s -> Bool in
        guard s.addedFilmIDs == seen else { return false }
        s.engine = engine
        s.fitted = data
        s.info = info
        s.generation += 1
        s.newFilms = placed
        s.phase = .serving
        s.failure = nil
        return true
      }
      if swapped { break }
    }
    let late = try await foldStoredRatings(after: folded, into: [engine]).ratings
    if !late.isEmpty, let handler = foldedHandler.withLock({ $0 }) {
      handler(Set(late.map(\.userID)))
    }
    await prepareFactorVariants()
  }

  /// Calls `handler` with the users whose ratings reached a newly swapped-in model only after it
  /// served (see ``serve``): a list cached for them meanwhile may lack their rating.
  public func onRatingsFoldedAfterSwap(_ handler: @escaping @Sendable (Set<String>) -> Void) {
    foldedHandler.withLock { $0 = handler }
  }

  /// Stores `rating` durably, then applies it to the engine when one serves.
  ///
  /// - Throws: the store's errors (nothing is applied then).
  @discardableResult
  public func rate(_ rating: StoredRating) async throws -> StoredRating {
    let saved = try await store.save(rating)
    if let engine { try apply(saved, to: engine) }
    for variant in state.withLock({ $0.factorVariants?.engines ?? [] }) {
      try? apply(saved, to: variant)
    }
    if state.withLock({ s in s.newFilms.contains { $0.id == saved.movieID } }) {
      try await replace(filmID: saved.movieID)
    }
    return saved
  }

  /// `duration` in seconds.
  static func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
  }

  /// Applies the ratings stored after `sequence` to each of `engines` (applying one twice is
  /// harmless: same value); returns them and the last sequence folded (`sequence` when none).
  func foldStoredRatings(after sequence: Int64, into engines: [RecommendationEngine])
    async throws -> (ratings: [StoredRating], through: Int64)
  {
    let ratings = try await store.ratings(after: sequence)
    for rating in ratings {
      for engine in engines { try? apply(rating, to: engine) }
    }
    return (ratings, ratings.last.map { max(sequence, $0.sequence) } ?? sequence)
  }

  func apply(_ rating: StoredRating, to engine: RecommendationEngine) throws {
    try engine.update(
      user: EntityID(parsing: rating.userID),
      ratings: [(item: EntityID(parsing: rating.movieID), value: Float(rating.rating))],
      timestamp: rating.timestamp)
  }

  /// Every rating of `user`: the dataset's, with the store's replacing those of the same film.
  public func history(ofUser user: String) async throws -> [StoredRating] {
    var byFilm: [String: StoredRating] = [:]
    if let u = baseRatings.users.index(of: EntityID(parsing: user)) {
      let (items, values) = baseRatings.ratings(ofUser: u)
      let times = baseRatings.timestamps(ofUser: u).map(Array.init)
      for (k, (item, value)) in zip(items, values).enumerated() {
        let id = baseRatings.items.id(at: Int(item)).description
        byFilm[id] = StoredRating(
          userID: user, movieID: id, rating: Double("\(value)") ?? Double(value),
          timestamp: times?[k] ?? 0,
          source: "dataset")
      }
    }
    for rating in try await store.ratings(ofUser: user) {
      byFilm[rating.movieID] = rating
    }
    return byFilm.values.sorted { ($0.timestamp, $0.movieID) < ($1.timestamp, $1.movieID) }
  }
}
