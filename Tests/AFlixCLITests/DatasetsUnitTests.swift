import Foundation
import Synchronization
import Testing
import _AFlixTestSupport

@testable import aflix

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `sha256sum`, the reference the digest is checked against.
enum SHA256Reference {
  static func sha256sum(_ file: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [file.path]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: data, as: UTF8.self).prefix(64))
  }
}

/// The command line's SHA-256 against the NIST vectors (FIPS 180-4 examples) and `sha256sum`.
@Suite("SHA-256")
struct SHA256Tests {
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
    (
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    ),
  ])
  func nistVectors(message: String, digest: String) {
    #expect(SHA256.hex(Data(message.utf8)) == digest)
  }

  @Test func aMillionAs() {
    var hasher = SHA256()
    let chunk = Data(repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { hasher.update(chunk) }
    #expect(hasher.hexDigest == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// Pieces of every size from 1 to 130 bytes give the digest of the whole.
  @Test func piecesAddUpToTheWhole() {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let whole = SHA256.hex(Data(bytes))
    for size in [1, 3, 63, 64, 65, 127, 130] {
      var hasher = SHA256()
      var start = 0
      while start < bytes.count {
        hasher.update(bytes[start..<min(start + size, bytes.count)])
        start += size
      }
      #expect(hasher.hexDigest == whole, "pieces of \(size)")
    }
  }

  @Test func agreesWithSha256sumOnAFile() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("blob")
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<3_000_001).map { _ in UInt8.random(in: 0...255, using: &generator) }
    try Data(bytes).write(to: file)
    let expected = try SHA256Reference.sha256sum(file)
    #expect(expected.count == 64)
    #expect(try SHA256.hex(ofFileAt: file) == expected)
  }
}

