import Foundation

/// A downloaded zip archive, read and unpacked with Info-ZIP's `unzip` (Debian package `unzip`;
/// `scripts/install-deps.sh` installs it).
struct DatasetArchive {
  /// The archive file.
  let file: URL
  /// Where it came from, for messages.
  let source: URL

  /// The `unzip` executable: the first on `PATH`, else `/usr/bin/unzip`.
  static func unzipExecutable() throws -> URL {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("unzip")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    let fallback = URL(fileURLWithPath: "/usr/bin/unzip")
    guard FileManager.default.isExecutableFile(atPath: fallback.path) else {
      throw DatasetError(
        "unpacking a dataset needs Info-ZIP's unzip, which is not installed (Debian/Ubuntu: "
          + "apt-get install unzip, or scripts/install-deps.sh)")
    }
    return fallback
  }

  /// Runs `unzip` with `arguments`; its standard output, standard error and exit status.
  private func unzip(_ arguments: [String]) throws -> (out: String, err: String, status: Int32) {
    let process = Process()
    process.executableURL = try Self.unzipExecutable()
    process.arguments = arguments
    let outFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-unzip-\(getpid())-\(UUID().uuidString.prefix(8)).out")
    let errPipe = Pipe()
    // Standard output to a file (a listing can be long); standard error, which is short,
    // through a pipe read after the process ends.
    guard FileManager.default.createFile(atPath: outFile.path, contents: nil) else {
      throw DatasetError(
        "cannot create a temporary file in \(outFile.deletingLastPathComponent().path)")
    }
    defer { try? FileManager.default.removeItem(at: outFile) }
    let outHandle = try FileHandle(forWritingTo: outFile)
    defer { try? outHandle.close() }
    process.standardOutput = outHandle
    process.standardError = errPipe
    process.standardInput = FileHandle.nullDevice
    let status = try StopGate.run(process)
    let err = errPipe.fileHandleForReading.readDataToEndOfFile()
    let out = (try? Data(contentsOf: outFile)) ?? Data()
    return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), status)
  }

  /// The archive's entry names, after checking that none can land outside the folder it is
  /// unpacked into: no absolute path, no `..` component, no symbolic link.
  ///
  /// - Throws: ``DatasetError`` naming the first unsafe entry, or when `unzip` cannot read the
  ///   archive.
  func safeEntries() throws -> [String] {
    let listing = try unzip(["-Z1", file.path])
    guard listing.status == 0 else {
      throw DatasetError(
        "\(source.absoluteString) is not a readable zip archive (unzip -Z1 exited with "
          + "\(listing.status): \(Self.firstLine(of: listing.err + listing.out)))")
    }
    let names = listing.out.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    guard !names.isEmpty else { throw DatasetError("\(source.absoluteString) is an empty archive") }
    for name in names {
      let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
      if name.hasPrefix("/") || name.hasPrefix("\\") || parts.contains("..") {
        throw DatasetError(
          "refusing \(source.absoluteString): its entry '\(name)' would be written outside the "
            + "dataset folder (an absolute path or a '..' component)")
      }
    }
    // The long listing's first column is the entry's Unix mode: 'l' for a symbolic link.
    let long = try unzip(["-Z", file.path])
    for line in long.out.split(separator: "\n") where line.hasPrefix("l") {
      if line.dropFirst().prefix(9).allSatisfy({ "rwxsStT-".contains($0) }) {
        let name = line.split(separator: " ").last ?? ""
        throw DatasetError(
          "refusing \(source.absoluteString): its entry '\(name)' is a symbolic link, which "
            + "could point outside the dataset folder")
      }
    }
    return names
  }

  /// Unpacks the whole archive into `folder` (which exists and is empty).
  ///
  /// - Throws: ``DatasetError`` with `unzip`'s own message when it fails part-way (a damaged
  ///   entry, a full disk).
  func unpack(into folder: URL) throws {
    let result = try unzip(["-qq", "-o", file.path, "-d", folder.path])
    guard result.status == 0 else {
      throw DatasetError(
        "unpacking \(source.absoluteString) failed (unzip exited with \(result.status): "
          + "\(Self.firstLine(of: result.err + result.out))); nothing was kept")
    }
  }

  private static func firstLine(of text: String) -> String {
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    return lines.first { !$0.isEmpty } ?? "no message"
  }
}
