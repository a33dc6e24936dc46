import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Checks of paths before AFlix reads or replaces them, and descriptions of operating-system
/// failures as typed ``DataError`` values (never a raw `NSError` dump).
///
/// Reading accepts only regular files (a symbolic link to one is followed); a FIFO, a device, a
/// socket or a folder is refused before it is opened, so that reading never blocks on a pipe or
/// consumes a device. Writing replaces only a regular file or creates a new one: a symbolic link,
/// a FIFO, a device, a socket or a folder at the destination is refused and left as it was.
public enum FileAccess {
  /// What kind of file system object a path names.
  public enum ObjectKind: String, Sendable {
    /// A regular file.
    case regularFile = "a regular file"
    /// A folder.
    case directory = "a folder"
    /// A symbolic link (only reported where links are not followed).
    case symbolicLink = "a symbolic link"
    /// A named pipe.
    case fifo = "a FIFO (named pipe)"
    /// A character device such as `/dev/null` or `/dev/full`.
    case characterDevice = "a character device"
    /// A block device.
    case blockDevice = "a block device"
    /// A Unix domain socket.
    case socket = "a socket"
    /// Anything else.
    case other = "not a regular file"

    init(mode: mode_t) {
      switch mode & S_IFMT {
      case S_IFREG: self = .regularFile
      case S_IFDIR: self = .directory
      case S_IFLNK: self = .symbolicLink
      case S_IFIFO: self = .fifo
      case S_IFCHR: self = .characterDevice
      case S_IFBLK: self = .blockDevice
      case S_IFSOCK: self = .socket
      default: self = .other
      }
    }
  }

  /// The kind of object at `path`, following symbolic links when `followingLinks`; `nil` when
  /// nothing is there.
  ///
  /// - Throws: ``DataError`` for a symbolic-link loop, a permission problem or another failure.
  public static func kind(atPath path: String, followingLinks: Bool = true) throws -> ObjectKind? {
    var info = stat()
    let status = followingLinks ? stat(path, &info) : lstat(path, &info)
    if status == 0 { return ObjectKind(mode: info.st_mode) }
    let code = errno
    if code == ENOENT || code == ENOTDIR { return nil }
    throw error(errno: code, path: path, action: "inspect")
  }

  /// Whether something is at `path` — for probing a folder for its optional files without
  /// hiding why a file that is there cannot be used.
  ///
  /// `false` only when nothing is there; a dangling symbolic link, a link loop or a folder that
  /// cannot be searched is an error rather than "absent".
  ///
  /// - Throws: ``DataError`` `.fileNotFound` (a dangling link), `.symbolicLinkLoop`,
  ///   `.permissionDenied`.
  public static func exists(atPath path: String) throws -> Bool {
    var info = stat()
    if lstat(path, &info) != 0 {
      let code = errno
      if code == ENOENT || code == ENOTDIR { return false }
      throw error(errno: code, path: path, action: "inspect")
    }
    guard info.st_mode & S_IFMT == S_IFLNK else { return true }
    if stat(path, &info) == 0 { return true }
    let code = errno
    if code == ENOENT || code == ENOTDIR {
      let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
      throw DataError(
        .fileNotFound, file: URL(fileURLWithPath: path).lastPathComponent,
        message: "\(path) is a symbolic link to \(target), which does not exist")
    }
    throw error(errno: code, path: path, action: "follow")
  }

  /// Throws unless `url` names a readable regular file (following symbolic links).
  ///
  /// - Throws: ``DataError`` `.fileNotFound`, `.notRegularFile` (a folder, FIFO, device or
  ///   socket), `.symbolicLinkLoop` or `.permissionDenied`.
  public static func requireReadableFile(_ url: URL) throws {
    let path = url.path
    guard let kind = try kind(atPath: path) else {
      throw DataError(.fileNotFound, file: url.lastPathComponent, message: "no such file: \(path)")
    }
    guard kind == .regularFile else {
      throw DataError(
        .notRegularFile, file: url.lastPathComponent,
        message: "\(path) is \(kind.rawValue), not a regular file: nothing was read from it")
    }
    guard access(path, R_OK) == 0 else {
      throw error(errno: errno, path: path, action: "read")
    }
  }

