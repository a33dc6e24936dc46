import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Replacing a file atomically: the new content goes to a registered partial file beside the
/// destination (see ``PartialFiles``), is flushed to disk, and is renamed over the destination,
/// whose folder is flushed too. An interrupted or failed write leaves the previous file as it was
/// and no partial file behind; concurrent writes to one path never give a torn file (the last
/// rename wins).
///
/// Only a missing destination or a regular file is replaced
/// (``FileAccess/requireWritableDestination(_:)``): a symbolic link, a FIFO, a device, a socket
/// or a folder is refused and left untouched. Every failure is a typed ``DataError`` naming the
/// path (`.notRegularFile`, `.fileNotFound`, `.permissionDenied`, `.symbolicLinkLoop`,
/// `.ioFailure`), never a raw `NSError`.
///
/// ```swift
/// try AtomicFile.write(Data("userId,movieId,rating,timestamp\n".utf8), to: url)
/// ```
public enum AtomicFile {
  /// Writes `data` to `url`, replacing a regular file there atomically.
  ///
  /// Partial files left beside `url` by killed processes are removed first
  /// (``PartialFiles/removeStale(for:)``).
  ///
  /// - Throws: ``DataError`` naming the path and the reason.
  public static func write(_ data: Data, to url: URL) throws {
    try write(data, to: url, beforeRename: nil)
  }

  /// ``write(_:to:)`` running `beforeRename` once the partial file is complete and flushed,
  /// before it replaces the destination; an error it throws is rethrown unchanged (after the
  /// partial file is removed). Tests simulate interruptions with it.
  package static func write(
    _ data: Data, to url: URL, beforeRename: (() throws -> Void)?
  ) throws {
    try FileAccess.requireWritableDestination(url)
    PartialFiles.removeStale(for: url)
    let temporary = PartialFiles.temporaryURL(for: url)
    PartialFiles.register(temporary)
    defer { PartialFiles.unregister(temporary) }
    do {
      try createFile(data, at: temporary)
      try beforeRename?()
      try rename(temporary, to: url)
    } catch {
      unlink(temporary.path)
      throw error
    }
    synchronizeFolder(url.deletingLastPathComponent())
  }

  /// Creates the new file `url` (failing if anything is there), writes `data` into it and
  /// flushes it to disk.
  ///
  /// - Throws: ``DataError`` naming `url`.
  package static func createFile(_ data: Data, at url: URL) throws {
    let path = url.path
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw FileAccess.error(errno: errno, path: path, action: "create")
    }
    var failure: DataError?
    do {
      try data.withUnsafeBytes { try writeAll(descriptor, $0, path: path) }
    } catch let error as DataError {
      failure = error
    }
    if failure == nil, fsync(descriptor) != 0 {
      failure = FileAccess.error(errno: errno, path: path, action: "write")
    }
    if close(descriptor) != 0, failure == nil {
      failure = FileAccess.error(errno: errno, path: path, action: "write")
    }
    if let failure { throw failure }
  }

  /// Writes every byte of `bytes` to `descriptor`, retrying short and interrupted writes.
  ///
  /// - Throws: ``DataError`` naming `path`.
  package static func writeAll(
    _ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String
  ) throws {
    var offset = 0
    while offset < bytes.count {
      let n = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        throw FileAccess.error(errno: errno, path: path, action: "write")
      }
      offset += n
    }
  }

  /// Renames `source` to `destination`, replacing a file there.
  ///
  /// - Throws: ``DataError`` naming `destination`.
  package static func rename(_ source: URL, to destination: URL) throws {
    guard systemRename(source.path, destination.path) == 0 else {
      throw FileAccess.error(errno: errno, path: destination.path, action: "replace")
    }
  }

  /// Flushes `folder`'s entries to disk, so that a rename in it survives a crash (best effort:
  /// some file systems refuse, and the data itself is already on disk).
  package static func synchronizeFolder(_ folder: URL) {
    let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    _ = close(descriptor)
  }
}

/// POSIX `write(2)` (the name is shadowed inside ``AtomicFile``).
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}

/// POSIX `rename(2)` (the name is shadowed inside ``AtomicFile``).
private func systemRename(_ source: String, _ destination: String) -> Int32 {
  rename(source, destination)
}
