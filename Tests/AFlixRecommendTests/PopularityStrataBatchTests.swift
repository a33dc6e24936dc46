import AFlixData
import AFlixRecommend
import Foundation
import Testing

@Suite("Popularity strata: batch scoring")
struct PopularityStrataBatchTests {
  @Test func batchRowsAreTheSingleUserScores() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 70, items: 45)
    let genres = ["Comedy", "Drama", "Horror", "Action"]
    let catalog = try Catalog(
      movies: (0..<45).map { i in
        Movie(
          id: .int(i), title: "Film \(i)",
          genres: [Genre(id: nil, name: genres[i % 4]), Genre(id: nil, name: genres[(i / 4) % 4])],
          year: 1980 + i)
      })
    let model = try PopularityStrataAlgorithm(catalog: catalog).fit(train)
    let users = [3, 0, 69, 3, 41]
    let batch = model.scores(forUsers: users)
    #expect(batch.count == users.count * model.items.count)
    for (r, u) in users.enumerated() {
      let single = model.scores(forUser: u)
      #expect(Array(batch[(r * 45)..<((r + 1) * 45)]) == single, "user \(u)")
    }
  }
}
