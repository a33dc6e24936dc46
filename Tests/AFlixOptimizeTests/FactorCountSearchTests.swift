import AFlixData
import AFlixOptimize
import AFlixRecommend
import Testing

/// The factor-count search over registry models: grid and golden-section, the rule, errors.
@Suite("Factor count search")
struct FactorCountSearchTests {
  @Test func gridAndGoldenSectionChooseAmongTheCandidates() async throws {
    let data = try OptimizeTestData.ratings(users: 150, items: 60)
    let candidates = [1, 2, 3, 4, 6, 8, 12, 16]
    var results: [FactorCountResult] = []
    for method in FactorCountSearch.Method.allCases {
      let search = FactorCountSearch(
        algorithm: "mf-als", hyperparameters: ["iterations": .integer(4)], candidates: candidates,
        method: method, seed: 2)
      let result = try await search.run(data)
      #expect(result.metric == .rmse)
      #expect(candidates.contains(result.k))
      #expect(result.candidates.map(\.k) == result.candidates.map(\.k).sorted())
      #expect(result.candidates.allSatisfy { $0.mean.isFinite && $0.mean > 0 })
      #expect(result.fits == result.candidates.count * 3)
      #expect(result.gridFits == candidates.count * 3)
      results.append(result)
    }
    // The grid scores every candidate; golden-section no more, and the figures it shares agree.
    #expect(results[0].candidates.count == candidates.count)
    #expect(results[1].fits <= results[0].fits)
    for c in results[1].candidates {
      #expect(
        results[0].candidates.first { $0.k == c.k }
          == FactorCountCandidate(
            k: c.k, mean: c.mean, standardError: c.standardError,
            seconds: results[0].candidates.first { $0.k == c.k }!.seconds))
    }
  }

  @Test func warmStartsFitEveryCandidate() async throws {
    let data = try OptimizeTestData.ratings(users: 150, items: 60)
    let result = try await FactorCountSearch(
      algorithm: "mf-als", hyperparameters: ["iterations": .integer(4)], candidates: [2, 4, 8],
      seed: 2, warmStart: true
    ).run(data)
    #expect(result.fits == 9 && result.candidates.count == 3)
    #expect(result.candidates.allSatisfy { $0.mean.isFinite && $0.mean > 0 && $0.mean < 2 })
  }

  @Test func rankingModelsAreScoredByNDCG() async throws {
    let data = try OptimizeTestData.ratings(users: 120, items: 50)
    let result = try await FactorCountSearch(
      algorithm: "ials", hyperparameters: ["iterations": .integer(3)], candidates: [2, 4, 8],
      seed: 1
    ).run(data)
    #expect(result.metric == .ndcg)
    #expect(result.candidates.allSatisfy { $0.mean >= 0 && $0.mean <= 1 })
    #expect(try FactorCountSearch.factorParameter(of: "svd") == "rank")
    #expect(try FactorCountSearch.factorParameter(of: "popularity") == nil)
  }

  @Test func aModelWithoutFactorsOrNoCandidateIsRefused() async throws {
    let data = try OptimizeTestData.ratings(users: 60, items: 30)
    await #expect(throws: OptimizeError.self) {
      _ = try await FactorCountSearch(algorithm: "popularity", candidates: [2]).run(data)
    }
    await #expect(throws: OptimizeError.self) {
      _ = try await FactorCountSearch(algorithm: "mf-als", candidates: [0, -3]).run(data)
    }
    // A ranking model has no RMSE to tune by.
    await #expect(throws: OptimizeError.self) {
      _ = try await FactorCountSearch(algorithm: "ials", candidates: [2], metric: .rmse).run(data)
    }
    await #expect(throws: RecommendError.self) {
      _ = try await FactorCountSearch(algorithm: "nope", candidates: [2]).run(data)
    }
  }

  @Test func cancellingStopsTheSearch() async throws {
    let data = try OptimizeTestData.ratings(users: 200, items: 80)
    let task = Task {
      try await FactorCountSearch(
        algorithm: "mf-sgd", candidates: Array(1...40), seed: 1
      ).run(data) { _ in withUnsafeCurrentTask { $0?.cancel() } }
    }
    await #expect(throws: CancellationError.self) { _ = try await task.value }
  }
}
