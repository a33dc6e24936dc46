import AFlix
import Foundation
import Testing
import _AFlixTestSupport

/// `aflix coldstart`: the cold-start table of the hybrid, popularity and the collaborative model.
@Suite("aflix coldstart")
struct ColdStartCLITests {
  /// A MovieLens-100k-shaped folder holding only u2.base and u2.test: 60 users who each rate 12
  /// of 30 films (seeded), every fourth rating held out.
  static func folder() throws -> URL {
    let folder = try CommandRunner.temporaryFolder()
    var rng = SeededGenerator(seed: 11)
    var base = ""
    var test = ""
    for u in 1...60 {
      var films = Array(1...30)
      films.shuffle(using: &rng)
      for (k, film) in films.prefix(12).enumerated() {
        let stars = 1 + (u * film + k) % 5
        let line = "\(u)\t\(film)\t\(stars)\t\(1000 + k)\n"
        if k % 4 == 3 { test += line } else { base += line }
      }
    }
    try base.write(to: folder.appendingPathComponent("u2.base"), atomically: true, encoding: .utf8)
    try test.write(to: folder.appendingPathComponent("u2.test"), atomically: true, encoding: .utf8)
    return folder
  }

  @Test func jsonIsOneArrayOfRowsInAscendingN() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix([
      "coldstart", folder.path, "--folds", "u2", "--n", "3,0,1", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(rows.compactMap { $0["n"] as? Int } == [0, 1, 3])
    for row in rows {
      let users = try #require(row["users"] as? Int)
      #expect(users > 0 && users <= 60)
      for key in [
        "ndcg_at_10", "popularity_ndcg_at_10", "collaborative_ndcg_at_10", "counts_ndcg_at_10",
        "strata_ndcg_at_10",
      ] {
        let value = try #require(row[key] as? Double, "\(key)")
        #expect(value >= 0 && value <= 1)
      }
    }
    // With no history the hybrid serves its popularity scorer's list (the strata); the popularity
    // column is the better of counts and strata.
    #expect(rows[0]["ndcg_at_10"] as? Double == rows[0]["strata_ndcg_at_10"] as? Double)
    for row in rows {
      let best = max(row["counts_ndcg_at_10"] as! Double, row["strata_ndcg_at_10"] as! Double)
      #expect(row["popularity_ndcg_at_10"] as? Double == best)
    }
  }

  @Test func badArgumentsAreRefusedWithAMessage() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for arguments in [["--n", "1,x"], ["--n", "-1"], ["--folds", "u9"], ["--groups", "0"]] {
      let result = try CommandRunner.aflix(["coldstart", folder.path, "--folds", "u2"] + arguments)
      #expect(result.status != 0)
      #expect(!result.stderr.isEmpty, "\(arguments)")
    }
  }
}
