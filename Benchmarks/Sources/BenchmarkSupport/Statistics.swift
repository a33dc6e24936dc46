// Summary statistics the benchmarks report over repeated runs, folds and splits.

/// The median of `xs`: the middle value, or the mean of the two middle values for an even count.
///
/// - Precondition: `xs` is not empty.
public func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// The mean and the sample standard deviation (n − 1 denominator) of `xs`.
///
/// The standard deviation is 0 for fewer than two values; the mean of an empty array is 0.
public func meanStd(_ xs: [Double]) -> (Double, Double) {
  let m = xs.reduce(0, +) / Double(max(1, xs.count))
  let v = xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(1, xs.count - 1))
  return (m, xs.count > 1 ? v.squareRoot() : 0)
}
