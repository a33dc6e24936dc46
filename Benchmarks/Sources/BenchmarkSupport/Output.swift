// The benchmarks' output: one JSON object per line, keys sorted (Benchmarks/scripts parse it).
import Foundation

/// `object` as compact JSON text with sorted keys.
///
/// - Precondition: `object` is a valid JSON object for `JSONSerialization`.
public func json(_ object: [String: Any]) -> String {
  let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  return String(decoding: data, as: UTF8.self)
}

/// Prints `object` as one line of JSON (see ``json(_:)``).
public func emit(_ object: [String: Any]) {
  print(json(object))
}
