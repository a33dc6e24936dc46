import AFlixData
import Testing

@testable import AFlixRecommend

/// Hand-made films: item `i` has id `i` and the genres named by the letters of `sets[i]`.
enum GenreFixture {
  /// Genre sets for films `0..<sets.count` ("AB" is {A, B}; "" is no genre); films listed in
  /// `missing` are left out of the catalog (they have no entry at all).
  static func genres(_ sets: [String], missing: Set<Int> = []) throws -> ItemGenreSets {
    var movies: [Movie] = []
    var items = IDMap()
    for (i, letters) in sets.enumerated() {
      _ = items.insert(.int(i))
      if missing.contains(i) { continue }
      movies.append(
        Movie(
          id: .int(i), title: "Film \(i)",
          genres: letters.map { Genre(id: nil, name: String($0)) }))
    }
    return ItemGenreSets(catalog: try Catalog(movies: movies), items: items)
  }

  /// Candidates `0..<count` in that rank order, scores descending.
  static func ranked(_ count: Int) -> [RerankCandidate] {
    (0..<count).map { RerankCandidate(item: $0, score: Float(count - $0)) }
  }
}

@Suite("Diversity re-ranking: the original rule")
struct DiversityRerankingTests {
  @Test func theRuleAcceptsThreeFreelyThenOverlapsOfAtMostOne() throws {
    // N = 5, pool 2N = 10. Walk:
    // 0 {A,B} free (1 selected), union {A,B}
    // 1 {A,B} free (2), union {A,B}
    // 2 {C}   free (3), union {A,B,C}
    // 3 {A,C} overlap {A,C} = 2 → rejected
    // 4 {A,D} overlap {A} = 1 → accepted (4), union {A,B,C,D}
    // 5 {B,D,E} overlap {B,D} = 2 → rejected
    // 6 {E}   overlap 0 → accepted (5 = N): stop. 7…9 are never looked at.
    let genres = try GenreFixture.genres(["AB", "AB", "C", "AC", "AD", "BDE", "E", "F", "A", "B"])
    let served = try DiversityReranking.original.rerank(
      GenreFixture.ranked(10), count: 5, genres: genres)
    #expect(served.map(\.item) == [0, 1, 2, 4, 6])
    // Scores travel with their items.
    #expect(served.map(\.score) == [10, 9, 8, 6, 4])
  }

  @Test func whenTheRuleRejectsTooManyTheListIsBackfilledInRankOrder() throws {
    // N = 5, pool 10. 0 {A,B}, 1 {C,D}, 2 {A,C} free → union {A,B,C,D}; 3 {E}: overlap 0 →
    // accepted, union {A…E}; 4…9 {A,E}: overlap 2 → all rejected. The rule yields 4 of 5; the
    // fifth is the best-ranked rejected one, 4 — not candidate 10 {F} beyond the pool, which
    // the rule would have accepted had it walked further.
    let sets = ["AB", "CD", "AC", "E"] + Array(repeating: "AE", count: 6) + ["F"]
    let genres = try GenreFixture.genres(sets)
    let served = try DiversityReranking.original.rerank(
      GenreFixture.ranked(11), count: 5, genres: genres)
    #expect(served.map(\.item) == [0, 1, 2, 3, 4])
  }

  @Test func backfillComesAfterTheAcceptedFilmsInRankOrder() throws {
    // N = 5, pool 10: 0, 1, 2 {A,B} free (union {A,B}); 3 {A,B} rejected (overlap 2); 4 {C}
    // accepted (overlap 0); 5 {A,B} rejected; 6 {D} accepted → 5 picks, no backfill.
    // N = 6, pool 12 but only 10 candidates: the same 5 accepted, 7, 8, 9 {A,B} rejected → the
    // sixth is backfilled with the best-ranked rejected film, 3, after the accepted ones.
    let sets = ["AB", "AB", "AB", "AB", "C", "AB", "D", "AB", "AB", "AB"]
    let genres = try GenreFixture.genres(sets)
    let five = try DiversityReranking.original.rerank(
      GenreFixture.ranked(10), count: 5, genres: genres)
    #expect(five.map(\.item) == [0, 1, 2, 4, 6])
    let six = try DiversityReranking.original.rerank(
      GenreFixture.ranked(10), count: 6, genres: genres)
    #expect(six.map(\.item) == [0, 1, 2, 4, 6, 3])
  }

  @Test func fewerCandidatesThanNGivesThemAll() throws {
    let genres = try GenreFixture.genres(["AB", "AB", "AB", "AB", "AB"])
    for reranking in [DiversityReranking.off, .original, .mmr(lambda: 0.5)] {
      let served = try reranking.rerank(GenreFixture.ranked(3), count: 5, genres: genres)
      #expect(Set(served.map(\.item)) == [0, 1, 2], "\(reranking)")
      #expect(served.count == 3)
    }
    // Fewer than 2N but at least N: 4 candidates all {A,B}, N = 4 → three free picks, the
    // fourth rejected by the rule and backfilled: still 4.
    let served = try DiversityReranking.original.rerank(
      GenreFixture.ranked(4), count: 4, genres: genres)
    #expect(served.map(\.item) == [0, 1, 2, 3])
  }

