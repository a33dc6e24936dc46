import Foundation

/// Where the real MovieLens 100k copy lives for tests: `$AFLIX_DATA/ml-100k`, else
/// `../shared/data/ml-100k` beside the package checkout. Tests that need it are disabled (reported
/// as skipped) when it is absent.
public enum TestData {
  /// The package's root folder, derived from this file's location.
  public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // _AFlixTestSupport
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  /// The folder that holds `ml-100k/`.
  public static var dataRoot: URL {
    if let env = ProcessInfo.processInfo.environment["AFLIX_DATA"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
  }

  /// The MovieLens 100k folder (`u.data`, `u.item`, `u1.base` …).
  public static var movieLens100K: URL { dataRoot.appendingPathComponent("ml-100k") }

  /// Whether the MovieLens 100k copy is present.
  public static var hasMovieLens100K: Bool {
    FileManager.default.fileExists(atPath: movieLens100K.appendingPathComponent("u.data").path)
  }
}
