import AFlix
import Foundation
import Testing
import _AFlixTestSupport

/// `aflix recommend` on a dataset without `--model`: the hybrid, with its options.
@Suite("aflix recommend: the hybrid")
struct HybridRecommendCLITests {
  static func world() throws -> (folder: URL, world: String) {
    let folder = try CommandRunner.temporaryFolder()
    let world = folder.appendingPathComponent("world").path
    let synth = try CommandRunner.aflix([
      "synth", "--users", "150", "--movies", "150", "--seed", "5", "--rounding", "whole",
      "--out", world,
    ])
    #expect(synth.status == 0, "\(synth.stderr)")
    return (folder, world)
  }

  static func array(_ text: String) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
  }

  @Test func aDatasetAloneServesTheHybridWithTitlesAndExplanations() throws {
    let (folder, world) = try Self.world()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix([
      "recommend", world, "--user", "3", "--n", "6", "--json", "--explain",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let entries = try Self.array(result.stdout)
    #expect(entries.count == 6)
    let catalog = try #require(try DatasetLoader.load(path: world).catalog)
    for entry in entries {
      #expect(Set(entry.keys) == ["item_id", "score", "source", "title", "explanation"])
      let id = try #require(entry["item_id"] as? String)
      #expect(entry["title"] as? String == catalog.movie(withID: EntityID(parsing: id))?.title)
      let explanation = try #require(entry["explanation"] as? [String: Any])
      let shares = try #require(explanation["shares"] as? [[String: Any]])
      #expect(!shares.isEmpty)
      #expect(explanation["shared_genres"] is [String])
    }
    // The same list as the library's hybrid fitted on the same data.
    let data = try #require(try DatasetLoader.load(path: world).ratings)
    let model = try Hybrid(catalog: catalog).fit(data)
    let expected = try model.recommend(user: 3, HybridRequest(count: 6)).items.map(
      \.item.description)
    #expect(entries.compactMap { $0["item_id"] as? String } == expected)
  }

  @Test func aNewcomerStatesGenresAndAskForDiversity() throws {
    let (folder, world) = try Self.world()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix([
      "recommend", world, "--user", "newcomer", "--genres", "Comedy", "--diversity", "mmr:0.7",
      "--n", "4", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let entries = try Self.array(result.stdout)
    #expect(entries.count == 4)
    #expect(result.stderr.contains("unknown"))
  }

  @Test(arguments: [
    ["--diversity", "mmr:2"], ["--diversity", "sometimes"], ["--weights", "1,2"],
    ["--weights", "0,0,0"], ["--weights", "a,b,c"], ["--weights", "-1,0,1"],
  ])
  func badHybridOptionsAreRefused(extra: [String]) throws {
    let (folder, world) = try Self.world()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix(["recommend", world, "--user", "1"] + extra)
    #expect(result.status != 0)
    #expect(!result.stderr.isEmpty && result.stdout.isEmpty)
  }

  @Test func hybridOptionsApplyToAnyModelFile() throws {
    let (folder, world) = try Self.world()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("ease.aflix").path
    let train = try CommandRunner.aflix(["train", world, "--model", "ease", "--out", model])
    #expect(train.status == 0, "\(train.stderr)")
    let plain = try CommandRunner.aflix(["recommend", model, "--user", "2", "--n", "5", "--json"])
    let explained = try CommandRunner.aflix([
      "recommend", model, "--user", "2", "--n", "5", "--json", "--explain",
    ])
    #expect(plain.status == 0 && explained.status == 0, "\(explained.stderr)")
    let a = try Self.array(plain.stdout)
    let b = try Self.array(explained.stdout)
    // The model alone ranks: same films, each with its explanation (all collaborative).
    #expect(a.compactMap { $0["item_id"] as? String } == b.compactMap { $0["item_id"] as? String })
    for entry in b {
      let shares = try #require(
        (entry["explanation"] as? [String: Any])?["shares"] as? [[String: Any]])
      #expect(shares.map { $0["scorer"] as? String } == ["collaborative"])
    }
  }
}
