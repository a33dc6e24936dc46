import AFlix
import Foundation
import _AFlixSupport

/// The synthetic serving setup of `aflix bench topn`: what `topk_numpy.py` builds for its peer
/// (standard normal factors, random training films per user), wrapped in the full hybrid.
struct TopNSetup {
  var hybrid: HybridModel
  var batchHybrid: HybridModel

  /// What one run measured.
  struct Figures {
    var p50: Double
    var p99: Double
    var mean: Double
    var throughput: Double
    var batchSeconds: Double
  }

  init(items: Int, users: Int, factors: Int, seen: Int, seed: UInt64) throws {
    var rng = SeededGenerator(seed: seed)
    let itemFactors = Matrix<Float>(
      rows: items, columns: factors,
      elements: (0..<(items * factors)).map { _ in Float(rng.nextGaussian()) })
    let userFactors = Matrix<Float>(
      rows: users, columns: factors,
      elements: (0..<(users * factors)).map { _ in Float(rng.nextGaussian()) })
    var seenItems: [[Int32]] = []
    for _ in 0..<users {
      var chosen = Set<Int32>()
      while chosen.count < seen { chosen.insert(Int32(Int.random(in: 0..<items, using: &rng))) }
      seenItems.append(chosen.sorted())
    }
    // Zipf-like counts: film at popularity rank r has about 10,000 / r ratings.
    var ranks = Array(1...items)
    ranks.shuffle(using: &rng)
    let counts = ranks.map { max(1, 10_000 / $0) }
    hybrid = try Self.hybrid(
      itemFactors: itemFactors, userFactors: userFactors, seen: seenItems, counts: counts)
    let batchItems = min(items, 400)
    batchHybrid = try Self.hybrid(
      itemFactors: Matrix(
        rows: batchItems, columns: factors,
        elements: Array(itemFactors.elements.prefix(batchItems * factors))),
      userFactors: userFactors,
      seen: seenItems.map { $0.filter { Int($0) < batchItems } },
      counts: Array(counts.prefix(batchItems)))
  }

  static func hybrid(
    itemFactors: Matrix<Float>, userFactors: Matrix<Float>, seen: [[Int32]], counts: [Int]
  ) throws -> HybridModel {
    let users = IDMap((0..<userFactors.rows).map { EntityID.int($0 + 1) })
    let items = IDMap((0..<itemFactors.rows).map { EntityID.int($0 + 1) })
    var offsets = [0]
    for row in seen { offsets.append(offsets[offsets.count - 1] + row.count) }
    let history = try UserHistory(
      offsets: offsets, itemIndices: seen.flatMap { $0 }, items: items.count)
    let collaborative = ImplicitALSModel(
      users: users, items: items, userFactors: userFactors, itemFactors: itemFactors,
      history: history)
    let popularity = PopularityModel(users: users, items: items, counts: counts, history: history)
    return try HybridModel(
      collaborative: collaborative, content: nil, popularity: popularity, weights: .measured)
  }

  /// Single requests for random users, then the batch.
  func measure(requests: Int, count: Int, batchItems: Int, seed: UInt64) throws -> Figures {
    var rng = SeededGenerator(seed: seed &+ 1)
    let ids = (0..<requests).map { _ in
      hybrid.users.id(at: Int.random(in: 0..<hybrid.users.count, using: &rng))
    }
    var sink = 0
    for id in ids.prefix(50) { sink &+= hybrid.recommend(user: id, count: count).items.count }
    var ms: [Double] = []
    ms.reserveCapacity(requests)
    let clock = ContinuousClock()
    for id in ids {
      let start = clock.now
      sink &+= hybrid.recommend(user: id, count: count).items.count
      ms.append((clock.now - start).inSeconds * 1000)
    }
    let sorted = ms.sorted()
    func percentile(_ p: Double) -> Double {
      let rank = p / 100 * Double(sorted.count - 1)
      let lo = Int(rank.rounded(.down))
      let hi = min(sorted.count - 1, lo + 1)
      return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - Double(lo))
    }
    let all = (0..<batchHybrid.users.count).map { batchHybrid.users.id(at: $0) }
    let start = clock.now
    let lists = batchHybrid.recommend(
      users: all, count: count, options: ServingOptions(threadCount: 1))
    let batch = (clock.now - start).inSeconds
    sink &+= lists.count
    precondition(sink > 0)
    let mean = ms.reduce(0, +) / Double(ms.count)
    return Figures(
      p50: percentile(50), p99: percentile(99), mean: mean, throughput: 1000 / mean,
      batchSeconds: batch)
  }
}
