import AFlixData
import AFlixLinalg
import Foundation
internal import _AFlixKernels

/// The training ratings as parallel arrays (user, item, value), in user-major order.
struct RatingTriples {
  var users: [Int32]
  var items: [Int32]
  var values: [Float]

  var count: Int { values.count }

  init(_ data: RatingsDataset) {
    let m = data.userItemMatrix
    users = [Int32](repeating: 0, count: m.nonzeroCount)
    for u in 0..<m.rows {
      for p in m.rowOffsets[u]..<m.rowOffsets[u + 1] { users[p] = Int32(u) }
    }
    items = m.columnIndices
    values = m.values
  }
}

extension Array where Element == Int32 {
  /// Fisher–Yates shuffle driven by `generator` (the same on every platform, unlike
  /// `shuffle(using:)`, whose algorithm the standard library does not promise).
  mutating func seededShuffle(using generator: inout SeededGenerator) {
    guard count > 1 else { return }
    withUnsafeMutableBufferPointer { a in
      var i = a.count - 1
      while i > 0 {
        // Lemire's multiply-shift: unbiased enough for 2³² ≫ count, and branch-free.
        let j = Int(((generator.next() >> 32) &* UInt64(i + 1)) >> 32)
        a.swapAt(i, j)
        i -= 1
      }
    }
  }
}

/// Factors for SGD: rows padded to a multiple of 8 floats and stored as `SIMD8<Float>` blocks, so
/// the dot product and the updates are vector operations. The padding stays zero (its gradient
/// is zero), so it never changes a result.
struct SGDState {
  let users: Int
  let items: Int
  let factors: Int
  let blocks: Int
  let p: UnsafeMutablePointer<SIMD8<Float>>
  let q: UnsafeMutablePointer<SIMD8<Float>>
  var userBias: [Float]
  var itemBias: [Float]

  /// Draws users' factors then items' factors, row by row, from Normal(`mean`, `deviation`) with
  /// stream 0 of `seed`.
  init(users: Int, items: Int, factors: Int, mean: Float, deviation: Float, seed: UInt64) {
    self.users = users
    self.items = items
    self.factors = factors
    blocks = (factors + 7) / 8
    p = .allocate(capacity: max(1, users * blocks))
    q = .allocate(capacity: max(1, items * blocks))
    p.initialize(repeating: SIMD8(), count: max(1, users * blocks))
    q.initialize(repeating: SIMD8(), count: max(1, items * blocks))
    userBias = [Float](repeating: 0, count: users)
    itemBias = [Float](repeating: 0, count: items)
    var rng = SeededGenerator(seed: seed, stream: 0)
    var normals = GaussianPairs()
    for (base, rows) in [(p, users), (q, items)] {
      let raw = UnsafeMutableRawPointer(base).assumingMemoryBound(to: Float.self)
      for r in 0..<rows {
        for f in 0..<factors {
          raw[r * blocks * 8 + f] = mean + deviation * Float(normals.next(&rng))
        }
      }
    }
  }

  func deallocate() {
    p.deallocate()
    q.deallocate()
  }

