import AFlixData

/// One recommended item: its external id and its score.
public struct Recommendation: Sendable, Hashable, Codable {
  /// The item's external id, as the training dataset spells it.
  public var item: EntityID
  /// The model's score (higher is better; a rating predictor's scores are unclipped ratings).
  public var score: Float

  /// Creates a recommendation.
  public init(item: EntityID, score: Float) {
    self.item = item
    self.score = score
  }
}

/// A list of recommendations, best first, and which source answered.
public struct Recommendations: Sendable, Hashable {
  /// The items, best first; ties go to the lower item index (the earlier id in the model's order),
  /// so the same request always gives the same list.
  public var items: [Recommendation]
  /// ``PredictionSource/model`` when the model knew the user (or folded them in), else the
  /// fallback that answered (item baselines or the average user).
  public var source: PredictionSource
  /// Ids of the request that the model does not know (folded-in ratings, exclusions), ignored.
  public var ignoredItems: [EntityID]

  /// Creates a list.
  public init(items: [Recommendation], source: PredictionSource, ignoredItems: [EntityID] = []) {
    self.items = items
    self.source = source
    self.ignoredItems = ignoredItems
  }
}

/// Which items a recommendation leaves out.
public struct Exclusion: Sendable, Hashable {
  /// Whether the items the user rated (in training, or the ratings folded in) are left out.
  public var rated: Bool
  /// More items to leave out, by external id (ids the model does not know are ignored).
  public var items: [EntityID]

  /// Creates an exclusion.
  public init(rated: Bool, items: [EntityID] = []) {
    self.rated = rated
    self.items = items
  }

  /// Leave out what the user rated: the default.
  public static let rated = Exclusion(rated: true)
  /// Leave nothing out.
  public static let nothing = Exclusion(rated: false)

  /// Leave out what the user rated and `ids`.
  public static func rated(and ids: [EntityID]) -> Exclusion { Exclusion(rated: true, items: ids) }
}

/// Which items may be recommended at all: every item, an allow-list, or a predicate on the id
/// (a genre, a year, availability).
///
/// A predicate is called only for items whose score could enter the list (after the exclusions
/// and once the list is full, only for items that beat its worst), so a costly predicate costs
/// far less than one call per item.
public struct CandidateFilter: Sendable {
  enum Rule: Sendable {
    case all
    case allowList([EntityID])
    case predicate(@Sendable (EntityID) -> Bool)
  }

  let rule: Rule

  /// Every item of the model.
  public static let all = CandidateFilter(rule: .all)

  /// Only the items of `ids` (ids the model does not know are ignored).
  public static func only(_ ids: [EntityID]) -> CandidateFilter {
    CandidateFilter(rule: .allowList(ids))
  }

  /// Only the items whose id satisfies `isCandidate`.
  public static func matching(_ isCandidate: @escaping @Sendable (EntityID) -> Bool)
    -> CandidateFilter
  {
    CandidateFilter(rule: .predicate(isCandidate))
  }
}
