import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixSynth

/// The libm-free math of the generator, against Foundation's, and the golden values that pin the
/// generator's output across platforms and toolchains.
@Suite struct PortableMathTests {
  /// |a − b| in units of b's last place.
  static func ulps(_ a: Double, _ b: Double) -> Double {
    if a == b { return 0 }
    return abs(a - b) / b.ulp
  }

  /// A log-uniform grid of positive values over `10^low … 10^high`.
  static func grid(_ count: Int, from low: Double, to high: Double) -> [Double] {
    var rng = SeededGenerator(seed: 1_234)
    return (0..<count).map { _ in Foundation.pow(10, low + (high - low) * rng.nextUnitDouble()) }
  }

  @Test func logMatchesFoundation() {
    // glibc's log is correctly rounded in practice; ours is within 0.77 ulp of the true value.
    var worst = 0.0
    for x in Self.grid(200_000, from: -307, to: 308) + Self.grid(100_000, from: -0.2, to: 0.2) {
      worst = max(worst, Self.ulps(PortableMath.log(x), Foundation.log(x)))
    }
    #expect(worst <= 1, "log: \(worst) ulps")
    for x in [0x1p-1074, 0x1p-1030, Double.leastNormalMagnitude, 0.5, 2, .greatestFiniteMagnitude] {
      #expect(Self.ulps(PortableMath.log(x), Foundation.log(x)) <= 1, "\(x)")
    }
    #expect(PortableMath.log(1) == 0)
    #expect(PortableMath.log(0) == -.infinity && PortableMath.log(-1).isNaN)
    #expect(PortableMath.log(.nan).isNaN && PortableMath.log(.infinity) == .infinity)
  }

  @Test func expMatchesFoundation() {
    var rng = SeededGenerator(seed: 5)
    var worst = 0.0
    for _ in 0..<200_000 {
      let x = -708 + 1_417 * rng.nextUnitDouble()
      worst = max(worst, Self.ulps(PortableMath.exp(x), Foundation.exp(x)))
    }
    #expect(worst <= 2, "exp: \(worst) ulps")
    // Subnormal results, overflow, underflow, exact points.
    for x in [-720.5, -740.0, -744.4] {
      let a = PortableMath.exp(x)
      let b = Foundation.exp(x)
      #expect(abs(a - b) <= 2 * b.ulp, "\(x): \(a) vs \(b)")
    }
    #expect(PortableMath.exp(0) == 1 && PortableMath.exp(710) == .infinity)
    #expect(PortableMath.exp(-746) == 0 && PortableMath.exp(.nan).isNaN)
  }

  @Test func powMatchesFoundation() {
    var rng = SeededGenerator(seed: 6)
    var worst = 0.0
    for _ in 0..<200_000 {
      // Zipf weights (k ≤ 2·10⁷, s ≤ 10), choice weights ((p + 1) ≤ 101, |e| ≤ 20) and beyond.
      let x = Foundation.pow(10, -30 + 60 * rng.nextUnitDouble())
      let y = (-700 + 1_400 * rng.nextUnitDouble()) / max(1, abs(Foundation.log(x)))
      let b = Foundation.pow(x, y)
      guard b.isNormal else { continue }
      worst = max(worst, Self.ulps(PortableMath.pow(x, y), b))
    }
    #expect(worst <= 2, "pow: \(worst) ulps")
    for k in stride(from: 1, through: 20_000_000, by: 9_973) {
      for s in [0.5, 1, 1.1, 10] {
        let b = Foundation.pow(Double(k), -s)
        #expect(Self.ulps(PortableMath.pow(Double(k), -s), b) <= 2, "\(k)^-\(s)")
      }
    }
    #expect(PortableMath.pow(7, 0) == 1 && PortableMath.pow(1, 1e300) == 1)
    #expect(PortableMath.pow(0, 2) == 0 && PortableMath.pow(0, -1) == .infinity)
    #expect(PortableMath.pow(2, 10) == 1_024 && PortableMath.pow(10, 3) == 1_000)
  }

  @Test func erfcMatchesFoundation() {
    var rng = SeededGenerator(seed: 7)
    var worst = 0.0
    var xs = (0..<200_000).map { _ in -6 + 33.3 * rng.nextUnitDouble() }
    xs += (0..<50_000).map { _ in -1 + 2 * rng.nextUnitDouble() }
    xs += [0, 0.5, 0.5.nextDown, 3, 3.nextDown, 27.29, -0.5, -3]
    for x in xs {
      let b = Foundation.erfc(x)
      guard b > 1e-300 else { continue }
      worst = max(worst, abs(PortableMath.erfc(x) - b) / b)
    }
    #expect(worst < 1e-14, "erfc: relative error \(worst)")
    #expect(PortableMath.erfc(27.3) == 0 && PortableMath.erfc(-30) == 2)
    #expect(PortableMath.erfc(.nan).isNaN)
  }

  /// The first 8 raw outputs of `SeededGenerator(seed: 42)`: integer-only, so the same on every
  /// platform. Computed independently with a Python transcription of the reference algorithms
  /// (SplitMix64 seeding of four state words from 42, then xoshiro256**, Vigna's reference C):
  ///
  ///     M = 2**64 - 1; rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M
  ///     def splitmix(x):
  ///         x = (x + 0x9E3779B97F4A7C15) & M; z = x
  ///         z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
  ///         z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
  ///         return x, z ^ (z >> 31)
  ///     x, s = 42, []
  ///     for _ in range(4): x, v = splitmix(x); s.append(v)
  ///     for _ in range(8):
  ///         print(hex((rotl((s[1] * 5) & M, 7) * 9) & M)); t = (s[1] << 17) & M
  ///         s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
  ///         s[3] = rotl(s[3], 45)
  @Test func goldenRawOutputs() {
    var rng = SeededGenerator(seed: 42)
    let expected: [UInt64] = [
      0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1,
      0xECB8_AD47_03B3_60A1, 0xFDE6_DC7F_E2EC_5E64, 0xC50D_A531_0179_5238,
      0xB821_5485_5A65_DDB2, 0xD99A_2743_EBE6_0087,
    ]
    #expect((0..<8).map { _ in rng.next() } == expected)
  }

