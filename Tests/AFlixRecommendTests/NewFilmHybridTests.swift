import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixRecommend

/// New films on the hybrid: placement (content row, folded factors, cluster), scoring on the
/// user's list's scale, the merged list, and bad input.
@Suite("New films: hybrid placement and scoring")
struct NewFilmHybridTests {
  /// The held-out film: its ratings are removed from training.
  static let heldOut = 89
  static let full = try! FactorTestData.noisyLowRank(users: 150, items: 90, seed: 11).train
  static let train = try! RatingsDataset(
    ratings: full.allRatings().filter { $0.item != .int(heldOut) }, scale: full.scale)

  /// Film `i`: two genres and a year, so that content rows differ.
  static func movie(_ i: Int, id: Int? = nil) -> Movie {
    let g = Genre.tmdb
    return Movie(
      id: .int(id ?? i), title: "Film \(i)", genres: [g[i % 6], g[6 + (i / 6) % 4]],
      year: 1970 + (i * 7) % 40)
  }
  static let catalog = try! Catalog(movies: (0..<90).map { movie($0) })

  /// The held-out film's ratings in `full`, by external user id.
  static var heldOutRatings: [(user: EntityID, value: Float)] {
    let i = full.items.index(of: .int(heldOut))!
    let (users, values) = full.ratings(ofItem: i)
    return zip(users, values).map { (full.users.id(at: Int($0)), $1) }
  }

  static func hybrid(
    _ collaborative: any RecommenderAlgorithm, weights: HybridWeights = .measured
  ) throws -> HybridModel {
    try Hybrid(catalog: catalog, collaborative: collaborative, weights: weights).fit(train)
  }

  static let als = ImplicitALS(factors: 6, iterations: 8, regularization: 2, alpha: 4, seed: 1)

  @Test func aTrainingFilmReAddedScoresAsItDoesInTheList() throws {
    // Without popularity (a new film has none), a copy of a training film placed from its
    // training ratings lands where the film itself stands in the user's list.
    let weights = try HybridWeights(
      fixed: HybridMix(collaborative: 0.6, content: 0.3, popularity: 0))
    let model = try Self.hybrid(Self.als, weights: weights)
    for j in [4, 51] {
      let i = try #require(model.items.index(of: .int(j)))
      let (users, values) = Self.train.ratings(ofItem: Self.train.items.index(of: .int(j))!)
      let ratings = zip(users, values).map { (user: Self.train.users.id(at: Int($0)), value: $1) }
      let film = try model.placeNewFilm(
        Self.movie(j, id: 1000 + j), ratings: ratings, cache: model.newFilmCache())
      #expect(film.folded != nil && film.knownRatingCount == ratings.count)
      for user in [EntityID.int(0), .int(77)] {
        let u = try #require(model.users.index(of: user))
        let score = model.score(film, forUser: user, contentPrior: 0)
        #expect(score.basis == .collaborative)
        #expect(abs(score.total - model.scores(forUser: u)[i]) < 2e-3)
      }
    }
  }

