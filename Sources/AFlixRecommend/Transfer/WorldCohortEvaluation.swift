import AFlixData
import AFlixLinalg
import Foundation

/// The original engine's core claim, measured: train on a large world (synthetic, or other real
/// users), serve a small real cohort on top of it, and compare with the world alone and with the
/// cohort alone on the cohort's held-out ratings.
///
/// Four ways to serve a cohort user, each a row of the ``WorldCohortReport``:
/// - **world only**: a model fitted on the world; the cohort user is unknown to it and gets its
///   no-history answer (``RecommenderModel/scoresForUnknownUser()``).
/// - **cohort only**: a model fitted on the cohort's training ratings alone.
/// - **world + cohort folded in**: the world model, each cohort user folded in from their training
///   ratings mapped onto the world's films (``RecommenderModel/scores(forRatings:)``) — the
///   original's design.
/// - **world + cohort fitted together**: one model fitted on the world's ratings and the cohort's
///   (mapped; cohort user ids prefixed `cohort:` so they cannot collide with the world's).
///
/// The world's ratings are first aligned onto the cohort's scale (``alignment``). Films map by
/// ``FilmMatching`` (id, else normalised title and year). For every cohort user with training and
/// held-out ratings: RMSE over their held-out ratings (rating predictors only; a film the model
/// cannot score is predicted as the user's own training mean) and NDCG@``k`` with relevant =
/// held-out ratings passing ``relevance``, candidates = the cohort catalog's films the model can
/// score, minus the user's training films (the ideal DCG counts every relevant film).
///
/// ```swift
/// let report = try WorldCohortEvaluation(
///   world: world.ratings, worldCatalog: world.catalog, worldSource: .world,
///   cohortTrain: train, cohortTest: test, cohortCatalog: catalog
/// ).run(BiasedALS())
/// report.rows.map { ($0.name, $0.rmse) }
/// ```
public struct WorldCohortEvaluation: Sendable {
  /// The world's ratings (any scale).
  public var world: RatingsDataset
  /// The world's films.
  public var worldCatalog: Catalog
  /// What the world is: `.world` for a synthetic one, `.real` for other real users.
  public var worldSource: ModelProvenance.Source
  /// The cohort's training ratings (their scale is the target scale).
  public var cohortTrain: RatingsDataset
  /// The cohort's held-out ratings.
  public var cohortTest: RatingsDataset
  /// The cohort's films.
  public var cohortCatalog: Catalog
  /// How world ratings are aligned onto the cohort's scale; ``ScaleAlignment/linear`` by default.
  public var alignment: ScaleAlignment
  /// Which held-out ratings are relevant for NDCG; `.atLeast(4)` by default.
  public var relevance: Relevance
  /// The list length of NDCG; 10 by default.
  public var k: Int

  /// Creates an evaluation.
  public init(
    world: RatingsDataset, worldCatalog: Catalog, worldSource: ModelProvenance.Source = .world,
    cohortTrain: RatingsDataset, cohortTest: RatingsDataset, cohortCatalog: Catalog,
    alignment: ScaleAlignment = .linear, relevance: Relevance = .atLeast(4), k: Int = 10
  ) {
    self.world = world
    self.worldCatalog = worldCatalog
    self.worldSource = worldSource
    self.cohortTrain = cohortTrain
    self.cohortTest = cohortTest
    self.cohortCatalog = cohortCatalog
    self.alignment = alignment
    self.relevance = relevance
    self.k = k
  }

  /// The four ways of serving the cohort.
  public enum Variant: String, Sendable, Hashable, Codable, CaseIterable {
    /// A world model; cohort users unknown.
    case worldOnly = "world only"
    /// A model of the cohort alone.
    case cohortOnly = "cohort only"
    /// A world model with cohort users folded in.
    case foldedIn = "world + cohort folded in"
    /// One model of the world and the cohort.
    case fittedTogether = "world + cohort fitted together"

