import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing
import _AFlixTestSupport

@Suite("Factor rank: truncation")
struct FactorRankTruncationTests {
  @Test func truncatingToTheFullCountIsTheOrderedModel() throws {
    let model = FactorRankFixtures.implicitModel()
    #expect(try model.truncated(toFactors: model.factorCount) == model.orderedFactors())
    let biased = FactorRankFixtures.biasedModel()
    #expect(try biased.truncated(toFactors: biased.factorCount) == biased.orderedFactors())
  }

  /// The truncated scores are the best rank-r approximation of the known users' score matrix,
  /// computed here from the dense `P Qᵀ` (plain loops) and its SVD — another path than the
  /// factor-side SVDs the library uses.
  @Test(arguments: [1, 2, 4])
  func truncatedScoresAreTheBestLowRankApproximation(rank: Int) throws {
    let model = FactorRankFixtures.implicitModel()
    let dense = Matrix<Double>(
      rows: model.users.count, columns: model.items.count,
      elements: FactorRankFixtures.interactions(model.userFactors, model.itemFactors))
    let best = try dense.singularValueDecomposition().prefix(rank).reconstruction()
    let truncated = try model.truncated(toFactors: rank)
    #expect(truncated.factorCount == rank)
    let got = FactorRankFixtures.allScores(truncated)
    let scale = dense.elements.reduce(0) { max($0, abs($1)) }
    #expect(FactorRankFixtures.maxDifference(got, best.elements) < 1e-4 * scale)
  }

  @Test func truncatedBiasedScoresKeepTheBiasesAndApproximateTheInteractions() throws {
    let model = FactorRankFixtures.biasedModel()
    let rank = 2
    let dense = Matrix<Double>(
      rows: model.users.count, columns: model.items.count,
      elements: FactorRankFixtures.interactions(model.userFactors, model.itemFactors))
    let best = try dense.singularValueDecomposition().prefix(rank).reconstruction()
    let truncated = try model.truncated(toFactors: rank)
    let n = model.items.count
    var worst = 0.0
    for u in 0..<model.users.count {
      let s = truncated.scores(forUser: u)
      for i in 0..<n {
        let base = Double(model.globalMean) + Double(model.userBias[u]) + Double(model.itemBias[i])
        worst = max(worst, abs(Double(s[i]) - base - best.elements[u * n + i]))
      }
    }
    #expect(worst < 1e-3)
  }

  @Test func aCountOutsideTheFactorsIsATypedError() throws {
    let model = FactorRankFixtures.implicitModel()
    for bad in [0, -1, model.factorCount + 1, Int.max] {
      #expect(throws: RecommendError.self) { try model.truncated(toFactors: bad) }
      do {
        _ = try model.keepingLeadingFactors(bad)
        Issue.record("K = \(bad) was accepted")
      } catch let error as RecommendError {
        #expect(error.kind == .invalidArgument)
      }
    }
  }

  @Test func aBayesianMFModelRefusesToBeReordered() throws {
    var model = FactorRankFixtures.biasedModel()
    model.fitRecord = FitRecord(algorithm: "bpmf", hyperparameters: ["factors": .integer(5)])
    do {
      _ = try model.truncated(toFactors: 2)
      Issue.record("a bpmf model was truncated")
    } catch let error as RecommendError {
      #expect(error.kind == .invalidArgument)
    }
  }

  @Test func aTruncatedSVDKeepsItsLeadingTripletsAndScalesTheExplainedVariance() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let model = try TruncatedSVDRecommender(rank: 6).fit(train)
    let cut = try model.truncated(toFactors: 2)
    #expect(cut.singularValues == Array(model.singularValues.prefix(2)))
    let s = model.singularValues.map(Double.init)
    let want =
      Double(model.explainedVariance) * (s[0] * s[0] + s[1] * s[1])
      / s.reduce(0) { $0 + $1 * $1 }
    #expect(abs(Double(cut.explainedVariance) - want) < 1e-5)
    #expect(cut.fitRecord == model.fitRecord && cut.history == model.history)
  }

  @Test func aTruncatedModelRoundTripsThroughItsFile() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (train, _) = try FactorTestData.noisyLowRank(users: 60, items: 40)
    let implicit = try ImplicitALS(factors: 8, iterations: 3).fit(train).truncated(toFactors: 3)
    let url = folder.appendingPathComponent("ials.aflix")
    try implicit.save(to: url)
    let again = try ImplicitALSModel.load(from: url)
    #expect(again == implicit)
    #expect(again.factorCount == 3)

    let svdpp = try SVDPlusPlus(factors: 6, epochs: 3).fit(train).truncated(toFactors: 2)
    let url2 = folder.appendingPathComponent("svdpp.aflix")
    try svdpp.save(to: url2)
    let loaded = try ModelRegistry.load(from: url2)
    let biased = try #require(loaded as? BiasedMFModel)
    #expect(biased == svdpp)
    #expect(biased.implicitFactors?.columns == 2)
  }
}
