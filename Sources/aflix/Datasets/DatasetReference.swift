import AFlix
import Foundation

/// The folder downloaded datasets live in: `--dir D` when given, else `$AFLIX_DATA`, else
/// `$XDG_CACHE_HOME/aflix`, else `~/.cache/aflix`. A dataset called `ml-100k` is the folder
/// `<cache>/ml-100k/` — the same layout `AFLIX_DATA` has everywhere else in AFlix (the folder
/// holding `ml-100k/`).
enum DatasetCache {
  /// The cache folder, with the rule that chose it (for `aflix datasets list`).
  static func folder(
    explicit: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> (url: URL, source: String) {
    if let explicit, !explicit.isEmpty {
      return (URL(fileURLWithPath: explicit).standardizedFileURL, "--dir")
    }
    if let data = environment["AFLIX_DATA"], !data.isEmpty {
      return (URL(fileURLWithPath: data).standardizedFileURL, "AFLIX_DATA")
    }
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
      return (URL(fileURLWithPath: xdg).appendingPathComponent("aflix"), "XDG_CACHE_HOME")
    }
    let home =
      environment["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
      ?? FileManager.default.homeDirectoryForCurrentUser
    return (home.appendingPathComponent(".cache/aflix"), "the per-user cache")
  }

  /// Where `dataset` is, or would be, in `cache`.
  static func location(of dataset: KnownDataset, in cache: URL) -> URL {
    cache.appendingPathComponent(dataset.name, isDirectory: true)
  }

  /// Whether `dataset` is complete at `location`: the folder is there and holds its ratings
  /// file (when the registry names one). Fetching renames the folder into place only once it is
  /// whole, so a folder AFlix made is never half there.
  static func isComplete(_ dataset: KnownDataset, at location: URL) -> Bool {
    guard (try? FileAccess.kind(atPath: location.path)) == .directory else { return false }
    guard let file = dataset.ratingsFile else { return true }
    return (try? FileAccess.exists(atPath: location.appendingPathComponent(file).path)) == true
  }
}

/// What a command's dataset argument names: a path, or the name of a dataset `aflix datasets
/// fetch` downloads (`aflix info ml-100k`).
enum DatasetReference {
  /// The path `pathOrName` stands for: an existing file or folder is itself (a path always wins);
  /// the name of a known dataset is its folder in the cache (``DatasetCache``); anything else is
  /// returned as it is, for the loader to report.
  ///
  /// The dataset list (and so a manifest, ``KnownDataset/manifestVariable``) is consulted only
  /// for text that could be a dataset's name (``KnownDataset/isSafeName(_:)``: no `/`, not
  /// hidden) naming nothing here.
  ///
  /// - Throws: ``DatasetError`` when `pathOrName` names a known dataset that has not been
  ///   fetched, saying which command fetches it; or when it names nothing here and the manifest
  ///   that could say whether it is a dataset's name cannot be used (saying both).
  static func resolve(
    _ pathOrName: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> String {
    guard KnownDataset.isSafeName(pathOrName), !FileManager.default.fileExists(atPath: pathOrName)
    else { return pathOrName }
    let registry: [KnownDataset]
    do {
      registry = try KnownDataset.registry(environment: environment)
    } catch let error as DatasetError {
      throw DatasetError(
        "no such file or folder: \(pathOrName); nor can it be looked up as a dataset's name, "
          + "because \(error.description)")
    }
    guard let dataset = registry.first(where: { $0.name == pathOrName }) else { return pathOrName }
    let cache = DatasetCache.folder(environment: environment).url
    let location = DatasetCache.location(of: dataset, in: cache)
    guard DatasetCache.isComplete(dataset, at: location) else {
      throw DatasetError(
        "\(pathOrName) is neither a file nor a folder here, and the dataset \(dataset.name) has "
          + "not been downloaded to \(cache.path); run `aflix datasets fetch \(dataset.name)` "
          + "(or give its folder's path)")
    }
    return location.path
  }
}