/// Where datasets are cached, how names resolve, and what a manifest may hold.
@Suite("dataset names and cache")
struct DatasetReferenceTests {
  @Test func theCacheFolderRule() {
    #expect(DatasetCache.folder(explicit: "/d", environment: ["AFLIX_DATA": "/a"]).url.path == "/d")
    #expect(
      DatasetCache.folder(environment: ["AFLIX_DATA": "/a", "XDG_CACHE_HOME": "/x"]).url.path
        == "/a")
    #expect(
      DatasetCache.folder(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]).url.path
        == "/x/aflix")
    #expect(
      DatasetCache.folder(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"]).url.path
        == "/h/.cache/aflix")
    #expect(DatasetCache.folder(environment: ["HOME": "/h"]).url.path == "/h/.cache/aflix")
  }

  @Test func namesResolveToFetchedFoldersOnly() throws {
    let cache = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: cache) }
    let environment = ["AFLIX_DATA": cache.path]
    #expect(throws: DatasetError.self) {
      try DatasetReference.resolve("ml-1m", environment: environment)
    }
    let folder = cache.appendingPathComponent("ml-1m")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    // A folder without its ratings file is not a fetched dataset.
    #expect(throws: DatasetError.self) {
      try DatasetReference.resolve("ml-1m", environment: environment)
    }
    try Data().write(to: folder.appendingPathComponent("ratings.dat"))
    #expect(try DatasetReference.resolve("ml-1m", environment: environment) == folder.path)
    // Paths and unknown names pass through for the loader to report.
    #expect(
      try DatasetReference.resolve("no-such-thing", environment: environment) == "no-such-thing")
    #expect(try DatasetReference.resolve("./ml-1m", environment: environment) == "./ml-1m")
    #expect(try DatasetReference.resolve(cache.path, environment: environment) == cache.path)
  }

  @Test func theBuiltInRegistryPinsEveryArchive() {
    #expect(KnownDataset.builtIn.map(\.name) == ["ml-100k", "ml-latest-small", "ml-1m", "ml-25m"])
    for dataset in KnownDataset.builtIn {
      #expect(dataset.sha256.count == 64 && dataset.sha256.allSatisfy(\.isHexDigit))
      #expect(
        dataset.url.absoluteString
          == "https://files.grouplens.org/datasets/movielens/\(dataset.name).zip")
      #expect((dataset.size ?? 0) > 0)
      #expect(dataset.folder == dataset.name)
      #expect(dataset.licence != nil)
    }
  }

  @Test(arguments: [
    (#"{"name": "x"}"#, "not a JSON array"),
    (
      #"[{"name": ".hidden", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))"}]"#,
      "plain folder name"
    ),
    (
      #"[{"name": "x", "url": "ftp://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))"}]"#,
      "not an http"
    ),
    (#"[{"name": "x", "url": "http://h/x.zip", "sha256": "abc"}]"#, "64 hexadecimal digits"),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "folder": "../up"}]"#,
      "plain folder name"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "ratingsFile": "../u.data"}]"#,
      "not a plain file name"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "ratingsFile": "/etc/passwd"}]"#,
      "not a plain file name"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "folder": "/abs"}]"#,
      "plain folder name"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "format": "parquet"}]"#,
      "which AFlix does not read"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "size": 1e30}]"#,
      "size 1e+30, which is not a whole number of bytes"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "size": 2.5}]"#,
      "not a whole number of bytes"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "size": "5"}]"#,
      "not a number of bytes"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "size": 0}]"#,
      "not a positive number of bytes"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))", "sha265": "x"}]"#,
      "field \"sha265\" AFlix does not know"
    ),
    (
      #"[{"name": 5, "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))"}]"#,
      "has a name that is a number"
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip"}]"#,
      "has no \"sha256\""
    ),
    (
      #"[{"name": "x", "url": "http://h/x.zip", "sha256": "\#(String(repeating: "a", count: 64))"}, {"name": "x", "url": "http://h/y.zip", "sha256": "\#(String(repeating: "a", count: 64))"}]"#,
      "has the name of entry 1"
    ),
    (
      #"[{"name": "x", "url": 5}]"#,
      "has a url that is a number, not a string"
    ),
    (
      #"[{"name": "x",]"#,
      "is not valid JSON"
    ),
    (
      #"[3]"#,
      "entry 1 is a number, not an object"
    ),
  ])
  func aBadManifestIsRefused(text: String, reason: String) throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("m.json")
    try Data(text.utf8).write(to: file)
    let error = #expect(throws: DatasetError.self) { try KnownDataset.manifest(at: file) }
    let message = error?.description ?? ""
    #expect(message.contains(reason), "\(message)")
    #expect(message.contains(file.path), "\(message)")  // names the manifest
    #expect(!message.contains("DecodingError") && !message.contains("codingPath"), "\(message)")
  }

  @Test func aGoodManifestEntryKeepsEveryField() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("m.json")
    let sha = String(repeating: "b", count: 64)
    try Data(
      #"""
      [{"name": "mine", "url": "https://mirror/m.zip", "sha256": "\#(sha)", "size": 1234,
        "folder": "m", "ratingsFile": "ratings.csv", "format": "mlcsv", "description": "d",
        "licence": "https://example.org/terms"}]
      """#.utf8
    ).write(to: file)
    let entries = try KnownDataset.manifest(at: file)
    #expect(
      entries == [
        KnownDataset(
          name: "mine", url: URL(string: "https://mirror/m.zip")!, sha256: sha, size: 1234,
          folder: "m", ratingsFile: "ratings.csv", format: "mlcsv", summary: "d",
          licence: URL(string: "https://example.org/terms"))
      ])
  }

  /// A name is looked up in the manifest only when it could be one; a broken manifest does not
  /// hide that the file is missing.
  @Test func aBrokenManifestIsConsultedOnlyForWhatCouldBeAName() throws {
    let environment = ["AFLIX_DATASETS_MANIFEST": "/nonexistent/manifest.json"]
    for path in [".hidden", "./foo", "../foo", "a/b.csv", ""] {
      #expect(try DatasetReference.resolve(path, environment: environment) == path)
    }
    let error = #expect(throws: DatasetError.self) {
      try DatasetReference.resolve("foo", environment: environment)
    }
    let message = error?.description ?? ""
    #expect(message.contains("no such file or folder: foo"), "\(message)")
    #expect(message.contains("/nonexistent/manifest.json"), "\(message)")
  }

  @Test func theFolderHintQuotesForTheShell() {
    #expect(FetchDatasetCommand.shellQuoted("/tmp/data-1") == "/tmp/data-1")
    #expect(FetchDatasetCommand.shellQuoted("/tmp/my data") == "'/tmp/my data'")
    #expect(FetchDatasetCommand.shellQuoted("/tmp/it's") == #"'/tmp/it'\''s'"#)
    let environment = ["AFLIX_DATA": "/a"]
    #expect(
      FetchDatasetCommand.hint(cache: URL(fileURLWithPath: "/a"), environment: environment) == nil)
    #expect(
      FetchDatasetCommand.hint(cache: URL(fileURLWithPath: "/b"), environment: environment)
        == "to use the name elsewhere: export AFLIX_DATA=/b")
  }

  @Test func aManifestEntryNamedLikeABuiltInKeepsItsLicence() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("m.json")
    let sha = String(repeating: "A", count: 64)
    try Data(#"[{"name": "ml-1m", "url": "https://mirror/ml-1m.zip", "sha256": "\#(sha)"}]"#.utf8)
      .write(to: file)
    let entries = try KnownDataset.manifest(at: file)
    #expect(entries.count == 1)
    #expect(entries[0].sha256 == sha.lowercased())
    #expect(entries[0].licence == KnownDataset.builtIn[2].licence)
    #expect(entries[0].size == nil)
  }
}

/// The child processes `aflix datasets fetch` runs (`unzip`), through ``StopGate``.
@Suite("unzip and its child processes")
struct DatasetsChildProcessTests {
  /// The shell. Tests run it with a script as its argument rather than executing a script
  /// just written: another test's process starting at that moment may hold the new file open
  /// for writing, and executing it would then fail (`ETXTBSY`).
  static let shell = URL(fileURLWithPath: "/bin/sh")

  @Test func theExitStatusAndTheOutputFilesComeBack() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let outFile = folder.appendingPathComponent("out")
    let errFile = folder.appendingPathComponent("err")
    let out = open(outFile.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
    let err = open(errFile.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
    defer {
      close(out)
      close(err)
    }
    let status = try StopGate.run(
      Self.shell, ["-c", "echo out; echo err >&2; exit 3"], output: out, errors: err)
    #expect(status == 3)
    #expect(try String(contentsOf: outFile, encoding: .utf8) == "out\n")
    #expect(try String(contentsOf: errFile, encoding: .utf8) == "err\n")
    // A child ended by a signal: 128 + its number, as shells report it.
    #expect(try StopGate.run(Self.shell, ["-c", "kill -9 $$"], output: out, errors: err) == 137)
  }

  @Test func aMissingProgramIsAnError() throws {
    let error = #expect(throws: DatasetError.self) {
      try StopGate.run(
        URL(fileURLWithPath: "/nonexistent/unzip"), [], output: STDOUT_FILENO,
        errors: STDERR_FILENO)
    }
    #expect(error?.description.contains("cannot run /nonexistent/unzip") == true)
  }

  /// An `unzip` writing far more than a pipe holds (64 KiB) to standard error, then failing:
  /// the command reports its first line instead of blocking. Run on a thread of its own with a
  /// deadline, so that a regression fails here rather than hanging the suite.
  @Test func aFloodOfErrorsDoesNotBlockUnzip() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let script = folder.appendingPathComponent("unzip.sh")
    try """
    echo 'unzip: cannot find zipfile directory' >&2
    head -c 300000 /dev/zero | tr '\\0' 'e' >&2
    exit 9

    """.write(to: script, atomically: true, encoding: .utf8)
    let archive = DatasetArchive(
      file: folder.appendingPathComponent("x.zip"), source: URL(string: "http://h/x.zip")!,
      standIn: (Self.shell, [script.path]))
    let outcome = Mutex<String?>(nil)
    let done = DispatchSemaphore(value: 0)
    Thread {
      do {
        _ = try archive.safeEntries()
        outcome.withLock { $0 = "no error" }
      } catch {
        outcome.withLock { $0 = "\(error)" }
      }
      done.signal()
    }.start()
    let finished = done.wait(timeout: .now() + 60) == .success
    #expect(finished, "unzip blocked on a full standard-error pipe")
    let message = outcome.withLock { $0 } ?? ""
    #expect(message.contains("exited with 9"), "\(message)")
    #expect(message.contains("cannot find zipfile directory"), "\(message)")
  }
}

/// The most `aflix datasets fetch` downloads for a dataset whose size the registry does not give.
@Suite("unsized downloads")
struct DatasetsUnsizedDownloadTests {
  static let body = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0) })

  static func download(_ response: LoopbackHTTPServer.Response, maximum: Int64) async throws
    -> String?
  {
    let server = try LoopbackHTTPServer(routes: ["/x.zip": response])
    defer { server.stop() }
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("x.zip")
    try Data().write(to: file)
    let dataset = KnownDataset(
      name: "x", url: server.url("/x.zip"), sha256: SHA256.hex(body), size: nil, folder: nil,
      ratingsFile: nil, format: nil, summary: "", licence: nil)
    do {
      try await DatasetDownload(
        dataset: dataset, destination: file, showsProgress: false, maximumUnsizedBytes: maximum
      ).run()
      #expect(try Data(contentsOf: file) == body)
      return nil
    } catch {
      let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
      #expect(size <= 1000)
      return "\(error)"
    }
  }

  @Test func anAnnouncedSizeAboveTheMaximumIsRefusedBeforeTheBody() async throws {
    let message = try await Self.download(.body(Self.body), maximum: 100)
    #expect(
      message?.contains("announces 1000 bytes, more than the 100 B") == true, "\(message ?? "")")
  }

  @Test func anUnannouncedBodyIsCutAtTheMaximum() async throws {
    let message = try await Self.download(.unannounced(Self.body), maximum: 100)
    #expect(message?.contains("sent more than 100 B") == true, "\(message ?? "")")
  }

  @Test func anUnannouncedBodyWithinTheMaximumIsTaken() async throws {
    #expect(try await Self.download(.unannounced(Self.body), maximum: 5_000) == nil)
  }
}
