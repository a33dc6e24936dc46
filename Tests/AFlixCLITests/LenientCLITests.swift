import Foundation
import Testing
import _AFlixTestSupport

/// `--lenient` keeps no trace of a rejected line, and a file whose every line is rejected is an
/// error, not an empty dataset (issue #10's reproducers, through the command line).
@Suite("aflix --lenient")
struct LenientCLITests {
  static func file(_ text: String) throws -> URL {
    let url = try CommandRunner.temporaryFolder().appendingPathComponent("ratings.csv")
    try Data(text.utf8).write(to: url)
    return url
  }

  @Test(arguments: ["999,888,9,100", "999,888,nan,100", "999,888,3,x", "999,888", "999,,3,1"])
  func rejectedLinesLeaveNoIDs(badLine: String) throws {
    let url = try Self.file("userId,movieId,rating,timestamp\n1,10,4,1\n2,20,3,2\n\(badLine)\n")
    let result = try CommandRunner.aflix(["info", url.path, "--lenient", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["users"] as? Int == 2)
    #expect(object["items"] as? Int == 2)
    #expect(object["ratings"] as? Int == 2)
    #expect(object["density"] as? Double == 0.5)
    #expect(object["skipped_lines"] as? Int == 1)
  }

  @Test func aFileWithEveryLineRejectedIsAnError() throws {
    let url = try Self.file("userId,movieId,rating,timestamp\n1,2,9,100\n3,4,abc,5\n")
    let info = try CommandRunner.aflix(["info", url.path, "--lenient"])
    #expect(info.status != 0)
    #expect(info.stderr.contains("rejected"), "\(info.stderr)")
    let out = try CommandRunner.temporaryFolder()
    let split = try CommandRunner.aflix([
      "split", url.path, "--lenient", "--protocol", "holdout:0.5", "--out", out.path,
    ])
    #expect(split.status != 0)
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
  }
}
