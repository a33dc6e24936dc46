import AFlixData
import AFlixLinalg

extension PopularityStrata {
  /// How much each stratum counts in a ``StrataModel``'s score. Each stratum's vector is
  /// min–max normalised to 0…1 before weighting, so the weights compare strata on one scale.
  ///
  /// ```swift
  /// let weights = PopularityStrata.Weights(popularity: 1, cultClassics: 0.5)
  /// ```
  public struct Weights: Sendable, Hashable, Codable {
    /// Plain ``PopularityStrata/popularity``.
    public var popularity: Float
    /// ``PopularityStrata/latest``.
    public var latest: Float
    /// ``PopularityStrata/trending``.
    public var trending: Float
    /// ``PopularityStrata/rising``.
    public var rising: Float
    /// ``PopularityStrata/cultClassics``.
    public var cultClassics: Float
    /// Genre champions of the user's genres: for each item, the normalised cult-classic score
    /// times the item's genre affinity (the summed ``PopularityStrata/genreShares(ofItems:)``
    /// of its genres, divided by the largest affinity). Zero for a user without rated genres.
    public var genreChampions: Float
    /// ``PopularityStrata/demographic(for:)`` for users whose attributes are known.
    public var demographic: Float

    /// Creates weights (every weight finite and ≥ 0; see ``validate()``).
    public init(
      popularity: Float = 0, latest: Float = 0, trending: Float = 0, rising: Float = 0,
      cultClassics: Float = 0, genreChampions: Float = 0, demographic: Float = 0
    ) {
      self.popularity = popularity
      self.latest = latest
      self.trending = trending
      self.rising = rising
      self.cultClassics = cultClassics
      self.genreChampions = genreChampions
      self.demographic = demographic
    }

    /// Plain popularity alone: the script peers' popularity.
    public static let popularityOnly = Weights(popularity: 1)

    /// The default blend: popularity 1, cult classics 0.5, genre champions 0.5, demographic 1;
    /// trending, rising and latest weigh 0.
    ///
    /// The genre champions follow the genres of the user's known ratings (from n = 1), or the
    /// genres they state. Chosen by the cold-start measurement on MovieLens 100k as the one
    /// weighting that stays above plain popularity at every n with and without attributes; the
    /// figures, the alternatives tried and the command: <doc:HybridRecommender>.
    public static let `default` = Weights(
      popularity: 1, cultClassics: 0.5, genreChampions: 0.5, demographic: 1)

    /// Checks every weight.
    ///
    /// - Throws: ``RecommendError`` `.invalidHyperparameter` for a negative or non-finite
    ///   weight, or weights that are all zero.
    public func validate() throws {
      let all = [
        ("popularity", popularity), ("latest", latest), ("trending", trending),
        ("rising", rising), ("cultClassics", cultClassics), ("genreChampions", genreChampions),
        ("demographic", demographic),
      ]
      for (name, w) in all where !(w.isFinite && w >= 0) {
        throw RecommendError(
          .invalidHyperparameter, "weight \(name) must be finite and ≥ 0, got \(w)")
      }
      guard all.contains(where: { $0.1 > 0 }) else {
        throw RecommendError(.invalidHyperparameter, "at least one stratum weight must be > 0")
      }
    }
  }
}

/// Popularity strata as a ``RecommenderModel``: a weighted blend of the strata's normalised
/// vectors, steered by what is known of the user — the genres of their rated items (genre
/// champions) and their attributes (demographic match). The hybrid's popularity component and
/// the fallback for users about whom nothing is known.
///
/// ```swift
/// let strata = try PopularityStrata(fitting: train, catalog: catalog, attributes: users)
/// let model = try StrataModel(strata: strata, history: UserHistory(train))
/// let top = model.recommend(user: 42, count: 10)
/// let newcomer = model.scores(forGenres: [Genre.named("Comedy")], attributes: nil)
/// ```
///
/// Scores: `Σ_s w_s · norm(s)` over the strata `s` with weight `w_s`, each vector min–max
/// normalised to 0…1 (a constant vector counts 0). A known user's genre component comes from
/// their training items, their demographic component from the attributes the strata hold; an
/// unknown user (``scoresForUnknownUser()``) gets neither.
public struct StrataModel: RecommenderModel, Hashable {
  /// The fitted strata.
  public let strata: PopularityStrata
  /// The weight of each stratum.
  public let weights: PopularityStrata.Weights
  /// `"popularity-strata"` with the strata's half-life, rising window, resolved minimum votes,
  /// reference time and the weights (saved in model files).
  public var fitRecord: FitRecord?
  /// Each user's training items: what `recommend(user:…)` leaves out by default.
  public internal(set) var history: UserHistory {
    didSet { userGenreShares = Self.genreShares(of: history, strata: strata, weights: weights) }
  }
  /// Each user's genre shares from their history (users × genres, row-major) for the batch
  /// path's block product; empty when the genre component's weight is 0 or the catalog has no
  /// ``genreIndicator``. 4 bytes per user and genre.
  private(set) var userGenreShares: [Float]
  /// The blend of the user-independent strata (popularity, latest, trending, rising, cult).
  let base: [Float]
  /// The cult-classic vector, normalised, for the genre component.
  let normalisedCult: [Float]
  /// Each genre's items (offsets into ``genreItemIndices``, one more than the genres): the
  /// genre component adds a user's share of a genre to that genre's items, run by run.
  let genreItemOffsets: [Int]
  /// The items of every genre, genre by genre.
  let genreItemIndices: [Int32]
  /// Genre × item indicator (row-major, `genres × items`) for the batch path's block product;
  /// kept only when it has at most 65,536 cells, else empty.
  let genreIndicator: [Float]

