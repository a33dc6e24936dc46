import Foundation
import Testing
import _AFlixTestSupport

@Suite("aflix cluster")
struct ClusterCLITests {
  static func json(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any])
  }

  /// A small archetype world written by `aflix synth`.
  static func world() throws -> URL {
    let folder = try CommandRunner.temporaryFolder()
    let result = try CommandRunner.aflix([
      "synth", "--users", "800", "--seed", "5", "--archetypes", "--out", folder.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    return folder
  }

  @Test func clustersAWorldAndReportsSegmentsAndTruth() throws {
    let folder = try Self.world()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix([
      "cluster", folder.path, "--k", "4", "--factors", "8", "--seed", "3", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.json(result.stdout)
    #expect(report["k"] as? Int == 4)
    #expect(report["factors"] as? Int == 8)
    #expect(report["rows"] as? String == "unit")  // cosine K-means by default
    #expect(report["users"] as? Int == 800)
    let segments = try #require(report["segments"] as? [[String: Any]])
    #expect(segments.count == 4)
    #expect(segments.compactMap { $0["size"] as? Int }.reduce(0, +) == 800)
    #expect(segments.allSatisfy { ($0["label"] as? String)?.isEmpty == false })
    #expect(segments.allSatisfy { $0["mean_rating"] is Double && $0["films"] is [Any] })
    let silhouette = try #require(report["silhouette"] as? Double)
    #expect(silhouette > -1 && silhouette < 1)
    #expect(report["balance"] is Double && report["calinski_harabasz"] is Double)
    // A synth folder with archetypes: agreement with the ground truth is reported.
    #expect(report["adjusted_rand_index"] is Double)
    #expect(report["normalized_mutual_information"] is Double)

    let raw = try CommandRunner.aflix([
      "cluster", folder.path, "--k", "4", "--factors", "8", "--rows", "raw", "--json",
    ])
    #expect(raw.status == 0, "\(raw.stderr)")
    #expect(try Self.json(raw.stdout)["rows"] as? String == "raw")

    let text = try CommandRunner.aflix(["cluster", folder.path, "--k", "3", "--factors", "8"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("segment 2"))
    #expect(text.stdout.contains("silhouette"))
  }

  @Test func aSweepMarksTheBestComposite() throws {
    let folder = try Self.world()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix([
      "cluster", folder.path, "--k", "2...4", "--factors", "6", "--restarts", "3", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let report = try Self.json(result.stdout)
    let sweep = try #require(report["sweep"] as? [[String: Any]])
    #expect(sweep.compactMap { $0["k"] as? Int } == [2, 3, 4])
    let best = sweep.filter { $0["is_best"] as? Bool == true }
    #expect(best.count == 1)
    let scores = sweep.compactMap { $0["composite_score"] as? Double }
    #expect(scores.count == 3)
    #expect(best.first?["composite_score"] as? Double == scores.max())
    #expect(report["k"] as? Int == best.first?["k"] as? Int)
    for candidate in sweep {
      let k = Double(candidate["k"] as! Int)
      let expected =
        0.5 * (candidate["silhouette"] as! Double) + 0.3 * (candidate["balance"] as! Double)
        + 0.2 / k
      #expect(abs((candidate["composite_score"] as! Double) - expected) < 1e-12)
    }
  }

  @Test func labelsAreTheSameForOneAndTwoThreads() throws {
    // BLAS's thread count is process-global: the two runs are child processes.
    let folder = try Self.world()
    defer { try? FileManager.default.removeItem(at: folder) }
    var files: [Data] = []
    for threads in ["1", "2", "2"] {
      let out = folder.appendingPathComponent("labels-\(threads)-\(files.count).csv")
      let result = try CommandRunner.aflix([
        "cluster", folder.path, "--k", "5", "--factors", "10", "--seed", "11", "--threads",
        threads, "--labels-out", out.path,
      ])
      #expect(result.status == 0, "\(result.stderr)")
      files.append(try Data(contentsOf: out))
    }
    #expect(files[0] == files[1])
    #expect(files[1] == files[2])
    let lines = String(decoding: files[0], as: UTF8.self).split(separator: "\n")
    #expect(lines.first == "userId,segment")
    #expect(lines.count == 801)
  }

  @Test func badArgumentsAreRefused() throws {
    let folder = try Self.world()
    defer { try? FileManager.default.removeItem(at: folder) }
    for k in ["0", "4...2", "x"] {
      let result = try CommandRunner.aflix(["cluster", folder.path, "--k", k])
      #expect(result.status != 0, "--k \(k)")
      #expect(result.stderr.contains("--k"))
    }
  }
}
