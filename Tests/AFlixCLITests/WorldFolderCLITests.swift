import Foundation
import Testing
import _AFlixTestSupport

/// A world folder is read as written, and what stands beside its files is reported rather than
/// hidden (issue #10's review).
@Suite("aflix world folders")
struct WorldFolderCLITests {
  static func world() throws -> URL {
    let out = try CommandRunner.temporaryFolder().appendingPathComponent("world")
    let result = try CommandRunner.aflix([
      "synth", "--users", "40", "--seed", "2", "--out", out.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    return out
  }

  @Test(arguments: [["--lenient"], ["--scale", "1:5"], ["--duplicates", "sum"]])
  func optionsAWorldWouldIgnoreAreRefused(options: [String]) throws {
    let folder = try Self.world()
    let result = try CommandRunner.aflix(["info", folder.path] + options)
    #expect(result.status != 0)
    #expect(result.stderr.contains("does not apply to a world folder"), "\(result.stderr)")
    // Its ratings file takes them.
    let file = try CommandRunner.aflix(
      ["info", folder.appendingPathComponent("ratings.csv").path] + options)
    #expect(file.status == 0 || options.contains("1:5"), "\(file.stderr)")
  }

  @Test func aBrokenDescriptionBesideARatingsFileIsReported() throws {
    let folder = try Self.world()
    try Data("{\n  \"format\": 1,,\n}".utf8).write(to: folder.appendingPathComponent("world.json"))
    let result = try CommandRunner.aflix([
      "info", folder.appendingPathComponent("ratings.csv").path,
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("world.json"), "\(result.stderr)")
    #expect(result.stderr.contains("line 2"), "\(result.stderr)")
  }

  @Test func aLinkLoopForAnOptionalFileIsAnErrorNotAbsence() throws {
    let folder = try Self.world()
    let movies = folder.appendingPathComponent("movies.csv")
    try FileManager.default.removeItem(at: movies)
    try FileManager.default.createSymbolicLink(
      atPath: movies.path, withDestinationPath: movies.path)
    let result = try CommandRunner.aflix(["info", folder.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("link loop"), "\(result.stderr)")
  }
}
