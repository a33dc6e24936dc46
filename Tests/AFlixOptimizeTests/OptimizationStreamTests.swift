import AFlixData
import AFlixLinalg
import AFlixOptimize
import AFlixRecommend
import Foundation
import Testing

/// The event stream: order, monotone progress, the flat JSON form, cancellation, errors.
@Suite("Optimisation events")
struct OptimizationStreamTests {
  static let optimizer = KOptimizer(
    svdCandidates: .values([3, 5, 8, 12]), clusterCandidates: [2, 3, 4, 5], seed: 3, restarts: 3)

  static func collect(_ optimizer: KOptimizer, _ data: RatingsDataset) async throws
    -> [OptimizationEvent]
  {
    var events: [OptimizationEvent] = []
    for try await event in optimizer.optimize(data) { events.append(event) }
    return events
  }

  @Test func eventsComeInOrderWithRisingProgress() async throws {
    let data = try OptimizeTestData.ratings()
    let events = try await Self.collect(Self.optimizer, data)
    let types = events.map(\.type)
    #expect(types.first == "status")
    #expect(types.last == "completed")
    #expect(events.last?.progress == 100)
    for (a, b) in zip(events, events.dropFirst()) { #expect(a.progress <= b.progress) }
    // matrix_info, then the K-SVD phase with its results and optimum, then the K-cluster phase.
    let order = types.filter { $0 != "status" }
    let expected =
      ["matrix_info", "phase"] + Array(repeating: "k_svd_result", count: 4)
      + ["k_svd_optimal", "phase"] + Array(repeating: "k_cluster_result", count: 4)
      + ["k_cluster_optimal", "completed"]
    #expect(order == expected)
    guard case .matrixInfo(let users, let items, _, let density, _) = events[1] else {
      Issue.record("no matrix_info second")
      return
    }
    #expect(users == data.userCount && items == data.itemCount && density == data.density)
    // The optimum is one of the candidates, and completed repeats both choices.
    let svdResults = events.compactMap { e -> KSVDCandidate? in
      if case .kSVDResult(let c, _, _) = e { return c } else { return nil }
    }
    let clusterResults = events.compactMap { e -> KClusterCandidate? in
      if case .kClusterResult(let c, _, _) = e { return c } else { return nil }
    }
    #expect(svdResults.map(\.k) == [3, 5, 8, 12])
    #expect(clusterResults.map(\.k) == [2, 3, 4, 5])
    #expect(svdResults.allSatisfy { $0.validationRMSE != nil && $0.validationNDCG != nil })
    // Explained variance grows with K (one decomposition, prefixes).
    for (a, b) in zip(svdResults, svdResults.dropFirst()) {
      #expect(a.explainedVariance < b.explainedVariance)
    }
    guard case .completed(let kSVD, let kCluster, _) = events.last else { return }
    #expect(svdResults.contains { $0.k == kSVD } && clusterResults.contains { $0.k == kCluster })
    // is_best marks the best mean so far (the validation strategy's one-standard-error rule moves
    // only the final choice).
    let flags = events.compactMap { e -> Bool? in
      if case .kSVDResult(_, let isBest, _) = e { return isBest } else { return nil }
    }
    for index in svdResults.indices {
      let soFar = svdResults[...index].map { $0.validationRMSE ?? .infinity }
      #expect(flags[index] == (soFar.firstIndex(of: soFar.min()!) == index))
    }
    // The three planted groups: k = 3 has the best silhouette.
    let sharpest = clusterResults.max { ($0.silhouetteScore ?? -1) < ($1.silhouetteScore ?? -1) }
    #expect(sharpest?.k == 3)
  }

  @Test func eventsEncodeAsFlatSnakeCaseObjects() throws {
    let candidate = KSVDCandidate(
      k: 20, explainedVariance: 0.2, efficiency: 0.01, overfittingRisk: 0.05, validationRMSE: 0.93,
      compositeScore: 0.93, seconds: 0.5)
    let event = OptimizationEvent.kSVDResult(candidate, isBest: true, progress: 41.5)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let data = try encoder.encode(event)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["type"] as? String == "k_svd_result")
    #expect(object["progress"] as? Double == 41.5)
    #expect(object["k"] as? Int == 20)
    #expect(object["explained_variance"] as? Double == 0.2)
    #expect(object["is_best"] as? Bool == true)
    #expect(object["validation_rmse"] as? Double == 0.93)
    #expect(object["validation_ndcg_at_10"] == nil)
    #expect(try JSONDecoder().decode(OptimizationEvent.self, from: data) == event)
    let all: [OptimizationEvent] = [
      .status(message: "x", progress: 0),
      .matrixInfo(users: 2, items: 3, ratings: 4, density: 0.5, progress: 5),
      .phase(.kCluster, progress: 65), .kSVDOptimal(k: 20, score: 0.3, progress: 65),
      .kClusterResult(
        KClusterCandidate(
          k: 3, silhouetteScore: 0.4, balance: 0.9, inertia: 12, compositeScore: 0.54),
        isBest: false, progress: 91),
      .kClusterOptimal(k: 3, score: 0.54, progress: 95),
      .completed(finalKSVD: 20, finalKCluster: 3, progress: 100), .error(message: "e", progress: 7),
    ]
    for e in all {
      let json =
        try JSONSerialization.jsonObject(with: try JSONEncoder().encode(e)) as? [String: Any]
      #expect(json?["type"] as? String == e.type)
      #expect(try JSONDecoder().decode(OptimizationEvent.self, from: JSONEncoder().encode(e)) == e)
    }
    let completed =
      try JSONSerialization.jsonObject(
        with: JSONEncoder().encode(
          OptimizationEvent.completed(finalKSVD: 20, finalKCluster: 3, progress: 100)))
      as? [String: Any]
    #expect(completed?["final_k_svd"] as? Int == 20 && completed?["final_k_cluster"] as? Int == 3)
  }

