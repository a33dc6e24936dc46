import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixRecommend

/// The content-based model: profiles, cosine scores against a brute-force reference, fold-in,
/// unknown users and items, similar items.
@Suite("Content model")
struct ContentModelTests {
  /// Mean-centring by hand on the 4-film catalog: ratings 5, 3, 1 on A, B, C weigh +2, 0, −2,
  /// so the profile is the unit vector along xA − xC; equal ratings weigh 1 each.
  @Test func profilesAreMeanCentred() throws {
    let data = try RatingsDataset(
      ratings: [
        Rating(user: 1, item: 1, value: 5), Rating(user: 1, item: 2, value: 3),
        Rating(user: 1, item: 3, value: 1), Rating(user: 2, item: 1, value: 4),
        Rating(user: 2, item: 4, value: 4), Rating(user: 3, item: 5, value: 2),
      ], scale: .oneToFive)
    let model = try ContentBased(catalog: ContentFixtures.fourFilms).fit(data)
    let rows = ContentFixtures.dense(model.features)
    let a = try #require(data.items.index(of: 1))
    let c = try #require(data.items.index(of: 3))
    let d = try #require(data.items.index(of: 4))
    func unit(_ v: [Double]) -> [Double] {
      let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return v.map { $0 / n }
    }
    func dense(_ p: ContentProfile) -> [Double] {
      var out = [Double](repeating: 0, count: model.features.traitCount)
      for (t, w) in zip(p.traits, p.weights) { out[Int(t)] = Double(w) }
      return out
    }
    let expected1 = unit(zip(rows[a], rows[c]).map { 2 * $0 - 2 * $1 })
    let got1 = dense(model.profile(forUser: 0))
    #expect(zip(expected1, got1).allSatisfy { abs($0 - $1) < 1e-6 })
    // User 2 rated A and D 4 each: weights 1 and 1.
    let expected2 = unit(zip(rows[a], rows[d]).map { $0 + $1 })
    let got2 = dense(model.profile(forUser: 1))
    #expect(zip(expected2, got2).allSatisfy { abs($0 - $1) < 1e-6 })
    // User 3 rated only film 5, which has no features: an empty profile, and the unknown
    // user's scores, as a fold-in of the same rating gives.
    #expect(model.profile(forUser: 2).isEmpty)
    #expect(model.scores(forUser: 2) == model.scoresForUnknownUser().values)
    let five = try #require(data.items.index(of: 5))
    let folded = model.scores(forRatings: UserRatings([(five, 2)], itemCount: data.itemCount))
    #expect(folded.values == model.scores(forUser: 2))
    #expect(folded.source == .averageUser)
  }

