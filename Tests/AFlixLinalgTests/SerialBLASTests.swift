import AFlixLinalg
import Foundation
import Testing

/// `SerialBLAS` against plain BLAS: same numbers, tiles of the documented sizes.
struct SerialBLASNumericsTests {
  /// Largest |x − y| over max |y|, 0 for equal arrays.
  static func relativeGap<S: BLASScalar>(_ x: [S], _ y: [S]) -> Double {
    precondition(x.count == y.count)
    let scale = y.map { abs(Double($0)) }.max() ?? 0
    let gap = zip(x, y).map { abs(Double($0) - Double($1)) }.max() ?? 0
    return scale == 0 ? gap : gap / scale
  }

  @Test(arguments: [false, true])
  func gemvMatchesPlainBLAS(transposing: Bool) {
    // 5,000 × 30: tiles of 307 rows without transposing; 30 outputs × 5,000 terms with it, which
    // splits the reduction (5,000 · 30 > 9,215).
    let a: Matrix<Float> = Fixtures.gaussian(5_000, 30, seed: 1)
    let x: [Float] = Fixtures.gaussian(1, transposing ? 5_000 : 30, seed: 2).elements
    let (plain, serial) = BLAS.withThreadCount(1) {
      (
        a.multiplied(by: x, transposingSelf: transposing),
        a.serialMultiplied(by: x, transposingSelf: transposing)
      )
    }
    #expect(plain.count == serial.count)
    if transposing {
      #expect(Self.relativeGap(serial, plain) < 1e-5)
    } else {
      // Output tiles of a multiple of 16 rows: OpenBLAS's kernel groups the outputs as in one
      // call, so every entry has the same bits (tiles of 307 rows differed in the last bit).
      #expect(serial == plain)
    }
  }

  @Test func gemvSplitsRowsLongerThanTheLimit() {
    // Rows of 20,000 entries (> 9,215): each row is summed in three pieces, in order.
    let a: Matrix<Double> = Fixtures.gaussian(3, 20_000, seed: 3)
    let x: [Double] = Fixtures.gaussian(1, 20_000, seed: 4).elements
    let serial = a.serialMultiplied(by: x)
    let exact = (0..<3).map { i in (0..<20_000).reduce(0.0) { $0 + a[i, $1] * x[$1] } }
    #expect(Self.relativeGap(serial, exact) < 1e-12)
  }

  @Test func gemvKeepsAlphaBetaSemantics() {
    let a: Matrix<Double> = Fixtures.gaussian(400, 50, seed: 5)
    let x: [Double] = Fixtures.gaussian(1, 50, seed: 6).elements
    let y0: [Double] = Fixtures.gaussian(1, 400, seed: 7).elements
    var plain = y0
    var serial = y0
    a.elements.withUnsafeBufferPointer { ap in
      x.withUnsafeBufferPointer { xp in
        Double.gemv(
          transpose: false, m: 400, n: 50, alpha: 2, a: ap.baseAddress!, lda: 50,
          x: xp.baseAddress!, beta: -0.5, y: &plain)
        SerialBLAS.gemv(
          transpose: false, m: 400, n: 50, alpha: 2, a: ap.baseAddress!, lda: 50,
          x: xp.baseAddress!, beta: -0.5, y: &serial)
      }
    }
    #expect(Self.relativeGap(serial, plain) < 1e-13)
    #expect(serial != y0)
  }

  @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
  func gemmMatchesPlainBLAS(transposeA: Bool, transposeB: Bool) {
    // 50 × 70 × 90 = 315,000 multiply–adds > 262,144: tiles of 41 rows.
    let (m, n, k) = (50, 70, 90)
    let a: Matrix<Float> = Fixtures.gaussian(transposeA ? k : m, transposeA ? m : k, seed: 8)
    let b: Matrix<Float> = Fixtures.gaussian(transposeB ? n : k, transposeB ? k : n, seed: 9)
    let (plain, serial) = BLAS.withThreadCount(1) {
      (
        a.multiplied(by: b, transposingSelf: transposeA, transposingOther: transposeB),
        a.serialMultiplied(by: b, transposingSelf: transposeA, transposingOther: transposeB)
      )
    }
    #expect(serial.rows == m && serial.columns == n)
    #expect(Self.relativeGap(serial.elements, plain.elements) < 1e-5)
  }