  /// The users of the training data.
  public var users: IDMap { strata.users }
  /// The items of the training data (the strata's index space).
  public var items: IDMap { strata.items }

  /// Creates the model.
  ///
  /// - Parameters:
  ///   - strata: the fitted strata.
  ///   - weights: the weight of each stratum.
  ///   - history: the users' training items (none when `nil`); one row per user of `strata`,
  ///     item indices below the item count (checked).
  /// - Throws: ``RecommendError`` `.invalidHyperparameter` for invalid weights.
  public init(
    strata: PopularityStrata, weights: PopularityStrata.Weights = .default,
    history: UserHistory? = nil
  ) throws {
    try weights.validate()
    self.strata = strata
    self.weights = weights
    self.history =
      history?.checked(users: strata.users.count, items: strata.items.count)
      ?? UserHistory(emptyFor: strata.users.count)
    var base = [Float](repeating: 0, count: strata.items.count)
    for (w, vector) in [
      (weights.popularity, strata.popularity), (weights.latest, strata.latest),
      (weights.trending, strata.trending), (weights.rising, strata.rising),
      (weights.cultClassics, strata.cultClassics),
    ] where w > 0 {
      Self.add(w, Self.normalised(vector), to: &base)
    }
    self.base = base
    self.normalisedCult = Self.normalised(strata.cultClassics)
    var counts = [Int](repeating: 0, count: strata.genres.count + 1)
    for g in strata.itemGenres { counts[Int(g) + 1] += 1 }
    for g in 0..<strata.genres.count { counts[g + 1] += counts[g] }
    var next = counts
    var members = [Int32](repeating: 0, count: strata.itemGenres.count)
    for i in 0..<strata.items.count {
      for k in strata.itemGenreOffsets[i]..<strata.itemGenreOffsets[i + 1] {
        let g = Int(strata.itemGenres[k])
        members[next[g]] = Int32(i)
        next[g] += 1
      }
    }
    self.genreItemOffsets = counts
    self.genreItemIndices = members
    let (g, n) = (strata.genres.count, strata.items.count)
    var indicator = [Float](repeating: 0, count: g > 0 && n > 0 && n * g <= 1 << 16 ? g * n : 0)
    if !indicator.isEmpty {
      for genre in 0..<g {
        for k in counts[genre]..<counts[genre + 1] { indicator[genre * n + Int(members[k])] += 1 }
      }
    }
    self.genreIndicator = indicator
    self.userGenreShares = Self.genreShares(of: self.history, strata: strata, weights: weights)
    fitRecord = FitRecord(algorithm: "popularity-strata", configuration: Record(strata, weights))
  }

  /// Fits strata on `data` and wraps them, with `data`'s users' items as the history.
  ///
  /// - Throws: what ``PopularityStrata/init(fitting:catalog:attributes:referenceTime:configuration:)``
  ///   and ``init(strata:weights:history:)`` throw.
  public init(
    fitting data: RatingsDataset, catalog: Catalog? = nil, attributes: UserAttributeTable? = nil,
    referenceTime: Int64? = nil,
    configuration: PopularityStrata.Configuration = PopularityStrata.Configuration(),
    weights: PopularityStrata.Weights = .default
  ) throws {
    try self.init(
      strata: PopularityStrata(
        fitting: data, catalog: catalog, attributes: attributes, referenceTime: referenceTime,
        configuration: configuration),
      weights: weights, history: UserHistory(data))
  }

