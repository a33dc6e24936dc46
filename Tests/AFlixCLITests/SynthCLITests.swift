import Foundation
import Testing
import _AFlixTestSupport

@Suite("aflix synth")
struct SynthCLITests {
  static func json(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any])
  }

  @Test func synthWritesAWorldThatInfoReads() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix([
      "synth", "--users", "600", "--movies", "120", "--seed", "42", "--archetypes",
      "--ratings-per-user", "5-20", "--rounding", "half", "--out", folder.path, "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let summary = try Self.json(result.stdout)
    #expect(summary["users"] as? Int == 600)
    #expect(summary["films"] as? Int == 120)
    let ratings = try #require(summary["ratings"] as? Int)
    #expect(ratings >= 600 * 5 && ratings <= 600 * 20)
    let oracle = try #require(summary["oracle_rmse_holdout"] as? Double)
    #expect(oracle > 0.5 && oracle < 1.1)
    for name in ["ratings.csv", "movies.csv", "truth.csv", "profiles.csv", "world.json"] {
      #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
    }
    let profiles = try String(
      contentsOf: folder.appendingPathComponent("profiles.csv"), encoding: .utf8)
    #expect(
      profiles.hasPrefix("userId,segment,tendency,noise_sd,popularity_bias,preferred_genres\n"))
    #expect(profiles.contains(",Blockbuster,"))

    // Half stars: aflix info reads ratings.csv with the MovieLens default scale.
    let info = try CommandRunner.aflix([
      "info", folder.appendingPathComponent("ratings.csv").path, "--json", "--top", "3",
    ])
    #expect(info.status == 0, "\(info.stderr)")
    let object = try Self.json(info.stdout)
    #expect(object["ratings"] as? Int == ratings)
    #expect(object["users"] as? Int == 600)
    #expect(object["has_timestamps"] as? Bool == true)
    // The folder, with its movies.csv.
    let folderInfo = try CommandRunner.aflix(["info", folder.path, "--json", "--top", "3"])
    #expect(folderInfo.status == 0, "\(folderInfo.stderr)")
    let folderObject = try Self.json(folderInfo.stdout)
    #expect(folderObject["format"] as? String == "synth")
    // The folder is read back as a world: its oracle RMSE over all ratings is the one synth printed.
    let oracleAll = try #require(folderObject["oracle_rmse"] as? Double)
    let printed = try #require(summary["oracle_rmse"] as? Double)
    #expect(abs(oracleAll - printed) < 1e-6)  // summed in another order
    let catalog = try #require(try Self.json(folderInfo.stdout)["catalog"] as? [String: Any])
    #expect(catalog["movies"] as? Int == 120)

    // The same seed writes the same bytes.
    let again = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: again) }
    _ = try CommandRunner.aflix([
      "synth", "--users", "600", "--movies", "120", "--seed", "42", "--archetypes",
      "--ratings-per-user", "5-20", "--rounding", "half", "--out", again.path,
    ])
    for name in ["ratings.csv", "truth.csv", "profiles.csv", "movies.csv"] {
      #expect(
        try Data(contentsOf: folder.appendingPathComponent(name))
          == Data(contentsOf: again.appendingPathComponent(name)), "\(name)")
    }
  }

  @Test func continuousRatingsReadBackWithAContinuousScale() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix([
      "synth", "--users", "300", "--seed", "1", "--out", folder.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("oracle RMSE"))
    let info = try CommandRunner.aflix([
      "info", folder.appendingPathComponent("ratings.csv").path, "--scale", "0.5:5", "--json",
      "--top", "2",
    ])
    #expect(info.status == 0, "\(info.stderr)")
    let object = try Self.json(info.stdout)
    #expect(object["users"] as? Int == 300)
    // Continuous ratings are binned, not listed one value per bin.
    let bins = try #require(object["histogram"] as? [[String: Any]])
    #expect(bins.count == 9 && bins.allSatisfy { $0["upper"] != nil })
    #expect(bins.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == object["ratings"] as? Int)
    // Without --scale the file loads as written: the world's scale comes from world.json.
    let asWritten = try CommandRunner.aflix([
      "info", folder.appendingPathComponent("ratings.csv").path, "--json", "--top", "2",
    ])
    #expect(asWritten.status == 0, "\(asWritten.stderr)")
    #expect(try Self.json(asWritten.stdout)["ratings"] as? Int == object["ratings"] as? Int)
    // A copy away from its world.json gets the half-star default, which refuses them and says
    // how to declare the scale.
    let alone = try CommandRunner.temporaryFolder().appendingPathComponent("ratings.csv")
    try FileManager.default.copyItem(at: folder.appendingPathComponent("ratings.csv"), to: alone)
    let strict = try CommandRunner.aflix(["info", alone.path])
    #expect(strict.status != 0 && strict.stderr.contains("--scale"))
  }

  @Test func invalidOptionsFail() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let reversed = try CommandRunner.aflix([
      "synth", "--ratings-per-user", "50-10", "--out", folder.path,
    ])
    #expect(reversed.status != 0)
    #expect(reversed.stderr.contains("--ratings-per-user"))
    let tooMany = try CommandRunner.aflix([
      "synth", "--movies", "20", "--ratings-per-user", "10-30", "--out", folder.path,
    ])
    #expect(tooMany.status != 0)
    #expect(tooMany.stderr.contains("20"))
  }

  /// Values that used to trap or hang: a clear message and a failure status, nothing written.
  @Test func outOfBoundsValuesFailCleanly() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("world").path
    for (arguments, parameter) in [
      (["--film-choice", "popular:500"], "--film-choice exponent: 500.0"),
      (["--film-choice", "popular:-1000"], "--film-choice exponent: -1000.0"),
      (["--users", "9223372036854775807"], "--users: 9223372036854775807"),
      (["--movies", "5000000000000000000"], "--movies: 5000000000000000000"),
      (["--movies", "100000000000"], "--movies: 100000000000"),
    ] {
      let result = try CommandRunner.aflix(["synth", "--out", out] + arguments)
      #expect(result.status != 0, "\(arguments)")
      #expect(result.stderr.contains(parameter), "\(arguments): \(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out), "\(arguments) wrote files")
    }
  }
}
