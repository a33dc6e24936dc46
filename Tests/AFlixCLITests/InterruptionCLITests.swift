import Foundation
import Testing
import _AFlixTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Long valid runs stop within 2 s of `SIGINT` / `SIGTERM`, exit with 128 + the signal, and leave
/// no partial file behind (issue #10).
@Suite("aflix interruption")
struct InterruptionCLITests {
  static func hiddenOrPartialFiles(in folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path)
  }

  @Test(arguments: [SIGTERM, SIGINT])
  func aHugeEpochCountStopsPromptlyAndWritesNothing(signal: Int32) throws {
    let data = try BadInputCLITests.ratingsFile(users: 200)
    let out = try CommandRunner.temporaryFolder()
    let (result, seconds) = try CommandRunner.aflix(
      [
        "train", data.path, "--model", "mf-sgd", "--epochs", "2000000000", "--out",
        out.appendingPathComponent("model.aflix").path,
      ], interruptedBy: signal, after: 1.5)
    #expect(result.status == 128 + signal, "\(result.stderr)")
    #expect(seconds < 2, "stopped \(seconds) s after the signal")
    #expect(result.stderr.contains("interrupted by"))
    #expect(try Self.hiddenOrPartialFiles(in: out).isEmpty)
  }

  /// A huge synthetic world (10⁷ users, gigabytes of files) interrupted mid-stream: nothing of it
  /// is left, in a new folder or beside the files of an earlier run, which stay as they were.
  @Test(arguments: [SIGTERM, SIGINT], [false, true])
  func aHugeSynthStopsPromptlyAndLeavesTheFolderAsItWas(signal: Int32, existing: Bool) throws {
    let parent = try CommandRunner.temporaryFolder()
    let out = parent.appendingPathComponent("world")
    var before: [String: Data] = [:]
    if existing {
      let small = try CommandRunner.aflix(["synth", "--users", "50", "--out", out.path])
      #expect(small.status == 0, "\(small.stderr)")
      for name in try FileManager.default.contentsOfDirectory(atPath: out.path) {
        before[name] = try Data(contentsOf: out.appendingPathComponent(name))
      }
    }
    let (result, seconds) = try CommandRunner.aflix(
      ["synth", "--users", "10000000", "--seed", "3", "--out", out.path],
      interruptedBy: signal, after: 2)
    #expect(result.status == 128 + signal, "\(result.stderr)")
    #expect(seconds < 2, "stopped \(seconds) s after the signal")
    if existing {
      let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
      #expect(Set(names) == Set(before.keys), "\(names)")
      for (name, data) in before {
        #expect(try Data(contentsOf: out.appendingPathComponent(name)) == data, "\(name)")
      }
    } else {
      #expect(!FileManager.default.fileExists(atPath: out.path))
    }
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: parent.path)
        == (existing ? ["world"] : []))
  }

  /// `SIGKILL` cannot be handled: the partial files stay, and the next run into the same place
  /// removes them.
  @Test func partialsOfAKilledRunAreRemovedByTheNextRun() throws {
    let parent = try CommandRunner.temporaryFolder()
    let out = parent.appendingPathComponent("world")
    let (killed, _) = try CommandRunner.aflix(
      ["synth", "--users", "10000000", "--out", out.path], interruptedBy: SIGKILL, after: 1.5)
    #expect(killed.status == SIGKILL)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: parent.path)
    #expect(leftovers.contains { $0.hasSuffix(".partial") }, "\(leftovers)")
    let next = try CommandRunner.aflix(["synth", "--users", "50", "--out", out.path])
    #expect(next.status == 0, "\(next.stderr)")
    let after = try FileManager.default.contentsOfDirectory(atPath: parent.path)
    #expect(after == ["world"], "\(after)")
    let inside = try FileManager.default.contentsOfDirectory(atPath: out.path)
    #expect(!inside.contains { $0.hasSuffix(".partial") }, "\(inside)")
  }
}
