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
    values.withUnsafeBufferPointer { v in
      sum.withUnsafeMutableBufferPointer { accumulate(v, weight: weight, into: $0) }
    }
  }

  /// ``accumulate(_:weight:into:)`` on buffers (a row of a batch).
  ///
  /// - Precondition: `v.count == s.count`.
  static func accumulate(
    _ v: UnsafeBufferPointer<Float>, weight: Float, into s: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(v.count == s.count, "score lists of different lengths")
    guard weight != 0, let z = Standardizer(v) else { return }
    let scale = z.scale * weight
    let floor = z.floor * weight
    if z.allFinite {
      // No check per score: a loop the compiler vectorises.
      for i in 0..<v.count { s[i] += (v[i] - z.shift) * scale }
      return
    }
    for i in 0..<v.count {
      let x = v[i]
      s[i] += x.isFinite ? (x - z.shift) * scale : floor
    }
  }

  /// Adds `weight × z` to `sum` for scores `z` already standardised.
  ///
  /// - Precondition: `z.count == sum.count`.
  static func add(_ z: [Float], weight: Float, into sum: inout [Float]) {
    sum.withUnsafeMutableBufferPointer { s in
      z.withUnsafeBufferPointer { add($0, weight: weight, into: s) }
    }
  }

  /// ``add(_:weight:into:)`` on buffers.
  ///
  /// - Precondition: `z.count == s.count`.
  static func add(
    _ z: UnsafeBufferPointer<Float>, weight: Float, into s: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(z.count == s.count, "score lists of different lengths")
    for i in 0..<z.count { s[i] += weight * z[i] }
  }

  /// Adds `weight × z(values)` to `sum` with `z` computed beforehand.
  ///
  /// - Precondition: `values.count == sum.count`.
  static func add(
    _ values: [Float], standardizer z: Standardizer, weight: Float, into sum: inout [Float]
  ) {
    precondition(values.count == sum.count, "score lists of different lengths")
    let scale = z.scale * weight
    let floor = z.floor * weight
    values.withUnsafeBufferPointer { v in
      sum.withUnsafeMutableBufferPointer { s in
        if z.allFinite {
          for i in 0..<v.count { s[i] += (v[i] - z.shift) * scale }
        } else {
          for i in 0..<v.count {
            let x = v[i]
            s[i] += x.isFinite ? (x - z.shift) * scale : floor
          }
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

/// The mean and standard deviation of one score list (over its finite values), as a map from a
/// score to its z-score.
struct Standardizer {
  /// The mean.
  let shift: Float
  /// 1 / standard deviation.
  let scale: Float
  /// The z-score of a non-finite score: the lowest finite one.
  let floor: Float
  /// Whether every score was finite (the z-scores then need no check).
  let allFinite: Bool

  /// The statistics of `v`, or `nil` when it has no finite value or no spread.
  init?(_ v: UnsafeBufferPointer<Float>) {
    // Fast path: eight lanes at a time in Float, each block of 1,024 added to Double; any
    // non-finite value makes the sums non-finite, and the exact path below takes over.
    var total = 0.0
    var squares = 0.0
    var low = Float.infinity
    var block = 0
    while block < v.count {
      let end = min(v.count, block + 1024)
      var s = SIMD8<Float>(repeating: 0)
      var q = SIMD8<Float>(repeating: 0)
      var m = SIMD8<Float>(repeating: .infinity)
      var i = block
      while i + 8 <= end {
        let x = UnsafeRawPointer(v.baseAddress! + i).loadUnaligned(as: SIMD8<Float>.self)
        s += x
        q += x * x
        m.replace(with: x, where: x .< m)
        i += 8
      }
      var tail = 0.0
      var tailSquares = 0.0
      while i < end {
        tail += Double(v[i])
        tailSquares += Double(v[i]) * Double(v[i])
        low = min(low, v[i])
        i += 1
      }
      total += Double(s.sum()) + tail
      squares += Double(q.sum()) + tailSquares
      low = min(low, m.min())
      block = end
    }
    if total.isFinite, squares.isFinite, low.isFinite, v.count > 0 {
      self.init(total: total, squares: squares, count: v.count, low: low, allFinite: true)
      return
    }
    total = 0
    squares = 0
    var count = 0
    low = Float.infinity
    for x in v where x.isFinite {
      total += Double(x)
      squares += Double(x) * Double(x)
      count += 1
      low = min(low, x)
    }
    self.init(total: total, squares: squares, count: count, low: low, allFinite: false)
  }

  /// From the sums of the finite values.
  private init?(total: Double, squares: Double, count: Int, low: Float, allFinite: Bool) {
    guard count > 0 else { return nil }
    let mean = total / Double(count)
    let variance = max(0, squares / Double(count) - mean * mean)
    guard variance > 0 else { return nil }
    shift = Float(mean)
    scale = Float(1 / variance.squareRoot())
    floor = (low - shift) * scale
    self.allFinite = allFinite
  }

  /// The statistics of `values`.
  init?(_ values: [Float]) {
    guard let made = values.withUnsafeBufferPointer({ Standardizer($0) }) else { return nil }
    self = made
  }

  /// The z-score of `x`.
  func z(_ x: Float) -> Float { x.isFinite ? (x - shift) * scale : floor }
}
