import AFlixLinalg

/// `exp`, `log`, `pow` and `erfc` written out in IEEE 754 `Double` arithmetic only — `+ − × ÷`,
/// comparisons and bit manipulation, each correctly rounded to nearest on every platform; Swift
/// never contracts `a * b + c` into a fused multiply-add on its own — so that a synthetic world's
/// numbers do not depend on the platform's C math library (glibc, Apple's libm and others differ
/// in the last bits of `pow`, `exp` or `erfc`).
///
/// Accuracy, measured against an arbitrary-precision reference (mpmath) and tested against
/// Foundation's functions: `log` within 0.77 ulp, `exp` within 0.9 ulp, `pow` within 1 ulp (for
/// `|y · ln x| ≤ 700`), `erfc` within 2.5 ulp (4e-16 relative) wherever it is above 1e-300.
///
/// Constants are hexadecimal literals (exact); those that are not simple fractions were computed
/// with mpmath at 50 digits and rounded to nearest: ln 2 split in two, 1/ln 2, 1/√π, 2/√π, 1/n!,
/// the erf series coefficients and the Taylor coefficients of `erfcx` (``erfcxCoefficients``).
enum PortableMath {
  /// 1/ln 2.
  static let inverseLn2: Double = 0x1.71547652b82fep+0
  /// 1/√π.
  static let inverseSqrtPi: Double = 0x1.20dd750429b6dp-1
  /// 2/√π.
  static let twoOverSqrtPi: Double = 0x1.20dd750429b6dp+0

  /// `ln x` (within 0.77 ulp): NaN for NaN or `x < 0`, −∞ for 0.
  @inline(__always)
  static func log(_ x: Double) -> Double { PortableLogarithm.log(x) }

  /// `eˣ`.
  @inline(__always)
  static func exp(_ x: Double) -> Double { exp(hi: x, lo: 0) }

  /// `1/n!` for `n = 2…14`.
  static let inverseFactorials: [Double] = [
    0x1.0000000000000p-1, 0x1.5555555555555p-3, 0x1.5555555555555p-5, 0x1.1111111111111p-7,
    0x1.6c16c16c16c17p-10, 0x1.a01a01a01a01ap-13, 0x1.a01a01a01a01ap-16, 0x1.71de3a556c734p-19,
    0x1.27e4fb7789f5cp-22, 0x1.ae64567f544e4p-26, 0x1.1eed8eff8d898p-29, 0x1.6124613a86d09p-33,
    0x1.93974a8c07c9dp-37,
  ]

  /// `e^(hi + lo)` for a double-double argument (`|lo| ≤ ulp(hi)`).
  ///
  /// `hi + lo = k · ln 2 + r` with `k = round(hi / ln 2)` and `|r| ≤ 0.35` (ln 2 in two parts, so
  /// `hi − k · ln2Hi` is exact); `eʳ − 1` by its Taylor series to `r¹⁴/14!` (Estrin's scheme);
  /// then scaled by `2ᵏ` (in two steps near the ends of the exponent range, so subnormal results
  /// are rounded once).
  static func exp(hi: Double, lo: Double) -> Double {
    if hi.isNaN { return hi }
    if hi > 709.8 { return .infinity }
    if hi < -745.2 { return 0 }
    let k = (hi * inverseLn2).rounded(.toNearestOrEven)
    let rh = hi - k * PortableLogarithm.ln2Hi
    let c = lo - k * PortableLogarithm.ln2Lo
    let (r, rl) = PortableLogarithm.twoSum(rh, c)
    // q = Σᵢ₌₀…₁₂ rⁱ/(i + 2)!, by Estrin's scheme (short dependency chains).
    let f = inverseFactorials
    let r2 = r * r
    let r4 = r2 * r2
    let r8 = r4 * r4
    let b0 = (f[0] + f[1] * r) + (f[2] + f[3] * r) * r2
    let b1 = (f[4] + f[5] * r) + (f[6] + f[7] * r) * r2
    let b2 = (f[8] + f[9] * r) + (f[10] + f[11] * r) * r2
    let q = (b0 + b1 * r4) + (b2 + f[12] * r4) * r8
    let p = r + r2 * q
    let y = 1 + (p + rl * (1 + p))
    let e = Int(k)
    if e >= -1022 && e <= 1023 { return y * power2(e) }
    if e > 1023 { return y * power2(1023) * power2(e - 1023) }
    return (y * power2(e + 1000)) * power2(-1000)
  }

  /// `2ⁿ` for `n` in `-1022...1023`.
  @inline(__always)
  static func power2(_ n: Int) -> Double {
    Double(bitPattern: UInt64(n + 1023) << 52)
  }

