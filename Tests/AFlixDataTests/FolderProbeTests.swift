import AFlixData
import Foundation
import Testing

/// Probing a dataset folder for its optional files tells "absent" from "there but unusable":
/// a link loop or a dangling link is an error, not a silently missing catalog (issue #10).
@Suite("Folder probes")
struct FolderProbeTests {
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-probe-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try Data("1\t10\t4\t100\n2\t20\t3\t200\n".utf8).write(to: url.appendingPathComponent("u.data"))
    return url
  }

  @Test func aLinkLoopAtUItemIsAnError() throws {
    let url = try Self.folder()
    let item = url.appendingPathComponent("u.item").path
    try FileManager.default.createSymbolicLink(atPath: item, withDestinationPath: item)
    let error = try #require(throws: DataError.self) { _ = try DatasetLoader.load(path: url.path) }
    #expect(error.kind == .symbolicLinkLoop, "\(error)")
  }

  @Test func aDanglingLinkAtUItemIsAnError() throws {
    let url = try Self.folder()
    try FileManager.default.createSymbolicLink(
      atPath: url.appendingPathComponent("u.item").path, withDestinationPath: "/nonexistent/x")
    let error = try #require(throws: DataError.self) { _ = try DatasetLoader.load(path: url.path) }
    #expect(error.kind == .fileNotFound)
    #expect(error.message.contains("symbolic link"), "\(error)")
  }

  @Test func anAbsentOptionalFileIsStillFine() throws {
    let loaded = try DatasetLoader.load(path: try Self.folder().path)
    #expect(loaded.ratings?.ratingCount == 2)
    #expect(loaded.catalog == nil)
  }

  @Test func existsTellsAbsenceFromTrouble() throws {
    let url = try Self.folder()
    #expect(try FileAccess.exists(atPath: url.appendingPathComponent("u.data").path))
    #expect(try !FileAccess.exists(atPath: url.appendingPathComponent("nothing").path))
    let loop = url.appendingPathComponent("loop").path
    try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
    #expect(throws: DataError.self) { _ = try FileAccess.exists(atPath: loop) }
  }
}
