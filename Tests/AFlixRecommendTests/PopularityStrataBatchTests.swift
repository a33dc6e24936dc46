import AFlixData
import AFlixRecommend
import Foundation
import Testing

@Suite("Batch scoring of the strata and the content scorer")
struct PopularityStrataBatchTests {
  @Test func contentBatchRowsAreTheSingleUserScores() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 50, items: 30)
    let catalog = try Catalog(
      movies: (0..<30).map { i in
        Movie(
          id: .int(i), title: "Film \(i)", genres: [Genre(id: nil, name: ["A", "B", "C"][i % 3])],
          year: 1970 + 3 * i, cast: ["Actor \(i % 7)", "Actor \(i % 4)"], director: "D\(i % 5)")
      })
    let model = try ContentBased(catalog: catalog).fit(train)
    let users = [0, 49, 7, 7, 22]
    let batch = model.scores(forUsers: users)
    // The batch scores the frequent traits (the genres, ten films each) by one matrix product
    // and scatters the rest: another summation order than the single-user path.
    for (r, u) in users.enumerated() {
      let single = model.scores(forUser: u)
      for i in 0..<30 {
        #expect(abs(batch[r * 30 + i] - single[i]) < 1e-5, "user \(u), item \(i)")
      }
    }
  }

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
    // The batch adds each item's genre shares by one matrix product (another summation order).
    for (r, u) in users.enumerated() {
      let single = model.scores(forUser: u)
      for i in 0..<45 { #expect(abs(batch[r * 45 + i] - single[i]) < 1e-5, "user \(u), item \(i)") }
    }
  }
}
