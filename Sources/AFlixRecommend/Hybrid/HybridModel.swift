import AFlixData

/// A fitted hybrid recommender: a collaborative model, an optional content-based scorer and a
/// popularity scorer, fitted on one dataset, whose standardised scores are mixed with weights that
/// depend on how much is known about the user (``HybridWeights``, the fallback chain).
///
/// The hybrid is one more ``RecommenderModel``: `recommend(user:)`, `recommend(forRatings:)`,
/// batch scoring and model files work as for any other model. For a known user the mix is chosen
/// by the number of their training ratings; for a folded-in user by the number of their ratings
/// the model knows, so a user whose every rated film is unknown gets the no-history tier (by
/// default popularity) and still gets a full list.
///
/// Each scorer's scores are standardised over all items (mean 0, standard deviation 1) before
/// mixing, so that the weights compare like with like; a scorer whose weight is 0 is not run.
///
/// ```swift
/// let hybrid = try HybridModel(
///   collaborative: try EASE().fit(train), content: nil,
///   popularity: try PopularityModel(fitting: train), weights: .original)
/// let top = hybrid.recommend(forRatings: [50: 5, 172: 4], count: 10)
/// ```
public struct HybridModel: RecommenderModel {
  /// The collaborative model.
  public let collaborative: any RecommenderModel
  /// The content-based scorer, when the hybrid has a catalog.
  public let content: (any RecommenderModel)?
  /// The popularity scorer.
  public let popularity: any RecommenderModel
  /// The weights by known-rating count.
  public let weights: HybridWeights
  /// The model's films as the catalog describes them (id, title, year, genres; only films the
  /// model knows), for titles, stated genres, diversity and explanations; `nil` without a catalog.
  public let catalog: Catalog?
  /// The genres of every item, from ``catalog``.
  let genreSets: ItemGenreSets?
  /// Users grouped by taste, for explanations; `nil` without a catalog.
  public let segments: TasteSegments?
  /// The algorithm and hyper-parameters that fitted the model; `nil` for a model built from its
  /// parts.
  public var fitRecord: FitRecord?
  /// The users (the collaborative model's, shared by every scorer).
  public var users: IDMap { collaborative.users }
  /// The items (shared by every scorer).
  public var items: IDMap { collaborative.items }
  /// The users' training items (the collaborative model's when built; saved once in the hybrid's
  /// file): what `recommend(user:)` leaves out, and what chooses a known user's tier.
  public internal(set) var history: UserHistory
  /// The no-history scores, computed once.
  let unknownUserScores: ItemScores
  /// The popularity scorer's standardised scores, when they are the same for every user (a
  /// ``PopularityModel``): computed once instead of per request.
  let sharedPopularity: [Float]?

  /// Creates a hybrid from fitted scorers.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` when the scorers do not share the same users
  ///   and items (fit them on the same dataset).
  public init(
    collaborative: any RecommenderModel, content: (any RecommenderModel)?,
    popularity: any RecommenderModel, weights: HybridWeights, catalog: Catalog? = nil,
    segments: TasteSegments? = nil
  ) throws {
    for (name, scorer) in [("content", content), ("popularity", popularity)] {
      guard let scorer else { continue }
      guard scorer.items == collaborative.items, scorer.users == collaborative.users else {
        throw RecommendError(
          .invalidArgument,
          "the hybrid's \(name) scorer has other users or items than its collaborative model "
            + "(\(scorer.users.count) × \(scorer.items.count) vs "
            + "\(collaborative.users.count) × \(collaborative.items.count)): fit both on one dataset"
        )
      }
    }
    self.collaborative = collaborative
    self.content = content
    self.popularity = popularity
    self.weights = weights
    self.catalog = try catalog.map { try Self.trimmed($0, to: collaborative.items) }
    self.genreSets = self.catalog.map { ItemGenreSets(catalog: $0, items: collaborative.items) }
    if let segments, let genreSets,
      segments.segmentOfUser.count != collaborative.users.count
        || Set(segments.genres) != Set(genreSets.genres.map(\.name))
    {
      throw RecommendError(
        .invalidArgument, "the taste segments were built on other users or genres than the hybrid's"
      )
    }
    self.segments = genreSets == nil ? nil : segments
    self.history = collaborative.history
    self.sharedPopularity =
      popularity is PopularityModel
      ? ScoreStandardization.standardized(popularity.scoresForUnknownUser().values) : nil
    let mix = weights.mix(forRatingCount: 0)
    var unknown = Self.parts(
      mix: mix, collaborative: { collaborative.scoresForUnknownUser().values },
      content: content.map { c in { c.scoresForUnknownUser().values } },
      popularity: { popularity.scoresForUnknownUser().values }, shared: sharedPopularity)
    // Named after the scorer that weighs most in the no-history tier.
    let weighted: [(Float, any RecommenderModel)] =
      [(mix.collaborative, collaborative), (mix.popularity, popularity)]
      + (content.map { [(mix.content, $0)] } ?? [])
    let main = weighted.max { $0.0 < $1.0 }?.1 ?? popularity
    self.unknownUserScores = ItemScores(
      values: unknown.total(itemCount: collaborative.items.count),
      source: main.scoresForUnknownUser().source)
  }

