import Testing
import _AFlixSupport

/// MD5 against RFC 1321's test suite and Python's `hashlib`.
@Suite struct MD5Tests {
  @Test func theRFC1321TestSuite() {
    let cases = [
      ("", "d41d8cd98f00b204e9800998ecf8427e"),
      ("a", "0cc175b9c0f1b6a831c399e269772661"),
      ("abc", "900150983cd24fb0d6963f7d28e17f72"),
      ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
      ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
      (
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        "d174ab98d277d9f5a5611c2c9f419d9f"
      ),
      (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ]
    for (message, digest) in cases {
      #expect(MD5.hexDigest(message.utf8) == digest, "\(message)")
    }
  }

  @Test func blockBoundariesAndTheModulo() {
    // hashlib.md5(b"x" * n).hexdigest() for lengths around the 55/56/64-byte padding edges.
    let cases = [
      (55, "04364420e25c512fd958a70738aa8f72"), (56, "668a72d5ba17f08e62dabcafad6db14b"),
      (63, "7dc2ca208106a2f703567bdff99d8981"), (64, "c1bb4f81d892b2d57947682aeb252456"),
      (65, "1bc932052302d074bdec39795fe00cf6"), (119, "ab347a5f68c8a443cfcddc633f12c24f"),
      (120, "fb98667f98096de92620b64f46e1c5b5"),
    ]
    for (length, digest) in cases {
      #expect(MD5.hexDigest(Array(repeating: UInt8(ascii: "x"), count: length)) == digest)
    }
    // int(hexdigest, 16) % m in Python, for moduli where the 64-bit arithmetic must not overflow.
    #expect(MD5.digestModulo("k_svd_42".utf8, 1_000_003) == 735_062)
    #expect(MD5.digestModulo("k_svd_42".utf8, (1 << 61) - 1) == 592_780_441_309_035_743)
    // The modulo reads the digest as one big-endian integer: mod 2⁸ is its last byte, mod 2¹⁶
    // its last two.
    for message in ["", "abc", "k_svd_42"] {
      let digest = MD5.digest(message.utf8)
      #expect(MD5.digestModulo(message.utf8, 256) == Int(digest[15]))
      #expect(MD5.digestModulo(message.utf8, 65_536) == Int(digest[14]) << 8 | Int(digest[15]))
      #expect(MD5.digestModulo(message.utf8, 1) == 0)
    }
  }
}
