import AFlixLinalg
import AFlixSynth
import Foundation
import Testing

@Suite struct SamplingTests {
  /// Each observed count within [2/3, 4/3] of its expectation (swift-algorithms' band).
  static func expectBand(
    _ counts: [Int], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (count, e) in zip(counts, expected) where e >= 50 {
      #expect(
        Double(count) >= e * 2 / 3 && Double(count) <= e * 4 / 3,
        "count \(count) vs expected \(e)", sourceLocation: sourceLocation)
    }
  }

  @Test func boundedIntegersAreUniformAndInRange() {
    var rng = SeededGenerator(seed: 1)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 { counts[rng.nextIndex(below: 7)] += 1 }
    Self.expectBand(counts, [Double](repeating: 10_000, count: 7))
    // Chi-square with 6 degrees of freedom: 99.9% quantile is 22.5.
    let chi = counts.reduce(0.0) { $0 + pow(Double($1) - 10_000, 2) / 10_000 }
    #expect(chi < 22.5)
    var seen = Set<Int>()
    for _ in 0..<2_000 { seen.insert(rng.uniform(in: -3...3)) }
    #expect(seen == Set(-3...3))
    for _ in 0..<1_000 {
      let x = rng.uniform(in: 2.0...2.5)
      #expect(x >= 2.0 && x < 2.5)
    }
    #expect(rng.uniform(in: 4.0...4.0) == 4.0)
  }

  @Test func sameSeedSameDraws() {
    var a = SeededGenerator(seed: 99, stream: 3)
    var b = SeededGenerator(seed: 99, stream: 3)
    var c = SeededGenerator(seed: 99, stream: 4)
    let xs = (0..<100).map { _ in a.normal(mean: 1, sd: 2) }
    #expect(xs == (0..<100).map { _ in b.normal(mean: 1, sd: 2) })
    #expect(xs != (0..<100).map { _ in c.normal(mean: 1, sd: 2) })
  }

  @Test func normalMoments() {
    var rng = SeededGenerator(seed: 5)
    let xs = (0..<40_000).map { _ in rng.normal(mean: 3.5, sd: 0.8) }
    let m = Worlds.moments(xs)
    #expect(abs(m.mean - 3.5) < 3 * 0.8 / 200)
    #expect(abs(m.sd - 0.8) < 0.8 * 0.02)
  }

  @Test func zipfFollowsItsProbabilities() {
    let zipf = ZipfDistribution(count: 20, exponent: 1.1)
    let total = (1...20).reduce(0.0) { $0 + pow(Double($1), -1.1) }
    #expect(abs(zipf.probability(of: 1) - 1 / total) < 1e-12)
    #expect(abs(zipf.probability(of: 20) - pow(20, -1.1) / total) < 1e-12)
    #expect(zipf.probability(of: 0) == 0 && zipf.probability(of: 21) == 0)
    var rng = SeededGenerator(seed: 11)
    var counts = [Int](repeating: 0, count: 21)
    let n = 100_000
    for _ in 0..<n {
      let k = zipf.sample(using: &rng)
      #expect(k >= 1 && k <= 20)
      counts[k] += 1
    }
    Self.expectBand(Array(counts[1...]), (1...20).map { zipf.probability(of: $0) * Double(n) })
    // The head is tight: within 4 standard errors.
    let p1 = zipf.probability(of: 1)
    #expect(abs(Double(counts[1]) / Double(n) - p1) < 4 * (p1 * (1 - p1) / Double(n)).squareRoot())
  }

  @Test func aliasTableFollowsItsWeights() {
    let weights: [Double] = [35, 20, 25, 12, 8, 0]
    let table = AliasTable(weights: weights)
    #expect(table.positiveCount == 5)
    var rng = SeededGenerator(seed: 2)
    var counts = [Int](repeating: 0, count: 6)
    let n = 100_000
    for _ in 0..<n { counts[table.sample(using: &rng)] += 1 }
    #expect(counts[5] == 0)
    for k in 0..<5 {
      let p = weights[k] / 100
      #expect(
        abs(Double(counts[k]) / Double(n) - p) < 4 * (p * (1 - p) / Double(n)).squareRoot(),
        "outcome \(k): \(counts[k])")
    }
  }

  @Test func distinctUniformIndices() {
    var rng = SeededGenerator(seed: 3)
    var counts = [Int](repeating: 0, count: 50)
    var firstCounts = [Int](repeating: 0, count: 50)
    for _ in 0..<10_000 {
      let picks = rng.distinctIndices(10, below: 50)
      #expect(Set(picks).count == 10 && picks.allSatisfy { (0..<50).contains($0) })
      for p in picks { counts[p] += 1 }
      firstCounts[picks[0]] += 1
    }
    Self.expectBand(counts, [Double](repeating: 2_000, count: 50))
    Self.expectBand(firstCounts, [Double](repeating: 200, count: 50))
    // The sparse path (large n) and a full permutation.
    let sparse = rng.distinctIndices(100, below: 1_000_000)
    #expect(Set(sparse).count == 100 && sparse.allSatisfy { $0 < 1_000_000 })
    #expect(rng.distinctIndices(30, below: 30).sorted() == Array(0..<30))
  }

  @Test func weightedDistinctIsSuccessiveSampling() {
    // Weights 6, 3, 1: the second draw of a pair is 1 given a first 0 with probability 3/4.
    let table = AliasTable(weights: [6, 3, 1])
    var rng = SeededGenerator(seed: 4)
    var pairs: [[Int]: Int] = [:]
    let n = 40_000
    for _ in 0..<n {
      let picks = table.sampleDistinct(2, using: &rng)
      #expect(Set(picks).count == 2)
      pairs[picks, default: 0] += 1
    }
    // P(0 then 1) = 0.6 · 3/4; P(2 then 0) = 0.1 · 6/9.
    let p01 = 0.6 * 0.75
    let p20 = 0.1 * 6 / 9
    for (pair, p) in [([0, 1], p01), ([2, 0], p20)] {
      let observed = Double(pairs[pair] ?? 0) / Double(n)
      #expect(abs(observed - p) < 4 * (p * (1 - p) / Double(n)).squareRoot(), "\(pair)")
    }
    // All three from a table where one outcome holds nearly all weight: the fallback path.
    let skewed = AliasTable(weights: [1e9, 1, 1, 1])
    let all = skewed.sampleDistinct(4, using: &rng)
    #expect(all.sorted() == [0, 1, 2, 3] && all[0] == 0)
  }
}
