import Foundation

/// One JSON object on standard output, keys sorted (the `--json` summaries of commands that write
/// files).
enum JSONOutput {
  /// Prints `object` as one line of JSON.
  static func print(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    Swift.print(String(decoding: data, as: UTF8.self))
  }
}
