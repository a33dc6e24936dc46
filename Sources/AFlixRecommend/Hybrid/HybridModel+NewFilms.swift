import AFlixData
import AFlixLinalg

extension HybridModel {
  /// What placing new films into this hybrid shares (``NewFilmCache``): `XᵀX` of the user
  /// factors when the collaborative model is implicit ALS. Compute it once per model.
  ///
  /// - Complexity: O(users · k²) on the calling thread, for implicit ALS; O(1) otherwise.
  public func newFilmCache() -> NewFilmCache {
    NewFilmCache(userGram: (collaborative as? ImplicitALSModel)?.userGram())
  }

  /// Film clusters of the collaborative model's item factors (``FilmClusters``: K-means, with
  /// profiles from the hybrid's ``catalog`` and its films' training-rating counts), to give
  /// ``placeNewFilm(_:ratings:clusters:cache:)``; `nil` when the collaborative model has no item
  /// factors (EASE, popularity). A build step (K-means with its restarts), not a request: build
  /// once per model.
  ///
  /// - Throws: what ``FilmClusters/init(itemFactors:items:catalog:ratingCounts:options:)``
  ///   throws (`ClusterError`).
  public func filmClusters(options: FilmClusters.Options) throws -> FilmClusters? {
    let factors: Matrix<Float>
    switch collaborative {
    case let model as ImplicitALSModel: factors = model.itemFactors
    case let model as BiasedMFModel: factors = model.itemFactors
    default: return nil
    }
    return try FilmClusters(
      itemFactors: factors, items: items, catalog: catalog,
      ratingCounts: FilmClusters.ratingCounts(of: history, itemCount: items.count),
      options: options)
  }

  /// Places a film the model was not fitted with, without retraining: its content row from the
  /// hybrid's ``ContentModel`` (`ItemFeatures.row(for:)`), its factors folded into the
  /// collaborative model from `ratings` when that model is ``ItemFoldIn`` and some rating is from
  /// a known user, and its cluster in `clusters` from those factors.
  ///
  /// Ratings from user ids the model does not know are ignored and listed in
  /// ``NewFilm/ignoredUsers``; a user given twice keeps the last value. Bad values are refused,
  /// not ignored.
  ///
  /// - Parameters:
  ///   - movie: the film; its id must be new to the model.
  ///   - ratings: its first ratings, by external user id (may be empty).
  ///   - clusters: film clusters of the collaborative model's item factors, or `nil`.
  ///   - cache: ``newFilmCache()`` of this model, or `nil` (implicit ALS then computes `XᵀX` per
  ///     call).
  /// - Throws: ``RecommendError`` `.invalidArgument` when the film's id is already one of the
  ///   model's items, a value is not finite, a value lies outside the collaborative model's
  ///   rating scale (for a ``RatingPredictor``), or `clusters` are in another dimension than the
  ///   folded factors.
  /// - Complexity: O(n·k² + k³) for `n` ratings with a cache, plus the film's traits.
  public func placeNewFilm(
    _ movie: Movie, ratings: [(user: EntityID, value: Float)], clusters: FilmClusters? = nil,
    cache: NewFilmCache? = nil
  ) throws -> NewFilm {
    guard items.index(of: movie.id) == nil else {
      throw RecommendError(
        .invalidArgument,
        "film \(movie.id) is already one of the model's \(items.count) films: it is not new")
    }
    let scale = (collaborative as? any RatingPredictor)?.scale
    var pairs: [(user: Int, value: Float)] = []
    var ignored: [EntityID] = []
    for (user, value) in ratings {
      guard value.isFinite else {
        throw RecommendError(
          .invalidArgument, "the rating of film \(movie.id) by user \(user) is \(value)")
      }
      if let scale, !scale.contains(value) {
        throw RecommendError(
          .invalidArgument,
          "the rating \(value) of film \(movie.id) by user \(user) is outside the scale \(scale)")
      }
      if let u = users.index(of: user) { pairs.append((u, value)) } else { ignored.append(user) }
    }
    let known = ItemRatings(pairs, userCount: users.count)
    var folded: FoldedItem?
    if !known.isEmpty {
      if let als = collaborative as? ImplicitALSModel {
        folded = als.foldedItemFactors(known, userGram: cache?.userGram).map {
          FoldedItem(factors: $0, bias: 0, ratingCount: known.count)
        }
      } else if let model = collaborative as? any ItemFoldIn {
        folded = model.foldInItem(ratings: known)
      }
    }
    var cluster: Int?
    if let clusters, let folded {
      guard clusters.dimension == folded.factors.count else {
        throw RecommendError(
          .invalidArgument,
          "film clusters in \(clusters.dimension) dimensions for folded factors of "
            + "\(folded.factors.count)")
      }
      do {
        cluster = try clusters.assign(factors: folded.factors)
      } catch {
        throw RecommendError(.invalidArgument, "the folded film cannot be clustered: \(error)")
      }
    }
    let row = (content as? ContentModel)?.features.row(for: movie) ?? (traits: [], values: [])
    return NewFilm(
      movie: movie, contentTraits: row.traits, contentValues: row.values, folded: folded,
      cluster: cluster, knownRatingCount: known.count, ignoredUsers: ignored)
  }

