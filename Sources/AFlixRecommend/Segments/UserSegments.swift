import AFlixCluster
import AFlixData
import AFlixLinalg

/// Segments of a factor model's users — K-means on their factors — each with its mean user factor
/// (the original's `U_avg`) and a readable genre profile, to serve a brand-new user who has rated
/// nothing but stated a few favourite genres (onboarding).
///
/// **Building.** The rows of the model's user factors, scaled to unit length by default
/// (``Clustering``), are clustered by `KMeans` (AFlixCluster: k-means++ seeding, seeded restarts,
/// deterministic for a seed). Each segment keeps
/// - its **mean factor** `p̄` (the mean of its users' factor rows) and its **scores**: the mean
///   of its users' scores, which for these linear models is exactly the mean factor's score,
///   `p̄ · qᵢ` plus the averaged biases (`μ + b̄ᵤ + bᵢ` for biased MF, `oᵢ` + mean `oᵤ` for the
///   truncated SVD, `bᵢ` for BPR) — computed once, so serving a newcomer costs a lookup;
/// - its **genre profile** from a `Catalog`: over the films its users rated in training (the
///   model's ``RecommenderModel/history``), the share of genre-film pairs that go to each genre,
///   the same share over all users, and their ratio (lift).
///
/// **Choosing a segment** (``segment(forGenres:)``). The stated genres become an indicator vector
/// over the catalog's genres; each segment is scored by the cosine between that vector and
/// - ``Matching/shares`` (the default; measured against ``Matching/lift`` in <doc:ColdStart>'s
///   "Segment fallback" measurements): the segment's raw shares;
/// - ``Matching/lift``: the segment's shares minus the all-users shares, so the segment where the
///   stated genres are most **over-represented** wins.
///
/// The best cosine wins, ties to the lower segment index.
///
/// **Defaults, and what it is worth** (implicit ALS at its defaults, the cold-start protocol at
/// n = 0 with 3 stated genres; figures and command in <doc:ColdStart>). The defaults — 4 segments of
/// factor directions matched by shares — scored best among the variants on fold u2, yet below
/// plain popularity there; on u1 they beat popularity. So a segment beats a one-rating fold-in on
/// both folds, but not reliably popularity: use it as an onboarding signal to mix, not alone.
/// Stated genres the catalog does not have
/// are ignored; when none is left (or nothing was stated, or no segment has a profile) there is
/// no segment, and ``scores(forGenres:)`` answers with the mean of **all** users' scores (the
/// model's average user, ``PredictionSource/averageUser``) — never a trap.
///
/// ```swift
/// let model = try ImplicitALS().fit(train)
/// let segments = try UserSegments(model: model, catalog: catalog, segmentCount: 4, seed: 1)
/// segments.segments[0].label                                   // "Horror · Thriller"
/// let onboarding = segments.recommend(
///   forGenres: [Genre.named("Comedy"), Genre.named("Romance")], count: 10)
/// ```
public struct UserSegments: Sendable {
  /// How stated genres are matched to a segment's genre profile.
  public enum Matching: String, Sendable, Hashable, Codable, CaseIterable {
    /// Cosine with the segment's genre shares minus the all-users shares (over-representation).
    case lift
    /// Cosine with the segment's raw genre shares.
    case shares
  }

  /// What K-means clusters.
  public enum Clustering: String, Sendable, Hashable, Codable, CaseIterable {
    /// The user factor rows as they are (segments then also separate heavy from light users,
    /// whose factors are longer).
    case factors
    /// The user factor rows scaled to unit length (zero rows kept): segments of taste, whatever
    /// the activity. The segment scores are still the mean of the users' unscaled scores.
    case directions
  }

  /// One genre of a segment's profile.
  public struct GenreShare: Sendable, Hashable, Codable {
    /// The genre.
    public var genre: Genre
    /// The fraction of the segment's genre-film pairs (over its users' training films) that go
    /// to this genre.
    public var share: Double
    /// The same fraction over every user.
    public var overallShare: Double
    /// `share / overallShare` (0 when the genre has no film rated by anyone).
    public var lift: Double

