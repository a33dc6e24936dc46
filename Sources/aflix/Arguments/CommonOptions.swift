import AFlix
import ArgumentParser
import Foundation

/// The options every command shares: the thread count and JSON output. Declared once, so each
/// command's `--threads` and `--json` read, parse and apply alike.
struct CommonOptions: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: "Threads for BLAS and AFlix's own loops (1–1024; default: all cores).",
    transform: ThreadCountArgument.parse)
  var threads: Int?

  @Flag(help: "Print JSON (snake_case keys) instead of text.")
  var json = false

  /// Applies `--threads` (when given) to BLAS and AFlix's own loops, for the whole process.
  func applyThreads() {
    guard let threads else { return }
    BLAS.threadCount = threads
    Parallelism.maximumThreadCount = threads
  }

  /// Whether a progress bar may be drawn: standard error is a terminal and the output is text.
  var showsProgress: Bool { !json && ProgressBar.standardErrorIsTerminal }
}

/// `--threads N`: a whole number from 1 to ``Parallelism/maximumThreadLimit``.
enum ThreadCountArgument {
  /// The count, or an error naming the accepted range.
  static func parse(_ text: String) throws -> Int {
    guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
      throw ArgumentError("a whole number from 1 to \(Parallelism.maximumThreadLimit)")
    }
    guard (1...Parallelism.maximumThreadLimit).contains(value) else {
      throw ArgumentError(
        "--threads must be between 1 and \(Parallelism.maximumThreadLimit), got \(value)")
    }
    return value
  }
}

/// Why a value could not be parsed; the argument parser prints it after "The value 'X' is invalid
/// for '--option <value>': ".
struct ArgumentError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
