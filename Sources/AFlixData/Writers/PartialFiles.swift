import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The temporary files and folders this process is writing before it renames them into place,
/// so that a signal handler can remove them (``removeAll()``), and the naming that lets a later
/// write recognise the leftovers of a killed process (``removeStale(for:)``).
///
/// Every AFlix writer that replaces a file atomically writes to a hidden sibling named
/// `.<name>.<pid>.<token>.partial`, registers it while it writes, and unregisters it once it is
/// renamed or removed. A process killed with `SIGKILL` cannot clean up; the next write to the
/// same destination removes partial files whose process is no longer running.
///
/// The registry only tracks paths: it changes no process-wide behaviour, and a service that never
/// installs a signal handler never calls ``removeAll()``.
public enum PartialFiles {
  private static let registered = Mutex<Set<String>>([])

  /// A fresh partial-file URL beside `destination`, named after it, this process and a random
  /// token.
  public static func temporaryURL(for destination: URL) -> URL {
    let folder = destination.deletingLastPathComponent()
    let token = UUID().uuidString.prefix(8)
    return folder.appendingPathComponent(
      ".\(stem(of: destination)).\(getpid()).\(token).partial")
  }

  /// The destination's name as partial files carry it: whole when short, else its first 200
  /// bytes (on a character boundary), so that a partial file's name stays within the 255 bytes
  /// file systems allow for any destination name that is itself allowed.
  static func stem(of destination: URL) -> String {
    let name = destination.lastPathComponent
    guard name.utf8.count > 200 else { return name }
    var stem = ""
    for character in name {
      if stem.utf8.count + character.utf8.count > 200 { break }
      stem.append(character)
    }
    return stem
  }

  /// Records `url` as being written by this process.
  public static func register(_ url: URL) {
    _ = registered.withLock { $0.insert(url.path) }
  }

  /// Forgets `url` (it was renamed into place or removed).
  public static func unregister(_ url: URL) {
    _ = registered.withLock { $0.remove(url.path) }
  }

  /// The paths registered now.
  public static var paths: [String] { registered.withLock { Array($0) } }

  /// Removes every registered file or folder; for a `SIGINT` / `SIGTERM` handler before the
  /// process exits. Returns the paths removed.
  @discardableResult
  public static func removeAll() -> [String] {
    removeAll(where: { _ in true })
  }

  /// Removes and forgets the registered files or folders whose path satisfies `shouldRemove`
  /// (tests remove only their own, as other tests write at the same time).
  @discardableResult
  package static func removeAll(where shouldRemove: (String) -> Bool) -> [String] {
    let paths = registered.withLock { set -> [String] in
      let chosen = set.filter(shouldRemove)
      set.subtract(chosen)
      return Array(chosen)
    }
    for path in paths { removeTree(path) }
    return paths
  }

  /// Removes the partial files beside `destination` left by processes that are no longer
  /// running (a `SIGKILL`ed save). Partial files of running processes, this one included, are
  /// left alone. Returns the names removed.
  @discardableResult
  public static func removeStale(for destination: URL) -> [String] {
    let folder = destination.deletingLastPathComponent()
    let prefix = ".\(stem(of: destination))."
    guard
      let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    var removed: [String] = []
    for name in names where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
      let middle = name.dropFirst(prefix.count).dropLast(".partial".count)
      let parts = middle.split(separator: ".")
      guard parts.count == 2, let pid = Int32(parts[0]), pid > 0 else { continue }
      guard !isRunning(pid) else { continue }
      removeTree(folder.appendingPathComponent(name).path)
      removed.append(name)
    }
    return removed
  }

  /// Whether a process with id `pid` is running: it exists and is not a zombie (a killed
  /// process whose parent has not collected it yet, which can no longer write).
  package static func isRunning(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 || errno == EPERM else { return false }
    return !isZombie(pid)
  }

  /// Whether `/proc` says `pid` is a zombie or dead (`Z`, `X`); false where there is no `/proc`.
  static func isZombie(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return false }
    // "pid (command) state …": the command may hold spaces and parentheses, so the state is
    // the first field after the last ')'.
    let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
    return state == "Z" || state == "X"
  }

  private static func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
      try? FileManager.default.removeItem(atPath: path)
    } else {
      unlink(path)
    }
  }
}
