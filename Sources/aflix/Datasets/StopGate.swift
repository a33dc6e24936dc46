import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keeps a command's file-making steps and the `SIGINT` / `SIGTERM` handler (``Interruption``)
/// from overlapping, and stops the helper processes a command runs (`unzip`).
///
/// The handler runs on its own thread while the command goes on. Without this gate a step could
/// create a staging folder just after the handler removed the partial files, rename a folder
/// the handler is deleting, or a child `unzip` could go on writing into a folder that was just
/// removed. So: each such step runs as a ``step(_:)`` — the handler waits for it, and once the
/// handler has begun no step starts (the command's thread stops there until the process exits);
/// every child runs through ``run(_:)`` and the handler kills it before removing anything.
enum StopGate {
  /// Guards the two variables below; held for a step, never across long work.
  private static let lock = NSLock()
  nonisolated(unsafe) private static var children: Set<Int32> = []
  nonisolated(unsafe) private static var stopping = false

  /// Runs `body` unless the command is being stopped; the handler waits until it is done.
  /// Keep `body` short: creating or renaming a file, starting a process.
  static func step<T>(_ body: () throws -> T) throws -> T {
    lock.lock()
    if stopping {
      lock.unlock()
      park()
    }
    defer { lock.unlock() }
    return try body()
  }

  /// Runs `process` to its end, known to the handler while it runs; returns its exit status.
  static func run(_ process: Process) throws -> Int32 {
    try step {
      try process.run()
      children.insert(process.processIdentifier)
    }
    process.waitUntilExit()
    lock.lock()
    children.remove(process.processIdentifier)
    let killed = stopping
    lock.unlock()
    if killed { park() }  // killed by the handler: its status means nothing
    return process.terminationStatus
  }

  /// For the signal handler: waits for a step in progress, lets no other start, kills every
  /// child (`SIGKILL`) and waits until each has stopped writing.
  static func stop() {
    lock.lock()
    stopping = true
    let running = Array(children)
    lock.unlock()
    for pid in running {
      kill(pid, SIGKILL)
      // Collected here, or already by Foundation (ECHILD): either way it has stopped.
      var status: Int32 = 0
      while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    }
  }

  /// Waits for the signal handler to end the process.
  private static func park() -> Never {
    while true { sleep(60) }
  }
}
