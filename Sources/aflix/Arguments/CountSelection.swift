import ArgumentParser
import Foundation

/// Candidate counts given on the command line: a range `LOW...HIGH[:STEP]` or a list `10,20,30`
/// (ascending or not, each at least 1, at most 200 values). `--svd` ranges step by 5 unless told
/// (the original's candidates), `--clusters` by 1.
struct CountSelection: Hashable, CustomStringConvertible {
  /// The counts, in the order given (a range's in ascending order).
  let values: [Int]
  /// The text they were parsed from (shown as a default in `--help`).
  let description: String

  /// The most values one selection may hold.
  static let maximumCount = 200

  /// `values` as given, described by `description`.
  init(_ values: [Int], description: String) {
    self.values = values
    self.description = description
  }

  /// Parses `text`; a range without a step takes `step`.
  init(parsing text: String, step defaultStep: Int) throws {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let fail = ArgumentError(
      "expected a range LOW...HIGH[:STEP] with 1 ≤ LOW ≤ HIGH and at most "
        + "\(Self.maximumCount) values, or a list of counts ≥ 1 such as 10,20,30")
    var values: [Int] = []
    if trimmed.contains("...") {
      let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        .map(String.init)
      let step = parts.count > 1 ? Int(parts[1]) : defaultStep
      let bounds = parts[0].components(separatedBy: "...").map { Int($0) }
      guard bounds.count == 2, let low = bounds[0], let high = bounds[1], let step, step >= 1,
        low >= 1, low <= high, (high - low) / step < Self.maximumCount
      else { throw fail }
      values = Array(stride(from: low, through: high, by: step))
    } else {
      let parsed = trimmed.split(separator: ",", omittingEmptySubsequences: false).map {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      guard !parsed.isEmpty, parsed.count <= Self.maximumCount,
        parsed.allSatisfy({ ($0 ?? 0) >= 1 })
      else { throw fail }
      values = parsed.compactMap { $0 }
    }
    self.init(values, description: trimmed)
  }

  /// `--svd`: ranges step by 5 unless told.
  static func factorCounts(_ text: String) throws -> CountSelection {
    try CountSelection(parsing: text, step: 5)
  }

  /// `--clusters`: ranges step by 1.
  static func clusterCounts(_ text: String) throws -> CountSelection {
    try CountSelection(parsing: text, step: 1)
  }

}

/// `--k` of `aflix cluster`: one count (`5`) or a range (`2...8` or `2-8`), every k at least 1.
/// The range is not enumerated here: the data bounds its top (clamped, with a warning).
struct CountRange: Hashable, CustomStringConvertible {
  /// The counts.
  let range: ClosedRange<Int>

  /// Parses `text`.
  static func parse(_ text: String) throws -> CountRange {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let single = Int(trimmed) {
      guard single >= 1 else { throw ArgumentError("--k must be at least 1, got \(single)") }
      return CountRange(range: single...single)
    }
    let separator = trimmed.contains("...") ? "..." : "-"
    let parts = trimmed.components(separatedBy: separator).map {
      Int($0.trimmingCharacters(in: .whitespaces))
    }
    guard parts.count == 2, let low = parts[0], let high = parts[1] else {
      throw ArgumentError("--k must be a count (5) or a range (2...8), got '\(text)'")
    }
    guard low >= 1, low <= high else {
      throw ArgumentError("--k range \(text): need 1 ≤ low ≤ high")
    }
    return CountRange(range: low...high)
  }

  /// `5` or `2...8`.
  var description: String {
    range.lowerBound == range.upperBound
      ? "\(range.lowerBound)" : "\(range.lowerBound)...\(range.upperBound)"
  }
}
