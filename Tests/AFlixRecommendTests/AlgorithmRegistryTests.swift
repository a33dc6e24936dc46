import AFlixData
import AFlixRecommend
import Testing

/// Name + hyper-parameters → algorithm, the inverse of `FitRecord`.
@Suite("Algorithm registry")
struct AlgorithmRegistryTests {
  @Test(arguments: AlgorithmRegistry.names)
  func everyNameBuildsItsDefaultAndRoundTripsItsRecord(name: String) throws {
    let algorithm = try AlgorithmRegistry.algorithm(named: name, seed: 9)
    #expect(algorithm.name == name)
    let again = try AlgorithmRegistry.algorithm(for: algorithm.fitRecord)
    #expect(again.fitRecord == algorithm.fitRecord)
  }

  @Test func hyperparametersOverrideTheDefaults() throws {
    let als = try AlgorithmRegistry.algorithm(
      named: "mf-als", hyperparameters: ["factors": .integer(7), "regularization": .number(0.3)])
    let typed = try #require(als as? BiasedALS)
    #expect(typed.factors == 7 && typed.regularization == 0.3)
    #expect(typed.iterations == BiasedALS().iterations)
    let knn = try AlgorithmRegistry.algorithm(
      named: "knn", hyperparameters: ["baseline.userRegularization": .integer(3)])
    #expect((knn as? KNNBaseline)?.baseline.userRegularization == 3)
    let seeded = try AlgorithmRegistry.algorithm(named: "bpr", seed: 77)
    #expect((seeded as? BPR)?.seed == 77)
    let blend = try AlgorithmRegistry.algorithm(
      named: "blend", hyperparameters: ["members": .list([.text("baseline"), .text("mf-sgd")])])
    #expect((blend as? Blend)?.members.map(\.name) == ["baseline", "mf-sgd"])
  }

  @Test func badNamesAndValuesAreTypedErrors() {
    func kind(_ body: () throws -> Void) -> RecommendError.Kind? {
      do {
        try body()
        return nil
      } catch let e as RecommendError { return e.kind } catch { return nil }
    }
    #expect(kind { _ = try AlgorithmRegistry.algorithm(named: "svd++") } == .unknownName)
    #expect(
      kind {
        _ = try AlgorithmRegistry.algorithm(named: "ease", hyperparameters: ["epochs": .integer(3)])
      }
        == .unknownName)
    #expect(
      kind {
        _ = try AlgorithmRegistry.algorithm(
          named: "ials", hyperparameters: ["factors": .number(2.5)])
      }
        == .invalidHyperparameter)
    #expect(
      kind {
        _ = try AlgorithmRegistry.algorithm(
          named: "ials", hyperparameters: ["factors": .integer(0)])
      }
        == .invalidHyperparameter)
    #expect(
      kind {
        _ = try AlgorithmRegistry.algorithm(
          named: "blend", hyperparameters: ["members": .list([.text("ials")])])
      } == .invalidHyperparameter)
    #expect(
      kind {
        _ = try AlgorithmRegistry.algorithm(
          named: "knn", hyperparameters: ["baseline": .integer(1)])
      }
        == .unknownName)
  }

  @Test func aFittedModelsRecordRebuildsItsAlgorithm() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40, seed: 5)
    let algorithm = try AlgorithmRegistry.algorithm(
      named: "mf-sgd", hyperparameters: ["factors": .integer(4), "epochs": .integer(3)], seed: 2)
    let model = try algorithm.fit(train)
    let rebuilt = try AlgorithmRegistry.algorithm(for: try #require(model.fitRecord))
    let refit = try rebuilt.fit(train)
    #expect(refit.scores(forUser: 0) == model.scores(forUser: 0))
  }

  @Test func aConfiguredBlendRebuildsFromItsRecord() throws {
    let blend = Blend(
      members: [BiasedALS(factors: 3, iterations: 2, seed: 4), KNNBaseline(neighbours: 7)],
      holdoutFraction: 0.2, ridge: 0.5, seed: 9)
    let rebuilt = try #require(try AlgorithmRegistry.algorithm(for: blend.fitRecord) as? Blend)
    #expect(rebuilt.fitRecord == blend.fitRecord)
    #expect((rebuilt.members[0] as? BiasedALS) == BiasedALS(factors: 3, iterations: 2, seed: 4))
    #expect((rebuilt.members[1] as? KNNBaseline)?.neighbours == 7)
    // Members by name take the blend's seed, whatever the order of the keys.
    let named = try AlgorithmRegistry.algorithm(
      named: "blend", hyperparameters: ["members": .list([.text("mf-sgd")]), "seed": .integer(5)])
    #expect(((named as? Blend)?.members[0] as? BiasedMF)?.seed == 5)
  }
}