  /// The new film's score for the user with external id `user`, on the scale of that user's
  /// list (``scores(forUser:)``; ``scoresForUnknownUser()`` for an id the model does not know),
  /// so it can be ranked among the model's films.
  ///
  /// With the user's mix (their tier) and each scorer's mean and standard deviation over the
  /// user's list of the model's films (the film itself left out), the total is
  /// `w_c·z_c(collaborative) + w_t·z_t(content)`:
  ///
  /// - A film with folded factors from `n` ratings: its collaborative z-score from them
  ///   (``ItemFoldIn/score(_:forUser:)``) shrunk towards its content z-score,
  ///   `w_c·(a·z_c + (1 − a)·z_t) + w_t·z_t` with `a = n / (n + contentPrior)` (without a content
  ///   scorer, `w_c·z_c`): factors folded from a handful of ratings rank a film worse than its
  ///   content does (see ``NewFilm/measuredContentPrior``); `contentPrior = 0` scores it as any
  ///   film of the model.
  /// - A film without (no rating yet): scored by content — the cosine of the user's content
  ///   profile (the average profile for an unknown user or an empty profile, as
  ///   ``ContentModel`` does) with the film's row, weighted by `w_c + w_t` (content stands in
  ///   for the missing collaborative score).
  /// - Popularity, which a new film has none of, counts as the mean (`z = 0`), as does any scorer
  ///   the film has no score from.
  ///
  /// Never traps; a negative or non-finite `contentPrior` counts as 0.
  public func score(
    _ film: NewFilm, forUser user: EntityID,
    contentPrior: Double = NewFilm.measuredContentPrior
  ) -> NewFilmScore {
    var state = NewFilmUserState(model: self, user: user)
    return score(film, state: &state, contentPrior: contentPrior)
  }

  /// ``score(_:forUser:contentPrior:)`` with what the user's films share kept in `state`.
  func score(_ film: NewFilm, state: inout NewFilmUserState, contentPrior: Double)
    -> NewFilmScore
  {
    let u = state.user
    let mix = state.mix
    var collaborativeScore: Float?
    // A placement built by hand for another model is scored by content, not trapped on.
    if let folded = film.folded, let model = collaborative as? any ItemFoldIn,
      folded.factors.count == model.factorCount
    {
      collaborativeScore =
        u.map { model.score(folded, forUser: $0) }
        ?? model.score(folded, forRatings: UserRatings([], itemCount: items.count))
    }
    var contentScore: Float?
    if let profile = state.profile(of: self) {
      contentScore = Self.cosine(profile, traits: film.contentTraits, values: film.contentValues)
    }
    var total: Float = 0
    let basis: NewFilmScore.Basis
    if let c = collaborativeScore {
      basis = .collaborative
      let zc = mix.collaborative > 0 ? state.collaborativeZ(of: self)?.z(c) ?? 0 : 0
      if let t = contentScore {
        let n = Double(film.folded?.ratingCount ?? 0)
        let prior = contentPrior.isFinite ? max(0, contentPrior) : 0
        let a = Float(n + prior > 0 ? n / (n + prior) : 1)
        let weight = mix.collaborative * (1 - a) + mix.content
        let zt = weight > 0 ? state.contentZ(of: self)?.z(t) ?? 0 : 0
        total += mix.collaborative * a * zc + weight * zt
      } else {
        total += mix.collaborative * zc
      }
    } else if let t = contentScore {
      basis = .content
      let weight = mix.collaborative + mix.content
      if weight > 0 { total += weight * (state.contentZ(of: self)?.z(t) ?? 0) }
    } else {
      basis = .none
    }
    return NewFilmScore(
      total: total, collaborative: collaborativeScore, content: contentScore, basis: basis)
  }

