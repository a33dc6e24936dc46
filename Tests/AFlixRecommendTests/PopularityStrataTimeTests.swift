import AFlixData
import AFlixRecommend
import Foundation
import Testing

/// Latest, trending and rising on hand-made datasets with timestamps.
@Suite("Popularity strata: time")
struct PopularityStrataTimeTests {
  static let day: Int64 = 86_400
  /// 2001-09-09 01:46:40 UTC.
  static let now: Int64 = 1_000_000_000

  /// Items 1…6. Catalog years: 1 → 1995, 2 → 1997, 4 → 1997; items 3 and 5 are not in the
  /// catalog (3 first rated in 2001, 5 in 1970); item 6 is in the id map without any rating.
  static func dataset() throws -> (data: RatingsDataset, catalog: Catalog) {
    let t = now
    let d = day
    let full = try RatingsDataset(
      ratings: [
        Rating(user: 1, item: 1, value: 5, timestamp: t - 300 * d),
        Rating(user: 2, item: 1, value: 4, timestamp: t - 200 * d),
        Rating(user: 3, item: 1, value: 4, timestamp: t - 100 * d),
        Rating(user: 1, item: 2, value: 3, timestamp: t - 2 * d),
        Rating(user: 1, item: 3, value: 2, timestamp: t - 10 * d),
        Rating(user: 2, item: 3, value: 5, timestamp: t),
        Rating(user: 2, item: 4, value: 1, timestamp: t - 50 * d),
        Rating(user: 3, item: 4, value: 2, timestamp: t - 40 * d),
        Rating(user: 4, item: 4, value: 3, timestamp: t - 1),
        Rating(user: 4, item: 5, value: 4, timestamp: 3 * d),
        Rating(user: 4, item: 6, value: 4, timestamp: t - 5 * d),
      ], scale: .oneToFive)
    // Drop the one rating of item 6 (the last user-major position): it stays in the id map.
    let data = full.subset(userMajorIndices: Array(0..<(full.ratingCount - 1)))
    let catalog = try Catalog(movies: [
      Movie(id: 1, title: "One (1995)", year: 1995), Movie(id: 2, title: "Two (1997)", year: 1997),
      Movie(id: 4, title: "Four (1997)", year: 1997),
    ])
    return (data, catalog)
  }

  /// Item indices (ids) sorted by score, best first, ties to the lower index.
  static func ranking(_ scores: [Float], _ items: IDMap) -> [EntityID] {
    scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
      .map { items.id(at: $0) }
  }

  @Test func latestOrdersByCatalogYearThenFirstRatingYearThenCount() throws {
    let (data, catalog) = try Self.dataset()
    let strata = try PopularityStrata(fitting: data, catalog: catalog)
    #expect(strata.items == data.items)
    // By hand: 3 (first rated 2001), 4 and 2 (1997; 4 has 3 ratings, 2 has 1), 1 (1995),
    // 5 (first rated 1970), 6 (no year, no rating) last.
    #expect(Self.ranking(strata.latest, strata.items) == [3, 4, 2, 1, 5, 6])
    // Scores are (n − rank)/n.
    let n = Float(data.itemCount)
    #expect(strata.latest[data.items.index(of: 3)!] == 1)
    #expect(strata.latest[data.items.index(of: 6)!] == 1 / n)
    // Item 3 is the newest (1 of 6) and only 3rd of 5 by count: it stands out as latest. Item 4
    // has the largest decayed count (1 of 5 rated items), beating its latest (2 of 6) and
    // popular (2 of 5) ranks.
    #expect(strata.stratum(ofItemID: 3) == StratumMembership(stratum: .latest, rank: 1, outOf: 6))
    #expect(strata.stratum(ofItemID: 4) == StratumMembership(stratum: .trending, rank: 1, outOf: 5))
    // Without a catalog every year comes from the first rating: 1, 2, 3, 4 are all rated first
    // in 2000 or 2001 by the timestamps above.
    let plain = try PopularityStrata(fitting: data)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let ratings = data.allRatings()
    let years = (1...5).map { id -> Int in
      let first = ratings.filter { $0.item == .int(id) }.compactMap(\.timestamp).min()!
      return calendar.component(.year, from: Date(timeIntervalSince1970: TimeInterval(first)))
    }
    let counts = data.itemDegrees()
    func before(_ a: Int, _ b: Int) -> Bool {
      if years[a] != years[b] { return years[a] > years[b] }
      if counts[a] != counts[b] { return counts[a] > counts[b] }
      return a < b
    }
    let expected = (0..<5).sorted(by: before).map { EntityID.int($0 + 1) } + [6]
    #expect(Self.ranking(plain.latest, plain.items) == expected)
  }

  @Test func firstRatingYearsAreUTCCalendarYears() throws {
    // One item per timestamp around year boundaries (and before 1970); item k has k + 1 ratings
    // so that ties within a year go to the more rated item.
    let times: [Int64] = [
      946_684_799, 946_684_800, -1, 0, 951_782_400, 4_102_444_800, -2_208_988_801, 1_009_843_199,
    ]
    var ratings: [Rating] = []
    for (k, t) in times.enumerated() {
      for u in 0...k {
        ratings.append(Rating(user: .int(u), item: .int(k), value: 3, timestamp: t))
      }
    }
    let data = try RatingsDataset(ratings: ratings, scale: .oneToFive)
    let strata = try PopularityStrata(fitting: data)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let years = times.map {
      calendar.component(.year, from: Date(timeIntervalSince1970: TimeInterval($0)))
    }
    #expect(years == [1999, 2000, 1969, 1970, 2000, 2100, 1899, 2001])
    let expected = times.indices.sorted { a, b in years[a] != years[b] ? years[a] > years[b] : a > b
    }
    #expect(Self.ranking(strata.latest, strata.items) == expected.map { EntityID.int($0) })
  }

