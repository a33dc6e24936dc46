import AFlixLinalg
import Testing
import _AFlixKernels

/// The C SGD pass behind ``BiasedMF``: its documented update, bit for bit, and the same bits from
/// every instruction-set variant.
@Suite("SGD kernel")
struct SGDKernelTests {
  /// A small random problem: `blocks` × 8 floats per row (the last `padding` floats of each row
  /// zero), `count` ratings in a shuffled order.
  struct Problem {
    var users: [Int32] = []
    var items: [Int32] = []
    var values: [Float] = []
    var order: [Int32] = []
    var p: [Float]
    var q: [Float]
    var bu: [Float]
    var bi: [Float]
    let blocks: Int

    init(users n: Int, items m: Int, factors: Int, count: Int, seed: UInt64) {
      blocks = (factors + 7) / 8
      var rng = SeededGenerator(seed: seed)
      func uniform(_ lo: Float, _ hi: Float) -> Float {
        lo + (hi - lo) * Float(rng.nextUnitDouble())
      }
      p = [Float](repeating: 0, count: n * blocks * 8)
      q = [Float](repeating: 0, count: m * blocks * 8)
      for r in 0..<n { for f in 0..<factors { p[r * blocks * 8 + f] = uniform(-0.3, 0.3) } }
      for r in 0..<m { for f in 0..<factors { q[r * blocks * 8 + f] = uniform(-0.3, 0.3) } }
      bu = (0..<n).map { _ in uniform(-0.5, 0.5) }
      bi = (0..<m).map { _ in uniform(-0.5, 0.5) }
      for _ in 0..<count {
        users.append(Int32(rng.next() % UInt64(n)))
        items.append(Int32(rng.next() % UInt64(m)))
        values.append(Float(1 + rng.next() % 5))
      }
      order = (0..<Int32(count)).map { $0 }
      order.seededShuffle(seed: seed &+ 1)
    }

    /// Runs one pass with `variant` (nil: the dispatching entry point); false when the variant is
    /// not available here.
    mutating func pass(
      variant: Int32?, mu: Float = 3.5, lr: Float = 0.01, reg: Float = 0.05, biased: Bool = true
    ) -> Bool {
      var status: Int32 = 0
      let flag: Int32 = biased ? 1 : 0
      let nb = blocks
      let (o, u, i, v) = (order, users, items, values)
      p.withUnsafeMutableBufferPointer { p in
        q.withUnsafeMutableBufferPointer { q in
          bu.withUnsafeMutableBufferPointer { bu in
            bi.withUnsafeMutableBufferPointer { bi in
              if let variant {
                status = aflix_sgd_pass_variant(
                  variant, o, o.count, u, i, v, p.baseAddress, q.baseAddress, bu.baseAddress,
                  bi.baseAddress, nb, mu, lr, reg, flag)
              } else {
                aflix_sgd_pass(
                  o, o.count, u, i, v, p.baseAddress, q.baseAddress, bu.baseAddress,
                  bi.baseAddress, nb, mu, lr, reg, flag)
              }
            }
          }
        }
      }
      return status == 0
    }

    /// The documented update in plain Swift, same operation order.
    mutating func referencePass(mu: Float = 3.5, lr: Float = 0.01, reg: Float = 0.05) {
      let w = blocks * 8
      let decay = 1 - lr * reg
      for o in order {
        let r = Int(o)
        let u = Int(users[r])
        let i = Int(items[r])
        var lanes = [Float](repeating: 0, count: 8)
        for k in 0..<blocks {
          for l in 0..<8 { lanes[l] += p[u * w + k * 8 + l] * q[i * w + k * 8 + l] }
        }
        let dot =
          ((lanes[0] + lanes[4]) + (lanes[2] + lanes[6]))
          + ((lanes[1] + lanes[5]) + (lanes[3] + lanes[7]))
        let err = values[r] - (mu + bu[u] + bi[i] + dot)
        bu[u] += lr * (err - reg * bu[u])
        bi[i] += lr * (err - reg * bi[i])
        let le = lr * err
        for f in 0..<w {
          let a = p[u * w + f]
          let b = q[i * w + f]
          p[u * w + f] = decay * a + le * b
          q[i * w + f] = decay * b + le * a
        }
      }
    }

    func bits() -> [UInt32] { (p + q + bu + bi).map(\.bitPattern) }
  }

  @Test(arguments: [1, 8, 13, 100])
  func matchesTheDocumentedUpdateBitForBit(factors: Int) {
    var kernel = Problem(users: 17, items: 11, factors: factors, count: 400, seed: 7)
    var reference = kernel
    let ran = kernel.pass(variant: nil)
    #expect(ran)
    reference.referencePass()
    #expect(kernel.bits() == reference.bits())
    #expect(kernel.p != Problem(users: 17, items: 11, factors: factors, count: 400, seed: 7).p)
  }

  @Test func paddingStaysZero() {
    var kernel = Problem(users: 9, items: 6, factors: 5, count: 200, seed: 3)
    let ran = kernel.pass(variant: nil)
    #expect(ran)
    let (p, q) = (kernel.p, kernel.q)
    for row in 0..<9 { #expect(p[(row * 8 + 5)..<(row * 8 + 8)].allSatisfy { $0 == 0 }) }
    for row in 0..<6 { #expect(q[(row * 8 + 5)..<(row * 8 + 8)].allSatisfy { $0 == 0 }) }
    #expect(p.contains { $0 != 0 })
  }

  @Test func unbiasedPassLeavesBiasesAlone() {
    var kernel = Problem(users: 9, items: 6, factors: 16, count: 200, seed: 4)
    let (bu, bi) = (kernel.bu, kernel.bi)
    let ran = kernel.pass(variant: nil, biased: false)
    #expect(ran)
    #expect(kernel.bu == bu && kernel.bi == bi)
  }

  @Test(
    "AVX2 and baseline variants give the same bits",
    .enabled(if: String(cString: aflix_kernel_isa()) == "avx2", "this CPU has no AVX2"),
    arguments: [3, 16, 100])
  func variantsAgree(factors: Int) {
    var baseline = Problem(users: 40, items: 30, factors: factors, count: 3_000, seed: 11)
    var avx2 = baseline
    let ranBaseline = baseline.pass(variant: 0)
    let ranAVX2 = avx2.pass(variant: 1)
    #expect(ranBaseline && ranAVX2)
    #expect(baseline.bits() == avx2.bits())
  }

  @Test func unknownVariantIsRefusedAndChangesNothing() {
    var kernel = Problem(users: 5, items: 5, factors: 8, count: 50, seed: 1)
    let before = kernel.bits()
    let ran = kernel.pass(variant: 7)
    #expect(!ran)
    #expect(kernel.bits() == before)
  }
}

extension Array where Element == Int32 {
  fileprivate mutating func seededShuffle(seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    for i in stride(from: count - 1, to: 0, by: -1) {
      swapAt(i, Int(rng.next() % UInt64(i + 1)))
    }
  }
}