  /// The top `count` films for the user with external id `user`, the model's films (by
  /// ``scores(forUser:)``, a known user's training films left out; the no-history scores for
  /// an unknown id) and `newFilms` (by ``score(_:forUser:contentPrior:)``) ranked together. Ties go to the
  /// model's films, then to the earlier new film. Never traps.
  ///
  /// - Complexity: one ``scores(forUser:)``, the collaborative and content scorers' lists of the
  ///   user once each (for their standardisation), and O(k + traits) per new film.
  public func recommend(
    user: EntityID, count: Int, including newFilms: [NewFilm],
    contentPrior: Double = NewFilm.measuredContentPrior
  ) -> Recommendations {
    let u = users.index(of: user)
    var all = u.map { scores(forUser: $0) } ?? unknownUserScores.values
    if let u {
      for i in history.items(ofUser: u) { all[Int(i)] = .nan }
    }
    let n = all.count
    var state = NewFilmUserState(model: self, user: user)
    all += newFilms.map { score($0, state: &state, contentPrior: contentPrior).total }
    let top = TopItems.select(all, count: max(0, count))
    return Recommendations(
      items: top.map {
        Recommendation(
          item: $0 < n ? items.id(at: $0) : newFilms[$0 - n].movie.id, score: all[$0])
      },
      source: u == nil ? unknownUserScores.source : .model)
  }

  /// The dot product of a unit profile with a unit feature row (both ascending): their cosine,
  /// 0 when either is empty.
  static func cosine(_ profile: ContentProfile, traits: [Int32], values: [Float]) -> Float {
    var s: Float = 0
    var p = 0
    for (c, v) in zip(traits, values) {
      while p < profile.traits.count, profile.traits[p] < c { p += 1 }
      guard p < profile.traits.count else { break }
      if profile.traits[p] == c { s += profile.weights[p] * v }
    }
    return s
  }
}

/// What scoring new films for one user shares, each part computed at most once: the user's
/// index and mix, their content profile, and the mean and standard deviation of the
/// collaborative and content scorers' lists for them.
struct NewFilmUserState {
  /// The user's index, `nil` for an id the model does not know.
  let user: Int?
  /// The user's mix (their tier).
  let mix: HybridMix
  private var profile: ContentProfile??
  private var collaborative: Standardizer??
  private var content: Standardizer??

  /// The state of the user with id `id` in `model`.
  init(model: HybridModel, user id: EntityID) {
    user = model.users.index(of: id)
    mix = model.weights.mix(forRatingCount: user.map { model.history.items(ofUser: $0).count } ?? 0)
  }

  /// The user's content profile (the average profile for an unknown user or an empty profile,
  /// as ``ContentModel`` scores them), `nil` without a ``ContentModel``.
  mutating func profile(of model: HybridModel) -> ContentProfile? {
    if let profile { return profile }
    var made: ContentProfile?
    if let content = model.content as? ContentModel {
      made = user.map { content.profile(forUser: $0) } ?? content.averageProfile
      if made?.isEmpty == true { made = content.averageProfile }
    }
    profile = .some(made)
    return made
  }

  /// The standardisation of the collaborative scorer's list for the user.
  mutating func collaborativeZ(of model: HybridModel) -> Standardizer? {
    if let collaborative { return collaborative }
    let made = Standardizer(Self.list(of: model.collaborative, user: user))
    collaborative = .some(made)
    return made
  }

  /// The standardisation of the content scorer's list for the user.
  mutating func contentZ(of model: HybridModel) -> Standardizer? {
    if let content { return content }
    let made = model.content.flatMap { Standardizer(Self.list(of: $0, user: user)) }
    content = .some(made)
    return made
  }

  /// `model`'s list for a known user index, or its unknown-user list.
  static func list(of model: any RecommenderModel, user u: Int?) -> [Float] {
    u.map { model.scores(forUser: $0) } ?? model.scoresForUnknownUser().values
  }
}
