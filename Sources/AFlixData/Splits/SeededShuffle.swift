import AFlixLinalg

extension SeededGenerator {
  /// A uniform integer in `0..<bound`, by Lemire's multiply-and-reject method (unbiased).
  mutating func nextIndex(below bound: Int) -> Int {
    precondition(bound > 0)
    let n = UInt64(bound)
    var product = n.multipliedFullWidth(by: next())
    if product.low < n {
      let threshold = (0 &- n) % n
      while product.low < threshold { product = n.multipliedFullWidth(by: next()) }
    }
    return Int(product.high)
  }

  /// Shuffles `values` in place (Fisher–Yates, from the back).
  mutating func shuffle<T>(_ values: inout [T]) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
      let j = nextIndex(below: i + 1)
      if i != j { values.swapAt(i, j) }
    }
  }
}
