import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A progress bar on standard error for long work (fits, sweeps, synthesis): drawn only when
/// standard error is a terminal and the output is text, so a pipe or a `--json` reader sees none.
/// Safe to update from any thread (fits report from a thread of their own); redraws when the whole
/// percentage changes, at most every 50 ms (the first and the last state always).
final class ProgressBar: Sendable {
  /// Whether standard error is a terminal.
  static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

  /// Whether anything is drawn.
  let isEnabled: Bool
  private let title: String
  private let state = Mutex(State())

  private struct State {
    var shown = false
    var percent = -1
    var drawn = ContinuousClock.Instant.now - .seconds(1)
    var steps = 0
  }

  /// A bar headed by `title`, drawn when `enabled` (see ``CommonOptions/showsProgress``).
  init(_ title: String, enabled: Bool) {
    self.title = title
    self.isEnabled = enabled
  }

  /// Shows `fraction` (0…1, clamped) done, with an optional note after the percentage.
  func update(_ fraction: Double, note: String? = nil) {
    guard isEnabled else { return }
    let percent = Int((min(1, max(0, fraction.isFinite ? fraction : 0)) * 100).rounded(.down))
    let now = ContinuousClock.now
    state.withLock { s in
      let due =
        s.percent < 0 || (percent == 100 && s.percent != 100)
        || (percent != s.percent && now - s.drawn >= .milliseconds(50))
      guard due else { return }
      s.percent = percent
      s.drawn = now
      s.shown = true
      // Written under the lock: a concurrent update or clear cannot reorder the lines.
      let line = Self.render(title: title, percent: percent, note: note)
      FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    }
  }

  /// Counts one more of `total` steps done (steps reported from several threads, e.g. parallel
  /// fits) and shows the count.
  func advance(of total: Int, note: String? = nil) {
    guard isEnabled else { return }
    let done = state.withLock { s in
      s.steps += 1
      return s.steps
    }
    update(step: done, of: total, note: note)
  }

  /// Shows `done` of `total` steps done.
  func update(step done: Int, of total: Int, note: String? = nil) {
    update(Double(done) / Double(max(1, total)), note: note ?? "\(done)/\(total)")
  }

  /// Removes the bar (before the result or an error message is printed).
  func clear() {
    state.withLock { s in
      if s.shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
      (s.shown, s.percent) = (false, -1)
    }
  }

  /// `title [#####.....]  42% note`.
  static func render(title: String, percent: Int, note: String?) -> String {
    let width = 30
    let filled = percent * width / 100
    return (title.isEmpty ? "" : title + " ") + "["
      + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
      + "] " + String(format: "%3d%%", percent) + (note.map { " \($0.prefix(60))" } ?? "")
  }
}
