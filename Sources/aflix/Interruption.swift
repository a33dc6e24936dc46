import AFlix
import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Stops the command promptly and cleanly on `SIGINT` (Ctrl-C) or `SIGTERM`: the temporary files
/// and folders AFlix is writing (``PartialFiles``) are removed — every file is written to a
/// temporary name and renamed into place, so each destination file is either as it was or
/// complete — and the process exits with 128 + the signal number (130, 143), as shells expect.
///
/// The signals are received on a dispatch queue of their own, so a long fit or generation on the
/// main thread (`--epochs 2000000000`, `synth --users 10000000`) is interrupted within
/// milliseconds without polling.
enum Interruption {
  /// The signal sources, kept alive for the life of the process.
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

  /// Installs the handlers; call once, before any work.
  static func install() {
    let queue = DispatchQueue(label: "aflix.signals")
    for signalNumber in [SIGINT, SIGTERM] {
      signal(signalNumber, SIG_IGN)  // delivered to the source instead
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
      source.setEventHandler { stop(signal: signalNumber) }
      source.resume()
      sources.append(source)
    }
  }

  /// Removes partial files, says what happened, and exits without running further work.
  private static func stop(signal signalNumber: Int32) -> Never {
    StopGate.stop()  // no step half-done, no child still writing
    let removed = PartialFiles.removeAll()
    let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
    // On a terminal a progress bar may be on the line: erase it first.
    var message =
      (isatty(STDERR_FILENO) == 1 ? "\r\u{1B}[2K" : "") + "aflix: interrupted by \(name)"
    if !removed.isEmpty {
      message += "; removed \(removed.count) unfinished temporary file(s)"
    }
    FileHandle.standardError.write(Data((message + "\n").utf8))
    _exit(128 + signalNumber)
  }
}
