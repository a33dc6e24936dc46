import AFlixLinalg

// Sampling on `SeededGenerator`, written out here (not taken from the standard library's
// `random(in:using:)`, whose algorithm may change between Swift releases) so that the same seed
// gives bit-identical draws on every run, platform and toolchain.
//
// What that rests on, precisely:
// - the raw bits (xoshiro256** seeded by SplitMix64) are 64-bit integer arithmetic;
// - every real-valued step uses only IEEE 754 binary64 `+ − × ÷`, `squareRoot()`, `rounded(_:)`,
//   comparisons and conversions between `Int`, `Double` and `Float` — operations IEEE 754
//   defines to be correctly rounded, so every conforming platform gives the same bits (Swift
//   never contracts `a * b + c` into a fused multiply-add, nor reassociates, on its own);
// - the transcendental functions are `PortableMath` (`log`, `exp`, `pow`, `erfc`) and
//   `SeededGenerator.nextGaussian()`'s logarithm, written in those operations, never the C
//   library's (whose last bits differ between glibc, Apple's libm and others);
// - numbers are written with Swift's own shortest round-trip formatting (`description`).
// Assumed: round-to-nearest-even with subnormals (no flush-to-zero), the default everywhere
// Swift runs. The golden tests (raw outputs, Gaussian deviates computed independently, and the
// digest of two small worlds' files) pin the result.

extension SeededGenerator {
  /// A uniform integer in `0..<bound`, without modulo bias (Lemire's multiply-and-reject method).
  ///
  /// - Precondition: `bound > 0`.
  @inlinable
  public mutating func nextIndex(below bound: Int) -> Int {
    precondition(bound > 0, "nextIndex(below:) needs a positive bound")
    let n = UInt64(bound)
    var product = next().multipliedFullWidth(by: n)
    if product.low < n {
      let threshold = (0 &- n) % n
      while product.low < threshold { product = next().multipliedFullWidth(by: n) }
    }
    return Int(product.high)
  }

  /// A uniform integer in `range`, every value equally likely.
  @inlinable
  public mutating func uniform(in range: ClosedRange<Int>) -> Int {
    let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
    if width == UInt64.max { return Int(bitPattern: UInt(next())) }
    return range.lowerBound &+ nextIndex(below: Int(width + 1))
  }

  /// A uniform `Double` in `range`: `lower + (upper − lower)·u` with `u` uniform in [0, 1), so
  /// the upper bound itself is not drawn (unless the range is a single value).
  @inlinable
  public mutating func uniform(in range: ClosedRange<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * nextUnitDouble()
  }

  /// A normal deviate with the given mean and standard deviation (`mean + sd · Z`, `Z` from
  /// `nextGaussian()`).
  @inlinable
  public mutating func normal(mean: Double, sd: Double) -> Double {
    mean + sd * nextGaussian()
  }

  /// `k` distinct integers of `0..<n`, uniformly chosen, in random order (a partial
  /// Fisher–Yates shuffle of `0..<n`: every ordered `k`-subset is equally likely).
  ///
  /// ```swift
  /// var rng = SeededGenerator(seed: 7)
  /// rng.distinctIndices(3, below: 10)   // e.g. [4, 9, 0]
  /// ```
  ///
  /// - Precondition: `0 <= k <= n`.
  /// - Complexity: O(k) time and memory (the shuffled positions are kept in a dictionary when
  ///   `n` is large next to `k`, in an array of `n` otherwise).
  public mutating func distinctIndices(_ k: Int, below n: Int) -> [Int] {
    precondition(k >= 0 && k <= n, "distinctIndices: need 0 <= k <= n")
    var out: [Int] = []
    out.reserveCapacity(k)
    if n <= 4 * k || n <= 1024 {
      var permutation = Array(0..<n)
      for j in 0..<k {
        let r = j + nextIndex(below: n - j)
        permutation.swapAt(j, r)
        out.append(permutation[j])
      }
    } else {
      var moved: [Int: Int] = [:]
      for j in 0..<k {
        let r = j + nextIndex(below: n - j)
        let atR = moved[r] ?? r
        let atJ = moved[j] ?? j
        moved[r] = atJ
        out.append(atR)
      }
    }
    return out
  }
}

