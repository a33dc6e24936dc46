import AFlix
import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `aflix datasets`: the MovieLens datasets AFlix can download, and the download itself.
struct DatasetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "datasets",
    abstract: "List and download the MovieLens datasets (ml-100k, ml-latest-small, ml-1m, ml-25m).",
    discussion: """
      Datasets are downloaded from GroupLens (files.grouplens.org), checked against a pinned \
      SHA-256 and unpacked into <folder>/<name>/, where <folder> is --dir, else $AFLIX_DATA, \
      else $XDG_CACHE_HOME/aflix, else ~/.cache/aflix. Every command that takes a dataset path \
      also takes a fetched dataset's name: `aflix info ml-100k`.
      \(KnownDataset.manifestVariable)=FILE replaces the list with a JSON array of \
      {"name", "url", "sha256", "size"?, "folder"?, "ratingsFile"?, "format"?, "description"?, \
      "licence"?} (a mirror); an entry without "size" is downloaded only up to \
      \(ByteCount.text(KnownDataset.maximumUnsizedBytes)).

      Example: aflix datasets fetch ml-100k
      """,
    subcommands: [ListDatasetsCommand.self, FetchDatasetCommand.self]
  )
}

/// `aflix datasets list`.
struct ListDatasetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the datasets that can be fetched, their size and where they are cached.",
    discussion: """
      The cache folder is --dir, else $AFLIX_DATA, else $XDG_CACHE_HOME/aflix, else \
      ~/.cache/aflix; \(KnownDataset.manifestVariable)=FILE replaces the list (see `aflix \
      datasets --help`).

      Example: aflix datasets list --json
      """)

  @Option(help: "The cache folder (default: $AFLIX_DATA, else the per-user cache).")
  var dir: String?

  @OptionGroup var common: CommonOptions

  func run() throws {
    common.applyThreads()
    let (cache, source) = DatasetCache.folder(explicit: dir)
    let datasets = try KnownDataset.registry()
    let rows = datasets.map { dataset -> (KnownDataset, URL, Bool) in
      let location = DatasetCache.location(of: dataset, in: cache)
      return (dataset, location, DatasetCache.isComplete(dataset, at: location))
    }
    if common.json {
      let objects = rows.map { dataset, location, cached -> [String: Any] in
        [
          "name": dataset.name, "url": dataset.url.absoluteString,
          "size": dataset.size.map { $0 as Any } ?? NSNull(), "sha256": dataset.sha256,
          "format": dataset.format ?? NSNull(), "description": dataset.summary,
          "cached": cached, "path": location.path,
          "licence": dataset.licence?.absoluteString ?? NSNull(),
        ]
      }
      let bytes = try JSONSerialization.data(
        withJSONObject: objects, options: [.sortedKeys, .withoutEscapingSlashes])
      print(String(decoding: bytes, as: UTF8.self))
      return
    }
    print("Cache folder: \(cache.path) (\(source))")
    let width = max(8, rows.map(\.0.name.count).max() ?? 0)
    for (dataset, location, cached) in rows {
      let name = dataset.name.padding(toLength: width, withPad: " ", startingAt: 0)
      let size = (dataset.size.map(ByteCount.text) ?? "?")
      print(
        "\(name)  \(String(repeating: " ", count: max(0, 8 - size.count)))\(size)  \(dataset.summary)"
      )
      let pad = String(repeating: " ", count: width + 12)
      print(
        pad
          + (cached
            ? "cached: \(location.path)" : "not fetched: aflix datasets fetch \(dataset.name)"))
      if let licence = dataset.licence { print(pad + "licence: \(licence.absoluteString)") }
    }
  }
}

/// `aflix datasets fetch NAME`.
struct FetchDatasetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fetch",
    abstract: "Download a dataset, check its SHA-256, unpack it and print its folder.",
    discussion: """
      The folder's path is printed on standard output (so `aflix info "$(aflix datasets fetch \
      ml-100k)"` works); the licence notice and, on a terminal, a progress bar go to standard \
      error. A dataset already there is not downloaded again. Nothing half-written is left \
      behind: the archive and the unpacked files stay under hidden temporary names until the \
      folder is complete, and are removed on any error, SIGINT or SIGTERM.

      Other commands look a dataset's name up in $AFLIX_DATA (else the per-user cache), not in \
      --dir: after `--dir D`, `export AFLIX_DATA=D` lets `aflix info <name>` find it (the \
      command prints this hint when D is not where names are looked up).

      Example: aflix datasets fetch ml-latest-small --dir ~/data
      """)

  @Argument(
    help: "The dataset: ml-100k, ml-latest-small, ml-1m or ml-25m (see `aflix datasets list`).")
  var name: String

  @Option(help: "The cache folder (default: $AFLIX_DATA, else the per-user cache).")
  var dir: String?

  @OptionGroup var common: CommonOptions

  func run() async throws {
    common.applyThreads()
    let dataset = try KnownDataset.named(name)
    let cache = DatasetCache.folder(explicit: dir).url
    let fetch = DatasetFetch(
      dataset: dataset, cache: cache, showsProgress: common.showsProgress)
    let (folder, downloaded) = try await fetch.run()
    let message =
      downloaded
      ? "\(dataset.name) is ready in \(folder.path)\n"
      : "\(dataset.name) is already in \(folder.path); nothing downloaded\n"
    FileHandle.standardError.write(Data(message.utf8))
    if let hint = Self.hint(cache: cache, environment: ProcessInfo.processInfo.environment) {
      FileHandle.standardError.write(Data((hint + "\n").utf8))
    }
    if common.json {
      try JSONOutput.print([
        "name": dataset.name, "path": folder.path, "downloaded": downloaded,
      ])
    } else {
      print(folder.path)
    }
  }

  /// When `cache` (from `--dir`) is not the folder other commands look names up in, the line
  /// that says how to make them look there; else `nil`.
  static func hint(cache: URL, environment: [String: String]) -> String? {
    let usual = DatasetCache.folder(environment: environment).url
    guard cache.standardizedFileURL.path != usual.standardizedFileURL.path else { return nil }
    return "to use the name elsewhere: export AFLIX_DATA=\(shellQuoted(cache.path))"
  }

  /// `text` as one shell word: itself when it needs no quoting, else in single quotes.
  static func shellQuoted(_ text: String) -> String {
    let plain = text.allSatisfy {
      $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+:,@%".contains($0))
    }
    if plain, !text.isEmpty { return text }
    return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }
}
