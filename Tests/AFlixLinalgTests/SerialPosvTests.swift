import AFlixLinalg
import Testing

/// `SerialBLAS.posv` (OpenBLAS's unblocked Cholesky, then `dpotrs`) against LAPACK's `dposv`.
struct SerialPosvTests {
  /// A seeded symmetric positive definite `n × n` matrix `GᵀG + n·I`, row-major.
  static func spd(_ n: Int, seed: UInt64) -> [Double] {
    var rng = SeededGenerator(seed: seed)
    let g = (0..<(n * n)).map { _ in rng.nextGaussian() }
    var a = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n {
        var s = 0.0
        for t in 0..<n { s += g[t * n + i] * g[t * n + j] }
        a[i * n + j] = s + (i == j ? Double(n) : 0)
      }
    }
    return a
  }

  @Test(arguments: [1, 2, 30, 64, 65, 100])
  func solvesLikeDposv(n: Int) {
    var a1 = Self.spd(n, seed: UInt64(n))
    var a2 = a1
    var rng = SeededGenerator(seed: 99)
    var b1 = (0..<n).map { _ in rng.nextGaussian() }
    var b2 = b1
    let original = a1
    let rhs = b1
    let info1 = a1.withUnsafeMutableBufferPointer { a in
      b1.withUnsafeMutableBufferPointer { b in
        SerialBLAS.posv(n: n, a: a.baseAddress!, b: b.baseAddress!)
      }
    }
    let info2 = a2.withUnsafeMutableBufferPointer { a in
      b2.withUnsafeMutableBufferPointer { b in
        Double.posv(n: n, nrhs: 1, a: a.baseAddress!, b: b.baseAddress!)
      }
    }
    #expect(info1 == 0 && info2 == 0)
    let gap = zip(b1, b2).map { abs($0 - $1) }.max() ?? 0
    let scale = b2.map(abs).max() ?? 1
    #expect(gap <= 1e-12 * max(1, scale), "n \(n)")
    // The residual ‖A x − b‖ is at rounding level.
    var residual = 0.0
    for i in 0..<n {
      var s = 0.0
      for j in 0..<n { s += original[i * n + j] * b1[j] }
      residual = max(residual, abs(s - rhs[i]))
    }
    #expect(residual < 1e-9, "n \(n)")
  }

  @Test func notPositiveDefiniteIsReportedNotSolved() {
    var a: [Double] = [1, 2, 2, 1]  // eigenvalues 3 and −1
    var b: [Double] = [1, 1]
    let info = a.withUnsafeMutableBufferPointer { ap in
      b.withUnsafeMutableBufferPointer { bp in
        SerialBLAS.posv(n: 2, a: ap.baseAddress!, b: bp.baseAddress!)
      }
    }
    #expect(info == 2)
    var empty: [Double] = [0]
    #expect(
      empty.withUnsafeMutableBufferPointer {
        SerialBLAS.posv(n: 0, a: $0.baseAddress!, b: $0.baseAddress!)
      } == 0)
  }
}

#if os(Linux)
  import Foundation

  /// `SerialBLAS.posv` keeps OpenBLAS's workers idle where `dposv` (its `dpotrf`) uses them.
  struct SerialPosvThreadUseTests {
    @Test func serialCholeskyLeavesWorkersIdle() async {
      await #expect(processExitsWith: .success) {
        let n = 200
        let a = SerialPosvTests.spd(n, seed: 5)
        let rhs = [Double](repeating: 1, count: n)
        var sink = 0.0
        func burst(_ solve: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Int) {
          for _ in 0..<400 {
            var m = a
            var b = rhs
            _ = m.withUnsafeMutableBufferPointer { mp in
              b.withUnsafeMutableBufferPointer { bp in solve(mp.baseAddress!, bp.baseAddress!) }
            }
            sink += b[0]
          }
        }
        let c = SerialBLASThreadUseTests.compare(
          plain: { burst { Double.posv(n: n, nrhs: 1, a: $0, b: $1) } },
          serial: { burst { SerialBLAS.posv(n: n, a: $0, b: $1) } })
        SerialBLASThreadUseTests.exit(c, finite: sink.isFinite)
      }
    }
  }
#endif
