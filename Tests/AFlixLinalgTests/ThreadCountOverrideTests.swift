import AFlixLinalg
import Synchronization
import Testing
import _AFlixSupport

/// `Parallelism.withThreadCount`: a thread count bound to one call, seen by its loops and tasks
/// only, and loops whose results do not depend on it.
@Suite("Per-call thread counts")
struct ThreadCountOverrideTests {
  @Test func concurrentTasksSeeTheirOwnCounts() async {
    #expect(ThreadBudget.override == nil)
    let seen = await withTaskGroup(of: (Int, [Int]).self) { group in
      for count in [1, 4] {
        group.addTask {
          await Parallelism.withThreadCount(count) {
            var observed: [Int] = []
            for _ in 0..<20 {
              observed.append(Parallelism.currentThreadCount)
              await Task.yield()
            }
            // A child task inherits the count.
            observed.append(await Task { Parallelism.currentThreadCount }.value)
            // A loop's workers see it too.
            let workers = ParallelLoop.map(
              count: 8, threads: Parallelism.currentThreadCount, state: {}
            ) { _, _ in Parallelism.currentThreadCount }
            return (count, observed + workers)
          }
        }
      }
      var out: [Int: [Int]] = [:]
      for await (count, observed) in group { out[count] = observed }
      return out
    }
    #expect(seen.count == 2)
    for (count, observed) in seen {
      #expect(observed.count == 29)
      #expect(observed.allSatisfy { $0 == count }, "task with \(count) saw \(observed)")
    }
    #expect(ThreadBudget.override == nil)
  }

  @Test func sectionsNestAndClamp() {
    Parallelism.withThreadCount(3) {
      #expect(Parallelism.currentThreadCount == 3)
      Parallelism.withThreadCount(0) { #expect(Parallelism.currentThreadCount == 1) }
      Parallelism.withThreadCount(1 << 40) {
        #expect(Parallelism.currentThreadCount == Parallelism.maximumThreadLimit)
      }
      #expect(Parallelism.currentThreadCount == 3)
    }
    #expect(ThreadBudget.override == nil)
  }

  @Test func loopsUseAtMostTheBoundCount() {
    let inFlight = Atomic<Int>(0)
    let most = Atomic<Int>(0)
    Parallelism.withThreadCount(2) {
      ParallelLoop.forEach(count: 64, threads: Parallelism.currentThreadCount) { _ in
        let now = inFlight.add(1, ordering: .relaxed).newValue
        _ = most.max(now, ordering: .relaxed)
        var spin = 0
        for k in 0..<20_000 { spin &+= k }
        #expect(spin > 0)
        inFlight.subtract(1, ordering: .relaxed)
      }
    }
    #expect(most.load(ordering: .relaxed) >= 1)
    #expect(most.load(ordering: .relaxed) <= 2)
  }

  @Test func sparseProductsAreBitIdenticalForOneAndFourThreads() throws {
    // 3,000 × 400 at 5 % and k = 16: about 60k non-zeros × 16 = 960k units, so 14 chunks.
    var rng = SeededGenerator(seed: 11)
    var rows: [Int] = []
    var columns: [Int] = []
    var values: [Double] = []
    for i in 0..<3_000 {
      for j in 0..<400 where rng.nextUnitDouble() < 0.05 {
        rows.append(i)
        columns.append(j)
        values.append(rng.nextGaussian())
      }
    }
    let a = try SparseMatrix(
      rows: 3_000, columns: 400, rowIndices: rows, columnIndices: columns, values: values)
    let x = Matrix(
      rows: 400, columns: 16, elements: (0..<(400 * 16)).map { _ in rng.nextGaussian() })
    let one = Parallelism.withThreadCount(1) { (a.multiplied(by: x), a.gram()) }
    let four = Parallelism.withThreadCount(4) { (a.multiplied(by: x), a.gram()) }
    #expect(one.0.elements == four.0.elements)
    #expect(one.1.elements == four.1.elements)
    #expect(one.0.elements.contains { $0 != 0 })
  }

  @Test func chunkedMapIsIdenticalForEveryThreadCount() {
    func scratch() -> [Double] { [Double](repeating: 0, count: 8) }
    func sums(threads: Int) -> [Double] {
      ParallelLoop.map(count: 37, threads: threads, state: scratch) { item, scratch in
        var total = 0.0
        for k in ParallelLoop.range(chunk: item, of: 37, count: 10_000) {
          scratch[k % 8] += 1 / Double(k + 1)
          total += 1 / Double(k + 1)
        }
        return total
      }
    }
    let serial = sums(threads: 1)
    #expect(serial.count == 37)
    #expect(sums(threads: 4) == serial)
    #expect(sums(threads: 64) == serial)
  }
}
