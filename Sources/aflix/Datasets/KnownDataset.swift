import AFlix
import Foundation

/// A dataset `aflix datasets fetch` knows how to download: where from, what the archive must hash
/// to, and where its files land.
struct KnownDataset: Sendable, Equatable {
  /// The name a user types (`ml-100k`); the cache folder holds the dataset at `<cache>/<name>/`.
  var name: String
  /// The archive's address.
  var url: URL
  /// The archive's SHA-256, 64 lowercase hexadecimal digits.
  var sha256: String
  /// The archive's size in bytes, when known.
  var size: Int64?
  /// The folder the archive unpacks to (its entries start with `<folder>/`); `nil` when the
  /// entries sit at the archive's top level.
  var folder: String?
  /// A file the unpacked folder holds when complete (`u.data`), when known.
  var ratingsFile: String?
  /// The format AFlix detects in the unpacked folder (`--format` names), when known.
  var format: String?
  /// One line about the data.
  var summary: String
  /// The data's terms of use and description (GroupLens's README).
  var licence: URL?

  /// The environment variable naming a manifest that replaces the built-in list (a mirror, or a
  /// test's local server).
  static let manifestVariable = "AFLIX_DATASETS_MANIFEST"

  /// The MovieLens archives GroupLens publishes, as they are on files.grouplens.org.
  ///
  /// GroupLens publishes only MD5 sums (`<name>.zip.md5`). The SHA-256 values and sizes are the
  /// ones TensorFlow Datasets pins in `tensorflow_datasets/url_checksums/movielens.txt`
  /// (github.com/tensorflow/datasets), and each is pinned alike by unrelated public loaders:
  /// ml-100k by many (several also quoting GroupLens's MD5 0e33842e24a9c977be4e0107933c0723 for
  /// the same 4,924,029 bytes), ml-latest-small by Julia's DataDeps registration
  /// (`MovieLens-latest-small`), ml-1m by SecretFlow's `load_ml_1m`, ml-25m by a loader that
  /// cross-checked GroupLens's MD5 6b51fb2759a8657d3bfcbfc42b592ada for the same 261,978,986
  /// bytes. Checked by hand against the archives: none (no network where this was written).
  static let builtIn: [KnownDataset] = [
    movieLens(
      "ml-100k", size: 4_924_029,
      sha256: "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229",
      ratingsFile: "u.data", format: "ml100k", readme: "ml-100k-README.txt",
      summary: "100,000 ratings (1–5) of 1,682 films by 943 users, 1998, with folds u1–u5"),
    movieLens(
      "ml-latest-small", size: 978_202,
      sha256: "696d65a3dfceac7c45750ad32df2c259311949efec81f0f144fdfb91ebc9e436",
      ratingsFile: "ratings.csv", format: "mlcsv", readme: "ml-latest-small-README.html",
      summary: "100,836 ratings (0.5–5) and 3,683 tags of 9,742 films by 610 users, 2018"),
    movieLens(
      "ml-1m", size: 5_917_549,
      sha256: "a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20",
      ratingsFile: "ratings.dat", format: "mldat", readme: "ml-1m-README.txt",
      summary: "1,000,209 ratings (1–5) of 3,706 films by 6,040 users, 2003"),
    movieLens(
      "ml-25m", size: 261_978_986,
      sha256: "8b21cfb7eb1706b4ec0aac894368d90acf26ebdfb6aced3ebd4ad5bd1eb9c6aa",
      ratingsFile: "ratings.csv", format: "mlcsv", readme: "ml-25m-README.html",
      summary: "25,000,095 ratings (0.5–5) of 62,423 films by 162,541 users, 2019"),
  ]

  private static func movieLens(
    _ name: String, size: Int64, sha256: String, ratingsFile: String, format: String,
    readme: String, summary: String
  ) -> KnownDataset {
    let base = "https://files.grouplens.org/datasets/movielens/"
    return KnownDataset(
      name: name, url: URL(string: base + name + ".zip")!, sha256: sha256, size: size,
      folder: name, ratingsFile: ratingsFile, format: format, summary: summary,
      licence: URL(string: base + readme)!)
  }

