import AFlixData
import AFlixLinalg
import Synchronization

/// A model and the ratings it serves from, shared by many concurrent requests: new ratings show
/// in the next request at once (folded in, no refit), and a model refitted in the background is
/// swapped in atomically.
///
/// The engine holds one snapshot — the model, the ratings it was fitted on, and the ratings added
/// since — behind a lock taken only to copy or replace references; scoring runs outside the lock,
/// on the calling task, so requests never wait for each other or for a fit, and a request sees
/// either the old model or the new one, never a half-built one.
///
/// A user with ratings added since the fit is served by folding in all their ratings (the fitted
/// ones, the added ones overriding a film rated twice) through
/// ``RecommenderModel/scores(forRatings:)``; every other user as the model serves them. A refit
/// (``refit(with:options:)``) is needed only for drift on the item side: new films, changed
/// tastes of many users.
///
/// ```swift
/// let engine = RecommendationEngine(model: try Hybrid().fit(train), ratings: train)
/// try engine.update(user: 42, ratings: [(item: 50, value: 5)])
/// engine.recommend(user: 42, count: 10)      // reflects the new rating
/// try await engine.refit(with: Hybrid())     // in the background; requests go on meanwhile
/// ```
public final class RecommendationEngine: Sendable {
  /// A rating added since the fit, with the order it was added in.
  struct Added: Sendable {
    var value: Float
    var timestamp: Int64?
    var version: Int
  }

  /// What one request sees.
  struct State: Sendable {
    var model: any RecommenderModel
    var ratings: RatingsDataset
    var added: [EntityID: [EntityID: Added]]
    var version: Int
    var generation: Int
  }

  private let state: Mutex<State>

  /// Creates an engine serving `model`, fitted on `ratings`.
  public init(model: any RecommenderModel, ratings: RatingsDataset) {
    state = Mutex(State(model: model, ratings: ratings, added: [:], version: 0, generation: 0))
  }

  /// The model now served.
  public var model: any RecommenderModel { state.withLock { $0.model } }

  /// How many times a refitted model has been swapped in.
  public var generation: Int { state.withLock { $0.generation } }

  /// The ratings added since the served model was fitted, by user.
  public var pendingRatingCount: Int {
    state.withLock { $0.added.values.reduce(0) { $0 + $1.count } }
  }

  /// Records `ratings` of `user` (a known user or a new one); the next request for that user
  /// reflects them.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for a value outside the rating scale or
  ///   not finite; nothing is recorded then.
  public func update(
    user: EntityID, ratings: [(item: EntityID, value: Float)], timestamp: Int64? = nil
  ) throws {
    try state.withLock { s in
      for (item, value) in ratings where !(value.isFinite && s.ratings.scale.contains(value)) {
        throw RecommendError(
          .invalidArgument,
          "rating \(value) of item \(item) by user \(user) is outside the scale \(s.ratings.scale)")
      }
      for (item, value) in ratings {
        s.version += 1
        s.added[user, default: [:]][item] = Added(
          value: value, timestamp: timestamp, version: s.version)
      }
    }
  }

  /// The top `count` items for `user`: with the ratings added since the fit folded in when there
  /// are any, else as the model serves them (unknown users take its fallbacks). Never traps.
  public func recommend(
    user: EntityID, count: Int = 10, excluding exclusion: Exclusion = .rated,
    where filter: CandidateFilter = .all
  ) -> Recommendations {
    let (model, ratings, added) = state.withLock { s in (s.model, s.ratings, s.added[user]) }
    guard let added, !added.isEmpty else {
      return model.recommend(user: user, count: count, excluding: exclusion, where: filter)
    }
    return model.recommend(
      forRatings: Self.merged(user: user, ratings: ratings, added: added), count: count,
      excluding: exclusion, where: filter)
  }

  /// The hybrid's answer to `request` for `user` (titles, filters, diversity, stated genres,
  /// explanations), with the ratings added since the fit folded in as ``recommend(user:count:excluding:where:)``
  /// folds them. Never traps.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` when the served model is not a
  ///   ``HybridModel``, or for an invalid request.
  public func recommend(user: EntityID, _ request: HybridRequest) throws -> HybridRecommendations {
    let (model, ratings, added) = state.withLock { s in (s.model, s.ratings, s.added[user]) }
    guard let hybrid = model as? HybridModel else {
      throw RecommendError(
        .invalidArgument,
        "hybrid requests need a hybrid model; the engine serves \(type(of: model))")
    }
    guard let added, !added.isEmpty else { return try hybrid.recommend(user: user, request) }
    return try hybrid.recommend(
      forRatings: Self.merged(user: user, ratings: ratings, added: added), request)
  }

  /// The user's fitted ratings with the added ones, an added rating replacing a fitted one of the
  /// same item; by item id.
  static func merged(
    user: EntityID, ratings: RatingsDataset, added: [EntityID: Added]
  ) -> [(item: EntityID, value: Float)] {
    var out: [EntityID: Float] = added.mapValues(\.value)
    if let u = ratings.users.index(of: user) {
      let (items, values) = ratings.ratings(ofUser: u)
      for (i, v) in zip(items, values) {
        let id = ratings.items.id(at: Int(i))
        if out[id] == nil { out[id] = v }
      }
    }
    return out.sorted { $0.key < $1.key }.map { (item: $0.key, value: $0.value) }
  }

  /// Fits `algorithm` on the fitted ratings plus every rating added so far, off the cooperative
  /// pool (``RecommenderAlgorithm/fit(_:options:)``), then swaps the new model in; ratings added
  /// while it fits stay pending and keep being folded in.
  ///
  /// - Throws: `CancellationError` when the task is cancelled (the served model stays), and
  ///   what the fit or the addition of the ratings throws.
  public func refit(
    with algorithm: some RecommenderAlgorithm, options: FitOptions = FitOptions()
  ) async throws {
    let (base, added, version) = state.withLock { s in (s.ratings, s.added, s.version) }
    var data = base
    var additions: [Rating] = []
    for (user, items) in added {
      for (item, a) in items {
        additions.append(Rating(user: user, item: item, value: a.value, timestamp: a.timestamp))
      }
    }
    additions.sort { ($0.user, $0.item) < ($1.user, $1.item) }
    try data.add(additions, duplicates: .keepLast)
    let model = try await algorithm.fit(data, options: options)
    swap(in: model, fittedOn: data, throughVersion: version)
  }

  /// Serves `model`, fitted on `ratings`, from now on; the ratings added up to `version` (as
  /// counted by the engine, see ``refit(with:options:)``) are taken to be in `ratings`, later ones
  /// stay pending.
  func swap(
    in model: any RecommenderModel, fittedOn ratings: RatingsDataset, throughVersion version: Int
  ) {
    state.withLock { Self.swap(&$0, model: model, ratings: ratings, version: version) }
  }

  private static func swap(
    _ s: inout State, model: any RecommenderModel, ratings: RatingsDataset, version: Int
  ) {
    s.model = model
    s.ratings = ratings
    s.generation += 1
    for (user, items) in s.added {
      let left = items.filter { $0.value.version > version }
      s.added[user] = left.isEmpty ? nil : left
    }
  }

  /// Serves `model`, fitted on `ratings`, from now on, and drops every pending rating (a model
  /// fitted elsewhere is taken to know them).
  public func replace(model: any RecommenderModel, fittedOn ratings: RatingsDataset) {
    state.withLock { Self.swap(&$0, model: model, ratings: ratings, version: $0.version) }
  }
}
