import Foundation

extension Movie {
  /// `names` trimmed of surrounding white space, blanks dropped, and of names equal when
  /// lowercased only the first kept, in order: the form ``keywords`` holds.
  ///
  /// ```swift
  /// Movie.distinctKeywords([" time travel", "Time Travel", "", "robots"])
  /// // ["time travel", "robots"]
  /// ```
  public static func distinctKeywords(_ names: some Sequence<String>) -> [String] {
    var seen = Set<String>()
    var out: [String] = []
    for name in names {
      let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty, seen.insert(trimmed.lowercased()).inserted else { continue }
      out.append(trimmed)
    }
    return out
  }
}
