import AFlixData
import AFlixLinalg

extension HybridModel {
  /// The scores of each scorer for one user, before mixing: what a request mixes, and what an
  /// explanation splits the score into.
  struct Parts {
    var mix: HybridMix
    var collaborative: [Float]?
    var content: [Float]?
    /// Raw popularity scores, or `nil` when ``shared`` holds them standardised.
    var popularity: [Float]?
    var shared: [Float]?
    /// 1 for films of a stated genre (onboarding), 0 for the rest, when genres were stated.
    var genreBonus: [Float]?
    /// The weight of ``genreBonus``: set by ``total(itemCount:)`` to the spread of the other terms
    /// plus one, so that every film of a stated genre ranks above every other film.
    var bonusWeight: Float = 0
    /// Each term's standardisation (`nil` for a term already standardised or without spread), in
    /// ``terms`` order: set by ``total(itemCount:)``, reused by explanations.
    var standardizers: [Standardizer?] = []

    /// Each present scorer's name, weight and scores (`standardised` when already z-scores).
    var terms: [(name: String, weight: Float, values: [Float], standardised: Bool)] {
      var out: [(String, Float, [Float], Bool)] = []
      if let collaborative {
        out.append(("collaborative", mix.collaborative, collaborative, false))
      }
      if let content { out.append(("content", mix.content, content, false)) }
      let weight = mix.popularity > 0 ? mix.popularity : 1
      if let popularity { out.append(("popularity", weight, popularity, false)) }
      if let shared { out.append(("popularity", weight, shared, true)) }
      if let genreBonus { out.append(("stated genres", bonusWeight, genreBonus, true)) }
      return out
    }

    /// `Σ weight × z(values)`, the stated-genre bonus last.
    mutating func total(itemCount: Int) -> [Float] {
      var sum = [Float](repeating: 0, count: itemCount)
      standardizers = []
      for term in terms {
        guard term.name != "stated genres" else {
          standardizers.append(nil)
          continue
        }
        if term.standardised {
          standardizers.append(nil)
          ScoreStandardization.add(term.values, weight: term.weight, into: &sum)
        } else {
          let z = Standardizer(term.values)
          standardizers.append(z)
          if let z {
            ScoreStandardization.add(term.values, standardizer: z, weight: term.weight, into: &sum)
          }
        }
      }
      if let genreBonus {
        let finite = sum.filter(\.isFinite)
        bonusWeight = (finite.max() ?? 0) - (finite.min() ?? 0) + 1
        ScoreStandardization.add(genreBonus, weight: bonusWeight, into: &sum)
      }
      return sum
    }
  }

  /// The parts for a user of whom `ratings` (model indices) are known; `known` is the model's
  /// own index of a known user.
  func parts(known user: Int?, ratings: UserRatings, request: HybridRequest) -> Parts {
    let chain = request.weights ?? weights
    let count = user.map { history.items(ofUser: $0).count } ?? ratings.count
    let empty = user == nil && ratings.isEmpty
    /// Each scorer's scores for this user: their own for a known user, a fold-in, or their
    /// no-history answer.
    func scores(_ scorer: any RecommenderModel) -> [Float] {
      if let user { return scorer.scores(forUser: user) }
      return empty
        ? scorer.scoresForUnknownUser().values : scorer.scores(forRatings: ratings).values
    }
    var parts = Self.parts(
      mix: chain.mix(forRatingCount: count), collaborative: { scores(collaborative) },
      content: content.map { c in { scores(c) } }, popularity: { scores(popularity) },
      shared: sharedPopularity)
    if count == 0, !request.statedGenres.isEmpty, let genreSets {
      parts.genreBonus = Self.statedGenreBonus(request.statedGenres, genres: genreSets)
    }
    return parts
  }

