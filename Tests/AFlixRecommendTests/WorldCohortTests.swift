import AFlixData
import AFlixRecommend
import Foundation
import Testing

@Suite("World and cohort")
struct WorldCohortTests {
  @Test func titlesMatchAcrossArticleAndYearSpellings() {
    let a = FilmMatching.key(title: "Usual Suspects, The (1995)", year: nil)
    let b = FilmMatching.key(title: "The Usual Suspects", year: 1995)
    let c = FilmMatching.key(title: "usual  suspects!", year: 1995)
    #expect(a == b && b == c)
    #expect(a == "usual suspects|1995")
    // The year tells remakes apart; an article inside a title stays.
    #expect(
      FilmMatching.key(title: "Psycho (1960)", year: nil)
        != FilmMatching.key(title: "Psycho (1998)", year: nil))
    #expect(
      FilmMatching.key(title: "A Night at the Opera", year: 1935) == "night at the opera|1935")
  }

  @Test func filmsMatchByIDThenByUnambiguousTitle() throws {
    let world = try Catalog(movies: [
      Movie(id: 1, title: "Toy Story (1995)", year: 1995),
      Movie(id: 900, title: "Heat (1995)", year: 1995),
      Movie(id: 901, title: "Twins", year: 1988),
      Movie(id: 902, title: "Twins", year: 1988),
    ])
    let cohort = try Catalog(movies: [
      Movie(id: 1, title: "Toy Story", year: 1995),
      Movie(id: "tt0113277", title: "Heat", year: 1995),
      Movie(id: "tt0096320", title: "Twins", year: 1988),
      Movie(id: "x", title: "Nothing Like It", year: 2001),
    ])
    let m = FilmMatching(world: world, cohort: cohort)
    #expect(m.worldID(for: 1) == 1)
    #expect(m.worldID(for: "tt0113277") == 900)
    #expect(m.worldID(for: "tt0096320") == nil, "two world films share the key: ambiguous")
    #expect(m.matchedByID == 1 && m.matchedByTitle == 1)
    #expect(Set(m.unmatched) == ["tt0096320", "x"])
  }

  @Test func scalesAlignByHand() {
    let half = RatingScale.continuousHalfToFive
    let stars = RatingScale.oneToFive
    // 0.5…5 onto 1…5: v ↦ 1 + (v − 0.5) · 4 / 4.5.
    for v: Float in [0.5, 1.7, 2.75, 4.1, 5] {
      let want = 1 + (v - 0.5) * 4 / 4.5
      #expect(abs(ScaleAlignment.linear.align(v, from: half, to: stars) - want) < 1e-5)
      #expect(ScaleAlignment.linearRounded.align(v, from: half, to: stars) == want.rounded())
      #expect(ScaleAlignment.none.align(v, from: half, to: stars) == v)
    }
  }

  /// A world of 60 users with a clear taste structure, a cohort of 8 users drawn from the same
  /// structure: folding the cohort in must beat serving them as unknown users.
  @Test func foldingTheCohortInBeatsTheWorldAlone() throws {
    let (world, _) = try FactorTestData.noisyLowRank(users: 68, items: 40, density: 0.5, seed: 3)
    let all = world.allRatings()
    let cohortIDs = Set((60..<68).map { world.users.id(at: $0) })
    let rest = all.filter { !cohortIDs.contains($0.user) }
    var train: [Rating] = []
    var test: [Rating] = []
    for (k, r) in all.enumerated() where cohortIDs.contains(r.user) {
      if k % 4 == 0 { test.append(r) } else { train.append(r) }
    }
    let catalog = try Catalog(
      movies: (0..<world.itemCount).map {
        Movie(id: world.items.id(at: $0), title: "Film \($0)")
      })
    let evaluation = WorldCohortEvaluation(
      world: try RatingsDataset(ratings: rest, scale: world.scale), worldCatalog: catalog,
      worldSource: .real, cohortTrain: try RatingsDataset(ratings: train, scale: world.scale),
      cohortTest: try RatingsDataset(ratings: test, scale: world.scale), cohortCatalog: catalog,
      alignment: .none, relevance: .all)
    let algorithm = BiasedALS(factors: 3, iterations: 10)
    let report = try evaluation.run(algorithm)
    #expect(report.rows.map(\.variant) == WorldCohortEvaluation.Variant.allCases)
    #expect(report.matchedByID == 40 && report.unmatched == 0)
    let rmse = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.variant, $0.rmse!) })
    #expect(rmse[.foldedIn]! < rmse[.worldOnly]!)
    #expect(report.rows.allSatisfy { $0.users == 8 && $0.source == .real })
    // The fitted models say where their ratings came from.
    let together = try evaluation.fitted(algorithm, variant: .fittedTogether)
    #expect(together.fitRecord?.provenance?.source == .real)
    #expect(together.fitRecord?.provenance?.factorCount == 3)
    #expect(together.users.index(of: .string("cohort:\(train[0].user)")) != nil)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cohort-\(UUID().uuidString).aflix")
    defer { try? FileManager.default.removeItem(at: url) }
    try together.save(to: url)
    #expect(
      try ModelRegistry.load(from: url).fitRecord?.provenance == together.fitRecord?.provenance)
  }
}
