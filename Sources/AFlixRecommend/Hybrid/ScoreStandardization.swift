/// Puts scores of different scorers on one scale before the hybrid mixes them: each list is
/// standardised to mean 0 and standard deviation 1 over its finite values (z-scores).
///
/// Non-finite scores (an item a scorer cannot score) become the lowest finite z-score of the
/// list, so they neither win nor poison the sum; a constant list becomes all zeros (it says
/// nothing about the order).
enum ScoreStandardization {
  /// Adds `weight × z(values)` to `sum`, element by element.
  ///
  /// - Precondition: `values.count == sum.count`.
  static func accumulate(_ values: [Float], weight: Float, into sum: inout [Float]) {
    precondition(values.count == sum.count, "score lists of different lengths")
    guard weight != 0, !values.isEmpty else { return }
    var total = 0.0
    var squares = 0.0
    var count = 0
    var low = Float.infinity
    for v in values where v.isFinite {
      total += Double(v)
      squares += Double(v) * Double(v)
      count += 1
      low = min(low, v)
    }
    guard count > 0 else { return }
    let mean = total / Double(count)
    let variance = max(0, squares / Double(count) - mean * mean)
    guard variance > 0 else { return }
    let scale = Float(1 / variance.squareRoot()) * weight
    let shift = Float(mean)
    let floor = (low - shift) * scale
    values.withUnsafeBufferPointer { v in
      sum.withUnsafeMutableBufferPointer { s in
        for i in 0..<v.count {
          let x = v[i]
          s[i] += x.isFinite ? (x - shift) * scale : floor
        }
      }
    }
  }

  /// `z(values)` on its own.
  static func standardized(_ values: [Float]) -> [Float] {
    var out = [Float](repeating: 0, count: values.count)
    accumulate(values, weight: 1, into: &out)
    return out
  }
}