  /// `xʸ` for `x ≥ 0` (NaN for `x < 0` unless `y == 0`): `e^(y · ln x)` with `ln x` and the
  /// product carried in double-double, so the result is within 1 ulp.
  static func pow(_ x: Double, _ y: Double) -> Double {
    if y == 0 || x == 1 { return 1 }
    if x.isNaN || y.isNaN { return .nan }
    if x == 0 { return y > 0 ? 0 : .infinity }
    let (lh, ll) = PortableLogarithm.extendedLog(x)
    guard lh.isFinite, Swift.abs(y) < 0x1p900 else { return exp(y * lh) }
    let (p, pe) = PortableLogarithm.twoProduct(y, lh)
    var zl = pe + y * ll
    let zh = p + zl
    zl -= zh - p
    return exp(hi: zh, lo: zl)
  }

  /// `(−1)ⁿ / (n! · (2n + 1))` for `n = 0…14`: `erf x = (2/√π) · x · Σₙ cₙ x²ⁿ`.
  static let erfSeries: [Double] = [
    0x1.0000000000000p+0, -0x1.5555555555555p-2, 0x1.999999999999ap-4, -0x1.8618618618618p-6,
    0x1.2f684bda12f68p-8, -0x1.8d3018d3018d3p-11, 0x1.c01c01c01c01cp-14, -0x1.bbd779334ef0bp-17,
    0x1.87a00187a0018p-20, -0x1.3777c55568ccdp-23, 0x1.c2e3054870b38p-27, -0x1.2b67310aa9f3ap-30,
    0x1.6f448e13e85e1p-34, -0x1.a289ee7e40f74p-38, 0x1.bd577e658d020p-42,
  ]

  /// The complementary error function `erfc x = 1 − erf x`, accurate in both tails.
  ///
  /// - `x ≤ −6`: 2 (`2 − erfc 6` rounds to 2);
  /// - `−6 < x < 0`: `2 − erfc(−x)`;
  /// - `0 ≤ x < 0.5`: `1 − erf x`, erf by its Taylor series (15 terms, `x² < 0.25`);
  /// - `0.5 ≤ x < 6`: `e^(−x²) · erfcx x`, with `erfcx` (the scaled function `e^(x²) erfc x`) by
  ///   its Taylor polynomial of degree 9 around the nearest `x₀ = j/16`, `|x − x₀| ≤ 1/32`
  ///   (``erfcxCoefficients``);
  /// - `6 ≤ x < 27.3`: `e^(−x²) · erfcx x`, with `erfcx` by Laplace's continued fraction
  ///   `1/√π / (x + (1/2)/(x + 1/(x + (3/2)/(x + …))))` evaluated from depth 16;
  /// - `x ≥ 27.3`: 0 (the true value is below the smallest subnormal);
  ///
  /// `x²` is carried as a double-double into `exp` so that `e^(−x²)` keeps full accuracy.
  static func erfc(_ x: Double) -> Double {
    if x.isNaN { return x }
    if x < 0 { return x <= -6 ? 2 : 2 - erfc(-x) }
    if x < 0.5 {
      let z = x * x
      let c = erfSeries
      var s = c[14]
      var n = 13
      while n >= 0 {
        s = c[n] + z * s
        n -= 1
      }
      return 1 - twoOverSqrtPi * (x * s)
    }
    if x >= 27.3 { return 0 }
    let scaled: Double
    if x < 6 {
      // erfcx(x₀ + h) = Σₙ₌₀…₉ cₙhⁿ around the nearest x₀ = j/16, by Estrin's scheme.
      let j = Int((x * 16).rounded(.toNearestOrEven))
      let h = x - Double(j) / 16
      let base = (j - 8) * 10
      let c = erfcxCoefficients
      let h2 = h * h
      let h4 = h2 * h2
      let t =
        ((c[base + 2] + c[base + 3] * h) + (c[base + 4] + c[base + 5] * h) * h2)
        + ((c[base + 6] + c[base + 7] * h) + (c[base + 8] + c[base + 9] * h) * h2) * h4
      scaled = c[base] + (c[base + 1] * h + t * h2)
    } else {
      var t = x
      var n = 16
      while n >= 1 {
        t = x + (Double(n) * 0.5) / t
        n -= 1
      }
      scaled = inverseSqrtPi / t
    }
    let (sh, sl) = PortableLogarithm.twoProduct(x, x)
    return exp(hi: -sh, lo: -sl) * scaled
  }
}
