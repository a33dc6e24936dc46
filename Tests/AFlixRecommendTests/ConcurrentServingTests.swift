import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Synchronization
import Testing

/// Whether a background fit has finished, read by the serving loop without awaiting it.
private final class FitProgress: Sendable {
  let started = Atomic<Bool>(false)
  let done = Atomic<Bool>(false)
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

    // Another model fitted meanwhile, in the same process.
    let (fitData, _) = try FactorTestData.noisyLowRank(users: 1_000, items: 600, seed: 12)
    let progress = FitProgress()
    let fit = Task.detached { () throws -> ImplicitALSModel in
      progress.started.store(true, ordering: .releasing)
      defer { progress.done.store(true, ordering: .releasing) }
      return try ImplicitALS(factors: 32, iterations: 10, seed: 3).fit(fitData)
    }
    while !progress.started.load(ordering: .acquiring) { await Task.yield() }

    var rounds = 0
    var roundsDuringFit = 0
    repeat {
      let fitRunning = !progress.done.load(ordering: .acquiring)
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
      rounds += 1
      if fitRunning { roundsDuringFit += 1 }
    } while !progress.done.load(ordering: .acquiring) && rounds < 50

    let other = try await fit.value
    #expect(other.users.count == fitData.userCount)
    #expect(other.itemFactors.elements.allSatisfy { $0.isFinite })
    // The served model is untouched by the requests and the fit.
    #expect(requests.map { model.recommend(user: $0, count: 10) } == sequential)
    // At least one round started while the fit was running (the rounds go on until it ends).
    #expect(roundsDuringFit >= 1)
  }
}
