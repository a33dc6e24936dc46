import Foundation
import Testing
import _AFlixTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Output paths that are not regular files (devices, FIFOs, symbolic links) are refused and left
/// as they were, by every command that writes; errors read as sentences, with control
/// characters escaped (issue #10).
@Suite("aflix output targets and error text")
struct FileTargetCLITests {
  static func fifo() throws -> URL {
    let url = try CommandRunner.temporaryFolder().appendingPathComponent("pipe")
    #expect(mkfifo(url.path, 0o600) == 0)
    return url
  }

  static func isCharacterDevice(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR
  }

  @Test(arguments: ["/dev/null", "/dev/full"])
  func devicesAreNeverReplaced(device: String) throws {
    let data = try BadInputCLITests.ratingsFile().path
    let train = try CommandRunner.aflix([
      "train", data, "--model", "baseline", "--out", device,
    ])
    #expect(train.status != 0)
    #expect(train.stderr.contains("is a character device"), "\(train.stderr)")
    let labels = try CommandRunner.aflix([
      "cluster", data, "--k", "2", "--labels-out", device,
    ])
    #expect(labels.status != 0)
    #expect(labels.stderr.contains("is a character device"), "\(labels.stderr)")
    let split = try CommandRunner.aflix([
      "split", data, "--protocol", "holdout:0.2", "--out", device,
    ])
    #expect(split.status != 0)
    #expect(split.stderr.contains("not a folder"), "\(split.stderr)")
    let synth = try CommandRunner.aflix(["synth", "--users", "20", "--out", device])
    #expect(synth.status != 0)
    #expect(Self.isCharacterDevice(device))
    for result in [train, labels, split, synth] {
      #expect(
        !result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain"))
    }
  }

  @Test func fifosAndSymbolicLinksAreRefusedAndLeftAsTheyWere() throws {
    let data = try BadInputCLITests.ratingsFile().path
    let pipe = try Self.fifo()
    let train = try CommandRunner.aflix(["train", data, "--model", "baseline", "--out", pipe.path])
    #expect(train.status != 0 && train.stderr.contains("FIFO"), "\(train.stderr)")
    var info = stat()
    #expect(lstat(pipe.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    let folder = try CommandRunner.temporaryFolder()
    let target = folder.appendingPathComponent("real.aflix")
    try Data("keep".utf8).write(to: target)
    let link = folder.appendingPathComponent("link.aflix")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    let linked = try CommandRunner.aflix(["train", data, "--model", "baseline", "--out", link.path])
    #expect(linked.status != 0 && linked.stderr.contains("symbolic link"), "\(linked.stderr)")
    #expect(try String(contentsOf: target, encoding: .utf8) == "keep")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
  }

  @Test func readingAFifoOrAFolderIsRefusedWithoutBlocking() throws {
    let pipe = try Self.fifo()
    let fromFifo = try CommandRunner.aflix(["info", pipe.path, "--format", "csv"])
    #expect(fromFifo.status != 0)
    #expect(fromFifo.stderr.contains("FIFO"), "\(fromFifo.stderr)")
  }

  @Test func controlCharactersInInputAreEscapedInErrors() throws {
    let folder = try CommandRunner.temporaryFolder()
    let name = "bad\u{1B}[31mname\u{7}.csv"
    let missing = try CommandRunner.aflix(["info", folder.appendingPathComponent(name).path])
    #expect(missing.status != 0)
    #expect(!missing.stderr.contains("\u{1B}") && !missing.stderr.contains("\u{7}"))
    #expect(missing.stderr.contains("\\u{1B}[31mname\\u{7}"), "\(missing.stderr)")
    let file = folder.appendingPathComponent("ratings.csv")
    try Data("userId,movieId,rating\n1,2,3\n1,\u{1B}]0;x\u{7},4\n".utf8).write(to: file)
    let bad = try CommandRunner.aflix(["info", file.path])
    #expect(bad.status != 0)
    #expect(!bad.stderr.contains("\u{1B}"), "\(bad.stderr)")
  }
}