  /// Every user's scores are the cosine of the brute-force profile with each dense row, for each
  /// profile weighting; items outside the catalog score 0.
  @Test(arguments: ProfileWeighting.allCases)
  func scoresMatchBruteForceCosines(weighting: ProfileWeighting) throws {
    let (model, data, _) = try ContentFixtures.randomModel(profile: weighting)
    let rows = ContentFixtures.dense(model.features)
    for u in 0..<data.userCount {
      let (items, values) = data.ratings(ofUser: u)
      let profile = ContentFixtures.bruteProfile(
        rows, items: items.map { Int($0) }, values: Array(values), weighting: weighting)
      let scores = model.scores(forUser: u)
      #expect(scores.count == data.itemCount)
      for i in 0..<data.itemCount {
        let expected = ContentFixtures.cosine(profile, rows[i])
        #expect(abs(Double(scores[i]) - expected) < 1e-5, "user \(u) item \(i)")
      }
      for id in 30..<34 {
        if let cold = data.items.index(of: .int(id)) { #expect(scores[cold] == 0) }
      }
    }
  }

  /// Folding a known user's training ratings in gives exactly their scores.
  @Test func foldInEqualsKnownUserScores() throws {
    let (model, data, _) = try ContentFixtures.randomModel()
    for u in 0..<data.userCount {
      let (items, values) = data.ratings(ofUser: u)
      let ratings = UserRatings(
        zip(items, values).map { (item: Int($0), value: $1) }, itemCount: data.itemCount)
      let folded = model.scores(forRatings: ratings)
      #expect(folded.source == .model)
      #expect(folded.values == model.scores(forUser: u))
    }
  }

  /// Unknown ids and non-finite values are ignored and reported, the rest scored as without them.
  @Test func unknownItemsAndNonFiniteRatingsAreIgnored() throws {
    let (model, data, _) = try ContentFixtures.randomModel()
    let (items, values) = data.ratings(ofUser: 3)
    let known = zip(items, values).map { (item: data.items.id(at: Int($0)), value: $1) }
    let noisy = known + [(item: "no such film", value: 5), (item: known[0].item, value: .nan)]
    let (ratings, ignored) = model.userRatings(noisy)
    #expect(ignored == ["no such film", known[0].item])
    #expect(model.scores(forRatings: ratings).values == model.scores(forUser: 3))
    let list = model.recommend(forRatings: noisy, count: 5)
    #expect(list.ignoredItems.contains("no such film"))
    #expect(list.items.count == 5)
    #expect(list.source == .model)
  }

  /// No ratings, or ratings only of films without features: the average user, whose scores are
  /// the cosine with the normalised mean of the users' unit profiles.
  @Test func emptyRatingsGiveTheAverageUser() throws {
    let (model, data, _) = try ContentFixtures.randomModel()
    let rows = ContentFixtures.dense(model.features)
    var mean = [Double](repeating: 0, count: model.features.traitCount)
    for u in 0..<data.userCount {
      let (items, values) = data.ratings(ofUser: u)
      let p = ContentFixtures.bruteProfile(
        rows, items: items.map { Int($0) }, values: Array(values), weighting: .meanCentred)
      let n = p.reduce(0) { $0 + $1 * $1 }.squareRoot()
      if n > 0 { for t in 0..<mean.count { mean[t] += p[t] / n } }
    }
    let empty = model.scores(forRatings: UserRatings([], itemCount: data.itemCount))
    #expect(empty.source == .averageUser)
    for i in 0..<data.itemCount {
      #expect(abs(Double(empty.values[i]) - ContentFixtures.cosine(mean, rows[i])) < 1e-5)
    }
    #expect(model.scoresForUnknownUser() == empty)
    #expect(model.scores(forUserID: "stranger") == empty)
    let cold = try #require(data.items.index(of: 31))
    let onlyCold = model.scores(forRatings: UserRatings([(cold, 5)], itemCount: data.itemCount))
    #expect(onlyCold == empty)
    #expect(model.recommend(user: "stranger", count: 10).items.count == 10)
  }

  /// Item similarities are the cosines of the item rows; an item without features is similar to
  /// nothing; similar items come most similar first, never the item itself.
  @Test func similarItemsAreCosinesOfItemRows() throws {
    let (model, data, _) = try ContentFixtures.randomModel()
    let rows = ContentFixtures.dense(model.features)
    for i in 0..<data.itemCount {
      let s = try #require(model.similarities(toItem: i))
      for j in 0..<data.itemCount {
        #expect(abs(Double(s[j]) - ContentFixtures.cosine(rows[i], rows[j])) < 1e-5)
      }
    }
    let cold = try #require(data.items.index(of: 32))
    #expect(try #require(model.similarities(toItem: cold)).allSatisfy { $0 == 0 })
    let similar = model.similarItems(to: 0, count: 5)
    #expect(similar.source == .model)
    #expect(!similar.items.contains { $0.item == 0 })
    #expect(zip(similar.items, similar.items.dropFirst()).allSatisfy { $0.score >= $1.score })
    let film0 = try #require(data.items.index(of: 0))
    let s0 = try #require(model.similarities(toItem: film0))
    let best = s0.enumerated().filter { $0.offset != film0 }.map(\.element).max()
    #expect(similar.items.first?.score == best)
  }

  /// The history is the training items; recommendations leave them out.
  @Test func historyIsTheTrainingItems() throws {
    let (model, data, _) = try ContentFixtures.randomModel()
    for u in 0..<data.userCount {
      #expect(Array(model.history.items(ofUser: u)) == Array(data.ratings(ofUser: u).items))
      let top = model.recommend(user: data.users.id(at: u), count: 10)
      let rated = Set(data.ratings(ofUser: u).items.map { data.items.id(at: Int($0)) })
      #expect(top.items.allSatisfy { !rated.contains($0.item) })
    }
  }

  /// Explanations: rated films' contributions sum to the score, shared traits to no more than it.
  @Test func contributionsExplainTheScore() throws {
    let (model, data, _) = try ContentFixtures.randomModel()
    let (items, values) = data.ratings(ofUser: 5)
    let ratings = UserRatings(
      zip(items, values).map { (item: Int($0), value: $1) }, itemCount: data.itemCount)
    let scores = model.scores(forRatings: ratings).values
    for i in 0..<data.itemCount {
      let parts = model.ratedItemContributions(ofRatings: ratings, toItem: i)
      let sum = parts.reduce(Float(0)) { $0 + $1.contribution }
      #expect(abs(sum - scores[i]) < 1e-5, "item \(i)")
      let traits = model.sharedTraits(forRatings: ratings, item: i, limit: 100)
      #expect(traits.allSatisfy { $0.contribution > 0 })
    }
    let best = try #require(TopItems.select(scores, count: 1).first)
    #expect(!model.sharedTraits(user: data.users.id(at: 5), item: data.items.id(at: best)).isEmpty)
    #expect(model.sharedTraits(user: data.users.id(at: 5), item: "no such film").isEmpty)
    #expect(model.ratedItemContributions(ofRatings: ratings, toItem: -1).isEmpty)
  }

  @Test func fitRefusesUnusableInput() throws {
    let data = try ContentFixtures.randomRatings(users: 3, items: 5, seed: 1)
    let elsewhere = try Catalog(movies: [Movie(id: 1_000, title: "Elsewhere")])
    let error = #expect(throws: RecommendError.self) {
      try ContentBased(catalog: elsewhere).fit(data)
    }
    #expect(error?.kind == .invalidArgument)
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    let emptyError = #expect(throws: RecommendError.self) {
      try ContentBased(catalog: ContentFixtures.fourFilms).fit(empty)
    }
    #expect(emptyError?.kind == .emptyTrainingData)
    let badOptions = ContentBased(
      catalog: ContentFixtures.fourFilms, features: .init(keywords: -2))
    #expect(throws: RecommendError.self) { try badOptions.validateHyperparameters() }
  }

  /// The fit record names the algorithm and its options, not the catalog.
  @Test func fitRecordHoldsTheOptions() throws {
    let (model, _, _) = try ContentFixtures.randomModel(profile: .rating)
    let record = try #require(model.fitRecord)
    #expect(record.algorithm == "content")
    #expect(record.value("profileWeighting") == .text("rating"))
    #expect(record.value("features.weighting") == .text("bm25"))
    #expect(record.hyperparameters["catalog"] == nil)
  }

  /// Models are values: many concurrent requests on one model agree with a serial run.
  @Test func concurrentRequestsAgree() async throws {
    let (model, data, _) = try ContentFixtures.randomModel()
    let serial = (0..<data.userCount).map { model.scores(forUser: $0) }
    let concurrent = await withTaskGroup(of: (Int, [Float]).self) { group in
      for u in 0..<data.userCount { group.addTask { (u, model.scores(forUser: u)) } }
      var out = [[Float]](repeating: [], count: data.userCount)
      for await (u, s) in group { out[u] = s }
      return out
    }
    #expect(concurrent == serial)
  }
}