/// The Zipf (discrete power-law) distribution on `1...count`: `P(k) ∝ k^(−exponent)`.
///
/// Sampling inverts the exact distribution, tabulated once as upper-tail sums `Σⱼ≥ₖ j^(−s)`
/// (summed from the smallest term up, so the tail keeps its precision), by binary search; the
/// weights come from `PortableMath` (the same table on every platform).
///
/// ```swift
/// let zipf = ZipfDistribution(count: 100, exponent: 1)
/// var rng = SeededGenerator(seed: 1)
/// zipf.sample(using: &rng)                  // 1 is the most likely value, 100 the least
/// zipf.sampleDistinct(5, using: &rng)       // 5 distinct values, successive sampling
/// zipf.probability(of: 1)                   // ≈ 0.193 = 1 / H(100)
/// ```
///
/// - Complexity: O(count) to build (and memory), O(log count) per draw.
public struct ZipfDistribution: Sendable, Hashable {
  /// The largest value; values are `1...count`.
  public let count: Int
  /// The power `s` of `k^(−s)`; 0 gives the uniform distribution.
  public let exponent: Double
  /// `tail[k − 1] = Σⱼ₌ₖ…count j^(−s)`, non-increasing; `tail[count] = 0`.
  private let tail: [Double]

  /// Creates the distribution on `1...count`.
  ///
  /// - Precondition: `count >= 1` and `exponent` is finite.
  public init(count: Int, exponent: Double) {
    precondition(count >= 1, "ZipfDistribution needs count >= 1")
    precondition(exponent.isFinite, "ZipfDistribution needs a finite exponent")
    self.count = count
    self.exponent = exponent
    var table = [Double](repeating: 0, count: count + 1)
    var total = 0.0
    for k in stride(from: count, through: 1, by: -1) {
      total += PortableMath.pow(Double(k), -exponent)
      table[k - 1] = total
    }
    tail = table
  }

  /// P(value = `k`), 0 outside `1...count`.
  public func probability(of k: Int) -> Double {
    guard k >= 1 && k <= count else { return 0 }
    return PortableMath.pow(Double(k), -exponent) / tail[0]
  }

  /// A value in `1...count`.
  @inlinable
  public func sample(using generator: inout SeededGenerator) -> Int {
    value(at: generator.nextUnitDouble())
  }

  /// The value `v` with `tail(v + 1) < (1 − u) · total ≤ tail(v)`: the inverse CDF at
  /// `u ∈ [0, 1)`.
  @usableFromInline
  func value(at u: Double) -> Int {
    largest(atLeast: tail[0] * (1 - u), in: 1, count, above: 0)
  }

