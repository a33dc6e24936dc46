import AFlixLinalg
import Testing

@testable import AFlixRecommend

/// `TopItems.select` against a full sort, on scores with ties, NaN and infinities, of lengths
/// around the eight-wide scan.
@Suite("Top items selection")
struct TopItemsSelectionTests {
  /// The reference: every non-NaN candidate sorted by score then index, the first `count`.
  static func reference(_ scores: [Float], count: Int, where isCandidate: (Int) -> Bool) -> [Int] {
    let order = scores.indices.filter { !scores[$0].isNaN && isCandidate($0) }.sorted {
      scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1
    }
    return Array(order.prefix(max(0, count)))
  }

  /// Scores drawn from a few values (many ties), with NaN and ±∞ mixed in.
  static func scores(_ n: Int, seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return (0..<n).map { _ in
      switch Int.random(in: 0..<20, using: &rng) {
      case 0: return .nan
      case 1: return -.infinity
      case 2: return .infinity
      default: return Float(Int.random(in: -6...6, using: &rng)) / 2
      }
    }
  }

  @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 63, 100, 1_001])
  func matchesAFullSort(n: Int) {
    for seed in UInt64(1)...5 {
      let s = Self.scores(n, seed: seed &* 31 &+ UInt64(n))
      for count in [0, 1, 3, 10, n, n + 5] {
        #expect(TopItems.select(s, count: count) == Self.reference(s, count: count) { _ in true })
        let even = TopItems.select(s, count: count) { $0 % 2 == 0 }
        #expect(even == Self.reference(s, count: count) { $0 % 2 == 0 })
        let candidates = Array(stride(from: 0, to: n, by: 3))
        #expect(
          TopItems.select(s, among: candidates, count: count)
            == Self.reference(s, count: count) { $0 % 3 == 0 })
      }
    }
  }

  @Test func descendingScoresEnterTheHeapEveryTime() {
    // Increasing scores: every item beats the worst kept one, the worst case of the scan.
    let s = (0..<1_000).map { Float($0) }
    #expect(TopItems.select(s, count: 10) == Array((990..<1_000).reversed()))
    #expect(TopItems.select(s.reversed(), count: 10) == Array(0..<10))
  }

  @Test func allNaNSelectsNothing() {
    #expect(TopItems.select([Float](repeating: .nan, count: 33), count: 5).isEmpty)
  }

  /// The served path's selection (every item a candidate: the grouped lower bound, the short-list
  /// gathering, the heap with a floor above 64 items) on ties, NaN and ±∞, and on ordered scores
  /// with non-finite values mixed in.
  @Test(arguments: [7, 64, 100, 513, 1_001])
  func servedSelectionMatchesAFullSort(n: Int) {
    for seed in UInt64(1)...5 {
      var s = Self.scores(n, seed: seed &* 17 &+ UInt64(n))
      if seed % 2 == 0 {
        // Ascending with a few non-finite values: the order where every item beats the last.
        s = s.indices.map { s[$0].isFinite ? Float($0) : s[$0] }
      }
      for count in [1, 10, 50, 64, 65, n] {
        let got = s.withUnsafeBufferPointer {
          TopItems.select($0, among: nil, count: count, everyItemIsCandidate: true) { _ in true }
        }
        #expect(got == Self.reference(s, count: count) { _ in true }, "n \(n), count \(count)")
      }
    }
  }
}
