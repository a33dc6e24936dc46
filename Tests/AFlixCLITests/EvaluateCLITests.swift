import AFlix
import Foundation
import Testing
import _AFlixTestSupport

@Suite("aflix evaluate and train")
struct EvaluateCLITests {
  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test(.enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"))
  func baselineOnFoldU1MatchesSurprise() throws {
    let result = try CommandRunner.aflix([
      "evaluate", TestData.movieLens100K.path, "--folds", "u1", "--model", "baseline", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let o = try Self.json(result.stdout)
    // Surprise BaselineOnly (ALS, defaults) on u1.base → u1.test, from
    // `../shared/anchors/rating_eval.py --train u1.base --test u1.test --algo baseline`:
    // RMSE 0.959944, MAE 0.761583. Same algorithm, same data: same figures.
    let rmse = try #require(o["rmse"] as? Double)
    let mae = try #require(o["mae"] as? Double)
    #expect(abs(rmse - 0.959944) < 1e-4)
    #expect(abs(mae - 0.761583) < 1e-4)
    let folds = try #require(o["folds"] as? [[String: Any]])
    #expect(folds.count == 1 && folds[0]["name"] as? String == "u1")
    for key in [
      "fit_seconds", "predict_seconds", "precision_at_10", "recall_at_10", "ndcg_at_10",
      "map_at_10",
    ] {
      #expect(o[key] as? Double != nil, "\(key)")
    }
  }

  @Test func trainTestFilesFromSplitEvaluateAndModelsSave() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let synth = try CommandRunner.aflix([
      "synth", "--users", "300", "--movies", "80", "--seed", "3", "--rounding", "whole",
      "--out", folder.appendingPathComponent("world").path,
    ])
    #expect(synth.status == 0, "\(synth.stderr)")
    let split = try CommandRunner.aflix([
      "split", folder.appendingPathComponent("world").path, "--protocol", "user-holdout:0.2",
      "--seed", "1", "--out", folder.appendingPathComponent("split").path,
    ])
    #expect(split.status == 0, "\(split.stderr)")
    let train = folder.appendingPathComponent("split/train.csv").path
    let test = folder.appendingPathComponent("split/test.csv").path
    let evaluate = try CommandRunner.aflix([
      "evaluate", "--train", train, "--test", test, "--model", "baseline", "--json",
      "--relevant", "4", "--scale", "0.5:5",
    ])
    #expect(evaluate.status == 0, "\(evaluate.stderr)")
    let o = try Self.json(evaluate.stdout)
    let rmse = try #require(o["rmse"] as? Double)
    #expect(rmse > 0.3 && rmse < 1.5)
    #expect(o["relevant"] as? String == "4")

    let popularity = try CommandRunner.aflix([
      "evaluate", "--train", train, "--test", test, "--model", "popularity", "--json",
      "--scale", "0.5:5",
    ])
    #expect(popularity.status == 0, "\(popularity.stderr)")
    #expect(try Self.json(popularity.stdout)["rmse"] is NSNull)

    let file = folder.appendingPathComponent("model.aflix")
    let saved = try CommandRunner.aflix([
      "train", train, "--model", "baseline", "--out", file.path, "--scale", "0.5:5",
    ])
    #expect(saved.status == 0, "\(saved.stderr)")
    let model = try BaselineModel.load(from: file)
    let direct = try Baseline().fit(
      try DatasetLoader.load(
        path: train, options: LoadOptions(scale: RatingScale(minimum: 0.5, maximum: 5))
      ).ratings!)
    #expect(model == direct)
  }

  @Test func badArgumentsAreRejected() throws {
    let none = try CommandRunner.aflix(["evaluate", "/tmp", "--model", "baseline"])
    #expect(none.status != 0 && none.stderr.contains("exactly one"))
    let unknown = try CommandRunner.aflix(["evaluate", "/tmp", "--kfold", "3", "--model", "nope"])
    #expect(unknown.status != 0)
    let flag = try CommandRunner.aflix([
      "evaluate", "/tmp", "--kfold", "3", "--model", "popularity", "--epochs", "3",
    ])
    #expect(flag.status != 0 && flag.stderr.contains("--epochs"))
  }
}
