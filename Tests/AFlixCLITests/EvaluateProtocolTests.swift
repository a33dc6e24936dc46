import AFlix
import Foundation
import Testing
import _AFlixTestSupport

@Suite("aflix evaluate protocols and JSON")
struct EvaluateProtocolTests {
  static let figureKeys = [
    "rmse", "mae", "precision_at_10", "recall_at_10", "ndcg_at_10", "map_at_10", "fit_seconds",
    "predict_seconds",
  ]

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// Runs `aflix evaluate` with `arguments`, expects success and parses the JSON it prints.
  static func evaluate(_ arguments: [String]) throws -> (json: [String: Any], stderr: String) {
    let result = try CommandRunner.aflix(["evaluate"] + arguments + ["--json"])
    #expect(result.status == 0, "\(arguments): \(result.stderr)")
    return (try json(result.stdout), result.stderr)
  }

  static func folds(_ o: [String: Any]) throws -> [[String: Any]] {
    try #require(o["folds"] as? [[String: Any]])
  }

  static func double(_ o: [String: Any], _ key: String) throws -> Double {
    try #require(o[key] as? Double, "\(key) in \(o.keys.sorted())")
  }

  static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

  static func sampleDeviation(_ values: [Double]) -> Double {
    let m = mean(values)
    var squares = 0.0
    for v in values { squares += (v - m) * (v - m) }
    return (squares / Double(values.count - 1)).squareRoot()
  }

  /// A MovieLens-style `ratings.csv`: 60 users × 40 films, about 60 % rated, whole stars from a
  /// fixed formula, with timestamps.
  static func ratingsCSV() throws -> URL {
    let file = try CommandRunner.temporaryFolder().appendingPathComponent("ratings.csv")
    var text = "userId,movieId,rating,timestamp\n"
    for u in 1...60 {
      for i in 1...40 where (u * 7 + i * 3) % 5 < 3 {
        let stars = 1 + (u * 37 + i * 11 + u * i * 7) % 97 % 5
        text += "\(u),\(100 + i),\(stars),\(1_000_000 + u * 100 + i)\n"
      }
    }
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
  }

  /// Checks the object of a rating model's k-fold run: every key, per fold and at the top, and
  /// the top-level figures as the means (and sample deviations) of the folds'.
  static func checkRatingReport(_ o: [String: Any], folds count: Int) throws {
    let folds = try Self.folds(o)
    #expect(folds.count == count)
    #expect(folds.map { $0["name"] as? String } == (1...count).map { "fold\($0)" })
    for fold in folds {
      for key in figureKeys {
        #expect(fold[key] as? Double != nil, "fold key \(key)")
      }
      let users = try #require(fold["users"] as? Int)
      #expect(users > 0)
    }
    for key in figureKeys {
      #expect(o[key] as? Double != nil, "top-level key \(key)")
    }
    #expect(o["model"] as? String == "baseline")
    #expect(o["k"] as? Int == 10)
    for key in ["rmse", "mae", "precision_at_10", "recall_at_10", "ndcg_at_10", "map_at_10"] {
      let values = try folds.map { try double($0, key) }
      #expect(abs(try double(o, key) - mean(values)) < 1e-12, "mean of \(key)")
    }
    let rmses = try folds.map { try double($0, "rmse") }
    #expect(abs(try double(o, "rmse_std") - sampleDeviation(rmses)) < 1e-12)
    let ndcgs = try folds.map { try double($0, "ndcg_at_10") }
    #expect(abs(try double(o, "ndcg_at_10_std") - sampleDeviation(ndcgs)) < 1e-12)
  }

  // MARK: Without MovieLens

  @Test func kFoldJSONOnACSVMatchesTheLibrary() throws {
    let csv = try Self.ratingsCSV()
    defer { try? FileManager.default.removeItem(at: csv.deletingLastPathComponent()) }
    let (o, _) = try Self.evaluate([csv.path, "--kfold", "3", "--model", "baseline"])
    try Self.checkRatingReport(o, folds: 3)
    #expect(o["relevant"] as? String == "all")

    // The same evaluation in process, with the command's default seed 0.
    let ratings = try #require(try DatasetLoader.load(path: csv.path).ratings)
    let report = try Evaluation.evaluate(Baseline(), on: try ratings.split(.kFold(3), seed: 0))
    let folds = try Self.folds(o)
    for (fold, expected) in zip(folds, report.folds) {
      #expect(fold["name"] as? String == expected.name)
      let accuracy = try #require(expected.accuracy)
      #expect(abs(try Self.double(fold, "rmse") - accuracy.rmse) < 1e-12)
      #expect(abs(try Self.double(fold, "mae") - accuracy.mae) < 1e-12)
      #expect(abs(try Self.double(fold, "ndcg_at_10") - expected.ranking.ndcg) < 1e-12)
      #expect(fold["users"] as? Int == expected.ranking.users)
    }
    #expect(abs(try Self.double(o, "rmse") - report.rmse!.mean) < 1e-12)
  }