  /// The blend for known user index `user`: genres from their training items, attributes from
  /// the strata.
  ///
  /// - Precondition: `0 ≤ user < users.count` (checked).
  public func scores(forUser user: Int) -> [Float] {
    requireIndices(user: user, item: nil)
    let rated = history.items(ofUser: user).map { Int($0) }
    let attributes = user < strata.userAttributes.count ? strata.userAttributes[user] : nil
    return blend(genreShares: strata.genreShares(ofItems: rated), attributes: attributes)
  }

  /// ``scores(forUser:)`` for a block of known users, rows concatenated: the batch path, with one
  /// scratch buffer for the whole block instead of fresh arrays per user.
  ///
  /// - Precondition: every index is in `0..<users.count` (checked).
  public func scores(forUsers users: [Int]) -> [Float] {
    for u in users { requireIndices(user: u, item: nil) }
    let n = items.count
    let g = strata.genres.count
    var out = [Float](repeating: 0, count: users.count * n)
    // The genre component of a block at once when the catalog is small: the users' genre shares
    // (b × G) times each genre's items (G × n) by one single-threaded product; per user over the
    // genres' item lists otherwise.
    let blockProduct = weights.genreChampions > 0 && !genreIndicator.isEmpty && !users.isEmpty
    var affinities: [Float] = []
    if blockProduct {
      // The users' precomputed shares, gathered.
      var shares = [Float](repeating: 0, count: users.count * g)
      for (r, u) in users.enumerated() {
        for k in 0..<g { shares[r * g + k] = userGenreShares[u * g + k] }
      }
      affinities = [Float](repeating: 0, count: users.count * n)
      shares.withUnsafeBufferPointer { a in
        genreIndicator.withUnsafeBufferPointer { b in
          affinities.withUnsafeMutableBufferPointer { c in
            SerialBLAS.gemm(
              transposeA: false, transposeB: false, m: users.count, n: n, k: g, alpha: 1,
              a: a.baseAddress!, lda: g, b: b.baseAddress!, ldb: n, beta: 0, c: c.baseAddress!,
              ldc: n)
          }
        }
      }
    }
    var scratch = [Float](repeating: 0, count: blockProduct ? 0 : n)
    out.withUnsafeMutableBufferPointer { all in
      for (r, u) in users.enumerated() {
        let row = UnsafeMutableBufferPointer(rebasing: all[(r * n)..<((r + 1) * n)])
        base.withUnsafeBufferPointer { b in
          for i in 0..<n { row[i] = b[i] }
        }
        if blockProduct {
          affinities.withUnsafeBufferPointer { a in
            addGenreComponent(
              affinity: UnsafeBufferPointer(rebasing: a[(r * n)..<((r + 1) * n)]), into: row)
          }
        } else if weights.genreChampions > 0 {
          let rated = history.items(ofUser: u).map { Int($0) }
          addGenreComponent(
            shares: strata.genreShares(ofItems: rated), into: row, scratch: &scratch)
        }
        let attributes = u < strata.userAttributes.count ? strata.userAttributes[u] : nil
        if weights.demographic > 0, let attributes {
          let d = Self.normalised(strata.demographic(for: attributes))
          for i in 0..<n { row[i] += weights.demographic * d[i] }
        }
      }
    }
    return out
  }

  /// Every user's ``PopularityStrata/genreShares(ofItems:)`` of their `history` items, row by
  /// row; empty when `weights` give the genre component no weight.
  static func genreShares(
    of history: UserHistory, strata: PopularityStrata, weights: PopularityStrata.Weights
  ) -> [Float] {
    let (g, n) = (strata.genres.count, strata.items.count)
    // Only the batch block product reads them (see `genreIndicator`).
    guard weights.genreChampions > 0, g > 0, n > 0, n * g <= 1 << 16 else { return [] }
    var shares = [Float](repeating: 0, count: history.userCount * g)
    shares.withUnsafeMutableBufferPointer { all in
      for u in 0..<history.userCount {
        strata.genreShares(
          ofItems: history.items(ofUser: u),
          into: UnsafeMutableBufferPointer(rebasing: all[(u * g)..<((u + 1) * g)]))
      }
    }
    return shares
  }

  /// The user-independent blend (no genre, no demographic component), as
  /// ``PredictionSource/averageUser``.
  public func scoresForUnknownUser() -> ItemScores {
    ItemScores(values: base, source: .averageUser)
  }

  /// The blend steered by the genres of the rated items (each rating counts the same, whatever
  /// its value); no demographic component. Empty ratings give ``scoresForUnknownUser()``.
  public func scores(forRatings ratings: UserRatings) -> ItemScores {
    scores(forRatings: ratings, attributes: nil)
  }