  /// The parts of `mix`: the collaborative and content scores when weighted (content when the
  /// hybrid has a content scorer), popularity when weighted or when no other scorer is — as its
  /// standardised `shared` scores when it is the same for every user.
  static func parts(
    mix: HybridMix, collaborative: () -> [Float], content: (() -> [Float])?,
    popularity: () -> [Float], shared: [Float]?
  ) -> Parts {
    var parts = Parts(mix: mix)
    if mix.collaborative > 0 { parts.collaborative = collaborative() }
    if mix.content > 0, let content { parts.content = content() }
    if mix.popularity > 0 || (parts.collaborative == nil && parts.content == nil) {
      if let shared { parts.shared = shared } else { parts.popularity = popularity() }
    }
    return parts
  }

  /// 1 for films with a stated genre, 0 for the rest: weighted by ``Parts/total(itemCount:)`` so
  /// that a newcomer who states genres sees those genres' films first, in the no-history order
  /// (popularity by default).
  static func statedGenreBonus(_ stated: [Genre], genres: ItemGenreSets) -> [Float]? {
    let wanted = Set(stated.map { $0.name.lowercased() })
    let columns = genres.genres.enumerated().filter {
      wanted.contains($0.element.name.lowercased())
    }
    guard !columns.isEmpty else { return nil }
    let names = Set(columns.map { $0.element.name })
    return (0..<genres.itemCount).map { i in
      genres.genres(ofItem: i).contains { names.contains($0.name) } ? 1 : 0
    }
  }

  /// The top films for the user with external id `user`: a known user by their training films'
  /// count (their tier) and the scorers' own scores; an unknown one by the no-history tier (with
  /// ``HybridRequest/statedGenres`` steering it). Never traps; always `request.count` films when
  /// that many candidates pass the exclusions and filter.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an invalid request (a diversity λ outside
  ///   0…1, or diversity asked of a model without a catalog).
  public func recommend(user: EntityID, _ request: HybridRequest) throws -> HybridRecommendations {
    try request.diversity.validate()
    if let u = users.index(of: user) {
      return try serve(
        parts: parts(known: u, ratings: UserRatings([], itemCount: items.count), request: request),
        known: true, segment: segments?.label(ofUser: u), rated: trainingRatings(of: u),
        ignored: [], request: request)
    }
    return try recommend(forRatings: [], request)
  }

  /// A known user's training films with their ratings when the model keeps them (the content
  /// scorer does), else with unknown values: what explanations name ("because you rated …").
  func trainingRatings(of u: Int) -> [(item: Int, value: Float?)] {
    if let content = content as? ContentModel, u < content.ratings.rows {
      let (columns, values) = content.ratings.row(u)
      return zip(columns, values).map { (Int($0), Optional($1)) }
    }
    return history.items(ofUser: u).map { (Int($0), nil) }
  }

  /// The top films for a user described by their ratings (external ids), folded into every
  /// scorer; ids the model does not know are ignored and listed.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an invalid request.
  public func recommend(
    forRatings ratings: [(item: EntityID, value: Float)], _ request: HybridRequest
  ) throws -> HybridRecommendations {
    try request.diversity.validate()
    let (known, ignored) = userRatings(ratings)
    return try serve(
      parts: parts(known: nil, ratings: known, request: request), known: false,
      segment: genreSets.flatMap { segments?.label(forRatings: known, genres: $0) },
      rated: zip(known.items, known.values).map { ($0, Optional($1)) }, ignored: ignored,
      request: request)
  }