  /// The mixed scores of a known user, with the tier of their training-rating count.
  ///
  /// - Precondition: `0 ≤ user < users.count` (checked).
  public func scores(forUser user: Int) -> [Float] {
    requireIndices(user: user, item: nil)
    var parts = parts(
      known: user, ratings: UserRatings([], itemCount: items.count), request: HybridRequest())
    return parts.total(itemCount: items.count)
  }

  /// The no-history tier's mix of each scorer's unknown-user scores (by default popularity), with
  /// the source of the scorer that weighs most.
  public func scoresForUnknownUser() -> ItemScores { unknownUserScores }

  /// Folds the user into every scorer and mixes with the tier of `ratings.count`, as
  /// ``PredictionSource/model``; empty ratings give ``scoresForUnknownUser()``.
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    guard !ratings.isEmpty else { return unknownUserScores }
    var parts = parts(known: nil, ratings: ratings, request: HybridRequest())
    return ItemScores(values: parts.total(itemCount: items.count), source: .model)
  }

  /// The collaborative model's item similarities, or the content scorer's when the collaborative
  /// model has none.
  ///
  /// - Precondition: `0 ≤ item < items.count` (checked).
  public func similarities(toItem item: Int) -> [Float]? {
    requireIndices(user: nil, item: item)
    return collaborative.similarities(toItem: item) ?? content?.similarities(toItem: item)
  }

  /// The films of `catalog` the model knows, with only what serving uses (id, title, year,
  /// genres), in item order.
  static func trimmed(_ catalog: Catalog, to items: IDMap) throws -> Catalog {
    try Catalog(
      movies: (0..<items.count).compactMap { i in
        catalog.movie(withID: items.id(at: i)).map {
          Movie(id: $0.id, title: $0.title, genres: $0.genres, year: $0.year)
        }
      })
  }

  /// The collaborative model's similarities of `sources` to `item`, or the content scorer's.
  ///
  /// - Precondition: every index is in `0..<items.count` (checked).
  public func similarities(from sources: [Int], to item: Int) -> [Float]? {
    requireIndices(user: nil, item: item)
    for j in sources { requireIndices(user: nil, item: j) }
    return collaborative.similarities(from: sources, to: item)
      ?? content?.similarities(from: sources, to: item)
  }
}

extension HybridModel {
  /// Scores for a block of known users, row by row as ``scores(forUser:)`` gives them, with the
  /// collaborative part through its own batch path (one matrix product per block for the factor
  /// models and EASE).
  ///
  /// - Precondition: every index is in `0..<self.users.count` (checked).
  public func scores(forUsers users: [Int]) -> [Float] {
    for u in users { requireIndices(user: u, item: nil) }
    let n = items.count
    let mixes = users.map { weights.mix(forRatingCount: history.items(ofUser: $0).count) }
    let collaborativeRows =
      mixes.contains { $0.collaborative > 0 } ? collaborative.scores(forUsers: users) : []
    // The content and popularity scorers' own batch paths.
    let contentRows =
      mixes.contains { $0.content > 0 } ? (content?.scores(forUsers: users) ?? []) : []
    let popularityRows = sharedPopularity == nil ? popularity.scores(forUsers: users) : []
    var out = [Float](repeating: 0, count: users.count * n)
    out.withUnsafeMutableBufferPointer { all in
      for r in users.indices {
        let row = UnsafeMutableBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)])
        let mix = mixes[r]
        if mix.collaborative > 0 {
          collaborativeRows.withUnsafeBufferPointer {
            ScoreStandardization.accumulate(
              UnsafeBufferPointer(rebasing: $0[(r * n)..<((r + 1) * n)]), weight: mix.collaborative,
              into: row)
          }
        }
        if mix.content > 0, content != nil {
          contentRows.withUnsafeBufferPointer {
            ScoreStandardization.accumulate(
              UnsafeBufferPointer(rebasing: $0[(r * n)..<((r + 1) * n)]), weight: mix.content,
              into: row)
          }
        }
        let present = mix.collaborative > 0 || (mix.content > 0 && content != nil)
        if mix.popularity > 0 || !present {
          let weight = mix.popularity > 0 ? mix.popularity : 1
          if let z = sharedPopularity {
            z.withUnsafeBufferPointer { ScoreStandardization.add($0, weight: weight, into: row) }
          } else {
            popularityRows.withUnsafeBufferPointer {
              ScoreStandardization.accumulate(
                UnsafeBufferPointer(rebasing: $0[(r * n)..<((r + 1) * n)]), weight: weight,
                into: row)
            }
          }
        }
      }
    }
    return out
  }
}