  @Test func trendingIsTheDecayedCountBeforeTheReferenceTime() throws {
    let (data, catalog) = try Self.dataset()
    let halfLife = 7 * Self.day
    for reference in [nil, Self.now - 20 * Self.day] as [Int64?] {
      let strata = try PopularityStrata(
        fitting: data, catalog: catalog, referenceTime: reference,
        configuration: .init(halfLife: halfLife))
      let ref = reference ?? data.latestTimestamp!
      #expect(strata.referenceTime == ref)
      var expected = [Double](repeating: 0, count: data.itemCount)
      for r in data.allRatings() where r.timestamp! <= ref {
        expected[data.items.index(of: r.item)!] += pow(
          0.5, Double(ref - r.timestamp!) / Double(halfLife))
      }
      for i in 0..<data.itemCount {
        #expect(
          abs(Double(strata.trending[i]) - expected[i]) <= 1e-6 * max(1, expected[i]), "item \(i)")
      }
    }
  }

  @Test func risingComparesTheLastWindowWithTheOneBefore() throws {
    let w: Int64 = 48 * 3_600
    let ref: Int64 = 10_000_000
    // Ages relative to the reference time; negative ages are after it.
    let ages: [(item: Int, age: Int64)] = [
      (1, 0), (1, w - 1), (1, w),  // item 1: 2 recent, 1 previous
      (2, 2 * w - 1), (2, 2 * w), (2, -1),  // item 2: 1 previous; 2w is outside; -1 is future
      (3, 5), (3, 6), (3, 7), (3, w + 1),  // item 3: 3 recent, 1 previous
    ]
    let data = try RatingsDataset(
      ratings: ages.enumerated().map { k, entry in
        Rating(user: .int(k), item: .int(entry.item), value: 3, timestamp: ref - entry.age)
      }, scale: .oneToFive)
    let strata = try PopularityStrata(
      fitting: data, referenceTime: ref, configuration: .init(risingWindow: w))
    #expect(strata.recentCounts == [2, 0, 3])
    #expect(strata.previousCounts == [1, 1, 1])
    let expected = zip([2, 0, 3], [1, 1, 1]).map { r, p in Float(r - p) / Float(p + 1).squareRoot()
    }
    #expect(strata.rising == expected)
    // The future rating does not count in trending either: item 2 has two past ratings.
    let h = Double(strata.configuration.halfLife)
    #expect(
      abs(
        Double(strata.trending[1]) - (pow(0.5, Double(2 * w - 1) / h) + pow(0.5, Double(2 * w) / h))
      ) < 1e-6)
    // With the default reference time (the latest timestamp, one second later) every age grows
    // by 1: item 1 has ages 1, w, w + 1; item 2 has 0 (the former future one), 2w, 2w + 1;
    // item 3 has 6, 7, 8, w + 2.
    let latest = try PopularityStrata(fitting: data, configuration: .init(risingWindow: w))
    #expect(latest.referenceTime == ref + 1)
    #expect(latest.recentCounts == [1, 1, 3])
    #expect(latest.previousCounts == [2, 0, 1])
  }

  @Test func withoutTimestampsTrendingIsPopularityAndRisingIsZero() throws {
    let (timed, catalog) = try Self.dataset()
    let data = try RatingsDataset(
      ratings: timed.allRatings().map { Rating(user: $0.user, item: $0.item, value: $0.value) },
      scale: .oneToFive)
    let strata = try PopularityStrata(fitting: data, catalog: catalog, referenceTime: 5)
    #expect(strata.referenceTime == nil)
    #expect(strata.trending == strata.popularity)
    #expect(strata.rising.allSatisfy { $0 == 0 })
    #expect(
      strata.recentCounts.allSatisfy { $0 == 0 } && strata.previousCounts.allSatisfy { $0 == 0 })
    // Latest: catalog years where known (4 and 2 in 1997, 1 in 1995), then the rest by count.
    #expect(Self.ranking(strata.latest, strata.items) == [4, 2, 1, 3, 5])
    let none = try PopularityStrata(fitting: data)
    #expect(Self.ranking(none.latest, none.items) == Self.ranking(none.popularity, none.items))
  }

  @Test func invalidConfigurationsAndEmptyDataAreRefused() throws {
    let (data, _) = try Self.dataset()
    for configuration in [
      PopularityStrata.Configuration(halfLife: 0), .init(risingWindow: -1),
      .init(minimumVotes: .count(0)), .init(minimumVotes: .quantile(1.5)),
      .init(minimumVotes: .quantile(.nan)),
    ] {
      let error = try #require(throws: RecommendError.self) {
        try PopularityStrata(fitting: data, configuration: configuration)
      }
      #expect(error.kind == .invalidHyperparameter)
    }
    let empty = data.subset(userMajorIndices: [])
    let error = try #require(throws: RecommendError.self) { try PopularityStrata(fitting: empty) }
    #expect(error.kind == .emptyTrainingData)
  }
}
