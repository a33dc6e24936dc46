import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("Hybrid serving: requests, explanations, titles")
struct HybridServingTests {
  static let genreNames = ["Comedy", "Drama", "Horror", "Action", "Romance"]

  /// Film i has genre i mod 5 and, for even i, also genre (i + 1) mod 5.
  static func catalog(items: Int) throws -> Catalog {
    try Catalog(
      movies: (0..<items).map { i in
        var genres = [Genre(id: nil, name: genreNames[i % 5])]
        if i % 2 == 0 { genres.append(Genre(id: nil, name: genreNames[(i + 1) % 5])) }
        return Movie(id: .int(i), title: "Film \(i)", genres: genres, year: 1990 + i % 20)
      })
  }

  static func fitted(collaborative: any RecommenderAlgorithm = EASE()) throws -> (
    HybridModel, RatingsDataset
  ) {
    let (train, _) = try FactorTestData.noisyLowRank(users: 90, items: 60)
    let model = try Hybrid(collaborative: collaborative, catalog: try catalog(items: 60)).fit(train)
    return (model, train)
  }

  @Test func explanationSharesAddUpToTheScore() throws {
    let (model, train) = try Self.fitted()
    let request = HybridRequest(count: 8, explain: true)
    for user in [train.users.id(at: 4), "newcomer"] {
      let list = try model.recommend(user: user, request)
      #expect(list.items.count == 8)
      for item in list.items {
        let e = try #require(item.explanation)
        let sum = e.shares.reduce(Float(0)) { $0 + $1.contribution }
        #expect(abs(sum - item.score) < 1e-3, "\(e.shares) vs \(item.score)")
        #expect(abs(e.shares.reduce(Float(0)) { $0 + abs($1.share) } - 1) < 1e-4)
        #expect(item.title == "Film \(item.item)")
        #expect(e.stratum?.isEmpty == false)
      }
    }
  }

  @Test func theFilmsThatPulledARecommendationUpAreTheMostSimilarLikedOnes() throws {
    let (model, _) = try Self.fitted()
    let ratings: [(item: EntityID, value: Float)] = [(3, 5), (10, 4), (17, 1), (22, 5), (41, 3)]
    let list = try model.recommend(forRatings: ratings, HybridRequest(count: 5, explain: true))
    let ease = try #require(model.collaborative as? EASEModel)
    let mean: Float = (5 + 4 + 1 + 5 + 3) / 5
    for item in list.items {
      let i = model.items.index(of: item.item)!
      // Independently: B[j, i] × rating over the films rated at or above the mean, positive only.
      let expected = ratings.filter { $0.value >= mean }.compactMap { r -> (EntityID, Float)? in
        let j = model.items.index(of: r.item)!
        let b = ease.weights.elements[j * model.items.count + i]
        return b > 0 ? (r.item, b * r.value) : nil
      }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(3).map(\.0)
      #expect(item.explanation?.because.map(\.item) == Array(expected))
      #expect(item.explanation?.because.allSatisfy { $0.title != nil && $0.rating != nil } == true)
    }
  }

  @Test func knownUsersAreExplainedWithTheirRatings() throws {
    // The full hybrid of a catalog: its content scorer keeps the training ratings' values.
    let (_, train) = try Self.fitted()
    let model = try Hybrid(catalog: try Self.catalog(items: 60)).fit(train)
    let u = 11
    let list = try model.recommend(
      user: train.users.id(at: u), HybridRequest(count: 5, explain: true))
    let (items, values) = train.ratings(ofUser: u)
    var rating: [EntityID: Float] = [:]
    for (i, v) in zip(items, values) { rating[train.items.id(at: Int(i))] = v }
    let mean = values.reduce(0, +) / Float(values.count)
    #expect(list.items.contains { !($0.explanation?.because.isEmpty ?? true) })
    for item in list.items {
      for reason in item.explanation?.because ?? [] {
        // The stars the user gave, and only films at or above their mean.
        #expect(reason.rating == rating[reason.item])
        #expect((reason.rating ?? 0) >= mean)
      }
    }
  }

  @Test func everyHybridRequestGetsItsCount() throws {
    let (model, _) = try Self.fitted()
    let request = HybridRequest(count: 7, diversity: .original, explain: true)
    for list in [
      try model.recommend(user: "nobody", request),
      try model.recommend(forRatings: [(item: 99_999, value: 4)], request),
      try model.recommend(forRatings: [(item: 3, value: 5)], request),
    ] {
      #expect(list.items.count == 7)
    }
  }

