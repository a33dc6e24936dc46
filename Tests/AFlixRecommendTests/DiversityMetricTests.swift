import AFlixData
import AFlixLinalg
import Testing

@testable import AFlixRecommend

@Suite("Intra-list diversity and item genre sets")
struct DiversityMetricTests {
  @Test func handMadeListsMatchTheDefinition() throws {
    // {A,B}, {A}, {C}: distances 1 − 1/2, 1 − 0, 1 − 0 → (0.5 + 1 + 1) / 3.
    let genres = try GenreFixture.genres(["AB", "A", "C"])
    #expect(abs(intraListDiversity(of: [0, 1, 2], genres: genres) - 2.5 / 3) < 1e-12)
    // {A,B} twice: one pair at distance 0.
    #expect(intraListDiversity(of: [0, 0], genres: genres) == 0)
    // {A,B}, {C}: disjoint → 1.
    #expect(intraListDiversity(of: [0, 2], genres: genres) == 1)
  }

  @Test func emptyGenreSetsAndShortLists() throws {
    // Film 0 has a catalog entry without genres, film 1 no entry; film 2 {A}.
    // d(∅, ∅) = 1 − J(∅, ∅) = 1 − 1 = 0; d(∅, {A}) = 1 − 0 = 1 → (0 + 1 + 1) / 3.
    let genres = try GenreFixture.genres(["", "", "A"], missing: [1])
    #expect(genres.jaccard(0, 1) == 1)
    #expect(genres.jaccard(0, 2) == 0)
    #expect(abs(intraListDiversity(of: [0, 1, 2], genres: genres) - 2.0 / 3) < 1e-12)
    #expect(intraListDiversity(of: [0, 1], genres: genres) == 0)
    // Fewer than two items: no pair, diversity 0.
    #expect(intraListDiversity(of: [2], genres: genres) == 0)
    #expect(intraListDiversity(of: [], genres: genres) == 0)
  }

  @Test func idsTheGenresDoNotKnowHaveTheEmptySet() throws {
    let genres = try GenreFixture.genres(["AB", "A", "C"])
    // 0 {A,B}, 1 {A}, 77 ∅, 78 ∅: d(0,1) = 0.5, d(0,77) = d(0,78) = d(1,77) = d(1,78) = 1,
    // d(77,78) = 0 → 4.5 / 6.
    let ids: [EntityID] = [0, 1, 77, 78]
    #expect(abs(intraListDiversity(ofIDs: ids, genres: genres) - 4.5 / 6) < 1e-12)
    #expect(
      intraListDiversity(ofIDs: [0, 1, 2], genres: genres)
        == intraListDiversity(
          of: [0, 1, 2], genres: genres))
    #expect(intraListDiversity(ofIDs: [77], genres: genres) == 0)
    #expect(genres.genres(ofID: 77).isEmpty)
  }

  /// Against `Set` arithmetic on catalogs of up to 150 genres (more than one 64-bit word).
  @Test(arguments: [5, 64, 65, 150])
  func randomListsMatchSetArithmeticAndTheEvaluation(genreCount: Int) throws {
    var rng = SeededGenerator(seed: UInt64(genreCount) + 3)
    var movies: [Movie] = []
    var sets: [Set<String>] = []
    var items = IDMap()
    for i in 0..<200 {
      _ = items.insert(.int(i))
      let names = Set(
        (0..<Int.random(in: 0...4, using: &rng)).map { _ in
          "g\(Int.random(in: 0..<genreCount, using: &rng))"
        })
      sets.append(names)
      movies.append(
        Movie(id: .int(i), title: "M\(i)", genres: names.sorted().map { Genre(id: nil, name: $0) }))
    }
    let catalog = try Catalog(movies: movies)
    let genres = ItemGenreSets(catalog: catalog, items: items)
    for i in 0..<200 {
      #expect(Set(genres.genres(ofItem: i).map(\.name)) == sets[i])
      #expect(genres.genreCount(ofItem: i) == sets[i].count)
    }
    for length in [2, 3, 10, 40] {
      let list = Array((0..<200).shuffled(using: &rng).prefix(length))
      var total = 0.0
      for a in 0..<length {
        for b in (a + 1)..<length {
          let union = sets[list[a]].union(sets[list[b]]).count
          let common = sets[list[a]].intersection(sets[list[b]]).count
          #expect(genres.commonGenreCount(list[a], list[b]) == common)
          total += union == 0 ? 0 : 1 - Double(common) / Double(union)
        }
      }
      let expected = total / Double(length * (length - 1) / 2)
      let measured = intraListDiversity(of: list, genres: genres)
      #expect(abs(measured - expected) < 1e-12)
    }
  }
}
