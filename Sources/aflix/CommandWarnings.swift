import Foundation

/// What a command adjusted or noticed without failing: clamped counts, degenerate clusters.
///
/// Each is printed on standard error as `warning: …` (standard output stays the result); with
/// `--json` they are also the output object's top-level `warnings` array.
struct CommandWarnings {
  private(set) var messages: [String] = []

  /// Adds a warning.
  mutating func add(_ message: String) { messages.append(message) }

  /// Prints the warnings on standard error.
  func printToStandardError() {
    for message in messages {
      FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
  }
}

/// A count given on the command line, checked against a documented range.
enum CountOption {
  /// Throws a validation error unless `minimum ≤ value ≤ maximum`.
  static func check(_ value: Int, _ flag: String, minimum: Int, maximum: Int) throws {
    guard value >= minimum, value <= maximum else {
      throw CommandError("\(flag) must be between \(minimum) and \(maximum), got \(value)")
    }
  }
}
