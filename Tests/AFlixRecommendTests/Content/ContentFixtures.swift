import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation

/// Catalogs and ratings for the content-based tests: a 4-film catalog small enough to weigh by
/// hand, and a seeded random catalog and rating set for brute-force comparisons.
enum ContentFixtures {
  /// Four films: A and B share Comedy, the 1990s, director X and the keyword "cult"; A and C
  /// share Drama; C and D share Horror and the 1980s; "cult" is on A, B and C; "solo" on D only.
  static let fourFilms: Catalog = {
    let movies = [
      Movie(
        id: 1, title: "A", genres: [.named("Comedy"), .named("Drama")], year: 1995,
        director: "X", keywords: ["Cult"]),
      Movie(
        id: 2, title: "B", genres: [.named("Comedy")], year: 1997, director: "X",
        keywords: ["cult "]),
      Movie(
        id: 3, title: "C", genres: [.named("Drama"), .named("Horror")], year: 1982,
        keywords: ["cult"]),
      Movie(id: 4, title: "D", genres: [.named("Horror")], year: 1984, keywords: ["solo"]),
    ]
    return try! Catalog(movies: movies)
  }()

  /// A film id map of the four films plus film 5, which the catalog does not hold.
  static let fourFilmItems = IDMap([1, 2, 3, 4, 5])

  /// `films` random films (ids 0..<films) with genres, a year, cast, a director (most) and
  /// keywords drawn from small pools, so that traits repeat.
  static func randomCatalog(films: Int, seed: UInt64) -> Catalog {
    var rng = SeededGenerator(seed: seed)
    func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    let genres = ["Action", "Comedy", "Drama", "Horror", "Romance", "Western"]
    var movies: [Movie] = []
    for f in 0..<films {
      let g = (0..<(1 + pick(3))).map { _ in Genre.named(genres[pick(genres.count)]) }
      let cast = (0..<pick(4)).map { _ in "Actor \(pick(8))" }
      let director = pick(5) == 0 ? nil : "Director \(pick(4))"
      let keywords = (0..<pick(3)).map { _ in "word \(pick(6))" }
      movies.append(
        Movie(
          id: .int(f), title: "Film \(f)", genres: g, year: 1950 + pick(60), cast: cast,
          director: director, keywords: keywords))
    }
    return try! Catalog(movies: movies)
  }

  /// `users` users rating 4…11 (at most `items`) random items of `items` (ids 0..<items) with whole stars 1…5.
  static func randomRatings(users: Int, items: Int, seed: UInt64) throws -> RatingsDataset {
    var rng = SeededGenerator(seed: seed)
    var ratings: [Rating] = []
    for u in 0..<users {
      var chosen = Set<Int>()
      let n = min(items, 4 + Int(rng.next() % 8))
      while chosen.count < n { chosen.insert(Int(rng.next() % UInt64(items))) }
      for i in chosen.sorted() {
        ratings.append(Rating(user: .int(u), item: .int(i), value: Float(1 + rng.next() % 5)))
      }
    }
    return try RatingsDataset(ratings: ratings, scale: .oneToFive)
  }

  /// A fitted model over a random catalog of 30 films and ratings over 34 items (items 30…33
  /// are not in the catalog).
  static func randomModel(
    profile: ProfileWeighting = .meanCentred, options: ItemFeatures.Options = .init()
  ) throws -> (model: ContentModel, data: RatingsDataset, catalog: Catalog) {
    let catalog = randomCatalog(films: 30, seed: 11)
    let data = try randomRatings(users: 25, items: 34, seed: 12)
    let model = try ContentBased(catalog: catalog, features: options, profileWeighting: profile)
      .fit(data)
    return (model, data, catalog)
  }

  /// The features as a dense `items × traits` matrix in `Double`.
  static func dense(_ features: ItemFeatures) -> [[Double]] {
    (0..<features.items.count).map { i in
      var row = [Double](repeating: 0, count: features.traitCount)
      let (columns, values) = features.row(i)
      for (c, v) in zip(columns, values) { row[Int(c)] = Double(v) }
      return row
    }
  }

  /// The cosine of two dense vectors (0 when either is zero).
  static func cosine(_ a: [Double], _ b: [Double]) -> Double {
    let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return na == 0 || nb == 0 ? 0 : dot / (na * nb)
  }

  /// The brute-force profile of `ratings` (item index, value): mean-centred weights (1 each when
  /// all values are equal), the weighted sum of dense rows.
  static func bruteProfile(
    _ rows: [[Double]], items: [Int], values: [Float], weighting: ProfileWeighting
  ) -> [Double] {
    let mean = values.map(Double.init).reduce(0, +) / Double(max(1, values.count))
    let allEqual = Set(values).count <= 1
    var p = [Double](repeating: 0, count: rows.first?.count ?? 0)
    for (i, v) in zip(items, values) {
      let w: Double
      switch weighting {
      case .meanCentred: w = allEqual ? 1 : Double(v) - mean
      case .rating: w = Double(v)
      case .uniform: w = 1
      }
      for t in 0..<p.count { p[t] += w * rows[i][t] }
    }
    return p
  }
}
