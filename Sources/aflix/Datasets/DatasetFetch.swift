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
    do {
      try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
    } catch {
      throw DatasetError(
        "cannot create the dataset folder \(cache.path): "
          + "\(FileAccess.error(error, path: cache.path, action: "create"))")
    }
    let archiveName = cache.appendingPathComponent(dataset.name + ".zip")
    PartialFiles.removeStale(for: archiveName)
    PartialFiles.removeStale(for: target)
    _ = try DatasetArchive.unzipExecutable()  // before downloading, not after

    FileHandle.standardError.write(Data(Self.notice(for: dataset).utf8))

    // Each file is registered and made in one step, so that the signal handler either sees it
    // or stops the command before it is made (StopGate).
    let archive = PartialFiles.temporaryURL(for: archiveName)
    let created = try StopGate.step {
      PartialFiles.register(archive)
      return FileManager.default.createFile(atPath: archive.path, contents: nil)
    }
    defer {
      try? FileManager.default.removeItem(at: archive)
      PartialFiles.unregister(archive)
    }
    guard created else {
      throw DatasetError("cannot create \(archive.path) to download \(dataset.url.absoluteString)")
    }
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
    if showsProgress {
      FileHandle.standardError.write(Data("unpacking \(entries.count) files …\r".utf8))
    }
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
    if showsProgress { FileHandle.standardError.write(Data("\u{1B}[K".utf8)) }
    let code = try StopGate.step { rename(unpacked.path, target.path) == 0 ? 0 : errno }
    guard code == 0 else {
      // Another fetch of the same dataset finished first: its folder is as good as ours.
      if DatasetCache.isComplete(dataset, at: target) { return (target, false) }
      throw DatasetError(
        "cannot move the unpacked \(dataset.name) into \(target.path): "
          + String(cString: strerror(code)))
    }
    return (target, true)
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