    /// Creates a genre share.
    public init(genre: Genre, share: Double, overallShare: Double, lift: Double) {
      self.genre = genre
      self.share = share
      self.overallShare = overallShare
      self.lift = lift
    }
  }

  /// One segment: its users' mean factor and genre profile.
  public struct Segment: Sendable, Hashable {
    /// The segment's index (its K-means cluster).
    public let index: Int
    /// How many of the model's users are in it (0 for a cluster K-means left empty).
    public let userCount: Int
    /// The mean of its users' factor rows (`U_avg`; the all-users mean for an empty segment).
    public let meanFactor: [Float]
    /// Its genres with a positive share, by decreasing share.
    public let genres: [GenreShare]
    /// The names of its (up to) two genres of highest lift above 1 among those with a share of
    /// at least 1%, joined by " · "; "Mixed" when none is over-represented.
    public let label: String
  }

  /// The segments, by index.
  public let segments: [Segment]
  /// The items of the model, whose indices the scores follow.
  public let items: IDMap
  /// The catalog's genres (in its first-seen order): the coordinates of the profiles.
  public let genres: [Genre]
  /// How stated genres choose a segment.
  public let matching: Matching
  /// What K-means clustered.
  public let clustering: Clustering
  /// The segment of every user index of the model.
  public let userSegments: [Int]
  /// Each segment's genre shares over ``genres``.
  let shareVectors: [[Double]]
  /// The all-users genre shares over ``genres``.
  let overallShares: [Double]
  /// Each segment's scores (its users' mean scores).
  let segmentScores: [[Float]]
  /// Every user's mean scores.
  let overallScores: [Float]

