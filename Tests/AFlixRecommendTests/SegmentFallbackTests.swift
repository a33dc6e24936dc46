import AFlixData
import AFlixLinalg
import AFlixRecommend
import Testing

@Suite("Segment fallback")
struct SegmentFallbackTests {
  static let comedy = Genre.named("Comedy")
  static let horror = Genre.named("Horror")

  /// Six films, three comedies then three horror films; six users, the first three rating the
  /// comedies with factors near (1, 0), the last three the horror films near (0, 1).
  static func tiny() throws -> (ImplicitALSModel, Catalog) {
    let movies = (0..<6).map {
      Movie(id: .int($0), title: "Film \($0)", genres: [$0 < 3 ? comedy : horror])
    }
    let catalog = try Catalog(movies: movies)
    let userFactors = Matrix<Float>(
      rows: 6, columns: 2, elements: [1, 0.1, 0.9, 0, 1.1, 0.05, 0, 1, 0.1, 0.9, 0.05, 1.1])
    let itemFactors = Matrix<Float>(
      rows: 6, columns: 2, elements: [1, 0, 0.8, 0.1, 0.6, 0, 0, 1, 0.1, 0.7, 0, 0.5])
    let history = try UserHistory(
      offsets: [0, 2, 4, 6, 8, 10, 12], itemIndices: [0, 1, 1, 2, 0, 2, 3, 4, 4, 5, 3, 5],
      items: 6)
    let model = ImplicitALSModel(
      users: IDMap((0..<6).map { .int($0) }), items: IDMap((0..<6).map { .int($0) }),
      userFactors: userFactors, itemFactors: itemFactors, history: history)
    return (model, catalog)
  }

  @Test(arguments: UserSegments.Matching.allCases)
  func statedGenresChooseTheSegmentThatRatesThem(matching: UserSegments.Matching) throws {
    let (model, catalog) = try Self.tiny()
    let segments = try UserSegments(
      model: model, catalog: catalog, segmentCount: 2, seed: 1, matching: matching)
    let comedyFans = try #require(segments.segment(ofUser: 0))
    let horrorFans = try #require(segments.segment(ofUser: 3))
    #expect(comedyFans != horrorFans)
    #expect((0..<3).allSatisfy { segments.segment(ofUser: $0) == comedyFans })
    #expect(segments.segment(forGenres: [Self.comedy]) == comedyFans)
    #expect(segments.segment(forGenres: [Self.horror]) == horrorFans)
    // The comedy segment's profile: all its rated films are comedies.
    let profile = segments.segments[comedyFans]
    #expect(profile.userCount == 3)
    #expect(profile.genres.map(\.genre) == [Self.comedy] && profile.genres[0].share == 1)
    #expect(profile.genres[0].lift == 2 && profile.label == "Comedy")
    // Its scores: the mean factor of users 0…2, (1, 0.05), times each item's factors.
    let mean: [Float] = [(1 + 0.9 + 1.1) / 3, (0.1 + 0 + 0.05) / 3]
    #expect(zip(profile.meanFactor, mean).allSatisfy { abs($0 - $1) < 1e-6 })
    let scores = segments.scores(forGenres: [Self.comedy])
    #expect(scores.source == .model)
    for i in 0..<6 {
      let want =
        mean[0] * model.itemFactors.elements[i * 2] + mean[1]
        * model.itemFactors.elements[i * 2 + 1]
      #expect(abs(scores.values[i] - want) < 1e-5)
    }
    let top = segments.recommend(forGenres: [Self.comedy], count: 2)
    #expect(top.items.map(\.item) == [.int(0), .int(1)])
  }

  @Test func unknownOrNoGenresGetEveryUsersMeanScores() throws {
    let (model, catalog) = try Self.tiny()
    let segments = try UserSegments(model: model, catalog: catalog, segmentCount: 2, seed: 1)
    let average = model.scoresForUnknownUser().values
    for stated in [[], [Genre.named("Western")], [Genre(id: nil, name: "")]] as [[Genre]] {
      #expect(segments.segment(forGenres: stated) == nil)
      let s = segments.scores(forGenres: stated)
      #expect(s.source == .averageUser)
      #expect(zip(s.values, average).allSatisfy { abs($0 - $1) < 1e-5 })
      #expect(segments.recommend(forGenres: stated, count: 10).items.count == 6)
    }
    // An unknown genre next to a known one is ignored.
    #expect(
      segments.segment(forGenres: [Genre.named("Western"), Self.horror])
        == segments.segment(forGenres: [Self.horror]))
    #expect(segments.recommend(forGenres: [Self.comedy], count: -3).items.isEmpty)
    #expect(segments.segment(ofUser: -1) == nil && segments.segment(ofUser: 6) == nil)
  }

  @Test func badSegmentCountsAndModelsWithoutHistoryAreTypedErrors() throws {
    let (model, catalog) = try Self.tiny()
    for bad in [0, -2, 7] {
      do {
        _ = try UserSegments(model: model, catalog: catalog, segmentCount: bad)
        Issue.record("\(bad) segments were built")
      } catch let error as RecommendError {
        #expect(error.kind == .invalidArgument)
      }
    }
    let bare = ImplicitALSModel(
      users: model.users, items: model.items, userFactors: model.userFactors,
      itemFactors: model.itemFactors)
    #expect(throws: RecommendError.self) {
      try UserSegments(model: bare, catalog: catalog, segmentCount: 2)
    }
  }

  @Test func theSameSeedGivesTheSameSegments() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 120, items: 40)
    let model = try ImplicitALS(factors: 6, iterations: 3).fit(train)
    let genres = [Self.comedy, Self.horror, Genre.named("Drama"), Genre.named("Action")]
    let catalog = try Catalog(
      movies: (0..<40).map {
        Movie(id: .int($0), title: "Film \($0)", genres: [genres[$0 % 4], genres[($0 / 4) % 4]])
      })
    let a = try UserSegments(model: model, catalog: catalog, segmentCount: 5, seed: 9)
    let b = try UserSegments(model: model, catalog: catalog, segmentCount: 5, seed: 9)
    #expect(a.userSegments == b.userSegments)
    #expect(a.segments == b.segments)
    for stated in [[Self.comedy], [Genre.named("Drama"), Self.horror]] {
      #expect(a.scores(forGenres: stated) == b.scores(forGenres: stated))
    }
    #expect(Set(a.userSegments).count == 5)
  }

  @Test func theEvaluationScoresEveryColumnOverTheSameUsers() throws {
    let (train, test) = try FactorTestData.noisyLowRank(users: 100, items: 40)
    let genres = [Self.comedy, Self.horror, Genre.named("Drama")]
    let catalog = try Catalog(
      movies: (0..<40).map { Movie(id: .int($0), title: "Film \($0)", genres: [genres[$0 % 3]]) })
    let report = try SegmentFallbackEvaluation(
      coldStart: ColdStartEvaluation(groups: 2), segmentCounts: [3], clusterings: [.factors]
    ).run(train: train, test: test, catalog: catalog) {
      try ImplicitALS(factors: 4, iterations: 2).fit($0)
    }
    #expect(report.users > 0 && report.usersStatingGenres <= report.users)
    let columns = [
      "segments-3-factors-lift", "segments-3-factors-shares", "average-user", "popularity",
      "popularity-in-stated-genres", "fold-in-1", "fold-in-3",
    ]
    #expect(Set(report.ndcg.keys) == Set(columns))
    #expect(report.ndcg.values.allSatisfy { $0 >= 0 && $0 <= 1 })
  }
}