    /// Where the ratings that shape the served scores come from.
    public func source(world: ModelProvenance.Source) -> ModelProvenance.Source {
      switch self {
      case .worldOnly: return world
      case .cohortOnly: return .real
      case .foldedIn, .fittedTogether: return world == .real ? .real : .hybrid
      }
    }
  }

  /// Fits `algorithm` the ways the variants need and scores the cohort.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for `k` < 1 or a world whose ratings
  ///   ``alignment`` cannot bring onto the cohort's scale, and what the fits throw.
  public func run(_ algorithm: some RecommenderAlgorithm) throws -> WorldCohortReport {
    guard k >= 1 else { throw RecommendError(.invalidArgument, "k must be at least 1, got \(k)") }
    let matching = FilmMatching(world: worldCatalog, cohort: cohortCatalog)
    let worldModel = try fitted(algorithm, variant: .worldOnly, matching: matching)
    let cohortModel = try fitted(algorithm, variant: .cohortOnly, matching: matching)
    let jointModel = try fitted(algorithm, variant: .fittedTogether, matching: matching)
    let rating = algorithm.predictsRatings
    var rows: [WorldCohortReport.Row] = []
    for variant in Variant.allCases {
      var sums = (squared: 0.0, ratings: 0, ndcg: 0.0, users: 0)
      for tu in 0..<cohortTest.userCount {
        let user = cohortTest.users.id(at: tu)
        guard let cu = cohortTrain.users.index(of: user) else { continue }
        let train = ratings(of: cu, in: cohortTrain)
        let test = ratings(of: tu, in: cohortTest)
        let (scores, toModel) = served(
          variant, user: user, train: train, matching: matching, world: worldModel,
          cohort: cohortModel, joint: jointModel)
        if rating {
          let mean = train.map { Double($0.value) }.reduce(0, +) / Double(max(1, train.count))
          for (item, value) in test {
            let predicted =
              toModel(item).map { Double(cohortTrain.scale.clamp(scores[$0])) } ?? mean
            sums.squared += (predicted - Double(value)) * (predicted - Double(value))
            sums.ratings += 1
          }
        }
        let relevant = Set(test.filter { relevance.isRelevant($0.value) }.map(\.item))
        guard !relevant.isEmpty else { continue }
        let rated = Set(train.map(\.item))
        var candidates: [(item: EntityID, score: Float)] = []
        for movie in cohortCatalog.movies where !rated.contains(movie.id) {
          if let i = toModel(movie.id), scores[i].isFinite {
            candidates.append((movie.id, scores[i]))
          }
        }
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.item < $1.item }
        sums.ndcg += BinaryNDCG.value(
          hits: candidates.lazy.map { relevant.contains($0.item) }, relevantCount: relevant.count,
          k: k)
        sums.users += 1
      }
      rows.append(
        WorldCohortReport.Row(
          variant: variant, source: variant.source(world: worldSource),
          rmse: rating ? (sums.squared / Double(max(1, sums.ratings))).squareRoot() : nil,
          ndcg: sums.ndcg / Double(max(1, sums.users)), users: sums.users,
          testRatings: sums.ratings))
    }
    return WorldCohortReport(
      rows: rows, matchedByID: matching.matchedByID, matchedByTitle: matching.matchedByTitle,
      unmatched: matching.unmatched.count)
  }

  /// The model `variant` serves from, fitted, with its ``FitRecord/provenance`` set (the
  /// folded-in variant serves from the world-only model).
  ///
  /// - Throws: as ``run(_:)``.
  public func fitted(
    _ algorithm: some RecommenderAlgorithm, variant: Variant
  ) throws -> any RecommenderModel {
    try fitted(
      algorithm, variant: variant,
      matching: FilmMatching(world: worldCatalog, cohort: cohortCatalog))
  }

  func fitted(
    _ algorithm: some RecommenderAlgorithm, variant: Variant, matching: FilmMatching
  ) throws -> any RecommenderModel {
    let data: RatingsDataset
    switch variant {
    case .worldOnly, .foldedIn:
      data = try alignedWorld()
    case .cohortOnly:
      data = cohortTrain
    case .fittedTogether:
      let world = try alignedWorld()
      var all = world.allRatings()
      for r in cohortTrain.allRatings() {
        guard let item = matching.worldID(for: r.item) else { continue }
        all.append(
          Rating(
            user: .string("cohort:\(r.user)"), item: item, value: r.value,
            timestamp: r.timestamp))
      }
      data = try RatingsDataset(ratings: all, scale: world.scale, duplicates: .keepLast)
    }
    var model = try algorithm.fit(data) as any RecommenderModel
    var record = model.fitRecord ?? algorithm.fitRecord
    record.provenance = ModelProvenance(
      source: variant == .foldedIn ? worldSource : variant.source(world: worldSource),
      factorCount: record.hyperparameters["factors"]?.doubleValue.map { Int($0) },
      note: "\(data.userCount) users, \(data.itemCount) films, \(data.ratingCount) ratings")
    model.fitRecord = record
    return model
  }

  /// The world on the cohort's scale.
  func alignedWorld() throws -> RatingsDataset {
    do {
      return try alignment.aligned(world, to: cohortTrain.scale)
    } catch let error as DataError {
      throw RecommendError(
        .invalidArgument,
        "the world's ratings do not fit the cohort's scale \(cohortTrain.scale) with alignment "
          + "\(alignment.rawValue): \(error)")
    }
  }

  /// A user's ratings by external item id.
  func ratings(of u: Int, in data: RatingsDataset) -> [(item: EntityID, value: Float)] {
    let (items, values) = data.ratings(ofUser: u)
    return zip(items, values).map { (data.items.id(at: Int($0)), $1) }
  }

  /// The served scores of `variant` for one cohort user, and a cohort film id → score index map.
  func served(
    _ variant: Variant, user: EntityID, train: [(item: EntityID, value: Float)],
    matching: FilmMatching, world: any RecommenderModel, cohort: any RecommenderModel,
    joint: any RecommenderModel
  ) -> ([Float], (EntityID) -> Int?) {
    let viaWorld: (any RecommenderModel) -> (EntityID) -> Int? = { model in
      { id in matching.worldID(for: id).flatMap { model.items.index(of: $0) } }
    }
    switch variant {
    case .worldOnly:
      return (world.scoresForUnknownUser().values, viaWorld(world))
    case .cohortOnly:
      return (cohort.scores(forUserID: user).values, { cohort.items.index(of: $0) })
    case .foldedIn:
      let mapped = train.compactMap { r in matching.worldID(for: r.item).map { ($0, r.value) } }
      let (known, _) = world.userRatings(mapped)
      return (world.scores(forRatings: known).values, viaWorld(world))
    case .fittedTogether:
      return (joint.scores(forUserID: .string("cohort:\(user)")).values, viaWorld(joint))
    }
  }
}

/// What ``WorldCohortEvaluation`` measured.
public struct WorldCohortReport: Sendable, Hashable, Codable {
  /// One way of serving the cohort.
  public struct Row: Sendable, Hashable, Codable {
    /// The way of serving.
    public var variant: WorldCohortEvaluation.Variant
    /// Where the ratings shaping the scores came from.
    public var source: ModelProvenance.Source
    /// RMSE on the cohort's held-out ratings (rating predictors), else `nil`.
    public var rmse: Double?
    /// Mean NDCG@k over cohort users with a relevant held-out rating.
    public var ndcg: Double
    /// The users NDCG averages over.
    public var users: Int
    /// The held-out ratings RMSE averages over.
    public var testRatings: Int
  }

  /// The four variants, in ``WorldCohortEvaluation/Variant`` order.
  public var rows: [Row]
  /// Cohort films matched to the world by id.
  public var matchedByID: Int
  /// Cohort films matched by normalised title and year.
  public var matchedByTitle: Int
  /// Cohort films without a world counterpart.
  public var unmatched: Int
}
