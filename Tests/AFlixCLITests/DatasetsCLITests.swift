import AFlix
import Foundation
import Testing
import _AFlixTestSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `aflix datasets fetch` against a loopback HTTP server serving archives built here: the
/// whole path (download, checksum, unpack, rename, name resolution) and every way it can fail,
/// each leaving nothing half-written behind.
@Suite(
  "aflix datasets", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip")))
struct DatasetsCLITests {
  /// A tiny MovieLens 100k lookalike: three ratings and one film.
  static let ratings = "1\t1\t5\t881250949\n1\t2\t3\t881250950\n2\t1\t4\t881250951\n"
  static let items =
    "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n"

  static func goodArchive() -> Data {
    StoredZip.make([
      .init("ml-100k/u.data", ratings), .init("ml-100k/u.item", items),
    ])
  }

  /// A temporary cache folder, a manifest pointing `ml-100k` at `url` with `sha256`, and the
  /// environment that uses both (no proxy for the loopback address).
  struct Setup {
    let root: URL
    let cache: URL
    let environment: [String: String]

    init(url: URL, sha256: String, size: Int? = nil) throws {
      root = try CommandRunner.temporaryFolder()
      cache = root.appendingPathComponent("cache")
      var entry: [String: Any] = [
        "name": "ml-100k", "url": url.absoluteString, "sha256": sha256, "folder": "ml-100k",
        "ratingsFile": "u.data",
      ]
      if let size { entry["size"] = size }
      let manifest = root.appendingPathComponent("manifest.json")
      try JSONSerialization.data(withJSONObject: [entry]).write(to: manifest)
      environment = [
        "AFLIX_DATASETS_MANIFEST": manifest.path, "AFLIX_DATA": cache.path,
        "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost",
        "http_proxy": "", "HTTP_PROXY": "", "all_proxy": "", "ALL_PROXY": "",
      ]
    }

    func fetch(_ extra: [String] = []) throws -> CommandRunner.Result {
      try CommandRunner.aflix(
        ["datasets", "fetch", "ml-100k", "--dir", cache.path] + extra, environment: environment)
    }

    /// Everything in the cache folder, hidden names included.
    func cacheContents() -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
  }

  /// Serves `response` (nothing for `nil`: a 404) as the manifest's `ml-100k`, fetches it, and
  /// checks the fetch failed leaving nothing behind; returns standard error and the served
  /// address.
  static func refusedFetch(
    _ response: LoopbackHTTPServer.Response?, sha256: String, size: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> (stderr: String, url: URL) {
    let server = try LoopbackHTTPServer(
      routes: response.map { ["/ml-100k.zip": $0] } ?? [:])
    defer { server.stop() }
    let url = server.url("/ml-100k.zip")
    let setup = try Setup(url: url, sha256: sha256, size: size)
    defer { setup.remove() }
    let result = try setup.fetch()
    #expect(result.status != 0, "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(
      setup.cacheContents().isEmpty, "\(setup.cacheContents())", sourceLocation: sourceLocation)
    // Nothing anywhere under the temporary root but the manifest and the empty cache folder
    // (an entry escaping the staging folder would land beside them).
    let everything =
      FileManager.default.enumerator(atPath: setup.root.path)?
      .compactMap { $0 as? String } ?? []
    #expect(
      Set(everything).subtracting(["manifest.json", "cache"]).isEmpty, "\(everything)",
      sourceLocation: sourceLocation)
    return (result.stderr, url)
  }

  /// `archive` served whole with its own checksum: every refusal then comes from its contents.
  static func refusedArchive(
    _ archive: Data, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    try refusedFetch(.body(archive), sha256: sha256(archive), sourceLocation: sourceLocation)
      .stderr
  }

  static func sha256(_ data: Data) throws -> String {
    let file = try CommandRunner.temporaryFolder().appendingPathComponent("blob")
    defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
    try data.write(to: file)
    return try SHA256Reference.sha256sum(file)
  }

  @Test func fetchUnpacksVerifiesPrintsThePathAndTheNameThenResolves() throws {
    let archive = Self.goodArchive()
    let server = try LoopbackHTTPServer(routes: ["/ml-100k.zip": .body(archive)])
    defer { server.stop() }
    let setup = try Setup(
      url: server.url("/ml-100k.zip"), sha256: try Self.sha256(archive), size: archive.count)
    defer { setup.remove() }

    let first = try setup.fetch()
    #expect(first.status == 0, "\(first.stderr)")
    let folder = setup.cache.appendingPathComponent("ml-100k")
    #expect(first.stdout == folder.path + "\n")
    #expect(first.stderr.contains("GroupLens"))  // the licence notice
    #expect(first.stderr.contains("cite"))
    #expect(setup.cacheContents() == ["ml-100k"])  // no partial archive, no staging folder
    #expect(!first.stderr.contains("export AFLIX_DATA"))  // --dir is where names are found
    #expect(!first.stderr.contains("unpacking"))  // no status line when stderr is not a terminal
    let unpacked = try String(
      contentsOf: folder.appendingPathComponent("u.data"), encoding: .utf8)
    #expect(unpacked == Self.ratings)

    // Already there: no second request, same path.
    let second = try setup.fetch()
    #expect(second.status == 0)
    #expect(second.stdout == folder.path + "\n")
    #expect(second.stderr.contains("already"))
    #expect(!second.stderr.contains("GroupLens"))
    #expect(server.requestedPaths == ["/ml-100k.zip"])

    // The name stands for the folder wherever a dataset path is taken (AFLIX_DATA = cache).
    let info = try CommandRunner.aflix(
      ["info", "ml-100k", "--json"], environment: setup.environment)
    #expect(info.status == 0, "\(info.stderr)")
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
    #expect(summary["ratings"] as? Int == 3)
    #expect(summary["source"] as? String == folder.path)

    let list = try CommandRunner.aflix(
      ["datasets", "list", "--json"], environment: setup.environment)
    #expect(list.status == 0)
    let rows = try #require(
      try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    #expect(rows.count == 1)
    #expect(rows.first?["cached"] as? Bool == true)
    #expect(rows.first?["path"] as? String == folder.path)
  }

  @Test func aWrongChecksumKeepsNothing() throws {
    let archive = Self.goodArchive()
    let pinned = String(repeating: "ab", count: 32)
    let (stderr, url) = try Self.refusedFetch(.body(archive), sha256: pinned)
    #expect(stderr.contains("checksum mismatch"))
    #expect(stderr.contains(pinned))
    #expect(stderr.contains(try Self.sha256(archive)))
    #expect(stderr.contains(url.absoluteString))
  }

  @Test func aTruncatedDownloadKeepsNothing() throws {
    let archive = Self.goodArchive()
    let half = archive.count / 2
    let stderr = try Self.refusedFetch(
      .truncated(archive, sent: half), sha256: try Self.sha256(archive)
    ).stderr
    #expect(stderr.contains("stopped after \(half) of \(archive.count) bytes"))
  }

  @Test func aSizeOtherThanTheRegistrysIsRefused() throws {
    let archive = Self.goodArchive()
    let stderr = try Self.refusedFetch(
      .body(archive), sha256: try Self.sha256(archive), size: archive.count + 1
    ).stderr
    #expect(stderr.contains("announces \(archive.count) bytes"))
  }

  @Test func http404KeepsNothing() throws {
    let stderr = try Self.refusedFetch(nil, sha256: String(repeating: "0", count: 64)).stderr
    #expect(stderr.contains("HTTP 404"))
  }

  /// The second entry's CRC is wrong: `unzip` writes the first file, then fails.
  @Test func anUnzipFailingPartWayKeepsNothing() throws {
    let stderr = try Self.refusedArchive(
      StoredZip.make([
        .init("ml-100k/u.data", Self.ratings),
        .init("ml-100k/u.item", Self.items, corruptCRC: true),
      ]))
    #expect(stderr.contains("unpacking"))
    #expect(stderr.contains("CRC"))
  }

  @Test(arguments: [
    ["ml-100k/u.data", "../escaped.txt"], ["ml-100k/u.data", "ml-100k/../../escaped.txt"],
    ["/tmp/escaped.txt", "ml-100k/u.data"],
  ])
  func anEntryOutsideTheFolderIsRefused(names: [String]) throws {
    let archive = StoredZip.make(names.map { .init($0, Self.ratings) })
    let stderr = try Self.refusedArchive(archive)  // nothing lands beside the cache either
    #expect(stderr.contains("outside the dataset folder"), "\(stderr)")
    #expect(!FileManager.default.fileExists(atPath: "/tmp/escaped.txt"))
  }

  @Test func aSymbolicLinkEntryIsRefused() throws {
    let stderr = try Self.refusedArchive(
      StoredZip.make([
        .init("ml-100k/u.data", Self.ratings),
        .init("ml-100k/u.item", "/etc/passwd", isSymlink: true),
      ]))
    #expect(stderr.contains("symbolic link"), "\(stderr)")
  }

  @Test func anArchiveWithoutTheFolderIsRefused() throws {
    let stderr = try Self.refusedArchive(StoredZip.make([.init("other/u.data", Self.ratings)]))
    #expect(stderr.contains("does not unpack to a folder ml-100k/"), "\(stderr)")
  }

  /// SIGTERM while the body is arriving: the partial archive is removed.
  @Test func sigtermDuringTheDownloadKeepsNothing() throws {
    let archive = Self.goodArchive()
    let server = try LoopbackHTTPServer(
      routes: ["/ml-100k.zip": .stall(archive, sent: archive.count / 2)])
    defer { server.stop() }
    let setup = try Setup(url: server.url("/ml-100k.zip"), sha256: try Self.sha256(archive))
    defer { setup.remove() }
    let cache = setup.cache
    let (result, _) = try CommandRunner.aflix(
      ["datasets", "fetch", "ml-100k", "--dir", cache.path], interruptedBy: SIGTERM, after: 30,
      when: { Self.partialFileHasBytes(in: cache) }, environment: setup.environment)
    #expect(result.status == 128 + SIGTERM)
    #expect(result.stderr.contains("interrupted by SIGTERM"))
    #expect(setup.cacheContents().isEmpty)
  }

  /// SIGTERM while `unzip` runs (an `unzip` on `PATH` that unpacks, then keeps running): the
  /// child is stopped and the staging folder removed.
  @Test func sigtermDuringTheUnzipKeepsNothing() throws {
    let archive = Self.goodArchive()
    let server = try LoopbackHTTPServer(routes: ["/ml-100k.zip": .body(archive)])
    defer { server.stop() }
    let setup = try Setup(url: server.url("/ml-100k.zip"), sha256: try Self.sha256(archive))
    defer { setup.remove() }
    let bin = setup.root.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let slowUnzip = bin.appendingPathComponent("unzip")
    let pidFile = setup.root.appendingPathComponent("unzip.pid")
    try """
    #!/bin/sh
    case " $* " in
      *" -d "*) /usr/bin/unzip "$@"; echo $$ > '\(pidFile.path)'; exec sleep 60 ;;
    esac
    exec /usr/bin/unzip "$@"

    """.write(to: slowUnzip, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: slowUnzip.path)
    var environment = setup.environment
    environment["PATH"] =
      bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    // unzip's output files go to a temporary folder of the test's own, checked below.
    let temporary = setup.root.appendingPathComponent("tmp")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    environment["TMPDIR"] = temporary.path
    let cache = setup.cache
    let (result, seconds) = try CommandRunner.aflix(
      ["datasets", "fetch", "ml-100k", "--dir", cache.path], interruptedBy: SIGTERM, after: 30,
      when: {
        FileManager.default.fileExists(atPath: pidFile.path) && Self.stagingHoldsRatings(in: cache)
      },
      environment: environment)
    #expect(result.status == 128 + SIGTERM)
    #expect(seconds < 10)
    #expect(setup.cacheContents().isEmpty)
    // The child was stopped, not left running (it is gone within two seconds).
    let text = try String(contentsOf: pidFile, encoding: .utf8)
    let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    var alive = true
    for _ in 0..<100 where alive {
      alive = PartialFiles.isRunning(pid)
      if alive { Thread.sleep(forTimeInterval: 0.02) }
    }
    if alive { kill(pid, SIGKILL) }
    #expect(!alive, "the unzip child outlived the interrupted command")
    #expect(setup.cacheContents().isEmpty)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: temporary.path)
    #expect(leftovers.isEmpty, "unzip's output files were left behind: \(leftovers)")
  }

  /// `--dir` elsewhere than $AFLIX_DATA: the command says how to make the name work.
  @Test func aFetchIntoAnotherFolderSaysHowToUseTheName() throws {
    let archive = Self.goodArchive()
    let server = try LoopbackHTTPServer(routes: ["/ml-100k.zip": .body(archive)])
    defer { server.stop() }
    let setup = try Setup(url: server.url("/ml-100k.zip"), sha256: try Self.sha256(archive))
    defer { setup.remove() }
    let elsewhere = setup.root.appendingPathComponent("elsewhere")
    let result = try CommandRunner.aflix(
      ["datasets", "fetch", "ml-100k", "--dir", elsewhere.path], environment: setup.environment)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains("to use the name elsewhere: export AFLIX_DATA=\(elsewhere.path)\n"))
    // As the hint says: with AFLIX_DATA there, the name resolves.
    var environment = setup.environment
    environment["AFLIX_DATA"] = elsewhere.path
    let info = try CommandRunner.aflix(["info", "ml-100k"], environment: environment)
    #expect(info.status == 0, "\(info.stderr)")
    let help = try CommandRunner.aflix(["datasets", "fetch", "--help"])
    #expect(help.stdout.contains("export AFLIX_DATA=D"))
  }

  /// A folder that cannot be made (a file stands in the way, which stops root too): the reason
  /// and the path, before the licence notice and any download.
  @Test func anUnwritableFolderIsReportedWithTheReasonBeforeTheNotice() throws {
    let server = try LoopbackHTTPServer(routes: [:])
    defer { server.stop() }
    let setup = try Setup(
      url: server.url("/ml-100k.zip"), sha256: String(repeating: "0", count: 64))
    defer { setup.remove() }
    let file = setup.root.appendingPathComponent("file.txt")
    try Data("x".utf8).write(to: file)
    let folder = file.appendingPathComponent("sub")
    let result = try CommandRunner.aflix(
      ["datasets", "fetch", "ml-100k", "--dir", folder.path], environment: setup.environment)
    #expect(result.status != 0)
    #expect(result.stderr.contains("cannot create the dataset folder \(folder.path)"))
    #expect(result.stderr.contains("Not a directory"), "\(result.stderr)")
    #expect(!result.stderr.contains("GroupLens"))
    #expect(server.requestedPaths.isEmpty)
  }

  /// A missing file whose name is no dataset: the loader's "no such file", even with a manifest
  /// that cannot be read (which is mentioned too).
  @Test func aMissingFileIsReportedAsSuchWhateverTheManifest() throws {
    let root = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let missing = root.appendingPathComponent("none.json")
    let result = try CommandRunner.aflix(
      ["info", "foo"], environment: ["AFLIX_DATASETS_MANIFEST": missing.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("no such file or folder: foo"), "\(result.stderr)")
    #expect(result.stderr.contains(missing.path))
    let path = try CommandRunner.aflix(
      ["info", "./foo"], environment: ["AFLIX_DATASETS_MANIFEST": missing.path])
    #expect(path.status != 0)
    #expect(path.stderr.contains("no such file"))
    #expect(!path.stderr.contains("manifest"), "\(path.stderr)")
  }

  @Test func anUnknownNameListsTheKnownOnes() throws {
    let result = try CommandRunner.aflix(["datasets", "fetch", "ml-999"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("unknown dataset 'ml-999'"))
    #expect(result.stderr.contains("ml-100k, ml-latest-small, ml-1m, ml-25m"))
  }

  @Test func aNameNotFetchedSaysHowToFetchIt() throws {
    let empty = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: empty) }
    let result = try CommandRunner.aflix(
      ["info", "ml-1m"], environment: ["AFLIX_DATA": empty.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("aflix datasets fetch ml-1m"))
    #expect(result.stderr.contains(empty.path))
  }

  @Test func listShowsEveryBuiltInDatasetWithSizeAndLicence() throws {
    let empty = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: empty) }
    let result = try CommandRunner.aflix(
      ["datasets", "list"], environment: ["AFLIX_DATA": empty.path])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Cache folder: \(empty.path) (AFLIX_DATA)"))
    for name in ["ml-100k", "ml-latest-small", "ml-1m", "ml-25m"] {
      #expect(result.stdout.contains("not fetched: aflix datasets fetch \(name)"))
      #expect(
        result.stdout.contains("https://files.grouplens.org/datasets/movielens/\(name)-README"))
    }
    #expect(result.stdout.contains("4.9 MB"))
    #expect(result.stdout.contains("262.0 MB"))
  }

  @Test func aBrokenManifestIsReported() throws {
    let root = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let manifest = root.appendingPathComponent("manifest.json")
    try Data(#"[{"name": "../x", "url": "http://127.0.0.1/x.zip", "sha256": "00"}]"#.utf8)
      .write(to: manifest)
    let result = try CommandRunner.aflix(
      ["datasets", "list"], environment: ["AFLIX_DATASETS_MANIFEST": manifest.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("not a plain folder name"))
  }

  static func partialFileHasBytes(in cache: URL) -> Bool {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
    return names.contains { name in
      guard name.hasPrefix(".ml-100k.zip."), name.hasSuffix(".partial") else { return false }
      let size =
        (try? FileManager.default.attributesOfItem(
          atPath: cache.appendingPathComponent(name).path)[.size] as? Int) ?? 0
      return size > 0
    }
  }

  static func stagingHoldsRatings(in cache: URL) -> Bool {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []
    return names.contains { name in
      name.hasPrefix(".ml-100k.") && name.hasSuffix(".partial") && !name.hasPrefix(".ml-100k.zip.")
        && FileManager.default.fileExists(
          atPath: cache.appendingPathComponent(name).appendingPathComponent("ml-100k/u.data").path)
    }
  }
}
