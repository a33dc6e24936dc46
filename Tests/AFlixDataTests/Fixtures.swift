import Foundation

/// The hand-made fixture files of `Tests/AFlixDataTests/Fixtures`.
enum Fixtures {
  struct Missing: Error, CustomStringConvertible {
    var description: String { "the Fixtures resource folder is missing from the test bundle" }
  }

  /// The URL of `path` inside the fixtures folder.
  ///
  /// Fixtures that carry MovieLens file names (`u.data`, `u1.base`, `ratings.dat` …) are stored
  /// with a `.fixture` suffix, so that no file in the repository looks like redistributed
  /// MovieLens data; the first use copies the fixtures to a temporary folder under their real
  /// names, and paths resolve there.
  static func url(_ path: String) throws -> URL {
    guard let root = materializedRoot else { throw Missing() }
    return root.appendingPathComponent(path)
  }

  private static let materializedRoot: URL? = {
    guard let source = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      return nil
    }
    let fm = FileManager.default
    let target = fm.temporaryDirectory.appendingPathComponent(
      "aflix-fixtures-\(UUID().uuidString)")
    do {
      try fm.copyItem(at: source, to: target)
      let files = fm.enumerator(at: target, includingPropertiesForKeys: nil)?.allObjects ?? []
      for case let file as URL in files where file.pathExtension == "fixture" {
        try fm.moveItem(at: file, to: file.deletingPathExtension())
      }
      return target
    } catch {
      return nil
    }
  }()

  /// A fresh temporary file holding `text`, for tests that write their own input.
  static func temporaryFile(named name: String, contents: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("aflix-data-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(contents.utf8).write(to: url)
    return url
  }
}
