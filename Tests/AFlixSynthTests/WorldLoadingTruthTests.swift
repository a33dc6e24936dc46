import AFlixData
import Foundation
import Testing

@testable import AFlixSynth

/// `truth.csv` is read ahead (plain integer ids) or record by record (anything else); both
/// paths give the same expected ratings and catch a record that does not match its rating.
@Suite struct WorldLoadingTruthTests {
  /// A small world written to a fresh folder.
  static func written() throws -> (SyntheticWorld, URL) {
    let world = try SyntheticWorld.generate(WorldConfiguration(users: 300), seed: 3)
    let folder = try Worlds.temporaryFolder()
    try WorldWriter.write(world, to: folder)
    return (world, folder)
  }

  /// `truth.csv`'s lines after `edit`.
  static func editTruth(_ folder: URL, _ edit: (inout [String]) -> Void) throws {
    let url = folder.appendingPathComponent("truth.csv")
    var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(
      String.init)
    edit(&lines)
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
  }

  @Test func bothReadersGiveTheSameExpectedRatings() throws {
    let (world, folder) = try Self.written()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("truth.csv")
    let ahead = try #require(PendingTruth.read(url)?.expected(matching: world.ratings))
    let byRecord = try SyntheticWorld.readTruth(url, ratings: world.ratings)
    #expect(ahead == world.expectedRatings)
    #expect(byRecord == world.expectedRatings)
  }

  @Test func aRecordForAnotherItemIsCaught() throws {
    let (world, folder) = try Self.written()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Record 5 (line 6) names another film than its rating's.
    try Self.editTruth(folder) { lines in
      var fields = lines[5].split(separator: ",").map(String.init)
      let item = world.ratings.items.ids.first { $0.description != fields[1] }!
      fields[1] = item.description
      lines[5] = fields.joined(separator: ",")
    }
    let error = try #require(throws: SynthError.self) { try SyntheticWorld.load(from: folder) }
    #expect(error.description.contains("record 6 does not match ratings.csv"))
  }

  @Test func aQuotedOrPaddedIDTakesTheRecordByRecordPath() throws {
    let (world, folder) = try Self.written()
    defer { try? FileManager.default.removeItem(at: folder) }
    // A quoted id is the same id: the world still loads, through the slower reader.
    try Self.editTruth(folder) { lines in
      var fields = lines[1].split(separator: ",").map(String.init)
      fields[0] = "\"" + fields[0] + "\""
      lines[1] = fields.joined(separator: ",")
    }
    #expect(PendingTruth.read(folder.appendingPathComponent("truth.csv")) == nil)
    let loaded = try SyntheticWorld.load(from: folder)
    #expect(loaded.expectedRatings == world.expectedRatings)
  }

  @Test func aMissingOrExtraRecordIsCounted() throws {
    let (world, folder) = try Self.written()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Self.editTruth(folder) { lines in lines.removeLast() }
    let error = try #require(throws: SynthError.self) { try SyntheticWorld.load(from: folder) }
    #expect(
      error.description.contains(
        "\(world.ratings.ratingCount - 1) expected ratings for \(world.ratings.ratingCount)"))
  }
}
