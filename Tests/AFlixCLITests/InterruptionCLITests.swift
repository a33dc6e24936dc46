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
}
