import AFlix
import Foundation
import Testing
import _AFlixTestSupport

/// `aflix recommend` and `aflix similar`: the first serving commands.
@Suite("aflix recommend and similar")
struct ServingCLITests {
  /// A synthetic world and an implicit-ALS model file trained on it.
  static func trained() throws -> (folder: URL, world: String, model: String) {
    let folder = try CommandRunner.temporaryFolder()
    let world = folder.appendingPathComponent("world").path
    let synth = try CommandRunner.aflix([
      "synth", "--users", "200", "--movies", "60", "--seed", "4", "--rounding", "whole",
      "--out", world,
    ])
    #expect(synth.status == 0, "\(synth.stderr)")
    let model = folder.appendingPathComponent("ials.aflix").path
    let train = try CommandRunner.aflix([
      "train", world, "--model", "ials", "--factors", "8", "--iterations", "4", "--out", model,
    ])
    #expect(train.status == 0, "\(train.stderr)")
    return (folder, world, model)
  }

  static func array(_ text: String) throws -> [[String: Any]] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
  }

  @Test func recommendPrintsOneJSONArrayWithoutTheUsersRatedItems() throws {
    let (folder, world, model) = try Self.trained()
    defer { try? FileManager.default.removeItem(at: folder) }
    let dataset = try #require(try DatasetLoader.load(path: world).ratings)
    let user = dataset.users.id(at: 3)
    let rated = Set(
      dataset.ratings(ofUser: 3).items.map { dataset.items.id(at: Int($0)).description })
    let result = try CommandRunner.aflix([
      "recommend", model, "--user", "\(user)", "--n", "7", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let entries = try Self.array(result.stdout)
    #expect(entries.count == 7)
    for entry in entries {
      #expect(Set(entry.keys) == ["item_id", "score", "source"])
      #expect(entry["source"] as? String == "model")
      #expect(!rated.contains(try #require(entry["item_id"] as? String)))
    }
    let scores = entries.compactMap { $0["score"] as? Double }
    #expect(scores.count == 7 && zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 })
    // The same list from the library.
    let loaded = try ModelRegistry.load(from: URL(fileURLWithPath: model))
    let expected = loaded.recommend(user: user, count: 7).items.map(\.item.description)
    #expect(entries.compactMap { $0["item_id"] as? String } == expected)
  }

  @Test func unknownUsersAndIgnoredIdsAreNotedOnStandardError() throws {
    let (folder, _, model) = try Self.trained()
    defer { try? FileManager.default.removeItem(at: folder) }
    let stranger = try CommandRunner.aflix(["recommend", model, "--user", "nobody", "--json"])
    #expect(stranger.status == 0, "\(stranger.stderr)")
    #expect(stranger.stderr.contains("user nobody is unknown"))
    #expect(try Self.array(stranger.stdout).allSatisfy { $0["source"] as? String == "averageUser" })
    let folded = try CommandRunner.aflix([
      "recommend", model, "--user", "new", "--rated", "1=5,2=4,no-such-film=3", "--n", "5",
      "--json",
    ])
    #expect(folded.status == 0, "\(folded.stderr)")
    #expect(folded.stderr.contains("no-such-film"))
    let ids = try Self.array(folded.stdout).compactMap { $0["item_id"] as? String }
    #expect(ids.count == 5 && !ids.contains("1") && !ids.contains("2"))
  }

  @Test func similarListsOtherItemsBestFirst() throws {
    let (folder, _, model) = try Self.trained()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix(["similar", model, "--item", "1", "--n", "4", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let entries = try Self.array(result.stdout)
    #expect(entries.count == 4 && !entries.contains { $0["item_id"] as? String == "1" })
    #expect(entries.allSatisfy { $0["source"] as? String == "model" })
    let table = try CommandRunner.aflix(["similar", model, "--item", "1", "--n", "2"])
    #expect(table.status == 0 && table.stdout.contains("Most similar to item 1"))
  }

  @Test func aDatasetWithModelIsFittedFirst() throws {
    let (folder, world, _) = try Self.trained()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix([
      "recommend", world, "--model", "popularity", "--user", "1", "--n", "3", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try Self.array(result.stdout).count == 3)
  }

  @Test(arguments: [
    ["--n", "0"], ["--n", "-4"], ["--rated", "1=abc"], ["--rated", "=4"], ["--rated", "1=nan"],
    ["--model", "no-such-model"],
  ])
  func badArgumentsAreRefused(extra: [String]) throws {
    let (folder, _, model) = try Self.trained()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try CommandRunner.aflix(["recommend", model, "--user", "1"] + extra)
    #expect(result.status != 0)
    #expect(!result.stderr.isEmpty && result.stdout.isEmpty)
  }

  @Test func missingOrForeignModelFilesAreTypedErrors() throws {
    let (folder, world, _) = try Self.trained()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = try CommandRunner.aflix([
      "similar", folder.appendingPathComponent("none").path, "--item", "1",
    ])
    #expect(missing.status != 0 && missing.stderr.contains("none"))
    let foreign = folder.appendingPathComponent("notes.txt")
    try "not a model, not ratings\n".write(to: foreign, atomically: true, encoding: .utf8)
    let notAModel = try CommandRunner.aflix(["recommend", foreign.path, "--user", "1"])
    #expect(notAModel.status != 0 && !notAModel.stderr.isEmpty)
    _ = world
  }
}
