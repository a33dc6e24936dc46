import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The helper processes a command is running (`unzip`), so that an interrupted command stops
/// them before it removes their unfinished output: a child left running after `SIGTERM` would
/// go on writing into a staging folder that was just removed.
enum ChildProcesses {
  private static let running = Mutex<Set<Int32>>([])

  /// Runs `process` to its end, known to ``killAll()`` while it runs; returns its exit status.
  static func run(_ process: Process) throws -> Int32 {
    try process.run()
    let pid = process.processIdentifier
    _ = running.withLock { $0.insert(pid) }
    defer { _ = running.withLock { $0.remove(pid) } }
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Kills every running child (`SIGKILL`) and waits until each has stopped writing; for the
  /// signal handler, before it removes partial files.
  static func killAll() {
    let pids = running.withLock { Array($0) }
    for pid in pids {
      kill(pid, SIGKILL)
      // Already collected by Foundation (ECHILD) or collected here: either way it has stopped.
      var status: Int32 = 0
      while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    }
  }
}
