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
/// every child runs through ``run(_:_:output:errors:)`` and the handler kills it before removing
/// anything.
///
/// A child's process id is in `children` only while the child has not been collected: ``run``
/// waits for the exit without collecting it (`waitid` with `WNOWAIT`, the child stays a zombie,
/// so its id cannot be given to another process), takes the id out of `children` under the
/// lock, and only then collects it. So the handler's `SIGKILL` can reach only this command's own
/// child, never a process that was given a reused id.
enum StopGate {
  /// Guards the two variables below; held for a step, never across long work.
  private static let lock = NSLock()
  nonisolated(unsafe) private static var children: Set<pid_t> = []
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

  /// Runs `executable` with `arguments` to its end, known to the handler while it runs: its
  /// standard input is `/dev/null`, its standard output and error the open descriptors `output`
  /// and `errors` (files, so that no pipe can fill up and block it). Returns its exit status,
  /// or 128 + the signal that ended it.
  ///
  /// - Throws: ``DatasetError`` when the process cannot be started.
  static func run(_ executable: URL, _ arguments: [String], output: Int32, errors: Int32) throws
    -> Int32
  {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output, 1)
    posix_spawn_file_actions_adddup2(&actions, errors, 2)
    // The command ignores SIGINT and SIGTERM (the handler receives them); the child must not
    // inherit that.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signalNumber in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signalNumber) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var unblocked = sigset_t()
    sigemptyset(&unblocked)
    posix_spawnattr_setsigmask(&attributes, &unblocked)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }

    var pid: pid_t = 0
    let code = try step { () -> Int32 in
      let code = posix_spawn(&pid, executable.path, &actions, &attributes, argv, environ)
      if code == 0 { children.insert(pid) }
      return code
    }
    guard code == 0 else {
      throw DatasetError("cannot run \(executable.path): \(String(cString: strerror(code)))")
    }
    // Wait for the exit but leave the child uncollected, so its id stays its own.
    var info = siginfo_t()
    while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1, errno == EINTR {}
    lock.lock()
    let killed = stopping
    if !killed { children.remove(pid) }
    lock.unlock()
    if killed { park() }  // the handler kills and collects it; its status means nothing
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    let signalNumber = status & 0x7f
    return signalNumber == 0 ? (status >> 8) & 0xff : 128 + signalNumber
  }

  /// For the signal handler: waits for a step in progress, lets no other start, kills every
  /// child (`SIGKILL`) and waits until each has stopped writing.
  static func stop() {
    lock.lock()
    stopping = true
    let running = Array(children)
    lock.unlock()
    // Each is still uncollected (see the type's description): the id is the child's own.
    for pid in running {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    }
  }

  /// Waits for the signal handler to end the process.
  private static func park() -> Never {
    while true { sleep(60) }
  }
}
