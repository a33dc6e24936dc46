import Foundation
import Testing
import _AFlixTestSupport

/// "Rejecting any file peaks under 200 MB" (issue #10): `aflix info` runs under a 200 MiB limit
/// on its private writable memory (`ulimit -d`, Linux's RLIMIT_DATA) and must still reject each
/// 300 MB bad file with its typed error — a whole-file read would fail to allocate instead.
@Suite("Rejecting big bad files in bounded memory")
struct RejectionMemoryTests {
  /// A sparse file of `size` zero bytes (instant, no disk used).
  static func zeros(_ url: URL, size: UInt64 = 300 << 20) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    try handle.truncate(atOffset: size)
    try handle.close()
  }

  /// Runs `aflix info path` under the memory limit, ending it after `timeout` seconds.
  static func infoUnderLimit(_ path: String, timeout: Double = 60) throws -> (
    status: Int32, stderr: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [
      "-c", "ulimit -d 204800 && exec \"$0\" info \"$1\"",
      CommandRunner.productsFolder.appendingPathComponent("aflix").path, path,
    ]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    let start = Date()
    while process.isRunning && Date().timeIntervalSince(start) < timeout {
      Thread.sleep(forTimeInterval: 0.05)
    }
    if process.isRunning { process.terminate() }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationReason == .exit ? process.terminationStatus : -1,
      String(decoding: errData, as: UTF8.self)
    )
  }

  @Test(arguments: ["ratings.csv", "movies.json", "u.data"])
  func aZeroFileIsRejectedWithinTheLimit(name: String) throws {
    let folder = try CommandRunner.temporaryFolder()
    let file = folder.appendingPathComponent(name)
    try Self.zeros(file)
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try Self.infoUnderLimit(name == "u.data" ? folder.path : file.path)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("NUL"), "\(result.stderr)")
  }

  @Test func aWorldWithAZeroMoviesFileIsRejectedWithinTheLimit() throws {
    let out = try CommandRunner.temporaryFolder().appendingPathComponent("world")
    let made = try CommandRunner.aflix(["synth", "--users", "30", "--out", out.path])
    #expect(made.status == 0, "\(made.stderr)")
    try Self.zeros(out.appendingPathComponent("movies.csv"))
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try Self.infoUnderLimit(out.path)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("NUL"), "\(result.stderr)")
  }

  /// Valid JSON that is not a catalog: parsed whole, its 10 M numbers would take far more than
  /// the limit; streamed, it is refused for what it is.
  @Test func validJSONThatIsNotACatalogIsRejectedWithinTheLimit() throws {
    let folder = try CommandRunner.temporaryFolder()
    let file = folder.appendingPathComponent("movies.json")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = FileManager.default.createFile(atPath: file.path, contents: nil)
    let handle = try FileHandle(forWritingTo: file)
    try handle.write(contentsOf: Data("{\"page\": 1, \"junk\": [".utf8))
    let block = Data(String(repeating: "0,", count: 1 << 19).utf8)
    for _ in 0..<20 { try handle.write(contentsOf: block) }
    try handle.write(contentsOf: Data("0]}".utf8))
    try handle.close()
    let result = try Self.infoUnderLimit(file.path)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("expected an array of movies"), "\(result.stderr)")
  }

  /// A catalog whose syntax breaks only at its very end is refused for its syntax before any
  /// movie is decoded — decoding first would hold every movie before the break (2 M movies:
  /// 582 MB) and report the first movie's missing id instead.
  @Test func aCatalogBrokenAtItsEndIsRefusedBeforeAnyMovieIsDecoded() throws {
    let folder = try CommandRunner.temporaryFolder()
    let file = folder.appendingPathComponent("movies.json")
    defer { try? FileManager.default.removeItem(at: folder) }
    var text = "[{\"title\": \"no id\"},"
    for i in 0..<50_000 { text += "{\"id\": \(i), \"title\": \"film \(i)\"}," }
    text += ",]"
    try Data(text.utf8).write(to: file)
    let result = try Self.infoUnderLimit(file.path)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("not valid JSON"), "\(result.stderr)")
    #expect(!result.stderr.contains("no id"), "\(result.stderr)")
  }
}