  @Test func seededProtocolIsReproducibleOnACSV() throws {
    let csv = try Self.ratingsCSV()
    defer { try? FileManager.default.removeItem(at: csv.deletingLastPathComponent()) }
    let arguments = [csv.path, "--protocol", "stratified:0.75", "--model", "baseline"]
    let a = try Self.evaluate(arguments + ["--seed", "5"]).json
    let b = try Self.evaluate(arguments + ["--seed", "5"]).json
    let c = try Self.evaluate(arguments + ["--seed", "6"]).json
    #expect(try Self.folds(a).map { $0["name"] as? String } == ["stratified"])
    #expect(try Self.double(a, "rmse") == Self.double(b, "rmse"))
    #expect(try Self.double(a, "ndcg_at_10") == Self.double(b, "ndcg_at_10"))
    #expect(try Self.double(a, "rmse") != Self.double(c, "rmse"))
  }

  @Test func relevanceThresholdsOnACSV() throws {
    let csv = try Self.ratingsCSV()
    defer { try? FileManager.default.removeItem(at: csv.deletingLastPathComponent()) }
    let arguments = [csv.path, "--kfold", "3", "--model", "baseline"]
    let (all, allErrors) = try Self.evaluate(arguments + ["--relevant", "all"])
    let (four, _) = try Self.evaluate(arguments + ["--relevant", "4"])
    #expect(!allErrors.contains("warning"))
    #expect(four["relevant"] as? String == "4")
    #expect(try Self.double(all, "ndcg_at_10") != Self.double(four, "ndcg_at_10"))
    // Fewer users have a held-out 4 or 5 than have any held-out rating.
    let allUsers = try Self.folds(all).map { try #require($0["users"] as? Int) }
    let fourUsers = try Self.folds(four).map { try #require($0["users"] as? Int) }
    for (a, f) in zip(allUsers, fourUsers) { #expect(f > 0 && f < a) }
    // Relevance does not touch rating accuracy.
    #expect(try Self.double(all, "rmse") == Self.double(four, "rmse"))

    let (six, sixErrors) = try Self.evaluate(arguments + ["--relevant", "6"])
    #expect(sixErrors.contains("no test user has a relevant rating"), "\(sixErrors)")
    for name in ["fold1", "fold2", "fold3"] {
      #expect(sixErrors.contains("split '\(name)'"), "\(sixErrors)")
    }
    for key in ["precision_at_10", "recall_at_10", "ndcg_at_10", "map_at_10"] {
      #expect(try Self.double(six, key) == 0, "\(key)")
      for fold in try Self.folds(six) { #expect(try Self.double(fold, key) == 0, "\(key)") }
    }
    #expect(try Self.folds(six).allSatisfy { $0["users"] as? Int == 0 })
    #expect(try Self.double(six, "rmse") == Self.double(all, "rmse"))
  }

  /// `--relevant 1e20` is a finite number, so it passes validation; the threshold's description
  /// once converted it with `Int(t)`, which trapped beyond `Int`'s range. It runs, with nothing
  /// relevant. (A subprocess, so that a regression cannot take the test process down.)
  @Test func hugeRelevanceThresholdRunsWithNothingRelevant() throws {
    let csv = try Self.ratingsCSV()
    defer { try? FileManager.default.removeItem(at: csv.deletingLastPathComponent()) }
    let result = try CommandRunner.aflix([
      "evaluate", csv.path, "--kfold", "2", "--model", "baseline", "--relevant", "1e20",
      "--json",
    ])
    let trapped = result.stderr.contains("Fatal error")
    #expect(!trapped)
    #expect(result.status == 0)
    guard result.status == 0 else { return }
    #expect(result.stderr.contains("no test user has a relevant rating"))
    let o = try Self.json(result.stdout)
    let relevant = try #require(o["relevant"] as? String)
    #expect(Float(relevant) == 1e20, "\(relevant)")
    #expect(try Self.double(o, "ndcg_at_10") == 0)
    #expect(try Self.folds(o).allSatisfy { $0["users"] as? Int == 0 })
  }

  @Test func rankingOnlyModelHasNullAccuracy() throws {
    let csv = try Self.ratingsCSV()
    defer { try? FileManager.default.removeItem(at: csv.deletingLastPathComponent()) }
    let (o, _) = try Self.evaluate([csv.path, "--kfold", "3", "--model", "popularity"])
    #expect(o["model"] as? String == "popularity")
    #expect(o["rmse"] is NSNull && o["mae"] is NSNull)
    let folds = try Self.folds(o)
    #expect(folds.count == 3)
    for fold in folds {
      #expect(fold["rmse"] is NSNull && fold["mae"] is NSNull)
      #expect(fold["ndcg_at_10"] as? Double != nil)
    }
    let ndcgs = try folds.map { try Self.double($0, "ndcg_at_10") }
    #expect(abs(try Self.double(o, "ndcg_at_10") - Self.mean(ndcgs)) < 1e-12)
  }

  // MARK: MovieLens 100k

  @Test(.enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"))
  func kFoldJSONOnMovieLens() throws {
    let (o, _) = try Self.evaluate([
      TestData.movieLens100K.path, "--kfold", "3", "--model", "baseline",
    ])
    try Self.checkRatingReport(o, folds: 3)
    let tested = try Self.folds(o).map { try Self.double($0, "rmse") }
    // Three folds of about 33,333 ratings: the baseline's RMSE is near 0.94 on each.
    for rmse in tested { #expect(rmse > 0.85 && rmse < 1.05) }
  }

  @Test(.enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"))
  func stratifiedSeedsOnMovieLens() throws {
    let arguments = [
      TestData.movieLens100K.path, "--protocol", "stratified:0.75", "--model", "baseline",
    ]
    let a = try Self.evaluate(arguments + ["--seed", "5"]).json
    let b = try Self.evaluate(arguments + ["--seed", "5"]).json
    let c = try Self.evaluate(arguments + ["--seed", "6"]).json
    #expect(try Self.folds(a).count == 1)
    #expect(try Self.double(a, "rmse") == Self.double(b, "rmse"))
    #expect(try Self.double(a, "ndcg_at_10") == Self.double(b, "ndcg_at_10"))
    #expect(try Self.double(a, "rmse") != Self.double(c, "rmse"))
    #expect(try Self.double(a, "ndcg_at_10") != Self.double(c, "ndcg_at_10"))
  }

  @Test(.enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"))
  func canonicalFoldsAreU1ToU5() throws {
    let (o, _) = try Self.evaluate([
      TestData.movieLens100K.path, "--folds", "canonical", "--model", "baseline",
    ])
    let folds = try Self.folds(o)
    #expect(folds.map { $0["name"] as? String } == ["u1", "u2", "u3", "u4", "u5"])
    let rmses = try folds.map { try Self.double($0, "rmse") }
    #expect(abs(try Self.double(o, "rmse") - Self.mean(rmses)) < 1e-12)
    // The canonical run's u1 is the --folds u1 run.
    let (u1, _) = try Self.evaluate([
      TestData.movieLens100K.path, "--folds", "u1", "--model", "baseline",
    ])
    #expect(try Self.double(u1, "rmse") == rmses[0])
    #expect(try Self.double(u1, "ndcg_at_10") == Self.double(folds[0], "ndcg_at_10"))
  }

  @Test(.enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"))
  func relevanceThresholdsOnMovieLens() throws {
    let arguments = [
      TestData.movieLens100K.path, "--protocol", "holdout:0.2", "--model", "popularity",
    ]
    let (all, _) = try Self.evaluate(arguments + ["--relevant", "all"])
    let (four, _) = try Self.evaluate(arguments + ["--relevant", "4"])
    #expect(try Self.double(all, "ndcg_at_10") != Self.double(four, "ndcg_at_10"))
    let (six, errors) = try Self.evaluate(arguments + ["--relevant", "6"])
    #expect(errors.contains("no test user has a relevant rating"), "\(errors)")
    for key in ["precision_at_10", "recall_at_10", "ndcg_at_10", "map_at_10"] {
      #expect(try Self.double(six, key) == 0, "\(key)")
    }
  }
}