  @Test func aNewcomerWhoStatesGenresGetsThoseGenresFirst() throws {
    let (model, _) = try Self.fitted()
    var request = HybridRequest(count: 10)
    request.statedGenres = [Genre(id: nil, name: "horror")]
    let list = try model.recommend(user: "newcomer", request)
    #expect(list.items.count == 10)
    #expect(list.knownRatings == 0)
    // Films 2, 7, 12, … have Horror as their own genre; odd films 1, 11, … and even ones 2… add it.
    for item in list.items {
      let genres = try #require(model.catalog?.movie(withID: item.item)?.genres.map(\.name))
      #expect(genres.contains("Horror"), "\(item.item): \(genres)")
    }
    // Among them, the no-history popularity scores order the list.
    let popular = model.popularity.scoresForUnknownUser().values
    let order = list.items.map { popular[model.items.index(of: $0.item)!] }
    #expect(order == order.sorted(by: >))
  }

  @Test func diversityReRankingKeepsTheCountAndRaisesDiversity() throws {
    let (model, train) = try Self.fitted()
    let genres = ItemGenreSets(catalog: try Self.catalog(items: 60), items: model.items)
    var plain = 0.0
    var diverse = 0.0
    for u in 0..<30 {
      let user = train.users.id(at: u)
      let a = try model.recommend(user: user, HybridRequest(count: 10))
      let b = try model.recommend(
        user: user, HybridRequest(count: 10, diversity: .mmr(lambda: 0.3)))
      #expect(b.items.count == 10)
      #expect(
        Set(b.items.map(\.item)).isSubset(
          of: Set(try model.recommend(user: user, HybridRequest(count: 20)).items.map(\.item))))
      plain += intraListDiversity(ofIDs: a.items.map(\.item), genres: genres)
      diverse += intraListDiversity(ofIDs: b.items.map(\.item), genres: genres)
    }
    #expect(diverse > plain)
    #expect(throws: RecommendError.self) {
      try model.recommend(user: 1, HybridRequest(diversity: .mmr(lambda: 2)))
    }
    let bare = try Hybrid().fit(train)
    #expect(throws: RecommendError.self) {
      try bare.recommend(user: 1, HybridRequest(diversity: .original))
    }
  }

  @Test func genreYearAndIDFiltersKeepOnlyWhatTheyAllow() throws {
    let (model, train) = try Self.fitted()
    let catalog = try Self.catalog(items: 60)
    let user = train.users.id(at: 6)
    let comedy = try model.recommend(
      user: user,
      HybridRequest(count: 5, where: .genres([Genre(id: nil, name: "comedy")], in: catalog)))
    #expect(comedy.items.count == 5)
    for item in comedy.items {
      #expect(catalog.movie(withID: item.item)!.genres.contains { $0.name == "Comedy" })
    }
    let nineties = try model.recommend(
      user: user, HybridRequest(count: 5, where: .released(in: 1990...1994, in: catalog)))
    #expect(
      nineties.items.allSatisfy { (1990...1994).contains(catalog.movie(withID: $0.item)!.year!) })
    let top = try model.recommend(user: user, HybridRequest(count: 3)).items.map(\.item)
    let without = try model.recommend(user: user, HybridRequest(count: 3, where: .excluding(top)))
    #expect(Set(without.items.map(\.item)).isDisjoint(with: top))
  }

  @Test func predictedRatingsComeWithARatingPredictor() throws {
    let (ranking, train) = try Self.fitted()
    let user = train.users.id(at: 2)
    #expect(
      try ranking.recommend(user: user, HybridRequest()).items.allSatisfy {
        $0.predictedRating == nil
      })
    let (rating, _) = try Self.fitted(collaborative: BiasedALS(factors: 3, iterations: 5))
    let mf = try #require(rating.collaborative as? BiasedMFModel)
    for item in try rating.recommend(user: user, HybridRequest()).items {
      let p = mf.predict(user: mf.users.index(of: user), item: mf.items.index(of: item.item))
      #expect(item.predictedRating == p.value)
    }
  }

  @Test func theModelFileKeepsTheFilms() throws {
    let (model, train) = try Self.fitted()
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "hybrid-films-\(UUID().uuidString).aflix")
    defer { try? FileManager.default.removeItem(at: url) }
    try model.save(to: url)
    let back = try HybridModel.load(from: url)
    #expect(back.catalog?.movies == model.catalog?.movies)
    let request = HybridRequest(count: 6, diversity: .original, explain: true)
    let user = train.users.id(at: 9)
    #expect(try back.recommend(user: user, request) == model.recommend(user: user, request))
  }
}
