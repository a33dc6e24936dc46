import AFlixData
import Testing

@testable import AFlixRecommend

/// Diversity on the served path: a model's id-based recommend with a re-ranking.
@Suite("Diversity re-ranking on the served path")
struct RerankServingTests {
  /// Items i1…i8 rated by 8, 7, …, 1 users (user u rates i1…i(9−u)): popularity ranks them
  /// i1 > i2 > … > i8. Genres: i5 {C}, i7 {D}, every other {A, B}.
  static func fixture() throws -> (PopularityModel, ItemGenreSets) {
    var ratings: [Rating] = []
    for u in 1...8 {
      for k in 1...(9 - u) {
        ratings.append(Rating(user: .int(u), item: .string("i\(k)"), value: 4))
      }
    }
    let model = try PopularityAlgorithm().fit(
      try RatingsDataset(ratings: ratings, scale: .oneToFive))
    let genres: [Int: [String]] = [5: ["C"], 7: ["D"]]
    let catalog = try Catalog(
      movies: (1...8).map { k in
        Movie(
          id: .string("i\(k)"), title: "Film \(k)",
          genres: (genres[k] ?? ["A", "B"]).map { Genre(id: nil, name: $0) })
      })
    return (model, ItemGenreSets(catalog: catalog, items: model.items))
  }

  @Test func aNewUserGetsTheRuleAppliedToThePopularityList() throws {
    let (model, genres) = try Self.fixture()
    // Pool of 2N = 8: i1, i2, i3 free (union {A,B}); i4 {A,B} rejected; i5 {C} accepted → 4.
    let served = try model.recommend(user: 999, count: 4, diversity: .original, genres: genres)
    #expect(served.items.map(\.item) == ["i1", "i2", "i3", "i5"])
    #expect(served.source == model.recommend(user: 999, count: 4).source)
    // Off is the plain list.
    let plain = try model.recommend(user: 999, count: 4, diversity: .off, genres: genres)
    #expect(plain == model.recommend(user: 999, count: 4))
  }

  @Test func aKnownUserKeepsTheExclusionOfRatedItems() throws {
    let (model, genres) = try Self.fixture()
    // User 8 rated only i1: the pool is i2…i8; i2, i3, i4 free; i5 {C} accepted → 4.
    let served = try model.recommend(user: 8, count: 4, diversity: .original, genres: genres)
    #expect(served.items.map(\.item) == ["i2", "i3", "i4", "i5"])
    // Folded in from ratings, the same exclusion applies.
    let folded = try model.recommend(
      forRatings: [(item: "i1", value: 5)], count: 4, diversity: .original, genres: genres)
    #expect(folded.items.map(\.item).contains("i1") == false)
    #expect(folded.items.count == 4)
  }

  @Test func anInvalidLambdaIsRefusedOnTheServedPath() throws {
    let (model, genres) = try Self.fixture()
    #expect(throws: RecommendError.self) {
      try model.recommend(user: 8, count: 4, diversity: .mmr(lambda: 3), genres: genres)
    }
  }
}
