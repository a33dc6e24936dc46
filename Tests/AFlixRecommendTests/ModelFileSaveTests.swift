import AFlixData
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import AFlixRecommend

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Saving replaces only regular files, cleans up after itself and after killed savers, and
/// loading refuses what is not a regular file without opening it (#10).
@Suite("Model file saving")
struct ModelFileSaveTests {
  static func model() throws -> BaselineModel {
    try #require(try ModelFiles.model(BaselineModel.archiveKind) as? BaselineModel)
  }

  /// The kind of object at `path`, links not followed.
  static func kind(_ path: String) throws -> FileAccess.ObjectKind? {
    try FileAccess.kind(atPath: path, followingLinks: false)
  }

  /// The save's error, which must name the file and say what the file system refused.
  static func saveError(_ url: URL) throws -> ModelFileError {
    let error = try #require(throws: ModelFileError.self) { try model().save(to: url) }
    #expect(error.kind == .ioFailure && error.file == url.lastPathComponent, "\(error)")
    return error
  }

  @Test func aFIFOIsRefusedAndLeftAsItWas() throws {
    let folder = try ModelFiles.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("model.aflix")
    #expect(mkfifo(fifo.path, 0o600) == 0)
    let error = try Self.saveError(fifo)
    #expect(error.fileSystemKind == .notRegularFile && error.message.contains("FIFO"), "\(error)")
    #expect(try Self.kind(fifo.path) == .fifo)
    // Loading a FIFO is refused before opening it (opening would block until a writer comes).
    let load = try #require(throws: ModelFileError.self) { _ = try ModelRegistry.load(from: fifo) }
    #expect(load.kind == .ioFailure && load.fileSystemKind == .notRegularFile, "\(load)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.aflix"])
  }

  @Test func aSymbolicLinkIsRefusedAndItsTargetKept() throws {
    let folder = try ModelFiles.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appendingPathComponent("target.txt")
    let content = Data("not a model\n".utf8)
    try content.write(to: target)
    let link = folder.appendingPathComponent("model.aflix")
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
    let error = try Self.saveError(link)
    #expect(error.fileSystemKind == .notRegularFile && error.message.contains("symbolic link"))
    #expect(try Self.kind(link.path) == .symbolicLink)
    #expect(try Data(contentsOf: target) == content)
  }

  /// `/dev/null` (like `/dev/full`) is refused and stays a character device, even as root.
  @Test func aDeviceIsRefusedAndStaysADevice() throws {
    let device = URL(fileURLWithPath: "/dev/null")
    #expect(try Self.kind(device.path) == .characterDevice)
    let error = try Self.saveError(device)
    #expect(error.fileSystemKind == .notRegularFile && error.message.contains("character device"))
    #expect(try Self.kind(device.path) == .characterDevice)
  }

  @Test func aMissingFolderOrAFolderAtThePathIsNamed() throws {
    let folder = try ModelFiles.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = try Self.saveError(folder.appendingPathComponent("none/model.aflix"))
    #expect(missing.fileSystemKind == .fileNotFound && missing.message.contains("does not exist"))
    let inside = folder.appendingPathComponent("inside")
    try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: false)
    let directory = try Self.saveError(inside)
    #expect(directory.fileSystemKind == .notRegularFile && directory.message.contains("folder"))
    #expect(try Self.kind(inside.path) == .directory)
  }

  /// Partial files of processes that no longer run (a `SIGKILL`ed save) are removed by the next
  /// save to the same path; those of running processes (this one) are kept.
  @Test func theNextSaveRemovesStalePartialsOfDeadProcesses() throws {
    let folder = try ModelFiles.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    let dead = [child.processIdentifier, Int32.max]  // exited; above any pid_max
    let stale = dead.map { ".model.aflix.\($0).DEADBEEF.partial" }
    let live = ".model.aflix.\(getpid()).CAFEBABE.partial"
    let other = ".other.aflix.\(Int32.max).DEADBEEF.partial"
    for name in stale + [live, other] {
      try Data(repeating: 7, count: 1000).write(to: folder.appendingPathComponent(name))
    }
    try Self.model().save(to: folder.appendingPathComponent("model.aflix"))
    let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
    #expect(names == ["model.aflix", live, other], "\(names)")
  }

  /// While it writes, a save's partial file is registered (for the signal handler) under the
  /// documented name; a failed save removes it and forgets it, leaving the previous file.
  @Test func aFailedSaveLeavesNoPartialFile() throws {
    let folder = try ModelFiles.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("model.aflix")
    try Self.model().save(to: url)
    let before = try Data(contentsOf: url)
    struct Interrupted: Error {}
    var seen: [String] = []
    #expect(throws: Interrupted.self) {
      try ModelArchive.atomicWrite(Data("new".utf8), to: url) {
        seen = PartialFiles.paths.filter { $0.hasPrefix(folder.path) }
        throw Interrupted()
      }
    }
    let partial = try #require(seen.first)
    #expect(seen.count == 1)
    let name = URL(fileURLWithPath: partial).lastPathComponent
    #expect(name.hasPrefix(".model.aflix.\(getpid()).") && name.hasSuffix(".partial"))
    #expect(try Data(contentsOf: url) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.aflix"])
    #expect(!PartialFiles.paths.contains(partial))
  }

  /// A simulated `SIGTERM` mid-save: the handler's `PartialFiles.removeAll` removes the partial
  /// file, the save then fails, and the previous file is intact.
  @Test func removingRegisteredPartialsMidSaveLeavesThePreviousFile() throws {
    let folder = try ModelFiles.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("model.aflix")
    try Self.model().save(to: url)
    let before = try Data(contentsOf: url)
    var removed: [String] = []
    #expect(throws: ModelFileError.self) {
      try ModelArchive.atomicWrite(Data("new".utf8), to: url) {
        removed = PartialFiles.removeAll(where: { $0.hasPrefix(folder.path) })
      }
    }
    #expect(removed.count == 1)
    #expect(try Data(contentsOf: url) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.aflix"])
  }

  /// 80 concurrent saves of two models (and loads) to one path: every load sees one whole
  /// model, the file ends as one of them, and no partial file is left.
  @Test func concurrentSavesNeverTearTheFile() throws {
    let folder = try ModelFiles.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("model.aflix")
    let a = try Self.model()
    let b = try ModelArchiveTests.model()
    #expect(a != b)
    try a.save(to: url)
    let failures = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 80) { k in
      do {
        if k % 4 == 3 {
          let loaded = try BaselineModel.load(from: url)
          if loaded != a && loaded != b { failures.withLock { $0.append("load \(k): other") } }
        } else {
          try (k % 2 == 0 ? a : b).save(to: url)
        }
      } catch {
        failures.withLock { $0.append("\(k): \(error)") }
      }
    }
    #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
    let final = try BaselineModel.load(from: url)
    #expect(final == a || final == b)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.aflix"])
  }
}
