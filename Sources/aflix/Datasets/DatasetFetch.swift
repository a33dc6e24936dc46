import AFlix
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `aflix datasets fetch`'s work: download the archive next to its destination under a hidden
/// partial name, verify it, unpack it into a hidden staging folder, and rename the dataset's
/// folder into place — so `<cache>/<name>/` is either absent or complete. On any failure, and on
/// `SIGINT` / `SIGTERM` (``PartialFiles`` and ``ChildProcesses``, through ``Interruption``),
/// the partial archive and the staging folder are removed.
struct DatasetFetch {
  /// The dataset.
  let dataset: KnownDataset
  /// The cache folder (the dataset lands in `<cache>/<name>/`).
  let cache: URL
  /// Whether a progress bar is drawn on standard error.
  let showsProgress: Bool

  /// Where the dataset is (or will be).
  var location: URL { DatasetCache.location(of: dataset, in: cache) }

  /// Fetches the dataset unless it is already there; returns its folder and whether it was
  /// downloaded now.
  func run() async throws -> (folder: URL, downloaded: Bool) {
    let target = location
    if DatasetCache.isComplete(dataset, at: target) { return (target, false) }
    if try FileAccess.exists(atPath: target.path) {
      throw DatasetError(
        "\(target.path) exists but does not hold \(dataset.name) whole (no "
          + "\(dataset.ratingsFile ?? "files")); move it away or remove it, then fetch again")
    }
    try Self.makeFolder(cache)
    let archiveName = cache.appendingPathComponent(dataset.name + ".zip")
    PartialFiles.removeStale(for: archiveName)
    PartialFiles.removeStale(for: target)
    _ = try DatasetArchive.unzipExecutable()  // before downloading, not after

    // The partial archive is made before the notice: a folder that cannot be written is
    // reported first, with the reason. It is registered and made in one step, so that the
    // signal handler either sees it or stops the command before it is made (StopGate).
    let archive = PartialFiles.temporaryURL(for: archiveName)
    defer {
      try? FileManager.default.removeItem(at: archive)
      PartialFiles.unregister(archive)
    }
    let code = try StopGate.step { () -> Int32 in
      PartialFiles.register(archive)
      let descriptor = open(archive.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else { return errno }
      close(descriptor)
      return 0
    }
    guard code == 0 else {
      throw DatasetError(
        "cannot write in the dataset folder \(cache.path): \(String(cString: strerror(code))) "
          + "(creating \(archive.lastPathComponent) there)")
    }

    FileHandle.standardError.write(Data(Self.notice(for: dataset).utf8))
    try await DatasetDownload(dataset: dataset, destination: archive, showsProgress: showsProgress)
      .run()

    let staging = PartialFiles.temporaryURL(for: target)
    defer {
      try? FileManager.default.removeItem(at: staging)
      PartialFiles.unregister(staging)
    }
    try StopGate.step {
      PartialFiles.register(staging)
      try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
    }
    let zip = DatasetArchive(file: archive, source: dataset.url)
    let entries = try zip.safeEntries()
    let unpacked = try withStatusLine("unpacking \(entries.count) files …") {
      try zip.unpack(into: staging)
      let unpacked = dataset.folder.map { staging.appendingPathComponent($0) } ?? staging
      guard (try? FileAccess.kind(atPath: unpacked.path)) == .directory else {
        throw DatasetError(
          "\(dataset.url.absoluteString) does not unpack to a folder \(dataset.folder ?? "")/ "
            + "(its first entry is \(entries.first ?? "none"))")
      }
      guard DatasetCache.isComplete(dataset, at: unpacked) else {
        throw DatasetError(
          "\(dataset.url.absoluteString) unpacked without \(dataset.ratingsFile ?? "its files")")
      }
      return unpacked
    }
    let renamed = try StopGate.step { rename(unpacked.path, target.path) == 0 ? 0 : errno }
    guard renamed == 0 else {
      // Another fetch of the same dataset finished first: its folder is as good as ours.
      if DatasetCache.isComplete(dataset, at: target) { return (target, false) }
      throw DatasetError(
        "cannot move the unpacked \(dataset.name) into \(target.path): "
          + String(cString: strerror(renamed)))
    }
    return (target, true)
  }

  /// Runs `body` with `text` shown on standard error when progress is shown (a terminal, not
  /// `--json`), and clears it however `body` ends.
  private func withStatusLine<T>(_ text: String, _ body: () throws -> T) rethrows -> T {
    guard showsProgress else { return try body() }
    FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
    defer { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    return try body()
  }

  /// Creates `folder` and the folders above it that are missing (`mkdir -p`).
  ///
  /// - Throws: ``DatasetError`` naming the folder and the system's reason (`Not a directory`
  ///   when a file stands where a folder should be, `Permission denied`, `Read-only file
  ///   system`).
  static func makeFolder(_ folder: URL) throws {
    var path = ""
    for component in folder.standardizedFileURL.pathComponents {
      path = component == "/" ? "/" : (path.hasSuffix("/") ? path : path + "/") + component
      if mkdir(path, 0o755) == 0 { continue }
      let code = errno
      var info = stat()
      if code == EEXIST, stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { continue }
      let reason = code == EEXIST ? ENOTDIR : code
      throw DatasetError(
        "cannot create the dataset folder \(folder.path): \(String(cString: strerror(reason)))"
          + (path == folder.standardizedFileURL.path ? "" : " (at \(path))"))
    }
  }

  /// The terms GroupLens sets for the MovieLens data, printed before a download starts.
  static func notice(for dataset: KnownDataset) -> String {
    let terms = dataset.licence.map { " Terms: \($0.absoluteString)" } ?? ""
    return """
      Downloading \(dataset.name) from \(dataset.url.absoluteString)\(dataset.size.map { " (\(ByteCount.text($0)))" } ?? "").
      MovieLens data are published by GroupLens Research (University of Minnesota) for research
      use: no commercial use and no redistribution without their permission, and publications
      using the data must cite F. M. Harper and J. A. Konstan, "The MovieLens Datasets: History
      and Context", ACM TiiS 5(4), 2015.\(terms)

      """
  }
}
