import AFlixData
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

extension WorldWriter {
  /// A world folder being written.
  ///
  /// When the folder does not exist yet, the five files are written into a registered hidden
  /// staging folder beside it (`.<name>.<pid>.<token>.partial`) that ``commit()`` renames into
  /// place in one step. When it exists, each file is written under a registered partial name
  /// beside its final one (`.ratings.csv.<pid>.<token>.partial` …, one file system, so renames
  /// stay atomic) and renamed over it by ``commit()``, `world.json` last. ``discard()`` removes
  /// whatever was staged. A `SIGINT` / `SIGTERM` handler calling `PartialFiles.removeAll()`
  /// removes the staged files too; the leftovers of a `SIGKILL`ed write are removed by the next
  /// write to the same folder.
  ///
  /// Only a folder (or a symbolic link to one) is written into, and only regular files in it are
  /// replaced: anything else at those paths is refused before anything is written.
  struct Stage {
    /// The folder the world ends up in.
    let directory: URL
    /// The staging folder, when `directory` did not exist.
    let stagingFolder: URL?
    /// The files, in the order they are renamed (`world.json` last: a folder with a new
    /// `world.json` has all its new files).
    static let names = ["ratings.csv", "truth.csv", "profiles.csv", "movies.csv", "world.json"]
    /// Where each file is written until the commit.
    private let partials: [String: URL]

    /// Checks the destination, removes stale partial files of killed writers, and registers the
    /// new partial files (or staging folder).
    ///
    /// - Throws: ``DataError`` `.notRegularFile` when `directory` exists and is not a folder, or
    ///   one of the five names in it is not a regular file; `.permissionDenied`,
    ///   `.symbolicLinkLoop`, `.fileNotFound`, `.ioFailure` from the file system.
    init(_ directory: URL) throws {
      self.directory = directory
      if let kind = try FileAccess.kind(atPath: directory.path) {
        guard kind == .directory else {
          throw DataError(
            .notRegularFile, file: directory.lastPathComponent,
            message: "\(directory.path) is \(kind.rawValue), not a folder: nothing was written")
        }
        // A killed run that found no folder left a staging folder beside it.
        PartialFiles.removeStale(for: directory)
        var partials: [String: URL] = [:]
        for name in Self.names {
          let target = directory.appendingPathComponent(name)
          try FileAccess.requireWritableDestination(target)
          PartialFiles.removeStale(for: target)
          partials[name] = PartialFiles.temporaryURL(for: target)
        }
        for url in partials.values { PartialFiles.register(url) }
        stagingFolder = nil
        self.partials = partials
      } else {
        try FileAccess.createFolder(directory.deletingLastPathComponent())
        try FileAccess.requireWritableDestination(directory)
        PartialFiles.removeStale(for: directory)
        let staging = PartialFiles.temporaryURL(for: directory)
        PartialFiles.register(staging)
        guard mkdir(staging.path, 0o755) == 0 else {
          let code = errno
          PartialFiles.unregister(staging)
          throw FileAccess.error(errno: code, path: directory.path, action: "create the folder")
        }
        stagingFolder = staging
        var partials: [String: URL] = [:]
        for name in Self.names { partials[name] = staging.appendingPathComponent(name) }
        self.partials = partials
      }
    }

    /// Where `name` is written until the commit.
    func url(_ name: String) -> URL { partials[name]! }

    /// The final path of `name`, for messages.
    func target(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Moves the staged files into place (they were flushed to disk when written), then flushes
    /// the folder.
    ///
    /// - Throws: ``DataError`` when a rename fails.
    func commit() throws {
      if let stagingFolder {
        AtomicFile.synchronizeFolder(stagingFolder)
        if rename(stagingFolder.path, directory.path) == 0 {
          AtomicFile.synchronizeFolder(directory.deletingLastPathComponent())
          PartialFiles.unregister(stagingFolder)
          return
        }
        let code = errno
        // Another writer created the folder meanwhile: move the files into it one by one.
        guard code == EEXIST || code == ENOTEMPTY,
          try FileAccess.kind(atPath: directory.path) == .directory
        else {
          throw FileAccess.error(errno: code, path: directory.path, action: "create")
        }
        for name in Self.names {
          try FileAccess.requireWritableDestination(target(name))
        }
      }
      for name in Self.names {
        try AtomicFile.rename(url(name), to: target(name))
      }
      AtomicFile.synchronizeFolder(directory)
      discard()
    }

    /// Removes whatever was staged (nothing after a successful commit) and forgets it.
    func discard() {
      if let stagingFolder {
        try? FileManager.default.removeItem(at: stagingFolder)
        PartialFiles.unregister(stagingFolder)
      } else {
        for url in partials.values {
          unlink(url.path)
          PartialFiles.unregister(url)
        }
      }
    }
  }

  /// The three streamed files, headers written.
  struct Sinks {
    let ratings: StagedFile
    let truth: StagedFile
    let profiles: StagedFile

    init(_ stage: Stage) throws {
      ratings = try StagedFile(stage.url("ratings.csv"), target: stage.target("ratings.csv"))
      truth = try StagedFile(stage.url("truth.csv"), target: stage.target("truth.csv"))
      profiles = try StagedFile(stage.url("profiles.csv"), target: stage.target("profiles.csv"))
      try ratings.write(RatingsCSVWriter.header + "\n")
      try truth.write(WorldWriter.truthHeader + "\n")
      try profiles.write(WorldWriter.profilesHeader + "\n")
    }

    func close() throws {
      try ratings.close()
      try truth.close()
      try profiles.close()
    }

    /// Closes whatever is still open, ignoring errors (after a failure).
    func closeQuietly() {
      try? ratings.close()
      try? truth.close()
      try? profiles.close()
    }
  }

  /// A new file written through a 1 MiB buffer, flushed to disk when closed; failures are
  /// ``DataError`` values naming the file's final path.
  final class StagedFile {
    private let descriptor: Int32
    /// The final path, for messages.
    private let target: URL
    private var buffer: [UInt8] = []
    private var closed = false
    private static let flushSize = 1 << 20

    /// Creates the file at `url`, which must not exist.
    init(_ url: URL, target: URL) throws {
      self.target = target
      descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        throw FileAccess.error(errno: errno, path: target.path, action: "create")
      }
      buffer.reserveCapacity(Self.flushSize)
    }

    deinit {
      if !closed { _ = systemClose(descriptor) }
    }

    func write(_ bytes: [UInt8]) throws {
      if buffer.count + bytes.count > Self.flushSize {
        try flush()
        if bytes.count >= Self.flushSize {
          try writeAll(bytes)
          return
        }
      }
      buffer.append(contentsOf: bytes)
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    private func flush() throws {
      guard !buffer.isEmpty else { return }
      try writeAll(buffer)
      buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
      try bytes.withUnsafeBytes { try AtomicFile.writeAll(descriptor, $0, path: target.path) }
    }

    /// Writes what is buffered, flushes the file to disk and closes it; later calls do nothing.
    func close() throws {
      guard !closed else { return }
      closed = true
      var failure: DataError?
      do {
        try flush()
      } catch let error as DataError {
        failure = error
      }
      if failure == nil, fsync(descriptor) != 0 {
        failure = FileAccess.error(errno: errno, path: target.path, action: "flush")
      }
      if systemClose(descriptor) != 0, failure == nil {
        failure = FileAccess.error(errno: errno, path: target.path, action: "close")
      }
      if let failure { throw failure }
    }
  }
}

/// POSIX `close(2)` (the name is shadowed inside ``WorldWriter/StagedFile``).
private func systemClose(_ descriptor: Int32) -> Int32 {
  close(descriptor)
}
