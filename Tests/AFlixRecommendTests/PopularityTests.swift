import AFlixData
import AFlixRecommend
import Foundation
import Testing

@Suite("Popularity")
struct PopularityTests {
  /// Items by number of ratings: c 4, a 3, d 2, b 1. The values are chosen so that ranking by
  /// mean rating or by sum of ratings would give another order (b has the only 5, c only 1s).
  static func dataset() throws -> RatingsDataset {
    try RatingsDataset(
      ratings: [
        Rating(user: 1, item: "a", value: 3), Rating(user: 2, item: "a", value: 3),
        Rating(user: 3, item: "a", value: 3),
        Rating(user: 1, item: "b", value: 5),
        Rating(user: 1, item: "c", value: 1), Rating(user: 2, item: "c", value: 1),
        Rating(user: 3, item: "c", value: 1), Rating(user: 4, item: "c", value: 1),
        Rating(user: 2, item: "d", value: 4), Rating(user: 4, item: "d", value: 4),
      ], scale: .oneToFive)
  }

  static func temporaryFile() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-popularity-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("model.aflix")
  }

  @Test func scoresRankItemsByTrainingRatingCount() throws {
    let data = try Self.dataset()
    let model = try PopularityAlgorithm().fit(data)
    #expect(PopularityAlgorithm().name == "popularity")
    #expect(model == (try PopularityModel(fitting: data)))
    #expect(model.users == data.users && model.items == data.items)

    // Items are indexed in id order a, b, c, d.
    #expect(model.items.ids == ["a", "b", "c", "d"])
    #expect(model.counts == [3, 1, 4, 2])
    for u in 0..<model.users.count {
      #expect(model.scores(forUser: u) == [3, 1, 4, 2], "user \(u)")
      let ranked = TopItems.select(model.scores(forUser: u), count: 4)
      #expect(ranked.map { model.items.id(at: $0) } == ["c", "a", "d", "b"], "user \(u)")
    }
  }

  @Test func countsOfASplitTrainPartMatchAnIndependentCount() throws {
    let data = try EvaluationTests.dataset()
    let split = try data.split(.holdout(testFraction: 0.3), seed: 4)[0]
    let model = try PopularityAlgorithm().fit(split.train)
    var byItem: [EntityID: Int] = [:]
    for rating in split.train.allRatings() { byItem[rating.item, default: 0] += 1 }
    // The train part keeps the full item map: items with no train rating count 0.
    #expect(model.items == data.items)
    for i in 0..<model.items.count {
      #expect(model.counts[i] == byItem[model.items.id(at: i)] ?? 0, "item \(i)")
    }
    #expect(model.counts.reduce(0, +) == split.train.ratingCount)
    #expect(model.scores(forUser: 0) == model.scores(forUser: model.users.count - 1))
  }

  @Test func emptyDataIsATypedError() throws {
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    let error = try #require(throws: RecommendError.self) {
      _ = try PopularityAlgorithm().fit(empty)
    }
    #expect(error.kind == .emptyTrainingData)
    // Items known but no rating: still empty.
    let noRatings = try Self.dataset().subset(userMajorIndices: [])
    #expect(noRatings.itemCount == 4)
    let again = try #require(throws: RecommendError.self) {
      _ = try PopularityModel(fitting: noRatings)
    }
    #expect(again.kind == .emptyTrainingData)
  }

  @Test func modelFileRoundTrip() throws {
    let model = try PopularityAlgorithm().fit(try Self.dataset())
    let url = try Self.temporaryFile()
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    try model.save(to: url)

    let loaded = try PopularityModel.load(from: url)
    #expect(loaded == model)
    for u in 0..<model.users.count {
      #expect(loaded.scores(forUser: u) == model.scores(forUser: u))
    }

    let any = try ModelRegistry.load(from: url)
    let typed = try #require(any as? PopularityModel)
    #expect(typed == model)
    #expect(type(of: any).archiveKind == "popularity")

    // Another kind does not load from it.
    let wrong = try #require(throws: ModelFileError.self) {
      _ = try BaselineModel.load(from: url)
    }
    #expect(wrong.kind == .wrongKind)
  }

  // MARK: Blend seeds

  static func blend(seed: UInt64) -> Blend {
    Blend(members: [Baseline(), BiasedMF(factors: 4, epochs: 5)], seed: seed)
  }

  @Test func blendIsDeterministicForASeed() throws {
    let (train, test) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let a = try Self.blend(seed: 1).fit(train)
    let b = try Self.blend(seed: 1).fit(train)
    #expect(a.intercept == b.intercept)
    #expect(a.weights == b.weights)
    #expect(a.predictions(for: test) == b.predictions(for: test))
    #expect(a.predictions(for: train) == b.predictions(for: train))
    for u in [0, 17, 59] {
      #expect(a.scores(forUser: u) == b.scores(forUser: u))
    }

    // Another seed holds out another slice, so the weights are fitted on other ratings.
    let c = try Self.blend(seed: 2).fit(train)
    #expect(a.intercept != c.intercept || a.weights != c.weights)
    #expect(a.predictions(for: test) != c.predictions(for: test))
  }
}
