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

  /// Users whose profile is empty (their only film has no features) get the average scores in the
  /// batch too, and a catalog with no frequent trait (a director per two films) scores the
  /// batch by scattering alone.
  @Test func contentBatchCoversEmptyProfilesAndRareTraitsOnly() throws {
    // User 0 rates only film 99, which the catalog lacks.
    var ratings = [Rating(user: .int(0), item: .int(99), value: 4)]
    for u in 1..<40 {
      for k in 0..<6 {
        let item = EntityID.int((u * 7 + k * 5) % 30)
        ratings.append(Rating(user: .int(u), item: item, value: Float(1 + (u + k) % 5)))
      }
    }
    let data = try RatingsDataset(ratings: ratings, scale: RatingScale(minimum: 1, maximum: 5))
    for frequent in [true, false] {
      let catalog = try Catalog(
        movies: (0..<30).map { i in
          Movie(
            id: .int(i), title: "Film \(i)",
            genres: frequent ? [Genre(id: nil, name: ["A", "B"][i % 2])] : [],
            year: frequent ? 1990 + i % 3 : nil, director: "D\(i / 2)")
        })
      let model = try ContentBased(catalog: catalog).fit(data)
      let users = Array(0..<data.userCount)
      let n = model.items.count
      let batch = model.scores(forUsers: users)
      for u in users {
        let single = model.scores(forUser: u)
        for i in 0..<n {
          #expect(abs(batch[u * n + i] - single[i]) < 1e-5, "frequent \(frequent), user \(u)")
        }
      }
      let empty = try #require(model.users.index(of: EntityID.int(0)))
      #expect(
        Array(batch[(empty * n)..<((empty + 1) * n)]) == model.scoresForUnknownUser().values)
    }
  }
}