  /// The first 8 Gaussian deviates of seed 42, bit for bit. Computed independently in Python
  /// (whose floats are IEEE 754 doubles with correctly rounded `+ − × ÷ √`) by a transcription of
  /// the polar method and the portable logarithm: equality shows that the Swift code performs
  /// exactly those roundings and nothing platform-dependent.
  @Test func goldenGaussians() {
    var rng = SeededGenerator(seed: 42)
    let expected: [Double] = [
      -0x1.73d2feb0fb377p-1, 0x1.c5e21f7812a4cp-3, 0x1.db514bfac5b4ep-2, 0x1.79eb7c13cfccdp+0,
      0x1.02007c2380aeap+0, 0x1.06f74c2a8e101p+0, 0x1.7bb262180f952p-2, 0x1.61ec2cfebd724p-2,
    ]
    #expect((0..<8).map { _ in rng.nextGaussian() } == expected)
  }

  /// FNV-1a 64 of the bytes.
  static func fnv1a(_ data: Data, into hash: inout UInt64) {
    for byte in data {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
  }

  /// The digest of a small world's `ratings.csv`, `truth.csv` and `profiles.csv`, in that order
  /// (FNV-1a 64, offset basis 0xCBF29CE484222325), and the digest of the bit patterns (little
  /// endian) of every rated pair's expected rating at full `Double` precision, in `ratings.csv`'s
  /// order (the files round expectations to `Float`, which would hide a last-bit difference in
  /// `erfc` or `exp`).
  static func digests(_ configuration: WorldConfiguration, seed: UInt64) throws -> (
    files: UInt64, expectations: UInt64
  ) {
    let folder = try Worlds.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try WorldWriter.stream(configuration, seed: seed, to: folder)
    var files: UInt64 = 0xCBF2_9CE4_8422_2325
    for name in ["ratings.csv", "truth.csv", "profiles.csv"] {
      fnv1a(try Data(contentsOf: folder.appendingPathComponent(name)), into: &files)
    }
    let world = try SyntheticWorld.generate(configuration, seed: seed)
    var bytes = Data()
    for u in 0..<world.ratings.userCount {
      for item in world.ratings.ratings(ofUser: u).items {
        let e = try #require(world.expectedRating(user: u, item: Int(item)))
        withUnsafeBytes(of: e.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
      }
    }
    var expectations: UInt64 = 0xCBF2_9CE4_8422_2325
    fnv1a(bytes, into: &expectations)
    return (files, expectations)
  }

  /// Pins the generator's output. The digests were produced by this implementation (x86_64
  /// Linux, Swift 6.3.1, debug and release alike) when the portable math went in; the same
  /// numbers must come out on every platform and toolchain. A change means the worlds changed:
  /// either a deliberate change to the algorithms (update the digests and say so in the change
  /// log) or a platform dependency crept in (a libm call, an `FMA`, the standard library's
  /// random sampling).
  @Test func goldenWorldDigests() throws {
    // Continuous ratings, uniform choice.
    var plain = WorldConfiguration(users: 200, catalog: .generated(CatalogConfiguration(count: 50)))
    plain.ratingsPerUser = ParameterRange(5, 20)
    // Half stars, archetypes, popularity-weighted choice, steep name pools.
    var rich = plain
    rich.rounding = .halfStars
    rich.archetypes = Archetype.original
    rich.filmChoice = .popularityWeighted(exponent: 0.7)
    rich.catalog = .generated(CatalogConfiguration(count: 50, namePoolExponent: 3))
    let a = try Self.digests(plain, seed: 7)
    let b = try Self.digests(rich, seed: 7)
    let found = [a.files, a.expectations, b.files, b.expectations]
    #expect(
      found == [
        0x71FA_DA58_6FEF_FC92, 0xDD3E_1BBE_2983_0112, 0x78D4_2514_3918_9563, 0xE421_233E_79B2_E19E,
      ],
      "\(found.map { "0x" + String($0, radix: 16, uppercase: true) })")
  }

  @Test func gaussianMoments() {
    // The polar method's deviates: mean 0, variance 1, and the normal's tail shares.
    var rng = SeededGenerator(seed: 8)
    let n = 400_000
    var sum = 0.0
    var squares = 0.0
    var beyond2 = 0
    for _ in 0..<n {
      let z = rng.nextGaussian()
      sum += z
      squares += z * z
      if abs(z) > 2 { beyond2 += 1 }
    }
    let mean = sum / Double(n)
    #expect(abs(mean) < 4 / Double(n).squareRoot())
    #expect(abs(squares / Double(n) - 1) < 4 * 2.0.squareRoot() / Double(n).squareRoot())
    let p = Foundation.erfc(2 / 2.0.squareRoot())  // P(|Z| > 2) ≈ 0.0455
    #expect(abs(Double(beyond2) / Double(n) - p) < 4 * (p * (1 - p) / Double(n)).squareRoot())
  }
}
