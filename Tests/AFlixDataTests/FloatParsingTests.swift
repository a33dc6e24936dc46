import Foundation
import Testing

@testable import AFlixData

/// The byte-level float parser gives exactly `Float(String)`'s value.
struct FloatParsingTests {
  static func parse(_ text: String) -> Float? {
    Array(text.utf8).withUnsafeBufferPointer { ByteParsing.parseFloat($0, 0..<$0.count) }
  }

  @Test func shortestFormsOfRandomFloatsReadBackExactly() {
    var seeded = SplitMix(seed: 11)
    for _ in 0..<200_000 {
      let value = Float.random(in: 0.5...5, using: &seeded)
      let text = value.description
      #expect(Self.parse(text)?.bitPattern == Float(text)?.bitPattern, "\(text)")
    }
  }

  @Test func decimalsNearFloatMidpointsMatchFloatString() {
    // Decimals with up to 15 digits between neighbouring floats, including exact midpoints.
    var seeded = SplitMix(seed: 5)
    for _ in 0..<50_000 {
      let f = Float.random(in: 0.5...5, using: &seeded)
      let mid = (Double(f) + Double(f.nextUp)) / 2
      for text in [String(format: "%.15g", mid), String(format: "%.12f", mid), "\(mid)"] {
        #expect(Self.parse(text)?.bitPattern == Float(text)?.bitPattern, "\(text)")
      }
    }
  }

  @Test func plainDecimalFloatRefusesOtherForms() {
    func plain(_ text: String) -> Float? {
      Array(text.utf8).withUnsafeBufferPointer { TextLineReader.plainDecimalFloat($0) }
    }
    #expect(plain("3.5") == 3.5)
    #expect(plain("-0.25") == -0.25)
    #expect(plain("1e3") == nil)
    #expect(plain(" 1") == nil)
    #expect(plain("nan") == nil)
    #expect(plain("1-2") == nil)
    #expect(plain("") == nil)
  }
}

/// A small seeded generator for reproducible tests.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
