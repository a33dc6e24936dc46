import AFlix
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes the command line's own small output files (`--labels-out`) as the library writes its
/// files: only over a regular file or a new path, through a registered partial file renamed into
/// place, so that a refused target, a failure or a signal leaves the destination as it was.
enum SafeFileWriter {
  /// Writes `data` to `url` atomically.
  ///
  /// - Throws: ``DataError`` from ``FileAccess`` (a FIFO, device, symbolic link or folder at
  ///   `url`, a missing folder, a permission problem, a full disk).
  static func write(_ data: Data, to url: URL) throws {
    try FileAccess.requireWritableDestination(url)
    PartialFiles.removeStale(for: url)
    let temporary = PartialFiles.temporaryURL(for: url)
    PartialFiles.register(temporary)
    defer { PartialFiles.unregister(temporary) }
    do {
      try data.write(to: temporary, options: [.withoutOverwriting])
      guard rename(temporary.path, url.path) == 0 else {
        throw FileAccess.error(errno: errno, path: url.path, action: "replace")
      }
    } catch {
      unlink(temporary.path)
      throw FileAccess.error(error, path: url.path, action: "write")
    }
  }
}