  /// Mixes, selects (with exclusions, filter and diversity) and dresses the list.
  func serve(
    parts: Parts, known: Bool, segment: String?, rated: [(item: Int, value: Float?)],
    ignored: [EntityID], request: HybridRequest
  ) throws -> HybridRecommendations {
    var parts = parts
    var total = parts.total(itemCount: items.count)
    let count = max(0, request.count)
    var list = finish(
      &total, source: .model, rated: rated.map(\.item),
      count: request.diversity.candidatePoolSize(for: count), exclusion: request.exclusion,
      filter: request.filter)
    if request.diversity != .off {
      guard let genreSets else {
        throw RecommendError(
          .invalidArgument,
          "diversity re-ranking needs the films' genres: fit the hybrid with a catalog")
      }
      list = try request.diversity.rerank(list, count: count, genres: genreSets)
    } else {
      list.items = Array(list.items.prefix(count))
    }
    let predictor = collaborative as? any RatingPredictor
    let terms = parts.terms
    let standardizers = parts.standardizers
    let liked = request.explain ? likedGenres(rated) : []
    let out = list.items.compactMap { entry -> HybridRecommendation? in
      // Every entry is one of the model's items; a missing one is skipped, never a trap.
      guard let i = items.index(of: entry.item) else { return nil }
      var item = HybridRecommendation(
        item: entry.item, title: catalog?.movie(withID: entry.item)?.title, score: entry.score)
      if let predictor, let c = parts.collaborative {
        item.predictedRating = predictor.scale.clamp(c[i])
      }
      if request.explain {
        item.explanation = explanation(
          of: i, terms: terms, standardizers: standardizers, rated: rated, liked: liked)
        item.explanation?.segment = segment
      }
      return item
    }
    return HybridRecommendations(
      items: out, source: known || !rated.isEmpty ? .model : unknownUserScores.source,
      mix: parts.mix, knownRatings: rated.count,
      ignoredItems: ignored + list.ignoredItems)
  }

  /// The genres of the films the user rated at or above their mean rating (every rated film
  /// when the values are unknown).
  func likedGenres(_ rated: [(item: Int, value: Float?)]) -> Set<String> {
    guard let genreSets else { return [] }
    let values = rated.compactMap(\.value)
    let mean = values.isEmpty ? 0 : values.reduce(0, +) / Float(values.count)
    var liked = Set<String>()
    for r in rated where (r.value ?? mean) >= mean {
      for g in genreSets.genres(ofItem: r.item) { liked.insert(g.name) }
    }
    return liked
  }

  /// The explanation of item index `i`.
  func explanation(
    of i: Int, terms: [(name: String, weight: Float, values: [Float], standardised: Bool)],
    standardizers: [Standardizer?], rated: [(item: Int, value: Float?)], liked: Set<String>
  ) -> RecommendationExplanation {
    var shares = zip(terms, standardizers).map { term, z -> RecommendationExplanation.Share in
      let value = term.standardised ? term.values[i] : (z?.z(term.values[i]) ?? 0)
      return RecommendationExplanation.Share(
        scorer: term.name, contribution: term.weight * value, share: 0)
    }
    let absolute = shares.reduce(Float(0)) { $0 + abs($1.contribution) }
    for k in shares.indices {
      shares[k].share = absolute > 0 ? shares[k].contribution / absolute : 0
    }
    // The rated films most similar to this one, weighted by how much the user liked them.
    let sources = rated.map(\.item)
    let similarity =
      sources.isEmpty
      ? nil
      : (collaborative.similarities(from: sources, to: i)
        ?? content?.similarities(from: sources, to: i))
    var because: [RecommendationExplanation.Because] = []
    if let similarity {
      let values = rated.compactMap(\.value)
      let mean = values.isEmpty ? 0 : values.reduce(0, +) / Float(values.count)
      let ranked = zip(rated, similarity).filter { pair in
        pair.1.isFinite && pair.1 > 0 && (pair.0.value.map { $0 >= mean } ?? true)
      }.sorted { a, b in
        let wa = a.1 * (a.0.value ?? 1)
        let wb = b.1 * (b.0.value ?? 1)
        return wa != wb ? wa > wb : a.0.item < b.0.item
      }
      because = ranked.prefix(3).map { pair in
        let id = items.id(at: pair.0.item)
        return RecommendationExplanation.Because(
          item: id, title: catalog?.movie(withID: id)?.title, rating: pair.0.value,
          similarity: pair.1)
      }
    }
    let shared =
      genreSets.map { $0.genres(ofItem: i).map(\.name).filter { liked.contains($0) } } ?? []
    // The stratum the film stands out in, when the popularity scorer is the strata.
    let stratum = (popularity as? StrataModel).map { model -> String in
      let m = model.strata.stratum(of: i)
      return "\(m.stratum) (#\(m.rank) of \(m.outOf))"
    }
    return RecommendationExplanation(
      shares: shares, because: because, sharedGenres: shared, stratum: stratum)
  }
}
