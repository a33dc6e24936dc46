import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("Blend")
struct BlendTests {
  static func blend() -> Blend {
    Blend(members: [Baseline(), BiasedMF(factors: 3, epochs: 20, seed: 2)], seed: 4)
  }

  @Test func blendIsAtLeastAsGoodAsItsBestMemberOnHeldOutRatings() throws {
    let (train, test) = try FactorTestData.noisyLowRank(users: 200, items: 120)
    let model = try Self.blend().fit(train)
    let blended = FactorTestData.rmse(model, test)
    let baseline = FactorTestData.rmse(try Baseline().fit(train), test)
    let mf = FactorTestData.rmse(try BiasedMF(factors: 3, epochs: 20, seed: 2).fit(train), test)
    #expect(
      blended <= min(baseline, mf) + 0.005, "blend \(blended), baseline \(baseline), mf \(mf)")
    #expect(blended < baseline)
    // The better member carries more weight.
    #expect(model.weights[1] > model.weights[0], "\(model.weights)")
    #expect(model.names == ["baseline", "mf-sgd"])
  }

  @Test func scoresAreTheBlendOfMemberScores() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let model = try Self.blend().fit(train)
    let s0 = model.members[0].scores(forUser: 5)
    let s1 = model.members[1].scores(forUser: 5)
    let blended = model.scores(forUser: 5)
    for i in blended.indices {
      #expect(
        abs(blended[i] - (model.intercept + model.weights[0] * s0[i] + model.weights[1] * s1[i]))
          < 1e-4)
    }
  }

  @Test func modelFileRoundTripRebuildsEveryMember() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let model = try Self.blend().fit(train)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "blend-\(UUID().uuidString).aflix")
    defer { try? FileManager.default.removeItem(at: url) }
    try model.save(to: url)
    let back = try BlendModel.load(from: url)
    #expect(back.weights == model.weights && back.intercept == model.intercept)
    for u in [0, 7, 33] {
      #expect(back.scores(forUser: u) == model.scores(forUser: u))
      #expect(back.predict(user: u, item: 3) == model.predict(user: u, item: 3))
    }
    let any = try ModelRegistry.load(from: url)
    #expect(any is BlendModel)
  }

  @Test func badConfigurationsAreTypedErrors() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30)
    #expect(
      FactorTestData.throwsKind(.invalidHyperparameter) { _ = try Blend(members: []).fit(train) })
    #expect(
      FactorTestData.throwsKind(.invalidHyperparameter) {
        _ = try Blend(members: [Baseline()], holdoutFraction: 1).fit(train)
      })
    #expect(
      FactorTestData.throwsKind(.invalidHyperparameter) {
        _ = try Blend(members: [Baseline()], ridge: .nan).fit(train)
      })
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(FactorTestData.throwsKind(.emptyTrainingData) { _ = try Self.blend().fit(empty) })
  }
}