  /// Opens `url` for reading without blocking (a FIFO swapped in after a check is refused, not
  /// waited on) and checks that the open file is a regular file; the descriptor is returned in
  /// blocking mode. The caller closes it.
  ///
  /// - Throws: ``DataError`` `.notRegularFile` and the errors of ``error(errno:path:action:)``.
  public static func openForReading(_ url: URL) throws -> Int32 {
    let path = url.path
    var fd: Int32
    repeat { fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) } while fd < 0 && errno == EINTR
    guard fd >= 0 else { throw error(errno: errno, path: path, action: "read") }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      close(fd)
      throw error(errno: code, path: path, action: "read")
    }
    let kind = ObjectKind(mode: info.st_mode)
    guard kind == .regularFile else {
      close(fd)
      throw DataError(
        .notRegularFile, file: url.lastPathComponent,
        message: "\(path) is \(kind.rawValue), not a regular file: nothing was read from it")
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return fd
  }

  /// Reads up to `count` bytes from `descriptor` into `pointer`, retrying when interrupted;
  /// 0 at the end of the file.
  ///
  /// - Throws: ``DataError`` naming `path`.
  public static func readChunk(
    _ descriptor: Int32, into pointer: UnsafeMutableRawPointer, count: Int, path: String
  ) throws -> Int {
    while true {
      let n = read(descriptor, pointer, count)
      if n >= 0 { return n }
      let code = errno
      if code == EINTR || code == EAGAIN { continue }
      throw error(errno: code, path: path, action: "read")
    }
  }

  /// Streams the regular file `url` through `body`, `chunkSize` bytes at a time into one reused
  /// buffer: no more than a chunk is ever held, and a FIFO or device is refused, never read.
  ///
  /// - Throws: ``DataError`` from ``requireReadableFile(_:)``, ``openForReading(_:)`` and
  ///   reading; `body`'s errors unchanged.
  public static func forEachChunk(
    ofFile url: URL, chunkSize: Int = 4 << 20, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
  ) throws {
    try requireReadableFile(url)
    let descriptor = try openForReading(url)
    defer { close(descriptor) }
    let size = max(1, chunkSize)
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    defer { buffer.deallocate() }
    while true {
      let count = try readChunk(descriptor, into: buffer, count: size, path: url.path)
      if count == 0 { return }
      try body(UnsafeBufferPointer(start: buffer, count: count))
    }
  }

  /// Creates `folder` and its missing parents (`mkdir -p`); an existing folder is fine.
  ///
  /// - Throws: ``DataError`` `.notRegularFile` when `folder`, or a path on the way to it, is
  ///   something other than a folder (nothing is created then), and the file-system errors of
  ///   ``error(errno:path:action:)``.
  public static func createFolder(_ folder: URL) throws {
    if let kind = try kind(atPath: folder.path) {
      guard kind == .directory else {
        throw DataError(
          .notRegularFile, file: folder.lastPathComponent,
          message: "\(folder.path) is \(kind.rawValue), not a folder: nothing was written")
      }
      return
    }
    let parent = folder.deletingLastPathComponent()
    if parent.path != folder.path { try createFolder(parent) }
    guard mkdir(folder.path, 0o755) == 0 || errno == EEXIST else {
      throw error(errno: errno, path: folder.path, action: "create the folder")
    }
  }

  /// Throws unless a file may be written at `url`: nothing there, or a regular file (which will
  /// be replaced), in an existing folder.
  ///
  /// A symbolic link (even to a regular file), a FIFO, a device, a socket or a folder at `url` is
  /// refused: AFlix replaces files by renaming a finished temporary file over them, which would
  /// replace the link or the device itself.
  ///
  /// - Throws: ``DataError`` `.notRegularFile`, `.fileNotFound` (the folder does not exist),
  ///   `.symbolicLinkLoop` or `.permissionDenied`.
  public static func requireWritableDestination(_ url: URL) throws {
    let path = url.path
    if let kind = try kind(atPath: path, followingLinks: false) {
      guard kind == .regularFile else {
        var what = kind.rawValue
        if kind == .symbolicLink {
          let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
          what += " (to \(target))"
        }
        throw DataError(
          .notRegularFile, file: url.lastPathComponent,
          message: "\(path) is \(what): AFlix only replaces regular files; it was left as it was "
            + "(write to a regular file's path instead)")
      }
    }
    let folder = url.deletingLastPathComponent().path
    guard let folderKind = try kind(atPath: folder) else {
      throw DataError(
        .fileNotFound, file: url.lastPathComponent,
        message: "the folder \(folder) does not exist")
    }
    guard folderKind == .directory else {
      throw DataError(
        .notRegularFile, file: url.lastPathComponent,
        message: "\(folder) is \(folderKind.rawValue), not a folder")
    }
    guard access(folder, W_OK) == 0 else {
      throw error(errno: errno, path: folder, action: "write in")
    }
  }

  /// A typed error for the operating-system error `code` met while trying to `action` (a verb:
  /// "read", "write", "create", "rename") `path`.
  public static func error(errno code: Int32, path: String, action: String) -> DataError {
    let name = URL(fileURLWithPath: path).lastPathComponent
    let reason = String(cString: strerror(code))
    switch code {
    case ENOENT, ENOTDIR:
      return DataError(
        .fileNotFound, file: name, message: "cannot \(action) \(path): no such file or folder")
    case ELOOP:
      return DataError(
        .symbolicLinkLoop, file: name,
        message: "cannot \(action) \(path): too many levels of symbolic links (a link loop)")
    case EACCES, EPERM, EROFS:
      return DataError(
        .permissionDenied, file: name, message: "cannot \(action) \(path): \(reason)")
    case EISDIR:
      return DataError(.notRegularFile, file: name, message: "cannot \(action) \(path): a folder")
    default:
      return DataError(.ioFailure, file: name, message: "cannot \(action) \(path): \(reason)")
    }
  }

  /// A typed error for a Foundation or POSIX error thrown while trying to `action` `path`.
  ///
  /// ``DataError`` values pass through unchanged; errors carrying a POSIX code are mapped by
  /// ``error(errno:path:action:)``; anything else becomes `.ioFailure` with its localized text.
  public static func error(_ error: any Error, path: String, action: String) -> DataError {
    if let data = error as? DataError { return data }
    if let code = posixCode(of: error) {
      return Self.error(errno: code, path: path, action: action)
    }
    return DataError(
      .ioFailure, file: URL(fileURLWithPath: path).lastPathComponent,
      message: "cannot \(action) \(path): \(error.localizedDescription)")
  }

  /// The POSIX error code inside a Foundation error, when there is one.
  static func posixCode(of error: any Error) -> Int32? {
    if let posix = error as? POSIXError { return posix.code.rawValue }
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return Int32(underlying.code)
    }
    if ns.domain == NSCocoaErrorDomain {
      switch ns.code {
      case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return ENOENT
      case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return EACCES
      case NSFileWriteVolumeReadOnlyError: return EROFS
      case NSFileWriteOutOfSpaceError: return ENOSPC
      default: return nil
      }
    }
    return nil
  }
}
