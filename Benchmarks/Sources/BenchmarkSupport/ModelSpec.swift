// Model specifications given on the command line as `name:key=value,…`.

/// A model specification `name:key=value,…`: the model's name and its hyperparameters as text.
///
/// Each benchmark adds the fitting and evaluation of the models it knows in an extension.
public struct ModelSpec {
  /// The specification as given, e.g. `ials:factors=64,alpha=2`.
  public let text: String
  /// The model's name: the part before the first `:`.
  public let name: String
  /// The `key=value` pairs after the first `:`; pairs without `=` are ignored.
  public let params: [String: String]

  /// Parses `text`, a specification `name[:key=value,…]`.
  public init(_ text: String) {
    self.text = text
    let parts = text.split(separator: ":", maxSplits: 1)
    name = String(parts[0])
    var p: [String: String] = [:]
    if parts.count > 1 {
      for kv in parts[1].split(separator: ",") {
        let e = kv.split(separator: "=", maxSplits: 1)
        if e.count == 2 { p[String(e[0])] = String(e[1]) }
      }
    }
    params = p
  }

  /// The integer `key`, or `fallback` when it is missing or not an integer.
  public func int(_ key: String, _ fallback: Int) -> Int {
    params[key].flatMap { Int($0) } ?? fallback
  }

  /// The number `key`, or `fallback` when it is missing or not a number.
  public func double(_ key: String, _ fallback: Double) -> Double {
    params[key].flatMap { Double($0) } ?? fallback
  }

  /// Whether `key` is `true` or `1`; `fallback` when it is missing.
  public func bool(_ key: String, _ fallback: Bool) -> Bool {
    params[key].map { $0 == "true" || $0 == "1" } ?? fallback
  }

  /// The unsigned integer `key` (a seed), or `fallback` when it is missing or not one.
  public func u64(_ key: String, _ fallback: UInt64) -> UInt64 {
    params[key].flatMap { UInt64($0) } ?? fallback
  }
}
