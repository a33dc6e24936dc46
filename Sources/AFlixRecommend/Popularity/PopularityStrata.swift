import AFlixData

/// Popularity in several senses — plain counts, the newest films, what is trending or rising,
/// cult classics, genre champions, popularity among similar people — as one score vector per
/// stratum over the items of a dataset: the popularity component of a hybrid and the answer for
/// users about whom nothing is known yet.
///
/// ```swift
/// let folder = URL(fileURLWithPath: "ml-100k")
/// let data = try MovieLens100KLoader.load(folder: folder)
/// let strata = try PopularityStrata(
///   fitting: data.ratings!, catalog: data.catalog,
///   attributes: try MovieLens100KLoader.loadUsers(folder: folder))
/// let newest = strata.latest                                  // one score per item index
/// let onboarding = strata.scores(forGenres: [Genre.named("Comedy")])
/// let young = strata.demographic(age: 22, gender: "F", occupation: nil)
/// strata.stratum(of: 49).stratum                              // .popular, .cultClassic …
/// ```
///
/// Item index `i` is `items.id(at: i)`: the ``items`` map of the dataset, the same as every
/// collaborative model fitted on that dataset, so vectors combine index by index. Higher scores
/// are better in every vector; scales differ between strata (counts, stars, ranks), so blend
/// them after normalising (``StrataModel`` does).
///
/// What each stratum needs, and what it does without it:
/// - ``latest``: catalog release years, else each item's first rating time; with neither, the
///   order of ``popularity``.
/// - ``trending`` and ``rising``: timestamps. Without them ``trending`` equals ``popularity``
///   and ``rising`` is all zeros.
/// - ``genreChampions(_:)`` and ``scores(forGenres:)``: catalog genres; without a catalog no
///   item has a genre and both give the ``cultClassics`` order.
/// - ``demographic(age:gender:occupation:)``: user attributes; without them it gives the
///   popularity share of every item.
public struct PopularityStrata: Sendable, Hashable {
  /// The users of the training data.
  public let users: IDMap
  /// The items of the training data: the index space of every vector.
  public let items: IDMap
  /// The hyper-parameters the strata were fitted with.
  public let configuration: Configuration
  /// The reference time ("now") of ``trending`` and ``rising``, in seconds since 1970: the one
  /// given to the fit, else the dataset's latest timestamp; `nil` without timestamps.
  public let referenceTime: Int64?
  /// The resolved minimum vote count `m` of the weighted rating.
  public let minimumVotes: Int
  /// The mean of all training ratings: `C` of the weighted rating.
  public let globalMean: Double
  /// Plain popularity: each item's number of training ratings (as `Float`).
  public let popularity: [Float]
  /// Each item's mean training rating (`globalMean` for an item without ratings).
  public let meanRatings: [Float]
  /// The IMDb-style weighted rating `WR = v/(v+m)·R + m/(v+m)·C` of each item: `v` its count,
  /// `R` its mean, `C` the ``globalMean``, `m` ``minimumVotes``.
  public let weightedRatings: [Float]
  /// The newest films first: scores `(n − rank)/n` in `(0, 1]` for the order by release year
  /// (catalog), else by the calendar year (UTC) of the item's first rating, items with neither
  /// last; ties by count, then by index.
  public let latest: [Float]
  /// Recency-decayed counts: the sum over an item's ratings made at or before
  /// ``referenceTime`` of `2^(−(ref − t)/halfLife)`; ratings after the reference time do not
  /// count. Equal to ``popularity`` without timestamps.
  public let trending: [Float]
  /// Each item's ratings in the rising window `(ref − window, ref]`.
  public let recentCounts: [Int]
  /// Each item's ratings in the window before, `(ref − 2·window, ref − window]`.
  public let previousCounts: [Int]
  /// Rising in the last window: `(recent − previous) / √(previous + 1)`, the growth of the
  /// count from one window to the next in units of the previous count's Poisson spread (an item
  /// going from 0 to 3 scores 3, from 10 to 30 scores ≈ 6). All zeros without timestamps.
  public let rising: [Float]
  /// Cult classics: ``weightedRatings`` for items with at least ``minimumVotes`` ratings;
  /// items with fewer are ranked last (their weighted rating shifted below every eligible
  /// item's, keeping their order among themselves).
  public let cultClassics: [Float]
  /// The genres of the items, in first-seen order of item index (empty without a catalog).
  public let genres: [Genre]
  /// Item `i`'s genres are `genres[itemGenres[itemGenreOffsets[i]..<itemGenreOffsets[i + 1]]]`.
  let itemGenreOffsets: [Int]
  /// Genre positions in ``genres``, by item (see ``itemGenreOffsets``).
  let itemGenres: [Int32]
  /// Ratings counts by demographic group.
  let demographics: DemographicCounts
  /// The attributes of each training user by user index (empty without attributes).
  let userAttributes: [UserAttributes?]
  /// Each item's rank in each stratum, for ``stratum(of:)``; derived from the vectors.
  let ranks: StratumRanks

