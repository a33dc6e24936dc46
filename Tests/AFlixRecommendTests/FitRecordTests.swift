import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing
import _AFlixTestSupport

/// Fitted models remember their algorithm and hyper-parameters, and model files keep them.
@Suite("Fit records")
struct FitRecordTests {
  @Test func fittingRecordsTheAlgorithmAndEveryHyperparameter() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30)
    let als = try BiasedALS(factors: 7, iterations: 2, regularization: 0.25, seed: 9).fit(train)
    let record = try #require(als.fitRecord)
    #expect(record.algorithm == "mf-als")
    #expect(record.hyperparameters["factors"] == .integer(7))
    #expect(record.hyperparameters["iterations"] == .integer(2))
    #expect(record.hyperparameters["regularization"] == .number(0.25))
    #expect(record.hyperparameters["seed"] == .integer(9))
    #expect(record.hyperparameters.count == 6, "\(record.hyperparameters.keys.sorted())")

    let sgd = try BiasedMF(factors: 3, epochs: 2, seed: .max).fit(train)
    #expect(sgd.fitRecord?.algorithm == "mf-sgd")
    #expect(sgd.fitRecord?.hyperparameters["seed"] == .unsigned(.max))
    #expect(sgd.fitRecord?.hyperparameters["biased"] == .bool(true))
  }

  @Test func modelsBuiltFromPartsHaveNoRecord() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30)
    let fitted = try PopularityAlgorithm().fit(train)
    #expect(fitted.fitRecord == FitRecord(algorithm: "popularity", hyperparameters: [:]))
    let parts = PopularityModel(users: fitted.users, items: fitted.items, counts: fitted.counts)
    #expect(parts.fitRecord == nil)
    let url = try CommandRunner.temporaryFolder().appendingPathComponent("parts.aflix")
    try parts.save(to: url)
    #expect(try PopularityModel.load(from: url).fitRecord == nil)
  }

  @Test func modelFilesKeepTheRecordInTheirMetadata() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30)
    let folder = try CommandRunner.temporaryFolder()
    let svdpp = try SVDPlusPlus(factors: 4, epochs: 2).fit(train)
    let url = folder.appendingPathComponent("svdpp.aflix")
    try svdpp.save(to: url)
    // The JSON metadata names the algorithm that produced the shared `biased-mf` form.
    let archive = try ModelArchive.read(from: url)
    #expect(archive.kind == "biased-mf")
    let object = try JSONSerialization.jsonObject(with: archive.metadata)
    let json = try #require(object as? [String: Any])
    let fit = try #require(json["fit"] as? [String: Any])
    #expect(fit["algorithm"] as? String == "svdpp")
    let hyper = try #require(fit["hyperparameters"] as? [String: Any])
    #expect((hyper["factors"] as? NSNumber)?.intValue == 4)
    let loaded = try BiasedMFModel.load(from: url)
    #expect(loaded.fitRecord == svdpp.fitRecord)
    #expect(loaded == svdpp)
  }

  @Test func everyModelKindRoundTripsItsRecord() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30)
    let folder = try CommandRunner.temporaryFolder()
    func check<M: PersistableModel & RecommenderModel>(
      _ model: M, _ name: String, algorithm: String
    )
      throws
    {
      let url = folder.appendingPathComponent("\(name).aflix")
      try model.save(to: url)
      let loaded = try ModelRegistry.load(from: url)
      let record = Self.record(of: loaded)
      #expect(record?.algorithm == algorithm, "\(name)")
      #expect(record == Self.record(of: model), "\(name)")
    }
    try check(Baseline().fit(train), "baseline", algorithm: "baseline")
    try check(TruncatedSVDRecommender(rank: 3).fit(train), "svd", algorithm: "svd")
    try check(BayesianMF(factors: 2, burnIn: 1, samples: 2).fit(train), "bpmf", algorithm: "bpmf")
    try check(KNNBaseline().fit(train), "knn", algorithm: "knn")
    try check(ImplicitALS(factors: 3, iterations: 1).fit(train), "ials", algorithm: "ials")
    try check(EASE(regularization: 10).fit(train), "ease", algorithm: "ease")
    try check(BPR(factors: 3, epochs: 1).fit(train), "bpr", algorithm: "bpr")
    let blend = try Blend(members: [Baseline(), BiasedMF(factors: 2, epochs: 1)], seed: 4)
      .fit(train)
    // Each member's whole record, so the registry rebuilds the blend as it was configured.
    let members = [Baseline().fitRecord, BiasedMF(factors: 2, epochs: 1).fitRecord].map {
      HyperparameterValue.table([
        "algorithm": .text($0.algorithm), "hyperparameters": .table($0.hyperparameters),
      ])
    }
    #expect(blend.fitRecord?.hyperparameters["members"] == .list(members))
    #expect(blend.fitRecord?.hyperparameters["seed"] == .integer(4))
    try check(blend, "blend", algorithm: "blend")
  }

  /// The record of any AFlix model, whatever its concrete type.
  static func record(of model: Any) -> FitRecord? {
    switch model {
    case let m as BaselineModel: return m.fitRecord
    case let m as TruncatedSVDModel: return m.fitRecord
    case let m as BiasedMFModel: return m.fitRecord
    case let m as KNNBaselineModel: return m.fitRecord
    case let m as BlendModel: return m.fitRecord
    case let m as ImplicitALSModel: return m.fitRecord
    case let m as EASEModel: return m.fitRecord
    case let m as BPRModel: return m.fitRecord
    case let m as PopularityModel: return m.fitRecord
    default: return nil
    }
  }

  @Test func valuesRoundTripThroughJSON() throws {
    let value = HyperparameterValue.table([
      "flag": .bool(false), "count": .integer(-3), "seed": .unsigned(.max), "rate": .number(0.125),
      "name": .text("biases"), "list": .list([.integer(1), .null]), "nested": .table([:]),
    ])
    let data = try JSONEncoder().encode(value)
    #expect(try JSONDecoder().decode(HyperparameterValue.self, from: data) == value)
    #expect(HyperparameterValue.list([.integer(1), .text("a")]).description == "[1, \"a\"]")
  }
}