  @Test func filmsWithoutGenresOverlapNothing() throws {
    // 0, 1, 2 {A,B} free (union {A,B}); 3 has a catalog entry with no genre, 4 no entry at all:
    // both overlap 0 and are accepted; 5 {A,B} would be rejected.
    let genres = try GenreFixture.genres(["AB", "AB", "AB", "", "", "AB"], missing: [4])
    #expect(genres.genreCount(ofItem: 3) == 0)
    #expect(genres.genreCount(ofItem: 4) == 0)
    let served = try DiversityReranking.original.rerank(
      GenreFixture.ranked(6), count: 5, genres: genres)
    #expect(served.map(\.item) == [0, 1, 2, 3, 4])
  }

  @Test func offServesTheFirstNAndCountBelowOneIsEmpty() throws {
    let genres = try GenreFixture.genres(["A", "A", "B", "C"])
    #expect(
      try DiversityReranking.off.rerank(GenreFixture.ranked(4), count: 2, genres: genres).map(
        \.item) == [0, 1])
    for reranking in [DiversityReranking.off, .original, .mmr(lambda: 0.3)] {
      #expect(try reranking.rerank(GenreFixture.ranked(4), count: 0, genres: genres).isEmpty)
      #expect(try reranking.rerank(GenreFixture.ranked(4), count: -3, genres: genres).isEmpty)
      #expect(try reranking.rerank([], count: 5, genres: genres).isEmpty)
    }
  }

  @Test func aCandidateListedTwiceCountsOnceAtItsBestRank() throws {
    let genres = try GenreFixture.genres(["A", "B", "C", "D"])
    let candidates = [0, 1, 0, 2, 1, 3].map { RerankCandidate(item: $0, score: 1) }
    for reranking in [DiversityReranking.off, .original, .mmr(lambda: 0.5)] {
      let served = try reranking.rerank(candidates, count: 4, genres: genres)
      #expect(served.count == 4)
      #expect(Set(served.map(\.item)).count == 4, "\(reranking)")
    }
  }

  @Test func theServedListByIDKeepsSourceAndGivesUnknownIDsNoGenres() throws {
    // Genres know films 0…5; ids 90 and 91 are unknown (empty sets: overlap 0, accepted).
    let genres = try GenreFixture.genres(["AB", "AB", "AB", "AB", "AB", "C"])
    let ids: [EntityID] = [0, 1, 2, 3, 90, 4, 91, 5]
    let list = Recommendations(
      items: ids.enumerated().map { Recommendation(item: $1, score: Float(10 - $0)) },
      source: .averageUser, ignoredItems: [7])
    let served = try DiversityReranking.original.rerank(list, count: 5, genres: genres)
    // 0, 1, 2 free; 3 {A,B} rejected; 90 accepted; 4 rejected; 91 accepted → 5 picks.
    #expect(served.items.map(\.item) == [0, 1, 2, 90, 91])
    #expect(served.source == .averageUser)
    #expect(served.ignoredItems == [7])
  }

  @Test func poolSizeIsTwoNExceptWhenOff() {
    #expect(DiversityReranking.original.candidatePoolSize(for: 10) == 20)
    #expect(DiversityReranking.mmr(lambda: 0.7).candidatePoolSize(for: 10) == 20)
    #expect(DiversityReranking.off.candidatePoolSize(for: 10) == 10)
    #expect(DiversityReranking.original.candidatePoolSize(for: 0) == 0)
    #expect(DiversityReranking.original.candidatePoolSize(for: Int.max) == Int.max)
  }

  @Test func parsingReadsTheCommandLineSpellingsAndRefusesOthers() throws {
    #expect(try DiversityReranking(parsing: "off") == .off)
    #expect(try DiversityReranking(parsing: "Original") == .original)
    #expect(try DiversityReranking(parsing: "mmr:0.7") == .mmr(lambda: 0.7))
    #expect(
      try DiversityReranking(parsing: DiversityReranking.mmr(lambda: 0.25).description)
        == .mmr(lambda: 0.25))
    for bad in ["", "mmr", "mmr:", "mmr:1.5", "mmr:-0.1", "mmr:nan", "diverse"] {
      let error = #expect(throws: RecommendError.self, "\(bad)") {
        try DiversityReranking(parsing: bad)
      }
      #expect(error?.kind == .invalidArgument)
    }
    let genres = try GenreFixture.genres(["A"])
    for lambda in [-1, 2, Double.nan] {
      #expect(throws: RecommendError.self) {
        try DiversityReranking.mmr(lambda: lambda).rerank(
          GenreFixture.ranked(1), count: 1, genres: genres)
      }
    }
  }
}
