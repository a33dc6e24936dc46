import AFlix
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A downloaded zip archive, read and unpacked with Info-ZIP's `unzip` (Debian package `unzip`;
/// `scripts/install-deps.sh` installs it).
struct DatasetArchive {
  /// The archive file.
  let file: URL
  /// Where it came from, for messages.
  let source: URL
  /// What runs instead of ``unzipExecutable()``, with arguments put before unzip's; `nil` in
  /// use (tests give `/bin/sh` and a script of their own).
  var standIn: (program: URL, arguments: [String])? = nil

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
  ///
  /// Both go to files in the temporary folder — a listing can be long, and a pipe read only
  /// after the exit would block an `unzip` writing more than the pipe holds — registered with
  /// ``PartialFiles`` so that `SIGINT` / `SIGTERM` removes them too.
  private func unzip(_ arguments: [String]) throws -> (out: String, err: String, status: Int32) {
    let program = try standIn?.program ?? Self.unzipExecutable()
    let folder = FileManager.default.temporaryDirectory
    let stem = "aflix-unzip-\(getpid())-\(UUID().uuidString.prefix(8))"
    let outFile = folder.appendingPathComponent(stem + ".out")
    let errFile = folder.appendingPathComponent(stem + ".err")
    defer {
      for file in [outFile, errFile] {
        try? FileManager.default.removeItem(at: file)
        PartialFiles.unregister(file)
      }
    }
    // Registered and made in one step: the signal handler either sees them or stops the
    // command before they are made.
    let (out, err) = try StopGate.step { () throws -> (Int32, Int32) in
      PartialFiles.register(outFile)
      PartialFiles.register(errFile)
      let out = try Self.create(outFile)
      do {
        return (out, try Self.create(errFile))
      } catch {
        close(out)
        throw error
      }
    }
    defer {
      close(out)
      close(err)
    }
    let status = try StopGate.run(
      program, (standIn?.arguments ?? []) + arguments, output: out, errors: err)
    let outText = (try? Data(contentsOf: outFile)) ?? Data()
    let errText = (try? Data(contentsOf: errFile)) ?? Data()
    return (
      String(decoding: outText, as: UTF8.self), String(decoding: errText, as: UTF8.self), status
    )
  }

  /// Creates `file` (which must not exist) for writing; its descriptor.
  private static func create(_ file: URL) throws -> Int32 {
    let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw DatasetError(
        "cannot create the temporary file \(file.path) for unzip's output: "
          + String(cString: strerror(errno)))
    }
    return descriptor
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

  /// The first line with text, at most 300 characters of it.
  static func firstLine(of text: String) -> String {
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    guard let line = lines.first(where: { !$0.isEmpty }) else { return "no message" }
    return line.count > 300 ? String(line.prefix(300)) + " …" : line
  }
}
