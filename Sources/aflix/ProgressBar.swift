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
    let line: String? = state.withLock { s in
      let due =
        s.percent < 0 || (percent == 100 && s.percent != 100)
        || (percent != s.percent && now - s.drawn >= .milliseconds(50))
      guard due else { return nil }
      s.percent = percent
      s.drawn = now
      s.shown = true
      return Self.render(title: title, percent: percent, note: note)
    }
    if let line { FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8)) }
  }

  /// Shows `done` of `total` steps done.
  func update(step done: Int, of total: Int, note: String? = nil) {
    update(Double(done) / Double(max(1, total)), note: note ?? "\(done)/\(total)")
  }

  /// Removes the bar (before the result or an error message is printed).
  func clear() {
    let shown = state.withLock { s in
      defer { (s.shown, s.percent) = (false, -1) }
      return s.shown
    }
    if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
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