  @Test func gemmSplitsInnerDimensionsLongerThanTheLimit() {
    let k = 300_000
    let a: Matrix<Double> = Fixtures.gaussian(2, k, seed: 10)
    let b: Matrix<Double> = Fixtures.gaussian(2, k, seed: 11)
    let serial = a.serialMultiplied(by: b, transposingOther: true)
    for i in 0..<2 {
      for j in 0..<2 {
        let exact = (0..<k).reduce(0.0) { $0 + a[i, $1] * b[j, $1] }
        #expect(abs(serial[i, j] - exact) < 1e-9 * Double(k).squareRoot())
      }
    }
  }

  @Test func emptyShapesLeaveOutputsAlone() {
    let empty = Matrix<Float>(rows: 0, columns: 5)
    #expect(empty.serialMultiplied(by: [1, 2, 3, 4, 5]).isEmpty)
    let noInner = Matrix<Float>(rows: 3, columns: 0)
    #expect(noInner.serialMultiplied(by: []) == [0, 0, 0])
    #expect(
      noInner.serialMultiplied(by: Matrix<Float>(rows: 0, columns: 2))
        == Matrix<Float>(rows: 3, columns: 2))
  }
}

#if os(Linux)
  /// CPU time of every thread of this process, from `/proc/self/task/*/stat`.
  enum ThreadCPU {
    /// Reads a small `/proc` file whole (their reported size is 0, so read until end of file).
    static func read(_ path: String) -> String? {
      guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
      defer { try? handle.close() }
      guard let data = try? handle.readToEnd() else { return nil }
      return String(decoding: data, as: UTF8.self)
    }

    /// `utime + stime` in clock ticks from a `stat` line (fields 14 and 15, after the `(comm)`).
    static func ticks(stat: String) -> Int? {
      guard let close = stat.lastIndex(of: ")") else { return nil }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
        return nil
      }
      return user + system
    }

    /// Ticks per thread id.
    static func snapshot() -> [Int: Int] {
      let tids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
      var out = [Int: Int]()
      for tid in tids {
        if let id = Int(tid), let stat = read("/proc/self/task/\(tid)/stat"),
          let t = ticks(stat: stat)
        {
          out[id] = t
        }
      }
      return out
    }

    /// The calling thread's id (`/proc/thread-self` resolves to `<pid>/task/<tid>`).
    static func currentThreadID() -> Int? {
      guard
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")
      else { return nil }
      return Int(target.split(separator: "/").last ?? "")
    }

    /// CPU ticks spent by `body`'s thread and by the process's other threads while it runs.
    static func measure(_ body: () -> Void) -> (caller: Int, others: [Int: Int]) {
      let me = currentThreadID() ?? -1
      let before = snapshot()
      body()
      let after = snapshot()
      var others = [Int: Int]()
      for (tid, t) in after where tid != me { others[tid] = t - (before[tid] ?? 0) }
      return ((after[me] ?? 0) - (before[me] ?? 0), others)
    }
  }

  /// Whether OpenBLAS's worker threads work during `SerialBLAS` calls, measured from the threads'
  /// CPU time with OpenBLAS at 2 threads. Serialized: the BLAS thread count is process-wide (the
  /// `BLAS.withThreadCount` section also keeps other sections out meanwhile).
  @Suite(.serialized)
  struct SerialBLASThreadUseTests {
    /// Ticks of the burst's calling thread, OpenBLAS workers' ticks, both for the plain burst
    /// (which identifies the workers: the threads that gained time during it) and the serial one.
    struct Comparison {
      var plainCaller = 0
      var plainWorkers = 0
      var serialCaller = 0
      var serialWorkers = 0
    }

    /// Exits the exit test's process with 0 when the comparison shows the workers busy for the
    /// plain calls (the control: a lower bound that holds when other processes load the machine)
    /// and idle, up to 1 tick per worker of /proc rounding, for the serial ones; else prints it
    /// and exits with 1.
    static func exit(_ c: Comparison, finite: Bool, longCaller: Bool = false) -> Never {
      let ok =
        finite && c.plainWorkers >= 4 && c.plainWorkers > c.serialWorkers
        && (!longCaller || c.serialCaller >= 20) && c.serialWorkers * 50 <= c.serialCaller + 100
      if !ok { FileHandle.standardError.write(Data("\(c)\n".utf8)) }
      Foundation.exit(ok ? 0 : 1)
    }

    /// Runs `plain` then `serial` at 2 BLAS threads, pausing before each so that OpenBLAS's
    /// workers stop spinning (they spin ≈ 0.1 s after a call) and are asleep when measuring starts.
    static func compare(plain: () -> Void, serial: () -> Void) -> Comparison {
      BLAS.withThreadCount(2) {
        plain()  // starts the workers
        Thread.sleep(forTimeInterval: 0.5)
        let p = ThreadCPU.measure(plain)
        let workers = Set(p.others.filter { $0.value > 0 }.map(\.key))
        Thread.sleep(forTimeInterval: 0.5)
        let s = ThreadCPU.measure(serial)
        return Comparison(
          plainCaller: p.caller, plainWorkers: workers.reduce(0) { $0 + p.others[$1, default: 0] },
          serialCaller: s.caller, serialWorkers: workers.reduce(0) { $0 + s.others[$1, default: 0] }
        )
      }
    }

    @Test func serialGemvLeavesWorkersIdleWherePlainGemvUsesThem() async {
      // In a process of its own: other suites running meanwhile in this one would add their
      // threads' CPU time to what is measured.
      await #expect(processExitsWith: .success) {
        // The serving shape: many items, a few dozen factors; 2,000 products per burst.
        let a: Matrix<Float> = Fixtures.gaussian(50_000, 30, seed: 20)
        let x: [Float] = Fixtures.gaussian(1, 30, seed: 21).elements
        var sink: Float = 0
        let c = SerialBLASThreadUseTests.compare(
          plain: { for _ in 0..<2_000 { sink += a.multiplied(by: x)[7] } },
          serial: { for _ in 0..<2_000 { sink += a.serialMultiplied(by: x)[7] } })
        SerialBLASThreadUseTests.exit(c, finite: sink.isFinite, longCaller: true)
      }
    }

    @Test func gemvThresholdIsStrictlyBelow9216Entries() async {
      // In a process of its own: other suites running meanwhile in this one would add their
      // threads' CPU time to what is measured.
      await #expect(processExitsWith: .success) {
        // 96 × 96 = 9,216 entries go to the workers; 95 × 97 = 9,215 do not.
        let big: Matrix<Float> = Fixtures.gaussian(96, 96, seed: 22)
        let small: Matrix<Float> = Fixtures.gaussian(95, 97, seed: 23)
        let x: [Float] = Fixtures.gaussian(1, 97, seed: 24).elements
        var sink: Float = 0
        let c = SerialBLASThreadUseTests.compare(
          plain: { for _ in 0..<100_000 { sink += big.multiplied(by: Array(x[0..<96]))[0] } },
          serial: { for _ in 0..<100_000 { sink += small.multiplied(by: x)[0] } })
        SerialBLASThreadUseTests.exit(c, finite: sink.isFinite)
      }
    }

    @Test func gemmThresholdIsAtMost262144MultiplyAdds() async {
      // In a process of its own: other suites running meanwhile in this one would add their
      // threads' CPU time to what is measured.
      await #expect(processExitsWith: .success) {
        // 64 × 64 × 65 goes to the workers; 64 × 64 × 64 = 262,144 does not.
        let a65: Matrix<Float> = Fixtures.gaussian(64, 65, seed: 25)
        let a64: Matrix<Float> = Fixtures.gaussian(64, 64, seed: 26)
        let b65: Matrix<Float> = Fixtures.gaussian(64, 65, seed: 27)
        var sink: Float = 0
        let c = SerialBLASThreadUseTests.compare(
          plain: {
            for _ in 0..<10_000 { sink += a65.multiplied(by: b65, transposingOther: true)[0, 0] }
          },
          serial: {
            for _ in 0..<10_000 { sink += a64.multiplied(by: a64, transposingOther: true)[0, 0] }
          })
        SerialBLASThreadUseTests.exit(c, finite: sink.isFinite)
      }
    }

    @Test func serialGemmOfAUserBlockLeavesWorkersIdle() async {
      // In a process of its own: other suites running meanwhile in this one would add their
      // threads' CPU time to what is measured.
      await #expect(processExitsWith: .success) {
        // 2,000 users × 400 items × 30 factors, one call vs tiles of 21 users.
        let users: Matrix<Float> = Fixtures.gaussian(2_000, 30, seed: 28)
        let items: Matrix<Float> = Fixtures.gaussian(400, 30, seed: 29)
        var sink: Float = 0
        let c = SerialBLASThreadUseTests.compare(
          plain: {
            for _ in 0..<300 { sink += users.multiplied(by: items, transposingOther: true)[0, 0] }
          },
          serial: {
            for _ in 0..<300 {
              sink += users.serialMultiplied(by: items, transposingOther: true)[0, 0]
            }
          })
        SerialBLASThreadUseTests.exit(c, finite: sink.isFinite, longCaller: true)
      }
    }
  }
#endif
