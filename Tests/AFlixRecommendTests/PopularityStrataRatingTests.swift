import AFlixData
import AFlixRecommend
import Foundation
import Testing

/// Weighted rating, cult classics, genre champions and `stratum(of:)` on small datasets.
@Suite("Popularity strata: ratings and genres")
struct PopularityStrataRatingTests {
  static let comedy = Genre.named("Comedy")
  static let drama = Genre.named("Drama")
  static let noir = Genre.named("Film-Noir")

  /// Items a…f with counts a 5, b 4, c 3, d 2, e 1, f 1 and varied means; users 1…5.
  static func dataset() throws -> RatingsDataset {
    let table: [(item: EntityID, values: [Float])] = [
      ("a", [3, 3, 4, 3, 2]), ("b", [5, 4, 5, 5]), ("c", [5, 5, 4]), ("d", [1, 2]), ("e", [5]),
      ("f", [1]),
    ]
    var ratings: [Rating] = []
    for (item, values) in table {
      for (k, v) in values.enumerated() {
        ratings.append(Rating(user: .int(k + 1), item: item, value: v))
      }
    }
    return try RatingsDataset(ratings: ratings, scale: .oneToFive)
  }

  static func catalog() throws -> Catalog {
    try Catalog(movies: [
      Movie(id: "a", title: "A", genres: [comedy]), Movie(id: "b", title: "B", genres: [drama]),
      Movie(id: "c", title: "C", genres: [comedy, drama]),
      Movie(id: "d", title: "D", genres: [comedy]),
      Movie(id: "e", title: "E", genres: [noir]), Movie(id: "f", title: "F", genres: []),
    ])
  }

  /// `v/(v+m)·R + m/(v+m)·C` from the rating list, item by item.
  static func weightedRatings(_ data: RatingsDataset, m: Int) -> [Double] {
    let all = data.allRatings()
    let c = all.reduce(0.0) { $0 + Double($1.value) } / Double(all.count)
    return data.items.ids.map { id in
      let values = all.filter { $0.item == id }.map { Double($0.value) }
      let v = Double(values.count)
      let r = values.isEmpty ? 0 : values.reduce(0, +) / v
      return v / (v + Double(m)) * r + Double(m) / (v + Double(m)) * c
    }
  }

  static func ranking(_ scores: [Float]) -> [Int] {
    scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
  }