/// Records never trap, whatever the configuration holds.
@Suite("Fit records of odd configurations")
struct FitRecordEdgeTests {
  struct Odd: Encodable {
    var rate = Double.infinity
    var noise = -Double.infinity
    var missing = Double.nan
    var whole = 200.0
  }

  @Test func nonFiniteNumbersBecomeText() {
    let record = FitRecord(algorithm: "odd", configuration: Odd())
    #expect(record.hyperparameters["rate"] == .text("inf"))
    #expect(record.hyperparameters["noise"] == .text("-inf"))
    #expect(record.hyperparameters["missing"] == .text("nan"))
    #expect(record.hyperparameters["whole"] == .integer(200))
    #expect(record.hyperparameters["whole"]?.doubleValue == 200)
    #expect(HyperparameterValue.unsigned(.max).doubleValue == Double(UInt64.max))
    #expect(HyperparameterValue.text("x").doubleValue == nil)
  }

  @Test func aConfigurationThatIsNotATableIsKeptAsText() {
    let record = FitRecord(algorithm: "list", configuration: [1, 2, 3])
    #expect(record.hyperparameters == ["configuration": .text("[1, 2, 3]")])
  }

  @Test func nonFiniteHyperparametersAreTypedErrorsNotCrashes() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 20, items: 15)
    for bad in [Double.infinity, .nan, -1] {
      #expect(
        FactorTestData.throwsKind(.invalidHyperparameter) {
          _ = try Baseline(userRegularization: bad).fit(train)
        }, "user regularisation \(bad)")
      #expect(
        FactorTestData.throwsKind(.invalidHyperparameter) {
          _ = try Baseline(itemRegularization: bad).fit(train)
        }, "item regularisation \(bad)")
      #expect(
        FactorTestData.throwsKind(.invalidHyperparameter) {
          var knn = KNNBaseline()
          knn.baseline.userRegularization = bad
          _ = try knn.fit(train)
        }, "kNN baseline regularisation \(bad)")
      #expect(
        FactorTestData.throwsKind(.invalidHyperparameter) {
          _ = try Blend(members: [Baseline()], ridge: bad).fit(train)
        }, "blend ridge \(bad)")
    }
  }
}