  /// Clusters `model`'s users into `segmentCount` segments and profiles them with `catalog`.
  ///
  /// - Parameters:
  ///   - model: a fitted factor model; its user factors are clustered and its history gives the
  ///     genre profiles.
  ///   - catalog: the films' genres (matched to the model's items by id; films it lacks count for
  ///     no genre).
  ///   - segmentCount: the number of K-means clusters, `1…users`; 4 by default.
  ///   - seed: the K-means seed.
  ///   - matching: how stated genres choose a segment; ``Matching/shares`` by default.
  ///   - clustering: what K-means clusters; ``Clustering/directions`` by default.
  /// - Throws: ``RecommendError`` `.invalidArgument` for a model without users, a segment count
  ///   outside `1…users`, or a model whose history is empty (a model built from parts without
  ///   one: no genre profile is possible); `.numericalFailure` when K-means fails.
  /// - Complexity: K-means, O(restarts · iterations · users · k · segments), plus one batch of
  ///   scores for every user (O(users · items · k)).
  public init(
    model: some FactorRankServing, catalog: Catalog, segmentCount: Int = 4, seed: UInt64 = 0,
    matching: Matching = .shares, clustering: Clustering = .directions
  ) throws {
    let userCount = model.users.count
    guard userCount >= 1, segmentCount >= 1, segmentCount <= userCount else {
      throw RecommendError(
        .invalidArgument,
        "segments need 1 ≤ segment count ≤ users (got \(segmentCount) segments for "
          + "\(userCount) users)")
    }
    guard (0..<userCount).contains(where: { !model.history.items(ofUser: $0).isEmpty }) else {
      throw RecommendError(
        .invalidArgument,
        "the model keeps no training history, so its segments cannot be profiled by genre")
    }
    let factors = model.userFactors
    let k = factors.columns
    var points = Matrix<Double>(
      rows: factors.rows, columns: k, elements: factors.elements.map { Double($0) })
    if clustering == .directions {
      for u in 0..<points.rows {
        let row = (u * k)..<(u * k + k)
        let norm = points.elements[row].reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for t in row { points.elements[t] /= norm } }
      }
    }
    let labels: [Int]
    do {
      labels = try KMeans(clusterCount: segmentCount, seed: seed).fit(points).labels
    } catch {
      throw RecommendError(.numericalFailure, "clustering the user factors failed: \(error)")
    }
    let profile = GenreProfile(
      model: model, catalog: catalog, labels: labels, segments: segmentCount)
    let (scores, overall) = Self.meanScores(model: model, labels: labels, segments: segmentCount)
    var built: [Segment] = []
    for s in 0..<segmentCount {
      let members = labels.indices.filter { labels[$0] == s }
      var mean = [Double](repeating: 0, count: k)
      let rows = members.isEmpty ? Array(0..<userCount) : members
      for u in rows { for f in 0..<k { mean[f] += Double(factors.elements[u * k + f]) } }
      built.append(
        Segment(
          index: s, userCount: members.count,
          meanFactor: mean.map { Float($0 / Double(rows.count)) },
          genres: profile.shares(ofSegment: s), label: profile.label(ofSegment: s)))
    }
    self.segments = built
    self.items = model.items
    self.genres = profile.genres
    self.matching = matching
    self.clustering = clustering
    self.userSegments = labels
    self.shareVectors = profile.segmentShares
    self.overallShares = profile.overallShares
    self.segmentScores = scores
    self.overallScores = overall
  }

  /// The segment user index `user` of the model belongs to, or `nil` for an index out of range.
  public func segment(ofUser user: Int) -> Int? {
    userSegments.indices.contains(user) ? userSegments[user] : nil
  }

  /// The segment whose genre profile best matches `stated` (see the type's documentation), or
  /// `nil` when none of the stated genres is in the catalog or no segment has a profile.
  public func segment(forGenres stated: [Genre]) -> Int? {
    let wanted = Set(stated)
    let x = genres.map { wanted.contains($0) ? 1.0 : 0.0 }
    guard x.contains(1) else { return nil }
    var best: (index: Int, cosine: Double)?
    for (s, shares) in shareVectors.enumerated() where segments[s].userCount > 0 {
      let v = matching == .lift ? zip(shares, overallShares).map { $0 - $1 } : shares
      let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      guard norm > 0 else { continue }
      let cosine = zip(x, v).reduce(0) { $0 + $1.0 * $1.1 } / norm
      if best == nil || cosine > best!.cosine { best = (s, cosine) }
    }
    return best?.index
  }

  /// Scores for every item (``items`` order) for a newcomer who stated `genres`: the matched
  /// segment's mean-factor scores, as ``PredictionSource/model``; with no match, every user's
  /// mean scores, as ``PredictionSource/averageUser``.
  public func scores(forGenres genres: [Genre]) -> ItemScores {
    guard let s = segment(forGenres: genres) else {
      return ItemScores(values: overallScores, source: .averageUser)
    }
    return ItemScores(values: segmentScores[s], source: .model)
  }

  /// The `count` best items for a newcomer who stated `genres`, best first (ties to the lower
  /// item index), from ``scores(forGenres:)``; a `count` ≤ 0 gives an empty list.
  public func recommend(forGenres genres: [Genre], count: Int) -> Recommendations {
    let scores = scores(forGenres: genres)
    let top = TopItems.select(scores.values, count: max(0, count))
    return Recommendations(
      items: top.map { Recommendation(item: items.id(at: $0), score: scores.values[$0]) },
      source: scores.source)
  }

  /// Each segment's mean scores and every user's, from the model's batch scoring.
  static func meanScores(model: some RecommenderModel, labels: [Int], segments: Int) -> (
    [[Float]], [Float]
  ) {
    let n = model.items.count
    var sums = [[Double]](repeating: [Double](repeating: 0, count: n), count: segments)
    var all = [Double](repeating: 0, count: n)
    var counts = [Int](repeating: 0, count: segments)
    let block = 256
    for start in stride(from: 0, to: labels.count, by: block) {
      let users = Array(start..<min(labels.count, start + block))
      let scores = model.scores(forUsers: users)
      for (row, u) in users.enumerated() {
        let s = labels[u]
        counts[s] += 1
        for i in 0..<n {
          let v = Double(scores[row * n + i])
          sums[s][i] += v
          all[i] += v
        }
      }
    }
    let overall = all.map { Float($0 / Double(max(1, labels.count))) }
    let means = (0..<segments).map { s in
      counts[s] == 0 ? overall : sums[s].map { Float($0 / Double(counts[s])) }
    }
    return (means, overall)
  }
}
