import AFlixData
import AFlixLinalg
import Testing

@testable import AFlixRecommend

@Suite("Diversity re-ranking: MMR")
struct RerankMMRTests {
  /// Random films over `genreCount` genres (0–3 each) and candidates with descending scores.
  static func randomCase(seed: UInt64, items: Int, genreCount: Int) throws -> (
    ItemGenreSets, [RerankCandidate]
  ) {
    var rng = SeededGenerator(seed: seed)
    let letters = (0..<genreCount).map { "g\($0)" }
    var movies: [Movie] = []
    var map = IDMap()
    for i in 0..<items {
      _ = map.insert(.int(i))
      let size = Int.random(in: 0...3, using: &rng)
      let names = Set((0..<size).map { _ in letters[Int.random(in: 0..<genreCount, using: &rng)] })
      movies.append(
        Movie(id: .int(i), title: "M\(i)", genres: names.sorted().map { Genre(id: nil, name: $0) }))
    }
    let genres = ItemGenreSets(catalog: try Catalog(movies: movies), items: map)
    let order = (0..<items).shuffled(using: &rng)
    var score: Float = 100
    let candidates = order.map { item -> RerankCandidate in
      score -= Float.random(in: 0...1, using: &rng)
      return RerankCandidate(item: item, score: score)
    }
    return (genres, candidates)
  }

  @Test(arguments: [1, 3, 10, 25])
  func lambdaOneServesTheGivenOrder(count: Int) throws {
    let (genres, candidates) = try Self.randomCase(seed: 7, items: 60, genreCount: 8)
    let served = try DiversityReranking.mmr(lambda: 1).rerank(
      candidates, count: count, genres: genres)
    #expect(served == Array(candidates.prefix(count)))
  }

  @Test func lambdaZeroPicksByNovelty() throws {
    // λ = 0: the first pick is a tie at 0 → rank 0 {A,B}. Max similarity to {A,B}:
    // 1 {A,B} → 1, 2 {A,C} → 1/3, 3 {D} → 0: pick 3. Against {D} every other is 0, so the
    // maxima stay 1 and 1/3: pick 2. Then 1.
    let genres = try GenreFixture.genres(["AB", "AB", "AC", "D"])
    let served = try DiversityReranking.mmr(lambda: 0).rerank(
      GenreFixture.ranked(4), count: 4, genres: genres)
    #expect(served.map(\.item) == [0, 3, 2, 1])
  }

  @Test func lambdaTradesRelevanceForNovelty() throws {
    // Scores 10, 9, 0 → relevance 1, 0.9, 0 (min-max). Genres {A}, {A}, {B}. First pick 0.
    // λ = 0.5: film 1 → 0.5·0.9 − 0.5·1 = −0.05; film 2 → 0.5·0 − 0.5·0 = 0 → film 2.
    // λ = 0.7: film 1 → 0.63 − 0.3 = 0.33; film 2 → 0 → film 1.
    let genres = try GenreFixture.genres(["A", "A", "B"])
    let candidates = zip([0, 1, 2], [Float(10), 9, 0]).map { RerankCandidate(item: $0, score: $1) }
    #expect(
      try DiversityReranking.mmr(lambda: 0.5).rerank(candidates, count: 2, genres: genres).map(
        \.item) == [0, 2])
    #expect(
      try DiversityReranking.mmr(lambda: 0.7).rerank(candidates, count: 2, genres: genres).map(
        \.item) == [0, 1])
  }

  @Test func tiesGoToTheBetterRank() throws {
    // Equal scores and equal genre sets: every step is a tie, so the given order stands.
    let genres = try GenreFixture.genres(["A", "A", "A", "A"])
    let candidates = [2, 0, 3, 1].map { RerankCandidate(item: $0, score: 5) }
    for lambda in [0, 0.3, 0.8] {
      let served = try DiversityReranking.mmr(lambda: lambda).rerank(
        candidates, count: 4, genres: genres)
      #expect(served.map(\.item) == [2, 0, 3, 1])
    }
  }

  /// The incremental maxima of the implementation against MMR recomputed from scratch at every
  /// step, with the default Jaccard similarity computed from `Set`s.
  @Test(arguments: [0.0, 0.2, 0.5, 0.9])
  func matchesMMRRecomputedFromScratch(lambda: Double) throws {
    let (genres, candidates) = try Self.randomCase(seed: 11, items: 80, genreCount: 70)
    let count = 12
    let pool = Array(candidates.prefix(2 * count))
    let sets = pool.map { Set(genres.genres(ofItem: $0.item).map(\.name)) }
    let scores = pool.map { Double($0.score) }
    let low = scores.min()!
    let high = scores.max()!
    func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
      let union = a.union(b).count
      return union == 0 ? 1 : Double(a.intersection(b).count) / Double(union)
    }
    var picked: [Int] = []
    while picked.count < count {
      var best = -1
      var bestValue = -Double.infinity
      for slot in pool.indices where !picked.contains(slot) {
        let relevance = (scores[slot] - low) / (high - low)
        let penalty = picked.map { jaccard(sets[$0], sets[slot]) }.max() ?? 0
        let value = lambda * relevance - (1 - lambda) * penalty
        if value > bestValue + 1e-12 {
          best = slot
          bestValue = value
        }
      }
      picked.append(best)
    }
    let served = try DiversityReranking.mmr(lambda: lambda).rerank(
      candidates, count: count, genres: genres)
    #expect(served.map(\.item) == picked.map { pool[$0].item })
  }

  @Test func aCallerSimilarityReplacesGenres() throws {
    // Genres say all alike; the closure says items of equal parity are alike (1), others 0.
    // λ = 0.5, scores 4, 3, 2, 1 → relevance 1, 2/3, 1/3, 0. Pick 0. Then 1 (odd):
    // 0.5·2/3 = 0.33 vs 2 (even): 0.5·1/3 − 0.5 = −0.33 vs 3 (odd): 0 → 1. Then 2: −0.33, 3: −0.5
    // → 2, then 3.
    let genres = try GenreFixture.genres(["A", "A", "A", "A"])
    var calls = 0
    let served = try DiversityReranking.mmr(lambda: 0.5).rerank(
      GenreFixture.ranked(4), count: 4, genres: genres
    ) { a, b in
      calls += 1
      return a % 2 == b % 2 ? 1 : 0
    }
    #expect(served.map(\.item) == [0, 1, 2, 3])
    // O(N · 2N) at most: here 3 + 2 + 1 updates.
    #expect(calls == 6)
    // With genres (all alike) and λ = 0.5 the same list, since every penalty is 1 after the first.
    let byGenres = try DiversityReranking.mmr(lambda: 0.5).rerank(
      GenreFixture.ranked(4), count: 4, genres: genres)
    #expect(byGenres.map(\.item) == [0, 1, 2, 3])
  }

  @Test func nonFiniteScoresHaveDefinedRelevance() {
    let r = DiversityReranking.normalised([.nan, 3, .infinity, 1, -.infinity, 2])
    #expect(r == [0, 1, 1, 0, 0, 0.5])
    #expect(DiversityReranking.normalised([4, 4]) == [1, 1])
  }
}
