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

  /// The largest download AFlix makes for a manifest entry that gives no `size`: 4 GB (the
  /// largest MovieLens archive, ml-25m, is 262 MB). An entry for anything larger must give its
  /// size.
  static let maximumUnsizedBytes: Int64 = 4_000_000_000

  /// The fields a manifest entry may have.
  static let manifestFields = [
    "name", "url", "sha256", "size", "folder", "ratingsFile", "format", "description", "licence",
  ]

  /// Reads a manifest: a JSON array of `{"name", "url", "sha256", "size"?, "folder"?,
  /// "ratingsFile"?, "format"?, "description"?, "licence"?}`. An entry named like a built-in
  /// dataset inherits its description and licence when it gives none.
  ///
  /// - Throws: ``DatasetError``, a sentence naming the manifest file, the entry and the field:
  ///   a file that cannot be read or is not JSON; an entry that is not an object, lacks a
  ///   required field, has an unknown field or a field of the wrong type; a name, `folder` or
  ///   `ratingsFile` that is not a plain file name (no `/`, not hidden, so not `..`); an address
  ///   that is not http(s); a `sha256` that is not 64 hexadecimal digits; a `size` that is not a
  ///   positive whole number of bytes; a `format` AFlix does not read (``DatasetFormat``); a
  ///   name given twice.
  static func manifest(at file: URL) throws -> [KnownDataset] {
    let data: Data
    do {
      data = try Data(contentsOf: file)
    } catch {
      throw DatasetError(
        "cannot read the dataset manifest (\(manifestVariable)): "
          + FileAccess.error(error, path: file.path, action: "read").message)
    }
    let prefix = "the dataset manifest \(file.path) (\(manifestVariable))"
    let document: ManifestValue
    do {
      document = try JSONDecoder().decode(ManifestValue.self, from: data)
    } catch {
      throw DatasetError("\(prefix) is not valid JSON (\(ManifestValue.describe(error)))")
    }
    guard case .array(let items) = document else {
      throw DatasetError(
        "\(prefix) is not a JSON array of {\"name\", \"url\", \"sha256\", ...} objects (it is "
          + "\(document.kind))")
    }
    var seen: [String: Int] = [:]
    return try items.enumerated().map { index, item in
      let position = "entry \(index + 1)"
      guard case .object(let fields) = item else {
        throw DatasetError("\(prefix): \(position) is \(item.kind), not an object")
      }
      guard case .string(let name)? = fields["name"] else {
        throw DatasetError(
          "\(prefix): \(position) "
            + (fields["name"].map { "has a name that is \($0.kind), not a string" }
              ?? "has no \"name\""))
      }
      let entry = ManifestEntry(prefix: "\(prefix): \(position) ('\(name)')", fields: fields)
      if let unknown = fields.keys.sorted().first(where: { !manifestFields.contains($0) }) {
        throw entry.bad(
          "has a field \"\(unknown)\" AFlix does not know (the fields: "
            + manifestFields.joined(separator: ", ") + ")")
      }
      if let first = seen[name] {
        throw entry.bad("has the name of entry \(first + 1); each name may appear once")
      }
      seen[name] = index
      guard isSafeName(name) else {
        throw entry.bad("has a name that is not a plain folder name (no '/', not hidden)")
      }
      let address = try entry.string("url", required: true)!
      guard let url = URL(string: address), ["http", "https"].contains(url.scheme?.lowercased())
      else { throw entry.bad("has url '\(address)', not an http or https address") }
      let given = try entry.string("sha256", required: true)!
      let sha = given.lowercased()
      guard sha.count == 64, sha.allSatisfy(\.isHexDigit) else {
        throw entry.bad("has sha256 '\(given)', not 64 hexadecimal digits")
      }
      let size = try entry.size()
      let folder = try entry.string("folder")
      if let folder, !isSafeName(folder) {
        throw entry.bad("has folder '\(folder)', not a plain folder name (no '/', not hidden)")
      }
      let ratingsFile = try entry.string("ratingsFile")
      if let ratingsFile, !isSafeName(ratingsFile) {
        throw entry.bad(
          "has ratingsFile '\(ratingsFile)', not a plain file name (no '/', not hidden)")
      }
      let format = try entry.string("format")
      if let format, DatasetFormat(rawValue: format) == nil {
        throw entry.bad(
          "has format '\(format)', which AFlix does not read (it reads "
            + DatasetFormat.allCases.map(\.rawValue).joined(separator: ", ") + ")")
      }
      let licence = try entry.string("licence")
      let licenceURL = licence.flatMap { URL(string: $0) }
      if let licence, licenceURL?.scheme == nil {
        throw entry.bad("has licence '\(licence)', not an address")
      }
      let known = builtIn.first { $0.name == name }
      return KnownDataset(
        name: name, url: url, sha256: sha, size: size, folder: folder,
        ratingsFile: ratingsFile, format: format,
        summary: try entry.string("description") ?? known?.summary ?? "",
        licence: licenceURL ?? known?.licence)
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

/// One manifest entry's fields, read with errors that name the manifest, the entry and the field.
private struct ManifestEntry {
  /// `the dataset manifest F (AFLIX_DATASETS_MANIFEST): entry 2 ('x')`.
  let prefix: String
  let fields: [String: ManifestValue]

  func bad(_ reason: String) -> DatasetError { DatasetError("\(prefix) \(reason)") }

  /// The string field `key`; `nil` when absent (or `null`) and not `required`.
  func string(_ key: String, required: Bool = false) throws -> String? {
    switch fields[key] {
    case .string(let text)?: return text
    case nil, .null?:
      if required { throw bad("has no \"\(key)\"") }
      return nil
    case let other?: throw bad("has a \(key) that is \(other.kind), not a string")
    }
  }

  /// `size`: a positive whole number of bytes, when given.
  func size() throws -> Int64? {
    switch fields["size"] {
    case nil, .null?: return nil
    case .number(let value, let whole)?:
      guard let whole else {
        throw bad("has size \(value), which is not a whole number of bytes")
      }
      guard whole > 0 else { throw bad("has size \(whole), not a positive number of bytes") }
      return whole
    case let other?: throw bad("has a size that is \(other.kind), not a number of bytes")
    }
  }
}

/// A JSON value as a manifest holds it, decoded without losing which kind it is (so that a
/// `size` of `1e30` or `"5"` is reported as such).
private enum ManifestValue: Decodable {
  case null
  case bool(Bool)
  /// A number, and its value as a whole `Int64` when it is one.
  case number(Double, whole: Int64?)
  case string(String)
  case array([ManifestValue])
  case object([String: ManifestValue])

  init(from decoder: any Decoder) throws {
    if var items = try? decoder.unkeyedContainer() {
      var values: [ManifestValue] = []
      while !items.isAtEnd { values.append(try items.decode(ManifestValue.self)) }
      self = .array(values)
      return
    }
    if let object = try? decoder.container(keyedBy: Key.self) {
      var values: [String: ManifestValue] = [:]
      for key in object.allKeys {
        values[key.stringValue] = try object.decode(Self.self, forKey: key)
      }
      self = .object(values)
      return
    }
    let single = try decoder.singleValueContainer()
    if single.decodeNil() {
      self = .null
    } else if let flag = try? single.decode(Bool.self) {
      self = .bool(flag)
    } else if let text = try? single.decode(String.self) {
      self = .string(text)
    } else if let whole = try? single.decode(Int64.self) {
      self = .number(Double(whole), whole: whole)
    } else {
      let value = try single.decode(Double.self)
      self = .number(value, whole: nil)
    }
  }

  /// What kind of value it is, for messages: `a string`, `a number`.
  var kind: String {
    switch self {
    case .null: return "null"
    case .bool: return "true or false"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }

  /// A decoding error's own sentence, without the `DecodingError` wrapping.
  static func describe(_ error: any Error) -> String {
    guard let decoding = error as? DecodingError else { return error.localizedDescription }
    switch decoding {
    case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
      .keyNotFound(_, let context):
      let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey]
      return (underlying as? String) ?? context.debugDescription
    @unknown default:
      return "\(decoding)"
    }
  }

  private struct Key: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }
}
