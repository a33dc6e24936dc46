import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

/// `recommend(forRatings:)` for every model of the registry: unknown ids reported, the fallback for
/// no known rating, the model untouched, and the implicit factors of SVD++ in model files.
@Suite("Fold-in: serving")
struct FoldInServingTests {
  static let data = try! FactorTestData.noisyLowRank(users: 80, items: 60, seed: 13).train

  /// Every registry algorithm, small enough for a test.
  static func models() throws -> [(String, any RecommenderModel)] {
    let small: [String: [String: HyperparameterValue]] = [
      "mf-sgd": ["factors": .integer(4), "epochs": .integer(5)],
      "mf-als": ["factors": .integer(4), "iterations": .integer(3)],
      "svdpp": ["factors": .integer(4), "epochs": .integer(5)],
      "bpmf": ["factors": .integer(3), "burnIn": .integer(3), "samples": .integer(4)],
      "ials": ["factors": .integer(4), "iterations": .integer(3)],
      "bpr": ["factors": .integer(4), "epochs": .integer(5)],
      "svd": ["rank": .integer(3)],
      "knn": ["neighbours": .integer(5)],
      "blend": ["members": .list([.text("baseline"), .text("mf-als")])],
    ]
    return try AlgorithmRegistry.names.map { name in
      let algorithm = try AlgorithmRegistry.algorithm(
        named: name, hyperparameters: small[name] ?? [:])
      return (name, try algorithm.fit(Self.data) as any RecommenderModel)
    }
  }

  @Test func everyModelServesAFoldedInUserAndReportsUnknownIDs() throws {
    for (name, model) in try Self.models() {
      let (items, values) = Self.data.ratings(ofUser: 5)
      var ratings = zip(items, values).map { (item: Self.data.items.id(at: Int($0)), value: $1) }
      ratings.append((item: "no such film", value: 4))
      let result = model.recommend(forRatings: ratings, count: 5)
      #expect(result.source == .model, "\(name)")
      #expect(result.ignoredItems == ["no such film"], "\(name)")
      #expect(result.items.count == 5, "\(name)")
      let rated = Set(items.map { Self.data.items.id(at: Int($0)) })
      #expect(result.items.allSatisfy { !rated.contains($0.item) && $0.score.isFinite }, "\(name)")
    }
  }

  @Test func noKnownRatingGivesTheFallback() throws {
    for (name, model) in try Self.models() {
      let empty = model.scores(forRatings: UserRatings([], itemCount: model.items.count))
      #expect(empty == model.scoresForUnknownUser(), "\(name)")
      let result = model.recommend(forRatings: [(item: "unknown", value: 3)], count: 3)
      #expect(result.source == model.scoresForUnknownUser().source, "\(name)")
      #expect(result.ignoredItems == ["unknown"], "\(name)")
    }
  }

  @Test func foldInLeavesTheModelUnchanged() throws {
    for (name, model) in try Self.models() {
      let before = try model.archive()
      let ratings = FoldInCheck.ratings(Self.data, user: 11, model: model)
      _ = model.scores(forRatings: ratings)
      _ = model.recommend(forRatings: [(item: Self.data.items.id(at: 0), value: 5)])
      #expect(try model.archive() == before, "\(name)")
      #expect(model.scores(forUser: 11) == model.scores(forUser: 11), "\(name)")
    }
  }

  @Test func svdPlusPlusKeepsItsImplicitFactorsInTheModelFile() throws {
    let model = try SVDPlusPlus(factors: 4, epochs: 5).fit(Self.data)
    let loaded = try FactorTestData.roundTrip(model)
    #expect(loaded == model)
    #expect(loaded.implicitFactors != nil)
    // Without the array (an older file) the model loads with none.
    var archive = try model.archive()
    archive.arrays.removeAll { $0.name == "implicitFactors" }
    #expect(try BiasedMFModel(archive: archive).implicitFactors == nil)
    // A wrong shape or a non-finite value is refused.
    var short = try model.archive()
    let index = try #require(short.arrays.firstIndex { $0.name == "implicitFactors" })
    short.arrays[index].payload = .float32([1, 2, 3])
    #expect(throws: (any Error).self) { try BiasedMFModel(archive: short) }
    var bad = try model.archive()
    var values = model.implicitFactors!.elements
    values[0] = .nan
    bad.arrays[index].payload = .float32(values)
    #expect(throws: (any Error).self) { try BiasedMFModel(archive: bad) }
  }
}