  /// One stratified epoch (Gemulla et al., 2011): the ratings are split into `B × B` blocks by a
  /// balanced contiguous grouping of users and items; the epoch runs `B` sub-epochs, in a shuffled
  /// order, each processing the `B` blocks of one "diagonal" (`(g, (g + s) mod B)` for every `g`), which share
  /// no user and no item, concurrently. Each block visits its ratings in a fresh seeded shuffle.
  /// Block boundaries, orders and streams depend only on the seed and the data, so the result is
  /// the same for every thread count.
  mutating func epoch(
    _ t: RatingTriples, blocks: inout StratifiedBlocks, epoch: Int, seed: UInt64, mu: Float,
    learningRate lr: Float, regularization reg: Float, biased: Bool
  ) {
    let nb = self.blocks
    let pf = SharedPointer(base: UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self))
    let qf = SharedPointer(base: UnsafeMutableRawPointer(q).assumingMemoryBound(to: Float.self))
    let b = blocks.groups
    var orderRNG = SeededGenerator(seed: seed, stream: UInt64(epoch) << 32 | 0xFFFF_FFFF)
    var diagonals = [Int32](0..<Int32(b))
    diagonals.seededShuffle(using: &orderRNG)
    // Every pointer lives only inside the closure that lends it.
    blocks.lists.withUnsafeMutableBufferPointer { listBuffer in
      userBias.withUnsafeMutableBufferPointer { userBiasBuffer in
        itemBias.withUnsafeMutableBufferPointer { itemBiasBuffer in
          t.users.withUnsafeBufferPointer { us in
            t.items.withUnsafeBufferPointer { its in
              t.values.withUnsafeBufferPointer { vs in
                let lists = SharedPointer(base: listBuffer.baseAddress!)
                let bu = SharedPointer(base: userBiasBuffer.baseAddress!)
                let bi = SharedPointer(base: itemBiasBuffer.baseAddress!)
                for s in diagonals {
                  FactorParallel.forEachChunk(count: b, chunkCount: b) { range in
                    for g in range {
                      let block = g * b + (g + Int(s)) % b
                      var rng = SeededGenerator(
                        seed: seed, stream: UInt64(epoch) << 32 | UInt64(block))
                      lists.base[block].seededShuffle(using: &rng)
                      lists.base[block].withUnsafeBufferPointer { ord in
                        aflix_sgd_pass(
                          ord.baseAddress, ord.count, us.baseAddress, its.baseAddress,
                          vs.baseAddress, pf.base, qf.base, bu.base, bi.base, nb, mu, lr, reg,
                          biased ? 1 : 0)
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The user (`users: true`) or item factors as an unpadded matrix.
  func matrix(users isUsers: Bool) -> Matrix<Float> {
    let rows = isUsers ? users : items
    let raw = UnsafeMutableRawPointer(isUsers ? p : q).assumingMemoryBound(to: Float.self)
    var m = Matrix<Float>(rows: rows, columns: factors)
    for r in 0..<rows {
      for f in 0..<factors { m.elements[r * factors + f] = raw[r * blocks * 8 + f] }
    }
    return m
  }
}

/// The rating blocks of stratified SGD: users and items each fall into `groups` contiguous index
/// ranges holding about equal numbers of ratings (contiguous, so threads working on different
/// groups never write to the same cache line); block `gᵤ · groups + gᵢ` lists the ratings
/// (positions in ``RatingTriples``) of users in group `gᵤ` for items in group `gᵢ`.
struct StratifiedBlocks {
  let groups: Int
  var lists: [[Int32]]

  init(_ t: RatingTriples, users: Int, items: Int, groups requested: Int) {
    let b = max(1, min(requested, users, items))
    groups = b
    func assign(_ ids: [Int32], count: Int) -> [Int] {
      var degree = [Int](repeating: 0, count: count)
      for x in ids { degree[Int(x)] += 1 }
      var group = [Int](repeating: 0, count: count)
      var running = 0
      for x in 0..<count {
        group[x] = min(b - 1, running * b / max(1, ids.count))
        running += degree[x]
      }
      return group
    }
    let userGroup = assign(t.users, count: users)
    let itemGroup = assign(t.items, count: items)
    lists = [[Int32]](repeating: [], count: b * b)
    for r in 0..<t.count {
      lists[userGroup[Int(t.users[r])] * b + itemGroup[Int(t.items[r])]].append(Int32(r))
    }
  }
}

/// Standard normal deviates by Marsaglia's polar method, both deviates of each pair used: no
/// trigonometry and one logarithm per two deviates (initialising 10⁵–10⁶ factor entries is
/// otherwise a visible share of a fit).
struct GaussianPairs {
  private var spare: Double?

  mutating func next(_ rng: inout SeededGenerator) -> Double {
    if let s = spare {
      spare = nil
      return s
    }
    while true {
      let x = 2 * rng.nextUnitDouble() - 1
      let y = 2 * rng.nextUnitDouble() - 1
      let r = x * x + y * y
      guard r > 0, r < 1 else { continue }
      let f = (-2 * Foundation.log(r) / r).squareRoot()
      spare = y * f
      return x * f
    }
  }
}
