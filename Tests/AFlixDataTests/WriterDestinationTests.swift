import Foundation
import Testing

@testable import AFlixData

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `RatingsCSVWriter` (used by `aflix split`) and `AtomicFile` replace only regular files,
/// atomically, with typed errors, and leave no partial file behind (#10).
@Suite("Writer destinations")
struct WriterDestinationTests {
  static func dataset() throws -> RatingsDataset {
    try RatingsDataset(
      ratings: [
        Rating(user: 1, item: "a", value: 4), Rating(user: 2, item: "b", value: 2.5),
      ], scale: .halfStars)
  }

  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-writer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  static func kind(_ path: String) throws -> FileAccess.ObjectKind? {
    try FileAccess.kind(atPath: path, followingLinks: false)
  }

  static func writeError(_ url: URL) throws -> DataError {
    try #require(throws: DataError.self) { try RatingsCSVWriter.write(dataset(), to: url) }
  }

  @Test func aRegularFileIsReplacedWithTheCSV() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("train.csv")
    try Data("old\n".utf8).write(to: url)
    try RatingsCSVWriter.write(Self.dataset(), to: url)
    #expect(try String(contentsOf: url, encoding: .utf8) == RatingsCSVWriter.csv(Self.dataset()))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["train.csv"])
  }

  @Test func fifosLinksDevicesAndFoldersAreRefusedAndKept() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("fifo.csv")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let fifoError = try Self.writeError(fifo)
    #expect(fifoError.kind == .notRegularFile && fifoError.message.contains("FIFO"))
    #expect(try Self.kind(fifo.path) == .fifo)

    let target = folder.appendingPathComponent("target.txt")
    try Data("keep\n".utf8).write(to: target)
    let link = folder.appendingPathComponent("link.csv")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    let linkError = try Self.writeError(link)
    #expect(linkError.kind == .notRegularFile && linkError.message.contains("symbolic link"))
    #expect(try Self.kind(link.path) == .symbolicLink)
    #expect(try Data(contentsOf: target) == Data("keep\n".utf8))

    let loop = folder.appendingPathComponent("loop")
    try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: "loop")
    let loopError = try Self.writeError(loop.appendingPathComponent("x.csv"))
    #expect(loopError.kind == .symbolicLinkLoop, "\(loopError)")

    let device = URL(fileURLWithPath: "/dev/null")
    let deviceError = try Self.writeError(device)
    #expect(deviceError.kind == .notRegularFile && deviceError.file == "null")
    #expect(try Self.kind(device.path) == .characterDevice)

    let sub = folder.appendingPathComponent("sub")
    try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: false)
    #expect(try Self.writeError(sub).kind == .notRegularFile)
    #expect(try Self.kind(sub.path) == .directory)

    let missing = try Self.writeError(folder.appendingPathComponent("none/train.csv"))
    #expect(missing.kind == .fileNotFound && missing.message.contains("does not exist"))
    #expect(
      Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        == ["fifo.csv", "target.txt", "link.csv", "loop", "sub"])
  }

  /// A folder without write permission is `.permissionDenied` (root writes anyway).
  @Test func anUnwritableFolderIsPermissionDenied() throws {
    let folder = try Self.folder()
    defer {
      chmod(folder.path, 0o755)
      try? FileManager.default.removeItem(at: folder)
    }
    #expect(chmod(folder.path, 0o555) == 0)
    let url = folder.appendingPathComponent("train.csv")
    if geteuid() == 0 {
      try RatingsCSVWriter.write(Self.dataset(), to: url)
      #expect(try Self.kind(url.path) == .regularFile)
    } else {
      let error = try Self.writeError(url)
      #expect(error.kind == .permissionDenied, "\(error)")
    }
  }

  /// The next write removes partial files of dead processes beside its destination, keeps those
  /// of running processes and of other destinations.
  @Test func stalePartialsOfDeadProcessesAreRemoved() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let stale = ".train.csv.\(Int32.max).DEADBEEF.partial"
    let live = ".train.csv.\(getpid()).CAFEBABE.partial"
    let other = ".test.csv.\(Int32.max).DEADBEEF.partial"
    for name in [stale, live, other] {
      try Data("x".utf8).write(to: folder.appendingPathComponent(name))
    }
    try RatingsCSVWriter.write(Self.dataset(), to: folder.appendingPathComponent("train.csv"))
    #expect(
      Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        == ["train.csv", live, other])
  }

  /// A write that fails after its partial file is complete removes it, unregisters it and leaves
  /// the previous file; the partial was registered under the documented name meanwhile.
  @Test func aFailedWriteLeavesNoPartialFile() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("train.csv")
    try Data("old\n".utf8).write(to: url)
    struct Interrupted: Error {}
    var seen: [String] = []
    #expect(throws: Interrupted.self) {
      try AtomicFile.write(Data("new\n".utf8), to: url) {
        seen = PartialFiles.paths.filter { $0.hasPrefix(folder.path) }
        throw Interrupted()
      }
    }
    #expect(seen.count == 1)
    #expect(seen.allSatisfy { $0.contains("/.train.csv.\(getpid()).") && $0.hasSuffix(".partial") })
    #expect(try Data(contentsOf: url) == Data("old\n".utf8))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["train.csv"])
    #expect(!PartialFiles.paths.contains { $0.hasPrefix(folder.path) })
  }

  /// What a `SIGINT` / `SIGTERM` handler does: registered files and folders are removed (a
  /// folder with its contents) and forgotten; unregistered files are left.
  @Test func removingRegisteredPartialsRemovesFilesAndFolders() throws {
    let folder = try Self.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = PartialFiles.temporaryURL(for: folder.appendingPathComponent("a.csv"))
    let staging = PartialFiles.temporaryURL(for: folder.appendingPathComponent("world"))
    let kept = folder.appendingPathComponent("kept.csv")
    try Data("x".utf8).write(to: file)
    try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
    try Data("y".utf8).write(to: staging.appendingPathComponent("ratings.csv"))
    try Data("z".utf8).write(to: kept)
    PartialFiles.register(file)
    PartialFiles.register(staging)
    #expect(PartialFiles.paths.contains(file.path) && PartialFiles.paths.contains(staging.path))
    let removed = PartialFiles.removeAll(where: { $0.hasPrefix(folder.path) })
    #expect(Set(removed) == [file.path, staging.path])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["kept.csv"])
    #expect(!PartialFiles.paths.contains { $0.hasPrefix(folder.path) })
  }
}

/// A process killed but not yet collected by its parent (a zombie) no longer writes: its
/// partial files count as stale.
@Suite("Partial files of zombie processes")
struct PartialFilesZombieTests {
  @Test func aZombieIsNotRunning() throws {
    var pid: pid_t = 0
    let path = "/bin/true"
    var argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
    defer { free(argv[0]) }
    #expect(posix_spawn(&pid, path, nil, nil, &argv, environ) == 0)
    // Wait (up to 5 s) for it to exit; it stays a zombie until waited for.
    var zombie = false
    for _ in 0..<500 where !zombie {
      zombie = PartialFiles.isZombie(pid)
      if !zombie { usleep(10_000) }
    }
    #expect(zombie)
    #expect(kill(pid, 0) == 0)
    #expect(!PartialFiles.isRunning(pid))
    #expect(PartialFiles.isRunning(getpid()))
    var status: Int32 = 0
    #expect(waitpid(pid, &status, 0) == pid)
    #expect(!PartialFiles.isRunning(pid))
  }
}
