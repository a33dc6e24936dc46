/// A small, fast, seedable random number generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same sequence on every run and platform: the raw bits use only 64-bit
/// integer arithmetic, and ``nextUnitDouble()`` and ``nextGaussian()`` only correctly rounded
/// IEEE 754 operations (no C library functions). Independent streams for parallel work come from
/// ``init(seed:stream:)``: each (seed, stream) pair is seeded separately, so splitting work into
/// streams by chunk index gives results that do not depend on how many threads run the chunks.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let u = Double.random(in: 0..<1, using: &rng)
/// let z = rng.nextGaussian()
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// Creates a generator from a 64-bit seed.
  public init(seed: UInt64) {
    self.init(seed: seed, stream: 0)
  }

  /// Creates the generator of independent stream `stream` for `seed`.
  public init(seed: UInt64, stream: UInt64) {
    var sm = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
    s0 = Self.splitMix(&sm)
    s1 = Self.splitMix(&sm)
    s2 = Self.splitMix(&sm)
    s3 = Self.splitMix(&sm)
    if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
  }

  @inline(__always)
  private static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    nextRaw()
  }

  @usableFromInline
  internal mutating func nextRaw() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 45) | (s3 >> 19)
    return result
  }

  /// A uniform `Double` in [0, 1) with 53 random bits.
  @inlinable
  public mutating func nextUnitDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal deviate (mean 0, standard deviation 1), by Marsaglia's polar method.
  ///
  /// Draws `u, v` uniform in [−1, 1) until `0 < s = u² + v² < 1`, then returns
  /// `u · √(−2 ln s / s)` (the second deviate, `v · √(…)`, is discarded so that the generator's
  /// state stays a plain value with no cached deviate). The arithmetic is `+ − × ÷` and `√`, which
  /// IEEE 754 rounds the same way everywhere, and a logarithm written out in that arithmetic
  /// (`PortableLogarithm`), not the platform's `log`: the same seed gives the same deviates,
  /// bit for bit, on every platform.
  @inlinable
  public mutating func nextGaussian() -> Double {
    while true {
      let u = 2 * nextUnitDouble() - 1
      let v = 2 * nextUnitDouble() - 1
      let s = u * u + v * v
      if s < 1 && s > 0 {
        return u * (-2 * _portableLog(s) / s).squareRoot()
      }
    }
  }
}

@usableFromInline
internal func _portableLog(_ x: Double) -> Double { PortableLogarithm.log(x) }

