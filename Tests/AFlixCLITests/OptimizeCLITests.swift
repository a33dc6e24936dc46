import AFlix
import Foundation
import Testing
import _AFlixTestSupport

/// `aflix optimize`: the search as JSON lines, the saved result, bad arguments.
@Suite("aflix optimize")
struct OptimizeCLITests {
  /// A CSV of 90 users × 40 films in three taste groups (seeded), about a third rated.
  static func ratingsFile() throws -> URL {
    let folder = try CommandRunner.temporaryFolder()
    var rng = SeededGenerator(seed: 4)
    var text = "userId,movieId,rating\n"
    for u in 1...90 {
      for film in 1...40 where rng.nextUnitDouble() < 0.35 {
        let liked = (film % 3) == (u % 3)
        let stars = min(5, max(1, (liked ? 4 : 2) + Int(rng.next() % 3) - 1))
        text += "\(u),\(film),\(stars)\n"
      }
    }
    let url = folder.appendingPathComponent("ratings.csv")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func jsonIsOneEventPerLineEndingWithCompleted() throws {
    let file = try Self.ratingsFile()
    defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
    let saved = file.deletingLastPathComponent().appendingPathComponent("k.json")
    let result = try CommandRunner.aflix([
      "optimize", file.path, "--svd", "2...8:2", "--clusters", "2,3,4", "--restarts", "2",
      "--json", "--save", saved.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    let events = try lines.map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    let types = events.compactMap { $0["type"] as? String }
    #expect(types.count == lines.count)
    #expect(types.last == "completed")
    #expect(types.filter { $0 == "k_svd_result" }.count == 4)
    #expect(types.filter { $0 == "k_cluster_result" }.count == 3)
    let progress = events.compactMap { $0["progress"] as? Double }
    #expect(progress.count == events.count && progress == progress.sorted())
    let kSVD = try #require(events.last?["final_k_svd"] as? Int)
    let kept = try OptimizationResult.load(from: saved)
    #expect(kept.kSVD == kSVD && kept.kSVDCandidates.map(\.k) == [2, 4, 6, 8])
    // The next training uses the chosen K.
    let modelFile = file.deletingLastPathComponent().appendingPathComponent("svd.aflix")
    let train = try CommandRunner.aflix([
      "train", file.path, "--model", "svd", "--optimized", saved.path, "--out", modelFile.path,
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let model = try #require(try ModelRegistry.load(from: modelFile) as? TruncatedSVDModel)
    #expect(model.rank == kSVD)
    // An explicit --rank wins.
    let explicit = try CommandRunner.aflix([
      "train", file.path, "--model", "svd", "--rank", "1", "--optimized", saved.path, "--out",
      modelFile.path,
    ])
    #expect(explicit.status == 0, "\(explicit.stderr)")
    #expect((try ModelRegistry.load(from: modelFile) as? TruncatedSVDModel)?.rank == 1)
    // The segments too: aflix cluster takes the chosen K-cluster and K-SVD.
    let segments = try CommandRunner.aflix([
      "cluster", file.path, "--optimized", saved.path, "--json", "--restarts", "2",
    ])
    #expect(segments.status == 0, "\(segments.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(segments.stdout.utf8)) as? [String: Any])
    #expect(report["k"] as? Int == kept.kCluster && report["factors"] as? Int == kept.kSVD)
  }

  @Test func aRegistryModelsFactorCountIsSearchedToo() throws {
    let file = try Self.ratingsFile()
    defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
    let result = try CommandRunner.aflix([
      "optimize", file.path, "--model", "mf-als", "--svd", "1,2,4", "--search", "golden-section",
      "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let objects = try result.stdout.split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(objects.last?["type"] as? String == "factor_count_optimal")
    #expect(objects.last?["metric"] as? String == "rmse")
    let scored = objects.filter { $0["type"] as? String == "factor_count_result" }
    #expect(!scored.isEmpty && scored.count <= 3)
    #expect([1, 2, 4].contains(objects.last?["k"] as? Int ?? 0))
  }

  @Test func badArgumentsAreRefusedWithAMessage() throws {
    let file = try Self.ratingsFile()
    defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
    for (arguments, fragment) in [
      (["--strategy", "best"], "--strategy"), (["--svd", "50...10"], "--svd"),
      (["--clusters", "0,2"], "--clusters"), (["--metric", "mae"], "--metric"),
      (["--folds", "1"], "--folds"), (["--model", "popularity"], "--model"),
      (["--search", "random"], "--search"),
      (["--model", "mf-als", "--save", "x.json"], "--save"),
      (["--model", "bpr", "--metric", "rmse"], "--metric"),
    ] {
      let result = try CommandRunner.aflix(["optimize", file.path] + arguments)
      #expect(result.status != 0)
      #expect(result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
    }
    // Too few users and films for any K-SVD candidate: a clear error, as an event and a message.
    let tiny = file.deletingLastPathComponent().appendingPathComponent("tiny.csv")
    try "userId,movieId,rating\n1,1,4\n2,2,3\n".write(to: tiny, atomically: true, encoding: .utf8)
    let result = try CommandRunner.aflix(["optimize", tiny.path, "--json"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("min(users, items) = 2"), "\(result.stderr)")
    #expect(result.stdout.split(separator: "\n").last?.contains("\"type\":\"error\"") == true)
  }
}
