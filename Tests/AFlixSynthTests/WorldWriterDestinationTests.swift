import AFlixData
import Foundation
import Testing

@testable import AFlixSynth

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `aflix synth --out`: only a folder is written into, only regular files in it are replaced,
/// staged files are registered for the signal handler, and a killed run's leftovers are removed
/// by the next run (#10).
@Suite("World writer destinations")
struct WorldWriterDestinationTests {
  static let names = Set(WorldWriter.Stage.names)

  /// A small world spanning several batches of chunks.
  static func configuration() -> WorldConfiguration {
    var configuration = WorldConfiguration(users: 6 * SyntheticWorld.chunkSize)
    configuration.ratingsPerUser = ParameterRange(1, 2)
    return configuration
  }

  static func contents(_ folder: URL) throws -> Set<String> {
    Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
  }

  static func kind(_ path: String) throws -> FileAccess.ObjectKind? {
    try FileAccess.kind(atPath: path, followingLinks: false)
  }

  /// A regular file or a device at `--out` is refused and left as it was.
  @Test func aFileOrDeviceAtTheFolderPathIsRefused() throws {
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("world")
    try Data("a file\n".utf8).write(to: file)
    for target in [file, URL(fileURLWithPath: "/dev/null")] {
      let error = try #require(throws: DataError.self) {
        try WorldWriter.stream(Self.configuration(), seed: 1, to: target)
      }
      #expect(error.kind == .notRegularFile && error.message.contains("not a folder"), "\(error)")
    }
    #expect(try Data(contentsOf: file) == Data("a file\n".utf8))
    #expect(try Self.kind("/dev/null") == .characterDevice)
    #expect(try Self.contents(folder) == ["world"])
  }

  /// A symbolic link, FIFO or folder at one of the five names is refused before anything is
  /// written; the folder is left exactly as it was.
  @Test func nonRegularFilesInsideTheFolderAreRefused() throws {
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("elsewhere.txt")
    try Data("keep\n".utf8).write(to: target)
    let link = folder.appendingPathComponent("ratings.csv")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    let linkError = try #require(throws: DataError.self) {
      try WorldWriter.stream(Self.configuration(), seed: 1, to: folder)
    }
    #expect(linkError.kind == .notRegularFile && linkError.message.contains("symbolic link"))
    #expect(try Self.kind(link.path) == .symbolicLink)
    #expect(try Data(contentsOf: target) == Data("keep\n".utf8))
    try FileManager.default.removeItem(at: link)

    #expect(mkfifo(folder.appendingPathComponent("world.json").path, 0o600) == 0)
    let fifoError = try #require(throws: DataError.self) {
      try WorldWriter.write(try SyntheticWorld.generate(Self.configuration(), seed: 1), to: folder)
    }
    #expect(fifoError.kind == .notRegularFile && fifoError.message.contains("FIFO"))
    #expect(try Self.kind(folder.appendingPathComponent("world.json").path) == .fifo)
    #expect(try Self.contents(folder) == ["elsewhere.txt", "world.json"])
  }

  /// A new folder is staged in one registered hidden folder beside it and appears in one
  /// rename; nothing is registered or left once the write is done.
  @Test func aNewFolderIsStagedBesideItAndRegistered() throws {
    let parent = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: parent) }
    let world = parent.appendingPathComponent("world")
    var during: [String] = []
    var existed = true
    _ = try WorldWriter.stream(
      Self.configuration(), seed: 1, to: world, holdoutFraction: 0.2,
      afterBatch: { index in
        guard index == 0 else { return }
        during = PartialFiles.paths.filter { $0.hasPrefix(parent.path) }
        existed = FileManager.default.fileExists(atPath: world.path)
      })
    #expect(!existed)
    let staging = try #require(during.first)
    #expect(during.count == 1)
    #expect(URL(fileURLWithPath: staging).lastPathComponent.hasPrefix(".world.\(getpid())."))
    #expect(try Self.contents(parent) == ["world"])
    #expect(try Self.contents(world) == Self.names)
    #expect(!PartialFiles.paths.contains { $0.hasPrefix(parent.path) })
  }

  /// In an existing folder each file has its registered partial name beside its final one.
  @Test func anExistingFolderGetsRegisteredPartialFiles() throws {
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var during: [String] = []
    _ = try WorldWriter.stream(
      Self.configuration(), seed: 1, to: folder, holdoutFraction: 0.2,
      afterBatch: { index in
        if index == 0 { during = PartialFiles.paths.filter { $0.hasPrefix(folder.path) } }
      })
    let names = Set(during.map { URL(fileURLWithPath: $0).lastPathComponent })
    #expect(names.count == 5)
    for name in Self.names {
      #expect(names.contains { $0.hasPrefix(".\(name).\(getpid()).") && $0.hasSuffix(".partial") })
    }
    #expect(try Self.contents(folder) == Self.names)
    #expect(!PartialFiles.paths.contains { $0.hasPrefix(folder.path) })
  }

  /// What a `SIGTERM` handler does mid-stream (`PartialFiles.removeAll`, here limited to this
  /// test's files): the staged data is gone at once, and the folder is as it was.
  @Test(arguments: [false, true])
  func removingRegisteredPartialsMidStreamLeavesTheFolderAsItWas(existing: Bool) throws {
    struct Terminated: Error {}
    let parent = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: parent) }
    let world = parent.appendingPathComponent("world")
    if existing {
      try FileManager.default.createDirectory(at: world, withIntermediateDirectories: false)
      try Data("old\n".utf8).write(to: world.appendingPathComponent("ratings.csv"))
    }
    var removed: [String] = []
    #expect(throws: Terminated.self) {
      try WorldWriter.stream(
        Self.configuration(), seed: 1, to: world, holdoutFraction: 0.2,
        afterBatch: { _ in
          removed = PartialFiles.removeAll(where: { $0.hasPrefix(parent.path) })
          throw Terminated()
        })
    }
    #expect(removed.count == (existing ? 5 : 1))
    if existing {
      #expect(try Self.contents(parent) == ["world"])
      #expect(try Self.contents(world) == ["ratings.csv"])
      #expect(
        try Data(contentsOf: world.appendingPathComponent("ratings.csv")) == Data("old\n".utf8))
    } else {
      #expect(try Self.contents(parent).isEmpty)
    }
  }

  /// Leftovers of a killed run (a staging folder beside a new folder, partial files inside an
  /// existing one) whose process is gone are removed by the next run; a running process's are
  /// kept.
  @Test func theNextRunRemovesStaleStagingOfDeadProcesses() throws {
    let parent = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: parent) }
    let deadStaging = parent.appendingPathComponent(".world.\(Int32.max).DEADBEEF.partial")
    let liveStaging = parent.appendingPathComponent(".world.\(getpid()).CAFEBABE.partial")
    for staging in [deadStaging, liveStaging] {
      try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
      try Data(repeating: 1, count: 4096).write(to: staging.appendingPathComponent("ratings.csv"))
    }
    let world = parent.appendingPathComponent("world")
    try WorldWriter.stream(Self.configuration(), seed: 1, to: world)
    #expect(try Self.contents(parent) == ["world", liveStaging.lastPathComponent])

    // A staging folder left beside the folder once it exists is removed too.
    try FileManager.default.createDirectory(at: deadStaging, withIntermediateDirectories: false)
    let dead = ".truth.csv.\(Int32.max).DEADBEEF.partial"
    let live = ".truth.csv.\(getpid()).CAFEBABE.partial"
    for name in [dead, live] {
      try Data("x".utf8).write(to: world.appendingPathComponent(name))
    }
    try WorldWriter.stream(Self.configuration(), seed: 2, to: world)
    #expect(try Self.contents(world) == Self.names.union([live]))
    #expect(try Self.contents(parent) == ["world", liveStaging.lastPathComponent])
  }
}
