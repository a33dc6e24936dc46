import Foundation

/// MD5 (RFC 1321), for what needs MD5's exact bits — the A/B assignment rule of the original AFlix
/// (`int(md5("<experiment>_<user>").hexdigest(), 16) % variants`) — never for security.
package enum MD5 {
  /// The 16-byte digest of `message`.
  package static func digest(_ message: some Sequence<UInt8>) -> [UInt8] {
    var bytes = Array(message)
    let bitLength = UInt64(truncatingIfNeeded: bytes.count) &* 8
    bytes.append(0x80)
    while bytes.count % 64 != 56 { bytes.append(0) }
    for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(k)))) }
    var (a0, b0, c0, d0): (UInt32, UInt32, UInt32, UInt32) = (
      0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476
    )
    var words = [UInt32](repeating: 0, count: 16)
    for chunk in stride(from: 0, to: bytes.count, by: 64) {
      for k in 0..<16 {
        let o = chunk + 4 * k
        words[k] =
          UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16
          | UInt32(bytes[o + 3]) << 24
      }
      var (a, b, c, d) = (a0, b0, c0, d0)
      for i in 0..<64 {
        let f: UInt32
        let g: Int
        switch i {
        case 0..<16:
          f = (b & c) | (~b & d)
          g = i
        case 16..<32:
          f = (d & b) | (~d & c)
          g = (5 * i + 1) % 16
        case 32..<48:
          f = b ^ c ^ d
          g = (3 * i + 5) % 16
        default:
          f = c ^ (b | ~d)
          g = (7 * i) % 16
        }
        let rotated = a &+ f &+ constants[i] &+ words[g]
        (a, d, c) = (d, c, b)
        b = b &+ (rotated << shifts[i] | rotated >> (32 - shifts[i]))
      }
      a0 = a0 &+ a
      b0 = b0 &+ b
      c0 = c0 &+ c
      d0 = d0 &+ d
    }
    return [a0, b0, c0, d0].flatMap { word in
      (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
    }
  }

  /// The digest as 32 lowercase hexadecimal digits, as `hashlib.md5(…).hexdigest()` writes it.
  package static func hexDigest(_ message: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(
      decoding: digest(message).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] },
      as: UTF8.self)
  }

  /// The digest read as one big-endian 128-bit integer (the hex digest in base 16), modulo
  /// `modulus` (at least 1).
  package static func digestModulo(_ message: some Sequence<UInt8>, _ modulus: Int) -> Int {
    precondition(modulus >= 1, "the modulus must be at least 1")
    let m = UInt64(modulus)
    var remainder: UInt64 = 0
    for byte in digest(message) {
      // remainder · 256 may exceed 64 bits: its high word is below 256, hence below m once
      // m ≥ 256, and 0 when m < 256 — always a valid full-width division.
      remainder = m.dividingFullWidth(remainder.multipliedFullWidth(by: 256)).remainder
      // Below 2⁶³ + 256: no overflow.
      remainder = (remainder + UInt64(byte)) % m
    }
    return Int(remainder)
  }

  /// The sine-derived constants `⌊2³² · |sin(i + 1)|⌋`.
  private static let constants: [UInt32] = (0..<64).map {
    UInt32(truncatingIfNeeded: Int64((abs(sin(Double($0 + 1))) * 4_294_967_296).rounded(.down)))
  }

  private static let shifts: [UInt32] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
  ]
}