  /// The blend steered by the genres of the rated items and, when given, the user's attributes.
  /// Empty ratings and no attributes give ``scoresForUnknownUser()``; the source is
  /// ``PredictionSource/averageUser`` either way (the user is not one the model was fitted on).
  public func scores(forRatings ratings: UserRatings, attributes: UserAttributes?) -> ItemScores {
    let valid = ratings.items.filter { $0 >= 0 && $0 < items.count }
    return ItemScores(
      values: blend(genreShares: strata.genreShares(ofItems: valid), attributes: attributes),
      source: .averageUser)
  }

  /// Onboarding: the blend for a new user who states `genres` (each an equal share) and,
  /// optionally, their attributes.
  public func scores(forGenres genres: [Genre], attributes: UserAttributes?) -> ItemScores {
    var shares = [Double](repeating: 0, count: strata.genres.count)
    let known = Set(genres).compactMap { strata.genres.firstIndex(of: $0) }
    for g in known { shares[g] = 1 / Double(known.count) }
    return ItemScores(
      values: blend(genreShares: shares, attributes: attributes), source: .averageUser)
  }

  /// ``base`` plus the genre and demographic components.
  func blend(genreShares shares: [Double], attributes: UserAttributes?) -> [Float] {
    var out = base
    if weights.genreChampions > 0 {
      var affinity = [Float](repeating: 0, count: items.count)
      out.withUnsafeMutableBufferPointer {
        addGenreComponent(shares: shares, into: $0, scratch: &affinity)
      }
    }
    if weights.demographic > 0, let attributes {
      Self.add(weights.demographic, Self.normalised(strata.demographic(for: attributes)), to: &out)
    }
    return out
  }

  /// Adds the genre-champion component for a user with genre `shares` to `out`: each item's
  /// affinity (the sum of the shares of its genres, genre by genre over each genre's items) over
  /// the largest, times the item's normalised cult score and the weight. `scratch` (one value per
  /// item) is overwritten.
  func addGenreComponent(
    shares: [Double], into out: UnsafeMutableBufferPointer<Float>, scratch affinity: inout [Float]
  ) {
    guard shares.contains(where: { $0 > 0 }) else { return }
    let n = items.count
    affinity.withUnsafeMutableBufferPointer { a in
      for i in 0..<n { a[i] = 0 }
      genreItemOffsets.withUnsafeBufferPointer { offsets in
        genreItemIndices.withUnsafeBufferPointer { members in
          for (g, share) in shares.enumerated() where share > 0 {
            let w = Float(share)
            for k in offsets[g]..<offsets[g + 1] { a[Int(members[k])] += w }
          }
        }
      }
      addGenreComponent(affinity: UnsafeBufferPointer(a), into: out)
    }
  }

  /// Adds `weight × affinity / max(affinity) × normalised cult` to `out` (nothing when every
  /// affinity is 0).
  func addGenreComponent(
    affinity a: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>
  ) {
    // Eight lanes at a time (a running `max` is one long dependency chain).
    guard let base = a.baseAddress else { return }
    let top = max(0, TopItems.chunkMaximum(base, 0, a.count))
    guard top > 0 else { return }
    let scale = weights.genreChampions / top
    normalisedCult.withUnsafeBufferPointer { cult in
      for i in 0..<a.count { out[i] += scale * a[i] * cult[i] }
    }
  }

  /// `values` scaled to 0…1 by their minimum and maximum; zeros for a constant vector.
  static func normalised(_ values: [Float]) -> [Float] {
    guard let lo = values.min(), let hi = values.max(), hi > lo else {
      return [Float](repeating: 0, count: values.count)
    }
    let span = hi - lo
    return values.map { ($0 - lo) / span }
  }

  /// `sum += w · vector`.
  static func add(_ w: Float, _ vector: [Float], to sum: inout [Float]) {
    for i in sum.indices { sum[i] += w * vector[i] }
  }

  /// The fit record's configuration: the strata's hyper-parameters and the weights.
  struct Record: Encodable {
    var halfLife: Int64
    var risingWindow: Int64
    var minimumVotes: Int
    var referenceTime: Int64?
    var weights: PopularityStrata.Weights

    init(_ strata: PopularityStrata, _ weights: PopularityStrata.Weights) {
      halfLife = strata.configuration.halfLife
      risingWindow = strata.configuration.risingWindow
      minimumVotes = strata.minimumVotes
      referenceTime = strata.referenceTime
      self.weights = weights
    }
  }
}