  /// The largest `v` in `a...b` with `tail[v − 1] − base ≥ r` (`a` when there is none).
  private func largest(atLeast r: Double, in a: Int, _ b: Int, above base: Double) -> Int {
    var lo = a
    var hi = b
    while lo < hi {
      let mid = lo + (hi - lo + 1) / 2
      if tail[mid - 1] - base >= r { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// `k` distinct values drawn one after another, each with probability proportional to
  /// `v^(−s)` among the values not drawn yet (successive sampling without replacement), in draw
  /// order.
  ///
  /// Each draw first tries a few plain draws, rejecting values already taken; if all are
  /// rejected (the taken values hold most of the weight, as with a steep exponent), it inverts
  /// the distribution of the values left directly, over the runs of values between the taken
  /// ones. Both give the same conditional distribution, and the draw always ends.
  ///
  /// - Precondition: `0 <= k <= count`.
  /// - Complexity: O(k · (k + log count)) at worst, O(k log count) expected for mild exponents.
  public func sampleDistinct(_ k: Int, using generator: inout SeededGenerator) -> [Int] {
    var taken: [Int] = []
    var out: [Int] = []
    sampleDistinct(k, using: &generator, taken: &taken, into: &out)
    return out
  }

  /// ``sampleDistinct(_:using:)`` with caller-owned scratch: `taken` is emptied, then holds the
  /// drawn values sorted; the values are appended to `out` in draw order.
  func sampleDistinct(
    _ k: Int, using generator: inout SeededGenerator, taken: inout [Int], into out: inout [Int]
  ) {
    precondition(k >= 0 && k <= count, "sampleDistinct: need 0 <= k <= count")
    taken.removeAll(keepingCapacity: true)
    for _ in 0..<k {
      var value = 0
      var position = 0
      var found = false
      for _ in 0..<4 {
        value = sample(using: &generator)
        position = Self.insertionPoint(of: value, in: taken)
        if position == taken.count || taken[position] != value {
          found = true
          break
        }
      }
      if !found {
        value = conditionalDraw(u: generator.nextUnitDouble(), taken: taken)
        position = Self.insertionPoint(of: value, in: taken)
      }
      taken.insert(value, at: position)
      out.append(value)
    }
  }

  /// A value not in `taken` (sorted, fewer than `count`), with probability proportional to its
  /// weight among those left: the runs of free values between taken ones, from the last run
  /// down, each weighing `tail[a − 1] − tail[b]`.
  private func conditionalDraw(u: Double, taken: [Int]) -> Int {
    // Run r (r = taken.count … 0) is [a, b] with a = taken[r − 1] + 1 (1 for r = 0) and
    // b = taken[r] − 1 (count for r = taken.count).
    func run(_ r: Int) -> (a: Int, b: Int) {
      (r == 0 ? 1 : taken[r - 1] + 1, r == taken.count ? count : taken[r] - 1)
    }
    var total = 0.0
    for r in stride(from: taken.count, through: 0, by: -1) {
      let (a, b) = run(r)
      if a <= b { total += tail[a - 1] - tail[b] }
    }
    let target = total * (1 - u)
    var accumulated = 0.0
    var first = 0
    for r in stride(from: taken.count, through: 0, by: -1) {
      let (a, b) = run(r)
      guard a <= b else { continue }
      first = a
      let mass = tail[a - 1] - tail[b]
      if accumulated + mass >= target {
        return largest(atLeast: target - accumulated, in: a, b, above: tail[b])
      }
      accumulated += mass
    }
    // Only reachable through rounding: the smallest free value.
    return first
  }

  /// The index of the first element of `sorted` that is not below `value`.
  static func insertionPoint(of value: Int, in sorted: [Int]) -> Int {
    var lo = 0
    var hi = sorted.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}

/// Weighted choice among `0..<count` in O(1) per draw: Walker's alias method, built by Vose's
/// algorithm.
///
/// ```swift
/// let table = AliasTable(weights: [35, 20, 25, 12, 8])
/// var rng = SeededGenerator(seed: 3)
/// table.sample(using: &rng)                 // 0 with probability 0.35 …
/// table.sampleDistinct(3, using: &rng)      // 3 distinct indices, weighted, in draw order
/// ```
///
/// - Complexity: O(count) to build, O(1) per draw.
public struct AliasTable: Sendable, Hashable {
  /// The number of outcomes.
  public let count: Int
  /// The normalised weights (probabilities), summing to 1.
  public let probabilities: [Double]
  private let threshold: [Double]
  private let alias: [Int32]

  /// Creates the table of outcomes `0..<weights.count`, outcome `i` drawn with probability
  /// `weights[i] / weights.sum()`.
  ///
  /// - Precondition: `weights` is non-empty, every weight is finite and non-negative, and their
  ///   sum is positive.
  public init(weights: [Double]) {
    precondition(!weights.isEmpty, "AliasTable needs at least one weight")
    precondition(weights.allSatisfy { $0.isFinite && $0 >= 0 }, "AliasTable: bad weight")
    let total = weights.reduce(0, +)
    precondition(total > 0 && total.isFinite, "AliasTable: the weights must have a positive sum")
    let n = weights.count
    count = n
    probabilities = weights.map { $0 / total }
    var scaled = weights.map { $0 * Double(n) / total }
    var threshold = [Double](repeating: 1, count: n)
    var alias = [Int32](repeating: 0, count: n)
    for i in 0..<n { alias[i] = Int32(i) }
    var small: [Int] = []
    var large: [Int] = []
    for i in (0..<n).reversed() {
      if scaled[i] < 1 { small.append(i) } else { large.append(i) }
    }
    while let s = small.popLast() {
      guard let l = large.popLast() else {
        threshold[s] = 1
        continue
      }
      threshold[s] = scaled[s]
      alias[s] = Int32(l)
      scaled[l] = (scaled[l] + scaled[s]) - 1
      if scaled[l] < 1 { small.append(l) } else { large.append(l) }
    }
    // Whatever is left in `large` keeps threshold 1 (rounding leftovers).
    self.threshold = threshold
    self.alias = alias
  }

  /// An outcome in `0..<count`.
  @inlinable
  public func sample(using generator: inout SeededGenerator) -> Int {
    let column = generator.nextIndex(below: count)
    return generator.nextUnitDouble() < thresholdAt(column) ? column : aliasAt(column)
  }

  @usableFromInline
  func thresholdAt(_ i: Int) -> Double { threshold[i] }
  @usableFromInline
  func aliasAt(_ i: Int) -> Int { Int(alias[i]) }

  /// The number of outcomes with a positive weight: the most ``sampleDistinct(_:using:)`` can
  /// draw.
  public var positiveCount: Int { probabilities.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

  /// `k` distinct outcomes drawn one after another, each with probability proportional to its
  /// weight among those not drawn yet (successive sampling without replacement), in draw order.
  ///
  /// Repeats are rejected and drawn again; should repeats pile up (a few outcomes holding most
  /// of the weight), the rest are drawn by Efraimidis–Spirakis keys, which follow the same
  /// successive-sampling distribution.
  ///
  /// - Precondition: `0 <= k <= positiveCount`.
  /// - Complexity: O(k) expected while the drawn outcomes hold a small share of the weight;
  ///   O(count log count) at worst.
  public func sampleDistinct(_ k: Int, using generator: inout SeededGenerator) -> [Int] {
    precondition(k >= 0 && k <= positiveCount, "sampleDistinct: need 0 <= k <= positiveCount")
    var taken = StampSet(count: count)
    var out: [Int] = []
    out.reserveCapacity(k)
    sampleDistinct(k, using: &generator, taken: &taken, into: &out)
    return out
  }

  /// ``sampleDistinct(_:using:)`` with caller-owned scratch: `taken` must be empty (fresh or
  /// reset) and is left holding the drawn outcomes, which are appended to `out`.
  func sampleDistinct(
    _ k: Int, using generator: inout SeededGenerator, taken: inout StampSet, into out: inout [Int]
  ) {
    var drawn = 0
    var attempts = 0
    let patience = 4 * k + 32
    while drawn < k {
      let i = sample(using: &generator)
      attempts += 1
      if !taken.contains(i) {
        taken.insert(i)
        out.append(i)
        drawn += 1
      } else if attempts > patience {
        // Efraimidis–Spirakis: key = u^(1/w), largest keys first, compared as log(u)/w.
        var keyed: [(key: Double, index: Int)] = []
        for j in 0..<count where probabilities[j] > 0 && !taken.contains(j) {
          var u = generator.nextUnitDouble()
          while u <= 0 { u = generator.nextUnitDouble() }
          keyed.append((PortableMath.log(u) / probabilities[j], j))
        }
        keyed.sort { $0.key > $1.key || ($0.key == $1.key && $0.index < $1.index) }
        for entry in keyed.prefix(k - drawn) {
          taken.insert(entry.index)
          out.append(entry.index)
        }
        return
      }
    }
  }
}

/// A set of small integers `0..<count` with O(1) reset: each member is stamped with the current
/// generation, and a reset starts a new generation.
struct StampSet {
  private var stamps: [UInt32]
  private var generation: UInt32 = 1

  init(count: Int) {
    stamps = [UInt32](repeating: 0, count: count)
  }

  @inline(__always)
  func contains(_ i: Int) -> Bool { stamps[i] == generation }

  @inline(__always)
  mutating func insert(_ i: Int) { stamps[i] = generation }

  /// Empties the set.
  mutating func reset() {
    if generation == UInt32.max {
      for i in stamps.indices { stamps[i] = 0 }
      generation = 1
    } else {
      generation += 1
    }
  }
}