  @Test func noValidCandidateEndsWithAnErrorEvent() async throws {
    let tiny = try RatingsDataset(
      ratings: [Rating(user: 1, item: 1, value: 4), Rating(user: 2, item: 2, value: 3)],
      scale: RatingScale(minimum: 1, maximum: 5))
    var events: [OptimizationEvent] = []
    await #expect(throws: OptimizeError.self) {
      for try await event in KOptimizer().optimize(tiny) { events.append(event) }
    }
    #expect(events.last?.type == "error")
    if case .error(let message, _) = events.last {
      #expect(message.contains("min(users, items) = 2"))
    }
  }

  @Test func cancellingTheConsumerStopsTheSweep() async throws {
    let data = try OptimizeTestData.ratings(users: 400, items: 120)
    let optimizer = KOptimizer(
      svdCandidates: .values(Array(stride(from: 2, through: 60, by: 2))), seed: 1, restarts: 2)
    let task = Task { () -> (results: Int, cancelled: Bool) in
      var results = 0
      do {
        for try await event in optimizer.optimize(data) {
          if case .kSVDResult = event {
            results += 1
            if results == 2 { withUnsafeCurrentTask { $0?.cancel() } }
          }
        }
        return (results, false)
      } catch is CancellationError {
        return (results, true)
      }
    }
    let outcome = try await task.value
    // The consumer stops at once (buffered events are not handed out) with CancellationError,
    // however far the optimiser's thread ran ahead on a loaded machine.
    #expect(outcome.results == 2)
    #expect(outcome.cancelled)
    // The synchronous form throws CancellationError at the next check.
    var seen = 0
    #expect(throws: CancellationError.self) {
      _ = try optimizer.run(data, isCancelled: { seen >= 3 }, emit: { _ in seen += 1 })
    }
  }

  @Test func nonFiniteFiguresEncodeAsNull() throws {
    let unscored = KSVDCandidate(
      k: 5, explainedVariance: 0.1, efficiency: 0.02, overfittingRisk: 0.1, compositeScore: .nan)
    let event = OptimizationEvent.kSVDResult(unscored, isBest: false, progress: 40)
    let data = try JSONEncoder().encode(event)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(object["composite_score"] is NSNull)
    guard
      case .kSVDResult(let back, _, _) = try JSONDecoder().decode(
        OptimizationEvent.self, from: data)
    else {
      Issue.record("not a k_svd_result")
      return
    }
    #expect(back.compositeScore.isNaN && back.k == 5)
  }

  @Test func runAppliesItsThreadCount() throws {
    let data = try OptimizeTestData.ratings(users: 100, items: 40)
    var optimizer = KOptimizer(
      svdCandidates: .values([2, 4]), clusterCandidates: [2], strategy: OriginalCompositeStrategy(),
      restarts: 1)
    optimizer.threadCount = 1
    var counts = Set<Int>()
    _ = try Parallelism.withThreadCount(2) {
      try optimizer.run(data, emit: { _ in counts.insert(Parallelism.currentThreadCount) })
    }
    #expect(counts == [1])
  }

  @Test func theSameSeedGivesTheSameChoices() throws {
    let data = try OptimizeTestData.ratings()
    let a = try Self.optimizer.run(data)
    let b = try Self.optimizer.run(data)
    #expect(a.kSVD == b.kSVD && a.kCluster == b.kCluster)
    #expect(a.kSVDCandidates.map(\.validationRMSE) == b.kSVDCandidates.map(\.validationRMSE))
    #expect(
      a.kClusterCandidates.map(\.silhouetteScore) == b.kClusterCandidates.map(\.silhouetteScore))
  }

  @Test func resultsSaveAndLoad() throws {
    let data = try OptimizeTestData.ratings(users: 120, items: 60)
    let result = try KOptimizer(
      svdCandidates: .values([3, 6]), clusterCandidates: [2, 3],
      strategy: OriginalCompositeStrategy(),
      restarts: 2
    ).run(data)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-optimize-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("k.json")
    try result.save(to: url)
    #expect(try OptimizationResult.load(from: url) == result)
    // The next training takes the chosen K.
    #expect(try result.hyperparameters(for: "mf-als") == ["factors": .integer(result.kSVD)])
    #expect(try result.hyperparameters(for: "svd") == ["rank": .integer(result.kSVD)])
    #expect(throws: OptimizeError.self) { try result.hyperparameters(for: "popularity") }
    // A file whose chosen K is not among its candidates is refused, naming the file.
    var bad = result
    bad.kSVD = 99
    try bad.save(to: url)
    #expect(throws: OptimizeError.self) { try OptimizationResult.load(from: url) }
    try Data("{}".utf8).write(to: url)
    #expect(throws: OptimizeError.self) { try OptimizationResult.load(from: url) }
  }
}