  /// Fits the strata on `data`.
  ///
  /// - Parameters:
  ///   - data: the training ratings; its ``items`` map becomes the strata's index space.
  ///   - catalog: release years and genres by item id (items it lacks have neither).
  ///   - attributes: user attributes by user id (users it lacks belong to no group; ids it has
  ///     that the dataset lacks are ignored).
  ///   - referenceTime: "now" for ``trending`` and ``rising`` (seconds since 1970); default the
  ///     dataset's `latestTimestamp`.
  ///   - configuration: half-life, window, minimum votes.
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset without ratings,
  ///   `.invalidHyperparameter` for an invalid configuration.
  public init(
    fitting data: RatingsDataset, catalog: Catalog? = nil, attributes: UserAttributeTable? = nil,
    referenceTime: Int64? = nil, configuration: Configuration = Configuration()
  ) throws {
    try configuration.validate()
    guard data.ratingCount > 0 else {
      throw RecommendError(.emptyTrainingData, "cannot fit popularity strata on an empty dataset")
    }
    let fit = StrataFit(
      data: data, catalog: catalog, attributes: attributes, referenceTime: referenceTime,
      configuration: configuration)
    self.init(parts: fit.parts())
  }

  /// The strata from stored parts (the fit's output, or a decoded model file).
  init(parts: Parts) {
    users = parts.users
    items = parts.items
    configuration = parts.configuration
    referenceTime = parts.referenceTime
    minimumVotes = parts.minimumVotes
    globalMean = parts.globalMean
    popularity = parts.popularity
    meanRatings = parts.meanRatings
    weightedRatings = parts.weightedRatings
    latest = parts.latest
    trending = parts.trending
    recentCounts = parts.recentCounts
    previousCounts = parts.previousCounts
    rising = parts.rising
    cultClassics = parts.cultClassics
    genres = parts.genres
    itemGenreOffsets = parts.itemGenreOffsets
    itemGenres = parts.itemGenres
    demographics = parts.demographics
    userAttributes = parts.userAttributes
    ranks = StratumRanks(
      popularity: parts.popularity, latest: parts.latest, trending: parts.trending,
      rising: parts.rising, cultClassics: parts.cultClassics,
      eligible: parts.popularity.map { Int($0) >= parts.minimumVotes },
      genreCount: parts.genres.count, itemGenreOffsets: parts.itemGenreOffsets,
      itemGenres: parts.itemGenres, hasTimestamps: parts.referenceTime != nil)
  }

  /// The stored parts of the strata (what a model file holds).
  var parts: Parts {
    Parts(
      users: users, items: items, configuration: configuration, referenceTime: referenceTime,
      minimumVotes: minimumVotes, globalMean: globalMean, popularity: popularity,
      meanRatings: meanRatings, weightedRatings: weightedRatings, latest: latest,
      trending: trending, recentCounts: recentCounts, previousCounts: previousCounts,
      rising: rising, cultClassics: cultClassics, genres: genres,
      itemGenreOffsets: itemGenreOffsets, itemGenres: itemGenres, demographics: demographics,
      userAttributes: userAttributes)
  }

  /// Whether the strata were fitted with user attributes.
  public var hasAttributes: Bool { !userAttributes.isEmpty }

  /// The genres of item index `item`, in catalog order (empty without a catalog).
  ///
  /// - Precondition: `0 ≤ item < items.count` (checked).
  public func genres(ofItem item: Int) -> [Genre] {
    precondition(item >= 0 && item < items.count, "item index \(item) out of 0..<\(items.count)")
    return itemGenres[itemGenreOffsets[item]..<itemGenreOffsets[item + 1]].map {
      genres[Int($0)]
    }
  }

  /// The genres of the item with external id `id`, or `nil` for an id the strata do not know.
  public func genres(ofItemID id: EntityID) -> [Genre]? {
    items.index(of: id).map { genres(ofItem: $0) }
  }

  /// The attributes the strata hold for the training user with id `id`, or `nil` (an unknown
  /// id, or no attributes).
  public func attributes(ofUser id: EntityID) -> UserAttributes? {
    guard let u = users.index(of: id), u < userAttributes.count else { return nil }
    return userAttributes[u]
  }
}

extension PopularityStrata {
  /// Everything the strata store, in one `Codable` value (a model file's metadata).
  struct Parts: Sendable, Hashable, Codable {
    var users: IDMap
    var items: IDMap
    var configuration: Configuration
    var referenceTime: Int64?
    var minimumVotes: Int
    var globalMean: Double
    var popularity: [Float]
    var meanRatings: [Float]
    var weightedRatings: [Float]
    var latest: [Float]
    var trending: [Float]
    var recentCounts: [Int]
    var previousCounts: [Int]
    var rising: [Float]
    var cultClassics: [Float]
    var genres: [Genre]
    var itemGenreOffsets: [Int]
    var itemGenres: [Int32]
    var demographics: DemographicCounts
    var userAttributes: [UserAttributes?]
  }
}