/// The natural logarithm and the error-free transformations it rests on, in IEEE 754 `Double`
/// arithmetic only (`+ − × ÷`, comparisons and bit manipulation, each correctly rounded to
/// nearest on every platform; Swift never fuses `a * b + c` into a fused multiply-add on its
/// own), so results are the same bit for bit everywhere, unlike the C library's `log`.
///
/// ``log(_:)`` is within 0.77 ulp of `ln x` and serves ``SeededGenerator/nextGaussian()``;
/// ``extendedLog(_:)`` returns `ln x` as an unevaluated sum `hi + lo` accurate to about 2⁻¹⁰⁰
/// relative (`hi` within 0.52 ulp), for AFlixSynth's portable `pow` (both measured against an
/// arbitrary-precision reference).
package enum PortableLogarithm {
  /// ln 2 rounded to 42 significant bits, so `k · ln2Hi` is exact for |k| < 2¹¹.
  package static let ln2Hi: Double = 0x1.62e42fefa3800p-1
  /// ln 2 − ``ln2Hi``, rounded.
  package static let ln2Lo: Double = 0x1.ef35793c76730p-45
  /// 2/3 − `Double(2/3)`, rounded.
  static let twoThirdsLo: Double = 0x1.5555555555555p-55
  /// √2 rounded.
  static let sqrt2: Double = 0x1.6a09e667f3bcdp+0

  /// `(s, e)` with `s = fl(a + b)` and `s + e = a + b` exactly (Knuth's TwoSum).
  @inline(__always)
  package static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
    let s = a + b
    let bb = s - a
    return (s, (a - (s - bb)) + (b - bb))
  }

  /// `(p, e)` with `p = fl(a · b)` and `p + e = a · b` exactly (Dekker's product with
  /// Veltkamp's split; no fused multiply-add). Requires |a|, |b| < 2⁹⁹⁶ and no underflow.
  @inline(__always)
  package static func twoProduct(_ a: Double, _ b: Double) -> (product: Double, error: Double) {
    let p = a * b
    let ca = 134_217_729.0 * a
    let ah = ca - (ca - a)
    let al = a - ah
    let cb = 134_217_729.0 * b
    let bh = cb - (cb - b)
    let bl = b - bh
    return (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
  }

  /// `x = 2ᵏ · m` with `m ∈ [√2/2, √2)`, for a positive finite `x`.
  @inline(__always)
  static func reduce(_ x: Double) -> (k: Int, m: Double) {
    var y = x
    var k = 0
    if y < 0x1p-1022 {
      y *= 0x1p54
      k = -54
    }
    let bits = y.bitPattern
    k += Int(bits >> 52) - 1023
    var m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
    if m > sqrt2 {
      m *= 0.5
      k += 1
    }
    return (k, m)
  }

  /// `ln x`: NaN for NaN or a negative `x`, −∞ for 0, +∞ for +∞.
  ///
  /// With `x = 2ᵏ(1 + f)` (``reduce(_:)``), `s = f/(2 + f)`, `z = s²` and
  /// `R = Σₙ₌₁…₁₂ 2zⁿ/(2n + 1)` (the Taylor series of `2 atanh s − 2s` over `s`):
  /// `ln x = k · ln2Hi − ((f²/2 − (s · (f²/2 + R) + k · ln2Lo)) − f)`, the large terms exact.
  package static func log(_ x: Double) -> Double {
    guard x > 0 else { return x == 0 ? -.infinity : .nan }
    guard x.isFinite else { return x }
    let (k, m) = reduce(x)
    let f = m - 1
    let s = f / (2 + f)
    let z = s * s
    var r = 2.0 / 25
    var n = 11
    while n >= 1 {
      r = 2 / Double(2 * n + 1) + z * r
      n -= 1
    }
    r *= z
    let halfSquare = 0.5 * f * f
    let kk = Double(k)
    return kk * ln2Hi - ((halfSquare - (s * (halfSquare + r) + kk * ln2Lo)) - f)
  }

  /// `ln x` as `hi + lo`: NaN for NaN or a negative `x`, −∞ for 0, +∞ for +∞.
  ///
  /// `x = 2ᵏ · m` with `m ∈ [√2/2, √2)`, `f = m − 1` (exact) and `s = f / (2 + f)` kept as a
  /// double-double; then `ln m = 2 atanh s = 2s + Σₙ≥₁ 2s²ⁿ⁺¹/(2n + 1)` (|s| < 0.172, twelve
  /// terms) and `ln x = k · ln 2 + ln m`, summed without losing the low-order bits.
  package static func extendedLog(_ x: Double) -> (hi: Double, lo: Double) {
    guard x > 0 else { return x == 0 ? (-.infinity, 0) : (.nan, 0) }
    guard x.isFinite else { return (x, 0) }
    let (k, m) = reduce(x)
    let f = m - 1
    // d = 2 + f exactly as dh + dl; s = f / d as sh + sl.
    let dh = 2 + f
    let dl = f - (dh - 2)
    let sh = f / dh
    let (p, pe) = twoProduct(sh, dh)
    let sl = (((f - p) - pe) - sh * dl) / dh
    // s³ as ch + cl.
    let (zh, zl) = twoProduct(sh, sh)
    var (ch, cl) = twoProduct(sh, zh)
    cl += sh * zl
    // T = 2s³/3 + s³ · z · (2/5 + 2z/7 + … + 2z¹⁰/25), z = s².
    var q = 2.0 / 25
    var n = 11
    while n >= 2 {
      q = 2 / Double(2 * n + 1) + zh * q
      n -= 1
    }
    let qr = twoThirdsLo + zh * q
    var (th, tl) = twoProduct(ch, 2.0 / 3)
    tl += cl * (2.0 / 3) + (ch + cl) * qr
    // k·ln2 + 2s + T, with the first-order effect of sl on T: 2sl/(1 − s²).
    let kk = Double(k)
    let (s1, e1) = twoSum(kk * ln2Hi, 2 * sh)
    let (s2, e2) = twoSum(s1, th)
    var lo = e1 + e2 + (2 * sl / (1 - zh) + tl + kk * ln2Lo)
    let hi = s2 + lo
    lo -= hi - s2
    return (hi, lo)
  }
}
