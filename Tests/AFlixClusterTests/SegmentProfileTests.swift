import AFlixCluster
import AFlixData
import Testing

@Suite("Segment profiles")
struct SegmentProfileTests {
  /// Users 1–4 love the horror films (10, 11), users 5–8 the comedies (20, 21); everyone rates
  /// the drama (30) 5.
  static func data() throws -> (RatingsDataset, Catalog) {
    var ratings: [Rating] = []
    for u in 1...8 {
      let horror = u <= 4
      ratings.append(Rating(user: .int(u), item: 10, value: horror ? 5 : 2))
      ratings.append(Rating(user: .int(u), item: 11, value: horror ? 4 : 1))
      ratings.append(Rating(user: .int(u), item: 20, value: horror ? 2 : 5))
      ratings.append(Rating(user: .int(u), item: 21, value: horror ? 3 : 4))
      ratings.append(Rating(user: .int(u), item: 30, value: 5))
    }
    let catalog = try Catalog(movies: [
      Movie(id: 10, title: "Fright", genres: [Genre.named("Horror"), Genre.named("Thriller")]),
      Movie(id: 11, title: "Dread", genres: [Genre.named("Horror")]),
      Movie(id: 20, title: "Giggles", genres: [Genre.named("Comedy"), Genre.named("Romance")]),
      Movie(id: 21, title: "Chuckles", genres: [Genre.named("Comedy")]),
      Movie(id: 30, title: "Tears", genres: [Genre.named("Drama")]),
    ])
    return (try RatingsDataset(ratings: ratings, scale: .oneToFive), catalog)
  }

  @Test func liftsSharesAndLabels() throws {
    let (ratings, catalog) = try Self.data()
    let labels = [0, 0, 0, 0, 1, 1, 1, 1]
    let options = SegmentProfile.Options(minimumSupport: 2)
    let profiles = try SegmentProfile.profiles(
      labels: labels, ratings: ratings, catalog: catalog, options: options)
    #expect(profiles.count == 2)
    let horror = profiles[0]
    #expect(horror.size == 4 && horror.share == 0.5)
    #expect(horror.ratingCount == 20 && horror.activity == 5)
    #expect(horror.meanRating == Double(5 + 4 + 2 + 3 + 5) / 5)
    // High ratings (≥ 4): segment 0 gives 12 (films 10, 11, 30), all users 24.
    #expect(horror.highRatingCount == 12)
    // Film 10: 4/12 of the segment's high ratings, 4/24 of everyone's → lift 2.
    #expect(horror.films.map(\.title) == ["Fright", "Dread", "Tears"])
    #expect(horror.films[0].lift == 2)
    #expect(horror.films[2].lift == 1)
    #expect(horror.label == "Horror · Thriller")
    #expect(horror.genres[0].name == "Horror" && horror.genres[0].lift == 2)
    #expect(abs(horror.genres[0].share - 8.0 / 12) < 1e-15)
    #expect(profiles[1].label == "Comedy · Romance")
    #expect(profiles[1].films.first?.title == "Giggles")
  }

  @Test func withoutCatalogAndWithDuplicateLabels() throws {
    let (ratings, catalog) = try Self.data()
    let plain = try SegmentProfile.profiles(labels: [0, 0, 0, 0, 1, 1, 1, 1], ratings: ratings)
    #expect(plain.map(\.label) == ["Segment 0", "Segment 1"])
    #expect(plain[0].genres.isEmpty && plain[0].films.allSatisfy { $0.title == nil })
    // Two horror segments: the second label is marked; an empty third segment has no films.
    let split = try SegmentProfile.profiles(
      labels: [0, 0, 1, 1, 2, 2, 2, 2], clusterCount: 4, ratings: ratings, catalog: catalog,
      options: .init(minimumSupport: 1))
    #expect(split[0].label == "Horror · Thriller")
    #expect(split[1].label == "Horror · Thriller (2)")
    #expect(split[3].size == 0 && split[3].films.isEmpty && split[3].meanRating == nil)
    // High support hides everything: no over-represented genre → "Mixed".
    let strict = try SegmentProfile.profiles(
      labels: [0, 0, 0, 0, 1, 1, 1, 1], ratings: ratings, catalog: catalog,
      options: .init(minimumSupport: 100))
    #expect(strict[0].label == "Mixed" && strict[0].films.isEmpty)
  }

  @Test func labelsMustCoverEveryUser() throws {
    let (ratings, _) = try Self.data()
    #expect(throws: ClusterError.self) {
      try SegmentProfile.profiles(labels: [0, 1], ratings: ratings)
    }
    #expect(throws: ClusterError.self) {
      try SegmentProfile.profiles(labels: [0, 0, 0, 0, 1, 1, 1, -1], ratings: ratings)
    }
  }
}