  @Test(arguments: [1, 2, 3, 4, 10])
  func weightedRatingMatchesTheFormula(m: Int) throws {
    let data = try Self.dataset()
    let strata = try PopularityStrata(fitting: data, configuration: .init(minimumVotes: .count(m)))
    #expect(strata.minimumVotes == m)
    let expected = Self.weightedRatings(data, m: m)
    for i in 0..<data.itemCount {
      #expect(abs(Double(strata.weightedRatings[i]) - expected[i]) < 1e-5, "item \(i)")
    }
    #expect(abs(strata.globalMean - data.globalMean) < 1e-12)
    // Cult classics: eligible items (count ≥ m) by weighted rating, then the others by weighted
    // rating.
    let counts = data.itemDegrees()
    let eligible = (0..<data.itemCount).filter { counts[$0] >= m }
    let others = (0..<data.itemCount).filter { counts[$0] < m }
    func byWR(_ a: Int, _ b: Int) -> Bool {
      expected[a] != expected[b] ? expected[a] > expected[b] : a < b
    }
    #expect(
      Self.ranking(strata.cultClassics) == eligible.sorted(by: byWR) + others.sorted(by: byWR))
  }

  @Test func minimumVotesQuantileIsTheLowerNearestRank() throws {
    let data = try Self.dataset()
    let sortedCounts = data.itemDegrees().sorted()  // [1, 1, 2, 3, 4, 5]
    for q in [0, 0.2, 0.5, 0.75, 0.9, 1] {
      let strata = try PopularityStrata(
        fitting: data, configuration: .init(minimumVotes: .quantile(q)))
      let position = Int(floor(q * Double(sortedCounts.count - 1)))
      #expect(strata.minimumVotes == sortedCounts[position], "q \(q)")
    }
  }

  @Test func genreChampionsRankTheGenreFirstByWeightedRating() throws {
    let data = try Self.dataset()
    let strata = try PopularityStrata(
      fitting: data, catalog: try Self.catalog(), configuration: .init(minimumVotes: .count(2)))
    #expect(Set(strata.genres) == [Self.comedy, Self.drama, Self.noir])
    let wr = Self.weightedRatings(data, m: 2)
    let counts = data.itemDegrees()
    let catalog = try Self.catalog()
    func key(_ i: Int) -> (Bool, Bool, Double) {
      (
        catalog.movie(withID: data.items.id(at: i))!.genres.contains(Self.comedy), counts[i] >= 2,
        wr[i]
      )
    }
    // Brute force: in genre first, then eligible, then weighted rating, then index.
    let expected = (0..<data.itemCount).sorted { a, b in
      let (x, y) = (key(a), key(b))
      if x.0 != y.0 { return x.0 }
      if x.1 != y.1 { return x.1 }
      return x.2 != y.2 ? x.2 > y.2 : a < b
    }
    #expect(Self.ranking(strata.genreChampions(Self.comedy)) == expected)
    #expect(
      strata.champions(of: Self.comedy, count: 10) == expected.filter { key($0).0 && key($0).1 })
    #expect(strata.champions(of: Self.comedy, count: 1).count == 1)
    #expect(strata.champions(of: Self.noir, count: 3) == [])  // e has one rating, m = 2
    #expect(strata.champions(of: Genre.named("Western"), count: 3) == [])
    // Several genres: items in any of them first.
    let both = Self.ranking(strata.scores(forGenres: [Self.noir, Self.drama]))
    let inside = Set(["b", "c", "e"].map { data.items.index(of: .string($0))! })
    #expect(Set(both.prefix(3)) == inside)
    // No genre, an unknown genre, or no catalog: the cult-classic order.
    let cult = Self.ranking(strata.cultClassics)
    #expect(Self.ranking(strata.scores(forGenres: [])) == cult)
    #expect(Self.ranking(strata.genreChampions(Genre.named("Western"))) == cult)
    let bare = try PopularityStrata(fitting: data, configuration: .init(minimumVotes: .count(2)))
    #expect(bare.genres.isEmpty)
    #expect(Self.ranking(bare.genreChampions(Self.comedy)) == cult)
    #expect(bare.genres(ofItem: 0).isEmpty)
    #expect(strata.genres(ofItem: data.items.index(of: "c")!) == [Self.comedy, Self.drama])
    #expect(strata.genres(ofItemID: "c") == [Self.comedy, Self.drama])
    #expect(strata.genres(ofItemID: "unknown") == nil)
  }

  @Test func genreSharesSplitEachItemEvenly() throws {
    let data = try Self.dataset()
    let strata = try PopularityStrata(fitting: data, catalog: try Self.catalog())
    let c = data.items.index(of: "c")!
    let e = data.items.index(of: "e")!
    let f = data.items.index(of: "f")!
    // c counts ½ comedy, ½ drama; e counts 1 noir; f has no genre and does not count.
    let shares = strata.genreShares(ofItems: [c, e, f, -1, 99])
    func share(_ g: Genre) -> Double { shares[strata.genres.firstIndex(of: g)!] }
    #expect(share(Self.comedy) == 0.25 && share(Self.drama) == 0.25 && share(Self.noir) == 0.5)
    #expect(strata.genreShares(ofItems: [f]).allSatisfy { $0 == 0 })
  }

  @Test func stratumNamesWhereAnItemStandsOut() throws {
    let data = try Self.dataset()
    let strata = try PopularityStrata(
      fitting: data, catalog: try Self.catalog(), configuration: .init(minimumVotes: .count(2)))
    let a = data.items.index(of: "a")!
    // a is the most rated: rank 1 of 6 in popularity, the smallest fraction possible; the
    // popular stratum comes first among ties.
    #expect(strata.stratum(of: a) == StratumMembership(stratum: .popular, rank: 1, outOf: 6))
    // Every membership's fraction is at most the item's popularity fraction.
    let counts = data.itemDegrees()
    for i in 0..<data.itemCount {
      let m = strata.stratum(of: i)
      let popularRank =
        1
        + (0..<data.itemCount).filter {
          counts[$0] > counts[i] || (counts[$0] == counts[i] && $0 < i)
        }.count
      #expect(m.fraction <= Double(popularRank) / 6, "item \(i)")
      #expect(m.rank >= 1 && m.rank <= m.outOf)
    }
    #expect(strata.stratum(ofItemID: "zzz") == nil)
    #expect(strata.scores(of: .popular) == strata.popularity)
    #expect(strata.scores(of: .cultClassic) == strata.cultClassics)
    #expect(strata.scores(of: .genreChampion(Self.comedy)) == strata.genreChampions(Self.comedy))
    #expect(strata.scores(of: .latest) == strata.latest)
    #expect(strata.stratum(ofItemID: "a") == strata.stratum(of: a))
    #expect(PopularityStratum.genreChampion(Self.comedy).description == "genre champion in Comedy")
    #expect(PopularityStratum.cultClassic.description == "cult classic")
  }

  @Test func aGenreChampionIsNamedAsOne() throws {
    // x is rated by everyone (popular), y is the best-rated drama with few ratings but enough.
    var ratings: [Rating] = []
    for u in 1...10 { ratings.append(Rating(user: .int(u), item: "x", value: 2)) }
    for u in 1...3 { ratings.append(Rating(user: .int(u), item: "y", value: 5)) }
    for u in 1...4 { ratings.append(Rating(user: .int(u), item: "z", value: 3)) }
    for u in 5...9 { ratings.append(Rating(user: .int(u), item: "w", value: 4)) }
    let data = try RatingsDataset(ratings: ratings, scale: .oneToFive)
    let catalog = try Catalog(movies: [
      Movie(id: "x", title: "X", genres: [Self.comedy]),
      Movie(id: "y", title: "Y", genres: [Self.drama]),
      Movie(id: "z", title: "Z", genres: [Self.comedy]),
      Movie(id: "w", title: "W", genres: [Self.comedy]),
    ])
    let strata = try PopularityStrata(
      fitting: data, catalog: catalog, configuration: .init(minimumVotes: .count(3)))
    // y: popularity rank 4 of 4, latest rank 4, cult rank 1 of 4 (WR highest), drama rank 1 of 1:
    // 1/1 = 1 is worse than 1/4, so it is a cult classic.
    #expect(
      strata.stratum(ofItemID: "y") == StratumMembership(stratum: .cultClassic, rank: 1, outOf: 4))
    // w: cult rank 2 of 4 (0.5), comedy champion rank 1 of 3 (0.33), popularity rank 2 of 4.
    #expect(
      strata.stratum(ofItemID: "w")
        == StratumMembership(stratum: .genreChampion(Self.comedy), rank: 1, outOf: 3))
  }
}
