import Foundation

/// A small, fast, seedable random number generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed gives the same sequence on every run and platform (the algorithm uses only 64-bit
/// integer arithmetic). Independent streams for parallel work come from ``init(seed:stream:)``:
/// each (seed, stream) pair is seeded separately, so splitting work into streams by chunk index
/// gives results that do not depend on how many threads run the chunks.
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

  /// A standard normal deviate (mean 0, standard deviation 1), by the Box–Muller transform.
  ///
  /// Uses two uniforms per call (the second Box–Muller value is discarded so that the generator's
  /// state stays a plain value with no cached deviate).
  @inlinable
  public mutating func nextGaussian() -> Double {
    var u1 = nextUnitDouble()
    while u1 <= 0 { u1 = nextUnitDouble() }
    let u2 = nextUnitDouble()
    return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
  }
}

@usableFromInline
internal func _log(_ x: Double) -> Double { Foundation.log(x) }
@usableFromInline
internal func _cos(_ x: Double) -> Double { Foundation.cos(x) }