  @Test func clusterOfAFoldedFilmIsTheNearestCentroidOfItsFactors() throws {
    let model = try Self.hybrid(Self.als)
    let factors = try #require(model.collaborative as? ImplicitALSModel).itemFactors
    let clusters = try FilmClusters(
      itemFactors: factors, items: model.items, catalog: Self.catalog,
      ratingCounts: FilmClusters.ratingCounts(of: model.history, itemCount: model.items.count),
      options: .init(clusterCount: 4, seed: 3))
    // The hybrid builds the same clusters from its collaborative factors; EASE has none.
    let built = try #require(try model.filmClusters(options: .init(clusterCount: 4, seed: 3)))
    #expect(built.centroids == clusters.centroids && built.clusterOfItem == clusters.clusterOfItem)
    #expect(try Self.hybrid(EASE()).filmClusters(options: .init(clusterCount: 4)) == nil)
    let film = try model.placeNewFilm(
      Self.movie(Self.heldOut), ratings: Self.heldOutRatings, clusters: clusters)
    let folded = try #require(film.folded)
    #expect(film.cluster == (try clusters.assign(factors: folded.factors)))
    // No rating, no factors, no cluster.
    let unrated = try model.placeNewFilm(Self.movie(Self.heldOut), ratings: [], clusters: clusters)
    #expect(unrated.folded == nil && unrated.cluster == nil)
    // Clusters of another dimension are refused.
    let other = try FilmClusters(
      itemFactors: Matrix(
        rows: factors.rows, columns: 2, elements: Array(factors.elements.prefix(factors.rows * 2))),
      items: model.items, catalog: nil,
      ratingCounts: [Int](repeating: 1, count: model.items.count),
      options: .init(clusterCount: 2, seed: 1))
    #expect(throws: RecommendError.self) {
      try model.placeNewFilm(
        Self.movie(Self.heldOut), ratings: Self.heldOutRatings, clusters: other)
    }
  }

  @Test func withoutRatingsTheFilmIsScoredByTheCosineOfTheUsersProfile() throws {
    let model = try Self.hybrid(Self.als)
    let content = try #require(model.content as? ContentModel)
    let movie = Self.movie(Self.heldOut)
    let film = try model.placeNewFilm(movie, ratings: [])
    #expect(film.folded == nil && !film.contentTraits.isEmpty)
    // The film's row by hand: its genre and decade traits, IDF-weighted, unit length.
    let f = content.features
    let names = movie.genres.map { "genre:\($0.name)" } + ["decade:\(movie.year! / 10 * 10)s"]
    let columns = names.compactMap { f.traitIndex(named: $0) }
    let norm = columns.reduce(0.0) { $0 + Double(f.traitWeights[$1] * f.traitWeights[$1]) }
      .squareRoot()
    for user in [EntityID.int(3), .int(120)] {
      let u = try #require(model.users.index(of: user))
      let profile = content.profile(forUser: u)
      var dense = [Float](repeating: 0, count: f.traitCount)
      for (t, w) in zip(profile.traits, profile.weights) { dense[Int(t)] = w }
      let cosine = columns.reduce(0.0) { $0 + Double(dense[$1] * f.traitWeights[$1]) } / norm
      let score = model.score(film, forUser: user)
      #expect(score.basis == .content && score.collaborative == nil)
      #expect(abs(Double(try #require(score.content)) - cosine) < 1e-5)
      // On the list's scale: (w_c + w_t) · z of the cosine among the user's content scores.
      let list = content.scores(forUser: u).map { Double($0) }
      let mean = list.reduce(0, +) / Double(list.count)
      let sd = (list.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(list.count))
        .squareRoot()
      let mix = model.weights.mix(forRatingCount: model.history.items(ofUser: u).count)
      let expected = Double(mix.collaborative + mix.content) * (cosine - mean) / sd
      #expect(abs(Double(score.total) - expected) < 1e-3)
    }
  }

  @Test func unknownUserIDsInTheRatingsAreIgnoredAndListed() throws {
    let model = try Self.hybrid(Self.als)
    let ratings = Self.heldOutRatings
    let noisy = [(user: EntityID.int(9_999), value: Float(4))] + ratings + [(.string("x"), 5)]
    let a = try model.placeNewFilm(Self.movie(Self.heldOut), ratings: ratings)
    let b = try model.placeNewFilm(Self.movie(Self.heldOut), ratings: noisy)
    #expect(b.ignoredUsers == [.int(9_999), .string("x")])
    #expect(a.folded == b.folded && b.knownRatingCount == ratings.count)
    // Only unknown users: no factors, scored by content.
    let c = try model.placeNewFilm(Self.movie(Self.heldOut), ratings: [(.int(-3), 4)])
    #expect(c.folded == nil && model.score(c, forUser: .int(0)).basis == .content)
  }

  @Test func nonFiniteAndOutOfScaleValuesAndKnownFilmsAreRefused() throws {
    let model = try Self.hybrid(BiasedALS(factors: 4, iterations: 5, seed: 2))
    let movie = Self.movie(Self.heldOut)
    for bad: Float in [.nan, .infinity, 7, 0] {
      #expect(throws: RecommendError.self) {
        try model.placeNewFilm(movie, ratings: [(.int(1), 4), (.int(2), bad)])
      }
    }
    #expect(throws: RecommendError.self) {
      try model.placeNewFilm(Self.movie(3), ratings: [(.int(1), 4)])
    }
    let film = try model.placeNewFilm(movie, ratings: [(.int(1), 4), (.int(2), 5)])
    let folded = try #require(film.folded)
    // mf-als's score is its prediction μ + bᵤ + bᵢ + qᵢᵀpᵤ.
    let mf = try #require(model.collaborative as? BiasedMFModel)
    let u = try #require(mf.users.index(of: .int(1)))
    var expected = Double(mf.globalMean + mf.userBias[u] + folded.bias)
    for f in 0..<mf.factorCount {
      expected += Double(mf.userFactors[u, f]) * Double(folded.factors[f])
    }
    #expect(
      abs(Double(try #require(model.score(film, forUser: .int(1)).collaborative)) - expected) < 1e-4
    )
  }

  @Test func emptyInputUnknownUsersAndMergedListsNeverTrap() throws {
    let model = try Self.hybrid(Self.als)
    let rated = try model.placeNewFilm(Self.movie(Self.heldOut), ratings: Self.heldOutRatings)
    let unrated = try model.placeNewFilm(Self.movie(Self.heldOut, id: 2_000), ratings: [])
    // A placement built by hand with factors of another length is scored by content.
    let foreign = NewFilm(
      movie: Self.movie(7, id: 3_000), contentTraits: [5, 1], contentValues: [1],
      folded: FoldedItem(factors: [1, 2], bias: 0, ratingCount: 1), cluster: nil,
      knownRatingCount: 1, ignoredUsers: [])
    for user in [EntityID.int(0), .int(-1), .string("nobody")] {
      for film in [rated, unrated, foreign] {
        #expect(model.score(film, forUser: user).total.isFinite)
      }
      let list = model.recommend(user: user, count: 10, including: [rated, unrated, foreign])
      #expect(list.items.count == 10)
      #expect(model.recommend(user: user, count: 0, including: [rated]).items.isEmpty)
      #expect(model.recommend(user: user, count: -4, including: []).items.isEmpty)
    }
    // The merged list holds every film once: the user's unrated films with their hybrid scores,
    // the new films with theirs.
    let u = try #require(model.users.index(of: .int(5)))
    let everything = model.recommend(user: .int(5), count: 10_000, including: [rated, unrated])
    let unseen = model.items.count - model.history.items(ofUser: u).count
    #expect(everything.items.count == unseen + 2)
    let scores = model.scores(forUser: u)
    for r in everything.items {
      if let i = model.items.index(of: r.item) {
        #expect(r.score == scores[i])
      } else {
        let film = r.item == rated.movie.id ? rated : unrated
        #expect(r.score == model.score(film, forUser: .int(5)).total)
      }
    }
    #expect(zip(everything.items, everything.items.dropFirst()).allSatisfy { $0.score >= $1.score })
  }

  @Test func aFewRatingsAreShrunkTowardsTheContentScore() throws {
    let model = try Self.hybrid(Self.als)
    let film = try model.placeNewFilm(
      Self.movie(Self.heldOut), ratings: Array(Self.heldOutRatings.prefix(3)))
    let content = try #require(model.content)
    func z(_ x: Float, _ list: [Float]) -> Double {
      let v = list.map { Double($0) }
      let mean = v.reduce(0, +) / Double(v.count)
      let sd = (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)).squareRoot()
      return (Double(x) - mean) / sd
    }
    for user in [EntityID.int(8), .int(99)] {
      let u = try #require(model.users.index(of: user))
      let mix = model.weights.mix(forRatingCount: model.history.items(ofUser: u).count)
      let plain = model.score(film, forUser: user, contentPrior: 0)
      let zc = z(try #require(plain.collaborative), model.collaborative.scores(forUser: u))
      let zt = z(try #require(plain.content), content.scores(forUser: u))
      #expect(
        abs(Double(plain.total) - Double(mix.collaborative) * zc - Double(mix.content) * zt) < 1e-3)
      for prior in [4.0, NewFilm.measuredContentPrior] {
        let a = 3 / (3 + prior)
        let expected =
          Double(mix.collaborative) * (a * zc + (1 - a) * zt) + Double(mix.content) * zt
        let shrunk = model.score(film, forUser: user, contentPrior: prior)
        #expect(abs(Double(shrunk.total) - expected) < 1e-3)
        #expect(shrunk.collaborative == plain.collaborative && shrunk.content == plain.content)
      }
      // A bad prior counts as none.
      #expect(model.score(film, forUser: user, contentPrior: -.infinity) == plain)
      #expect(model.score(film, forUser: user, contentPrior: .nan) == plain)
    }
  }
}
