import Foundation
import Testing
import _AFlixTestSupport

/// Regression tests for issue #10's adversarial run of the command line: every count is checked
/// against a documented maximum (or clamped to what the data allows, with a warning), ranges the
/// data cannot hold are refused or clamped and said so, and bad values get messages about the
/// value. Each reproducer is tried with other values of its class.
@Suite("aflix bad input: counts, ranges and values")
struct BadInputCLITests {
  /// Values of the "huge count" class: Int.max, 2⁴⁰ (allocation failure before), 2³¹.
  static let hugeCounts = ["9223372036854775807", "1099511627776", "2147483648"]

  /// A small dataset: `users` users, each rating 8 of 20 films with varied values.
  static func ratingsFile(users: Int = 30, constant: Int? = nil) throws -> URL {
    let file = try CommandRunner.temporaryFolder().appendingPathComponent("ratings.csv")
    var text = "userId,movieId,rating,timestamp\n"
    for u in 1...users {
      for j in 0..<8 {
        let item = (u * 3 + j * 7) % 20 + 1
        text += "\(u),\(item),\(constant ?? ((u * j + item) % 5 + 1)),\(1000 + u * 10 + j)\n"
      }
    }
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test(arguments: hugeCounts)
  func hugeRankingCutoffIsClampedToTheItemsAndSaidSo(k: String) throws {
    let file = try Self.ratingsFile()
    let result = try CommandRunner.aflix([
      "evaluate", file.path, "--protocol", "stratified:0.75", "--model", "popularity", "--k", k,
      "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try Self.json(result.stdout)
    #expect(object["k"] as? Int == 20)
    let warnings = try #require(object["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("--k \(k) clamped to 20") })
    // Every candidate is listed, so every held-out item is found.
    #expect(object["recall_at_20"] as? Double == 1)
  }

  @Test(arguments: hugeCounts + ["10001"])
  func hugeRestartsAreRefused(restarts: String) throws {
    let result = try CommandRunner.aflix([
      "cluster", try Self.ratingsFile().path, "--k", "2", "--restarts", restarts,
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("--restarts must be between 1 and 10000, got \(restarts)"))
  }

  @Test(arguments: ["--samples", "--burn-in"], hugeCounts)
  func hugeGibbsCountsAreRefusedWithoutOverflow(flag: String, value: String) throws {
    let out = try CommandRunner.temporaryFolder().appendingPathComponent("m.aflix")
    let result = try CommandRunner.aflix([
      "train", try Self.ratingsFile().path, "--model", "bpmf", flag, value, "--out", out.path,
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("invalidHyperparameter"), "\(result.stderr)")
    #expect(result.stderr.contains(value))
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test func keptFactorsAndSweepsAreCheckedWithoutOverflow() throws {
    let file = try Self.ratingsFile().path
    let out = try CommandRunner.temporaryFolder().appendingPathComponent("m.aflix").path
    let kept = try CommandRunner.aflix([
      "train", file, "--model", "bpmf", "--factors", "256", "--samples", "257", "--out", out,
    ])
    #expect(kept.status != 0)
    #expect(kept.stderr.contains("at most 256 samples with 256 factors"), "\(kept.stderr)")
    let sweeps = try CommandRunner.aflix([
      "train", file, "--model", "bpmf", "--burn-in", "2147483647", "--samples", "1", "--out", out,
    ])
    #expect(sweeps.stderr.contains("burn-in + samples"), "\(sweeps.stderr)")
  }

  @Test(arguments: [
    ("mf-sgd", "--epochs"), ("mf-als", "--iterations"), ("ials", "--iterations"),
    ("bpr", "--epochs"), ("svdpp", "--epochs"), ("baseline", "--epochs"),
  ])
  func passCountsAboveTheDocumentedMaximumAreRefused(model: String, flag: String) throws {
    let result = try CommandRunner.aflix([
      "evaluate", try Self.ratingsFile().path, "--kfold", "2", "--model", model, flag,
      "9223372036854775807",
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("2,147,483,647"), "\(result.stderr)")
  }

  @Test(arguments: hugeCounts)
  func hugeNeighbourCountsAreClampedToTheData(neighbours: String) throws {
    let result = try CommandRunner.aflix([
      "evaluate", try Self.ratingsFile().path, "--protocol", "stratified:0.75", "--model", "knn",
      "--neighbors", neighbours, "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect((try Self.json(result.stdout)["rmse"] as? Double)?.isFinite == true)
  }

  @Test(arguments: ["1001", "9223372036854775807"])
  func foldCountsAboveTheMaximumAreRefused(folds: String) throws {
    let result = try CommandRunner.aflix([
      "evaluate", try Self.ratingsFile().path, "--kfold", folds, "--model", "baseline",
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("--kfold must be between 2 and 1000, got \(folds)"))
  }

  @Test(arguments: ["31...9223372036854775807", "31...40", "100"])
  func clusterCountsAllAboveTheUsersAreRefused(k: String) throws {
    let result = try CommandRunner.aflix([
      "cluster", try Self.ratingsFile(users: 30).path, "--k", k, "--restarts", "1",
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("more clusters than the 30 users"), "\(result.stderr)")
  }

  @Test(arguments: ["28...40", "28...9223372036854775807"])
  func clusterSweepsPastTheUsersAreClampedAndSaidSo(k: String) throws {
    let file = try Self.ratingsFile(users: 30).path
    let result = try CommandRunner.aflix([
      "cluster", file, "--k", k, "--restarts", "1", "--factors", "4", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try Self.json(result.stdout)
    let sweep = try #require(object["sweep"] as? [[String: Any]])
    #expect(sweep.compactMap { $0["k"] as? Int } == [28, 29, 30])
    let warnings = try #require(object["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("clamped to 28...30") })
    // Without --json the same warning goes to standard error.
    let text = try CommandRunner.aflix(["cluster", file, "--k", k, "--restarts", "1"])
    #expect(text.status == 0)
    #expect(text.stderr.contains("warning: --k 28..."))
  }

  /// Fewer distinct points than k: identical ratings (every user-centred row is zero) and one
  /// rating per user.
  @Test(arguments: [false, true])
  func degenerateClusteringSaysSo(oneRatingPerUser: Bool) throws {
    let file: URL
    if oneRatingPerUser {
      file = try CommandRunner.temporaryFolder().appendingPathComponent("one.csv")
      var text = "userId,movieId,rating\n"
      for u in 1...59 { text += "\(u),\(u % 7 + 1),\(u % 5 + 1)\n" }
      try text.write(to: file, atomically: true, encoding: .utf8)
    } else {
      file = try Self.ratingsFile(users: 59, constant: 3)
    }
    let result = try CommandRunner.aflix(["cluster", file.path, "--k", "3", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try Self.json(result.stdout)
    let warnings = try #require(object["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("2 of 3 clusters are empty") }, "\(warnings)")
    let text = try CommandRunner.aflix(["cluster", file.path, "--k", "3"])
    #expect(text.stderr.contains("warning: k = 3: 2 of 3 clusters are empty"))
  }

  @Test(arguments: ["holdout:1e-300", "holdout:0.0000001", "holdout:0.9999999"])
  func splitsThatLeaveASideEmptyAreErrors(protocolText: String) throws {
    let out = try CommandRunner.temporaryFolder()
    let result = try CommandRunner.aflix([
      "split", try Self.ratingsFile().path, "--protocol", protocolText, "--out", out.path,
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("side empty"), "\(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
  }

  @Test(arguments: [("--k", "-3"), ("--k", "-9223372036854775807"), ("--kfold", "-2")])
  func negativeValuesGetAMessageAboutTheValue(flag: String, value: String) throws {
    let split = flag == "--kfold" ? [] : ["--protocol", "holdout:0.2"]
    let result = try CommandRunner.aflix(
      ["evaluate", try Self.ratingsFile().path, "--model", "baseline", flag, value] + split)
    #expect(result.status != 0)
    #expect(!result.stderr.contains("Missing value"), "\(result.stderr)")
    #expect(result.stderr.contains(value))
  }

  @Test(arguments: [
    ("0:1e308", "beyond the largest rating"), ("0:inf", "not finite"), ("5:1", "MIN must be below"),
    ("0:5:0", "STEP must be positive"), ("0:5:1e-9", "more than 1000000 steps"),
    ("a:5", "'a' is not a number"), ("-1e39:5", "beyond the largest rating"),
  ])
  func scalesAreRefusedForTheRightReason(scale: String, reason: String) throws {
    let result = try CommandRunner.aflix(["info", try Self.ratingsFile().path, "--scale", scale])
    #expect(result.status != 0)
    #expect(result.stderr.contains(reason), "\(result.stderr)")
  }

  @Test func extremeButValidScalesAreAccepted() throws {
    let result = try CommandRunner.aflix([
      "info", try Self.ratingsFile().path, "--scale", "-1e30:1e30", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
  }

  @Test(arguments: ["abc", "0", "-1", "1025", "9223372036854775808", "2x"])
  func unusableThreadEnvironmentIsAnError(value: String) throws {
    let result = try CommandRunner.aflix(["info"], environment: ["AFLIX_NUM_THREADS": value])
    #expect(result.status != 0)
    #expect(result.stderr.contains("AFLIX_NUM_THREADS"), "\(result.stderr)")
  }

  @Test(arguments: ["0", "1025", "9223372036854775807", "-4"])
  func threadCountsOutsideTheRangeAreRefused(threads: String) throws {
    let result = try CommandRunner.aflix(["info", "--threads", threads])
    #expect(result.status != 0)
    #expect(result.stderr.contains("--threads must be between 1 and 1024, got \(threads)"))
  }

  @Test(arguments: ["9223372036854775807", "1099511627776", "25"])
  func hugeSpectrumSizesAreClampedAndSaidSo(top: String) throws {
    let result = try CommandRunner.aflix([
      "info", try Self.ratingsFile().path, "--top", top, "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try Self.json(result.stdout)
    let svd = try #require(object["svd"] as? [String: Any])
    #expect((svd["singular_values"] as? [Double])?.count == 19)
    let warnings = try #require(object["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("--top \(top) clamped to 19") })
    #expect(result.stderr.contains("warning: --top"))
  }
}