  /// The datasets on offer: the manifest named by `AFLIX_DATASETS_MANIFEST` when it is set,
  /// else ``builtIn``.
  static func registry(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> [KnownDataset] {
    guard let path = environment[manifestVariable], !path.isEmpty else { return builtIn }
    return try manifest(at: URL(fileURLWithPath: path))
  }

  /// The dataset called `name`.
  ///
  /// - Throws: ``DatasetError`` naming the known datasets when there is none by that name.
  static func named(
    _ name: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> KnownDataset {
    let all = try registry(environment: environment)
    guard let found = all.first(where: { $0.name == name }) else {
      throw DatasetError(
        "unknown dataset '\(name)'; known: \(all.map(\.name).joined(separator: ", "))"
          + (environment[manifestVariable].map { " (from \(manifestVariable)=\($0))" } ?? ""))
    }
    return found
  }

  /// One entry of a manifest file.
  private struct Entry: Decodable {
    var name: String
    var url: String
    var sha256: String
    var size: Int64?
    var folder: String?
    var ratingsFile: String?
    var format: String?
    var description: String?
    var licence: String?
  }

  /// Reads a manifest: a JSON array of `{"name", "url", "sha256", "size"?, "folder"?,
  /// "ratingsFile"?, "format"?, "description"?, "licence"?}`. An entry named like a built-in
  /// dataset inherits its description and licence when it gives none.
  static func manifest(at file: URL) throws -> [KnownDataset] {
    let data: Data
    do {
      data = try Data(contentsOf: file)
    } catch {
      throw DatasetError(
        "cannot read the dataset manifest \(file.path) (\(manifestVariable)): "
          + "\(FileAccess.error(error, path: file.path, action: "read"))")
    }
    let entries: [Entry]
    do {
      entries = try JSONDecoder().decode([Entry].self, from: data)
    } catch {
      throw DatasetError(
        "the dataset manifest \(file.path) is not a JSON array of {name, url, sha256, size?, "
          + "folder?} objects (\(error))")
    }
    return try entries.map { entry in
      func bad(_ reason: String) -> DatasetError {
        DatasetError("the dataset manifest \(file.path): entry '\(entry.name)' \(reason)")
      }
      guard isSafeName(entry.name) else {
        throw bad("has a name that is not a plain folder name")
      }
      guard let url = URL(string: entry.url), ["http", "https"].contains(url.scheme?.lowercased())
      else { throw bad("has url '\(entry.url)', not an http or https address") }
      let sha = entry.sha256.lowercased()
      guard sha.count == 64, sha.allSatisfy(\.isHexDigit) else {
        throw bad("has sha256 '\(entry.sha256)', not 64 hexadecimal digits")
      }
      if let size = entry.size, size < 0 { throw bad("has a negative size") }
      if let folder = entry.folder, !isSafeName(folder) {
        throw bad("has folder '\(folder)', not a plain folder name")
      }
      let known = builtIn.first { $0.name == entry.name }
      return KnownDataset(
        name: entry.name, url: url, sha256: sha, size: entry.size, folder: entry.folder,
        ratingsFile: entry.ratingsFile, format: entry.format,
        summary: entry.description ?? known?.summary ?? "",
        licence: entry.licence.flatMap { URL(string: $0) } ?? known?.licence)
    }
  }

  /// Whether `name` is one path component that is not hidden, `.` or `..`.
  static func isSafeName(_ name: String) -> Bool {
    !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0")
      && name.utf8.count <= 200
  }
}

/// Why a dataset could not be listed, fetched or found; its description is the sentence the
/// command line prints.
struct DatasetError: Error, CustomStringConvertible, Equatable {
  let description: String
  init(_ description: String) { self.description = description }
}
