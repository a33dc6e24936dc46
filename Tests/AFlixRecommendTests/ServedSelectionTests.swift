import AFlixData
import AFlixLinalg
import AFlixRecommend
import Testing

/// The served selection (with its chunk-maxima lower bound) against a full sort, on scores full
/// of ties, NaN and infinities, with and without exclusions.
@Suite("Served selection")
struct ServedSelectionTests {
  static func reference(_ scores: [Float], excluding excluded: Set<Int>, count: Int) -> [Int] {
    let usable = scores.indices.filter { !excluded.contains($0) && !scores[$0].isNaN }
    let order = usable.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    return Array(order.prefix(count))
  }

  @Test func recommendEqualsAFullSortOnAdversarialScores() throws {
    var rng = SeededGenerator(seed: 11)
    let palette: [Float] = [1, 1, 2, 2, 2, 3, .nan, .infinity, -.infinity, 0.5]
    for trial in 0..<200 {
      let n = 1 + Int(rng.next() % 300)
      let scores = (0..<n).map { _ in palette[Int(rng.next() % UInt64(palette.count))] }
      let seen = Set((0..<Int(rng.next() % 20)).map { _ in Int(rng.next() % UInt64(n)) })
      let sorted = seen.sorted()
      let history = try UserHistory(
        offsets: [0, sorted.count], itemIndices: sorted.map { Int32($0) }, items: n)
      let model = FixedScorer(
        users: IDMap([1]), items: IDMap((0..<n).map { EntityID.int($0) }), table: [scores],
        history: history)
      for count in [1, 3, 10, 50] {
        let got = model.recommend(user: 1, count: count).items.map { $0.item.intValue! }
        #expect(got == Self.reference(scores, excluding: seen, count: count), "trial \(trial)")
      }
    }
  }

  /// Ordered and continuous scores (ascending, descending, random, a rising trend), long enough
  /// for the short-list path (at least eight scores per kept item) and the heap path (more than
  /// 64 kept), with exclusions.
  @Test(arguments: [0, 1, 2, 3])
  func recommendEqualsAFullSortOnOrderedScores(pattern: Int) throws {
    var rng = SeededGenerator(seed: 23 &+ UInt64(pattern))
    for n in [8, 80, 400, 513, 2_000] {
      let scores: [Float] = (0..<n).map { i in
        switch pattern {
        case 0: return Float(i)
        case 1: return Float(n - i)
        case 2: return Float(rng.nextGaussian())
        default: return Float(i) / Float(n) * 4 + Float(rng.nextGaussian())
        }
      }
      let seen = Set((0..<(n / 8)).map { _ in Int(rng.next() % UInt64(n)) })
      let sorted = seen.sorted()
      let history = try UserHistory(
        offsets: [0, sorted.count], itemIndices: sorted.map { Int32($0) }, items: n)
      let model = FixedScorer(
        users: IDMap([1]), items: IDMap((0..<n).map { EntityID.int($0) }), table: [scores],
        history: history)
      for count in [1, 10, 50, 64, 65, n] {
        let got = model.recommend(user: 1, count: count).items.map { $0.item.intValue! }
        #expect(
          got == Self.reference(scores, excluding: seen, count: count), "n \(n), count \(count)")
      }
    }
  }
}
