import Foundation

extension ClusterMetrics {
  /// The adjusted Rand index of two labellings of the same points: the share of point pairs the
  /// two put together or apart alike, corrected for chance (scikit-learn's
  /// `adjusted_rand_score`). 1 for the same partition (whatever the label names), about 0 for
  /// independent labellings, negative when worse than chance. 1 when there are fewer than 2
  /// points or both labellings are trivial in the same way.
  ///
  /// The labels are compared by equality only: segment names against cluster indices work.
  ///
  /// - Precondition: `labels.count == reference.count`.
  /// - Complexity: O(n).
  public static func adjustedRandIndex<A: Hashable, B: Hashable>(
    _ labels: [A], _ reference: [B]
  ) -> Double {
    precondition(labels.count == reference.count, "labellings of different lengths")
    let table = Contingency(labels, reference)
    let n = Double(labels.count)
    let pairs = { (x: Double) in x * (x - 1) / 2 }
    let total = pairs(n)
    guard total > 0 else { return 1 }
    let together = table.cells.values.reduce(0.0) { $0 + pairs(Double($1)) }
    let rows = table.rowSums.reduce(0.0) { $0 + pairs(Double($1)) }
    let columns = table.columnSums.reduce(0.0) { $0 + pairs(Double($1)) }
    let expected = rows * columns / total
    let maximum = (rows + columns) / 2
    guard maximum != expected else { return 1 }
    return (together - expected) / (maximum - expected)
  }

  /// The normalised mutual information of two labellings, `I(U; V) / ((H(U) + H(V)) / 2)` with
  /// natural logarithms (scikit-learn's `normalized_mutual_info_score` with its default
  /// arithmetic normalisation). 1 for the same partition; 1 when both labellings have a single
  /// label (or there are no points); 0 when the mutual information is 0.
  ///
  /// - Precondition: `labels.count == reference.count`.
  /// - Complexity: O(n).
  public static func normalizedMutualInformation<A: Hashable, B: Hashable>(
    _ labels: [A], _ reference: [B]
  ) -> Double {
    precondition(labels.count == reference.count, "labellings of different lengths")
    let table = Contingency(labels, reference)
    if table.rowSums.count == table.columnSums.count && table.rowSums.count <= 1 { return 1 }
    let n = Double(labels.count)
    var mutual = 0.0
    for (cell, count) in table.cells.sorted(by: { $0.key < $1.key }) {
      let nij = Double(count)
      let a = Double(table.rowSums[cell / table.columnSums.count])
      let b = Double(table.columnSums[cell % table.columnSums.count])
      mutual += nij / n * (log(nij) - log(a) - log(b) + log(n))
    }
    mutual = max(0, mutual)
    guard mutual > 0 else { return 0 }
    let entropy = { (sums: [Int]) in
      sums.reduce(0.0) { h, s in
        let p = Double(s) / n
        return h - p * log(p)
      }
    }
    return mutual / ((entropy(table.rowSums) + entropy(table.columnSums)) / 2)
  }
}

/// The contingency table of two labellings (only non-empty cells stored).
private struct Contingency {
  /// `row · columnCount + column` → count.
  var cells: [Int: Int] = [:]
  var rowSums: [Int]
  var columnSums: [Int]

  init<A: Hashable, B: Hashable>(_ a: [A], _ b: [B]) {
    let rows = LabelCoding(a)
    let columns = LabelCoding(b)
    rowSums = rows.sizes
    columnSums = columns.sizes
    for (r, c) in zip(rows.codes, columns.codes) {
      cells[r * columns.count + c, default: 0] += 1
    }
  }
}
