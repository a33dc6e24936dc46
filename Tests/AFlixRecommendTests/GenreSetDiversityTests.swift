import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixRecommend

/// Intra-list diversity grouped by distinct genre sets (O(k + m²)) equals the pairwise
/// definition (O(k²)), including catalogs with more than 64 genres and films without genres.
@Suite("Genre-set diversity")
struct GenreSetDiversityTests {
  @Test(arguments: [5, 70, 150])
  func groupedDiversityEqualsThePairwiseDefinition(genreCount: Int) throws {
    var rng = SeededGenerator(seed: UInt64(genreCount))
    let itemCount = 300
    var movies: [Movie] = []
    var sets: [Set<String>] = []
    for i in 0..<itemCount {
      let size = Int.random(in: 0...3, using: &rng)
      let names = Set((0..<size).map { _ in "g\(Int.random(in: 0..<genreCount, using: &rng))" })
      sets.append(names)
      movies.append(
        Movie(id: .int(i), title: "M\(i)", genres: names.sorted().map { Genre(id: nil, name: $0) }))
    }
    var items = IDMap()
    for i in 0..<itemCount { _ = items.insert(.int(i)) }
    let genres = ItemGenreSets(catalog: try Catalog(movies: movies), items: items)
    for length in [2, 3, 17, 120, 300] {
      let list = Array((0..<itemCount).shuffled(using: &rng).prefix(length))
      var total = 0.0
      for a in 0..<list.count {
        for b in (a + 1)..<list.count {
          let x = sets[list[a]]
          let y = sets[list[b]]
          let union = x.union(y).count
          total += union == 0 ? 0 : 1 - Double(x.intersection(y).count) / Double(union)
        }
      }
      let expected = total / Double(length * (length - 1) / 2)
      #expect(abs(intraListDiversity(of: list, genres: genres) - expected) < 1e-12)
    }
  }

  /// The O(k²) cost: a 20,000-item list over three distinct genre sets takes three
  /// distances, not 2·10⁸.
  @Test func theCostFollowsDistinctGenreSetsNotTheListLength() throws {
    let genres = [["Drama"], ["Comedy"], ["Drama", "Comedy"]]
    let movies = (0..<20_000).map { i in
      Movie(id: .int(i), title: "M\(i)", genres: genres[i % 3].map { Genre(id: nil, name: $0) })
    }
    var items = IDMap()
    for i in 0..<20_000 { _ = items.insert(.int(i)) }
    let sets = ItemGenreSets(catalog: try Catalog(movies: movies), items: items)
    let (mean, computed) = sets.groupedDistances(Array(0..<20_000))
    #expect(computed == 3)
    // Pairs: 3 groups of ≈6,667; distances 1 (Drama–Comedy) and 1/2 (each with both).
    let third = 20_000.0 / 3
    #expect(abs(mean - (third * third * 2) / (20_000.0 * 19_999 / 2)) < 1e-3)
  }
}
