import AFlix
import Foundation
import _AFlixSupport

/// The synthetic serving setup of `aflix bench topn`: what `topk_numpy.py` builds for its peer
/// (standard normal factors, random training films per user), wrapped in the full hybrid — the
/// factors as the collaborative model, a generated catalog's content features, the popularity
/// strata — with explanations on.
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

  init(items: Int, users: Int, factors: Int, seen: Int, batchItems: Int, seed: UInt64) throws {
    var rng = SeededGenerator(seed: seed)
    let itemFactors = (0..<(items * factors)).map { _ in Float(rng.nextGaussian()) }
    let userFactors = (0..<(users * factors)).map { _ in Float(rng.nextGaussian()) }
    let catalog = try SyntheticWorld.generate(
      WorldConfiguration(users: 1, catalog: .generated(CatalogConfiguration(count: items))),
      seed: seed
    ).catalog
    var ratings: [Rating] = []
    var batchRatings: [Rating] = []
    for u in 0..<users {
      var chosen = Set<Int>()
      while chosen.count < seen { chosen.insert(Int.random(in: 0..<items, using: &rng)) }
      for i in chosen.sorted() {
        let stars = Float(Int.random(in: 1...5, using: &rng))
        ratings.append(Rating(user: .int(u + 1), item: .int(i + 1), value: stars))
      }
      var few = Set<Int>()
      while few.count < min(seen, batchItems / 2) {
        few.insert(Int.random(in: 0..<batchItems, using: &rng))
      }
      for i in few.sorted() {
        let stars = Float(Int.random(in: 1...5, using: &rng))
        batchRatings.append(Rating(user: .int(u + 1), item: .int(i + 1), value: stars))
      }
    }
    hybrid = try Self.hybrid(
      data: try RatingsDataset(ratings: ratings, scale: .oneToFive), catalog: catalog,
      itemFactors: itemFactors, userFactors: userFactors, factors: factors)
    batchHybrid = try Self.hybrid(
      data: try RatingsDataset(ratings: batchRatings, scale: .oneToFive), catalog: catalog,
      itemFactors: itemFactors, userFactors: userFactors, factors: factors)
  }

  /// The hybrid over `data`: factor rows picked by id (`.int(k)` is row `k − 1`).
  static func hybrid(
    data: RatingsDataset, catalog: Catalog, itemFactors: [Float], userFactors: [Float],
    factors: Int
  ) throws -> HybridModel {
    func rows(_ map: IDMap, _ all: [Float]) -> Matrix<Float> {
      var out: [Float] = []
      out.reserveCapacity(map.count * factors)
      for k in 0..<map.count {
        let row = (map.id(at: k).intValue ?? 1) - 1
        out += all[(row * factors)..<((row + 1) * factors)]
      }
      return Matrix(rows: map.count, columns: factors, elements: out)
    }
    let collaborative = ImplicitALSModel(
      users: data.users, items: data.items, userFactors: rows(data.users, userFactors),
      itemFactors: rows(data.items, itemFactors), history: UserHistory(data))
    return try HybridModel(
      collaborative: collaborative, content: try ContentBased(catalog: catalog).fit(data),
      popularity: try PopularityStrataAlgorithm(catalog: catalog).fit(data), weights: .measured,
      catalog: catalog)
  }

  /// Seconds of each part of the batch path, block by block as `recommend(users:)` runs it:
  /// collaborative, content and popularity scores, the mixed scores, and the whole batch.
  func batchBreakdown(count: Int) -> [(String, Double)] {
    let model = batchHybrid
    let users = Array(0..<model.users.count)
    let blocks = stride(from: 0, to: users.count, by: 256).map {
      Array(users[$0..<min(users.count, $0 + 256)])
    }
    let clock = ContinuousClock()
    func time(_ body: () -> Int) -> Double {
      let start = clock.now
      precondition(body() >= 0)
      return (clock.now - start).inSeconds
    }
    let ids = users.map { model.users.id(at: $0) }
    return [
      (
        "collaborative",
        time { blocks.reduce(0) { $0 + model.collaborative.scores(forUsers: $1).count } }
      ),
      (
        "content",
        time { blocks.reduce(0) { $0 + (model.content?.scores(forUsers: $1).count ?? 0) } }
      ),
      (
        "popularity", time { blocks.reduce(0) { $0 + model.popularity.scores(forUsers: $1).count } }
      ),
      ("mixed", time { blocks.reduce(0) { $0 + model.scores(forUsers: $1).count } }),
      (
        "recommend",
        time {
          model.recommend(users: ids, count: count, options: ServingOptions(threadCount: 1)).count
        }
      ),
    ]
  }

  /// Single requests (explanations on) for random users, then the batch.
  func measure(requests: Int, count: Int, seed: UInt64) throws -> Figures {
    var rng = SeededGenerator(seed: seed &+ 1)
    let ids = (0..<requests).map { _ in
      hybrid.users.id(at: Int.random(in: 0..<hybrid.users.count, using: &rng))
    }
    let request = HybridRequest(count: count, explain: true)
    var sink = 0
    for id in ids.prefix(50) { sink &+= try hybrid.recommend(user: id, request).items.count }
    var ms: [Double] = []
    ms.reserveCapacity(requests)
    let clock = ContinuousClock()
    for id in ids {
      let start = clock.now
      sink &+= try hybrid.recommend(user: id, request).items.count
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
