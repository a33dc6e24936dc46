import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Synchronization
import Testing

/// How far a background fit has got, read by the serving loop without awaiting it.
private final class FitSteps: Sendable {
  let last = Atomic<Int>(0)
}

/// One loaded model serving many concurrent requests while another model is fitted in the same
/// process: every request succeeds and answers exactly what the same request answers alone.
/// Run it under ThreadSanitizer too: `swift test --sanitize=thread --filter ConcurrentServing`.
@Suite("Concurrent serving")
struct ConcurrentServingTests {
  /// A small implicit ALS model, saved to a temporary file and loaded back through the registry,
  /// as a service would hold it.
  static func loadedModel() throws -> (any RecommenderModel, RatingsDataset) {
    let (train, _) = try FactorTestData.noisyLowRank(users: 150, items: 90, seed: 11)
    let fitted = try ImplicitALS(factors: 8, iterations: 4, seed: 2).fit(train)
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("aflix-concurrent-\(UUID().uuidString).aflix")
    defer { try? FileManager.default.removeItem(at: url) }
    try fitted.save(to: url)
    return (try ModelRegistry.load(from: url), train)
  }

  @Test func concurrentRequestsMatchSequentialOnesDuringAFit() async throws {
    let (model, train) = try Self.loadedModel()
    // 1,000 requests over known users, a few unknown ones, with the default exclusions.
    let requests: [EntityID] = (0..<1_000).map { r in
      r % 97 == 0 ? .int(1_000_000 + r) : train.users.id(at: (r * 37) % train.users.count)
    }
    let sequential = requests.map { model.recommend(user: $0, count: 10) }
    #expect(sequential.allSatisfy { $0.items.count == 10 })

    // Another model fitted meanwhile, in the same process: an async fit of far more iterations
    // than the rounds need, cancelled once they are done, so that every round overlaps it
    // whatever else the machine (or the test runner) is doing.
    let (fitData, _) = try FactorTestData.noisyLowRank(users: 400, items: 300, seed: 12)
    let steps = FitSteps()
    let options = FitOptions(progress: { steps.last.store($0.step, ordering: .relaxed) })
    // SGD: no process-wide BLAS section, so a long fit here never holds up the ALS fits other
    // suites run meanwhile (ALS fits serialise on `BLAS.withThreadCount`).
    let fit = Task {
      try await BiasedMF(factors: 32, epochs: 1_000_000, seed: 3).fit(fitData, options: options)
    }
    while steps.last.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(1)) }

    for _ in 0..<3 {
      let answers = await withTaskGroup(
        of: (Int, Recommendations).self, returning: [Recommendations?].self
      ) { group in
        for (position, user) in requests.enumerated() {
          group.addTask { (position, model.recommend(user: user, count: 10)) }
        }
        var answers = [Recommendations?](repeating: nil, count: requests.count)
        for await (position, answer) in group { answers[position] = answer }
        return answers
      }
      #expect(!answers.contains { $0 == nil })
      #expect(answers.map { $0! } == sequential)
    }
    let stepsDuringRounds = steps.last.load(ordering: .relaxed)
    fit.cancel()
    await #expect(throws: CancellationError.self) { _ = try await fit.value }
    // The fit ran throughout the rounds (it was far from its last iteration when they ended).
    #expect(stepsDuringRounds >= 1 && stepsDuringRounds < 1_000_000)
    // The served model is untouched by the requests and the fit.
    #expect(requests.map { model.recommend(user: $0, count: 10) } == sequential)
  }
}
