import AFlixData
import AFlixRecommend
import Foundation
import Testing
import _AFlixTestSupport

/// The cold-start protocol of `../shared/anchors/coldstart_eval.py` at n = 0, for each popularity
/// stratum: u1 split, test users (a relevant u1.test rating, ≥ 4, of an item u1.base knows, and
/// some training rating) in 5 groups by position, each group scored by strata fitted without it;
/// candidates are the items the fitted strata have counts for; top 10, ties to the lower index.
struct ColdStartProtocol {
  let train: RatingsDataset
  let catalog: Catalog
  let attributes: UserAttributeTable
  /// Test users (indices, ascending id) and their relevant items.
  let testUsers: [Int]
  let relevant: [Int: Set<Int>]
  let groups = 5

  init() throws {
    let folder = TestData.movieLens100K
    let split = try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: 1)
    train = split.train
    catalog = try #require(try MovieLens100KLoader.load(folder: folder).catalog)
    attributes = try MovieLens100KLoader.loadUsers(folder: folder)
    let inBase = train.itemDegrees().map { $0 > 0 }
    var relevant: [Int: Set<Int>] = [:]
    for u in 0..<split.test.userCount {
      let (items, values) = split.test.ratings(ofUser: u)
      for (i, v) in zip(items, values) where v >= 4 && inBase[Int(i)] {
        relevant[u, default: []].insert(Int(i))
      }
    }
    let degrees = train.userDegrees()
    testUsers = relevant.keys.filter { degrees[$0] > 0 }.sorted()
    self.relevant = relevant
  }

  /// The training data without group `g`'s users.
  func trainingData(without g: Int) -> RatingsDataset {
    let outside = Set(testUsers.enumerated().filter { $0.offset % groups != g }.map(\.element))
    let inGroup = Set(testUsers).subtracting(outside)
    var positions: [Int] = []
    var p = 0
    for u in 0..<train.userCount {
      let n = train.ratings(ofUser: u).items.count
      if !inGroup.contains(u) { positions += p..<(p + n) }
      p += n
    }
    return train.subset(userMajorIndices: positions)
  }

  /// NDCG@10 of `scores` restricted to `candidates` for user `u` (top 10 by score, ties to the
  /// lower index).
  func ndcg(_ scores: [Float], candidates: [Bool], user u: Int) -> Double {
    var top: [Int] = []
    func better(_ a: Int, _ b: Int) -> Bool {
      scores[a] != scores[b] ? scores[a] > scores[b] : a < b
    }
    for i in scores.indices where candidates[i] {
      if top.count == 10 {
        guard better(i, top[9]) else { continue }
        top.removeLast()
      }
      let at = top.firstIndex { better(i, $0) } ?? top.count
      top.insert(i, at: at)
    }
    let rel = relevant[u] ?? []
    var dcg = 0.0
    for (p, i) in top.enumerated() where rel.contains(i) {
      dcg += 1 / log2(Double(p + 2))
    }
    let ideal = (0..<min(10, rel.count)).reduce(0.0) { $0 + 1 / log2(Double($1 + 2)) }
    return dcg / ideal
  }

  /// The user's first `n` training ratings by (timestamp, item id): the kept ones.
  func firstRatings(of u: Int, count n: Int) -> [(item: Int, value: Float)]? {
    let (items, values) = train.ratings(ofUser: u)
    guard items.count >= n, let times = train.timestamps(ofUser: u) else { return nil }
    let entries = (0..<items.count).map {
      (
        time: times[times.startIndex + $0], item: Int(items[items.startIndex + $0]),
        value: values[values.startIndex + $0]
      )
    }
    let sorted = entries.sorted { $0.time != $1.time ? $0.time < $1.time : $0.item < $1.item }
    return sorted.prefix(n).map { ($0.item, $0.value) }
  }

  /// The top 3 genres (by ``PopularityStrata/genreShares(ofItems:)``) of the user's u1.base
  /// items: the genres an onboarding user would state (a proxy: the fitted strata never saw
  /// these ratings).
  func statedGenres(of u: Int, in strata: PopularityStrata) -> [Genre] {
    let shares = strata.genreShares(ofItems: train.ratings(ofUser: u).items.map { Int($0) })
    return shares.indices.sorted { shares[$0] != shares[$1] ? shares[$0] > shares[$1] : $0 < $1 }
      .prefix(3).filter { shares[$0] > 0 }.map { strata.genres[$0] }
  }
}

@Suite("Popularity strata cold start (MovieLens 100k)")
struct PopularityStrataColdStartTests {
  /// NDCG@10 at n = 0 of every stratum and of the default ``StrataModel`` blend, with the
  /// paired standard error of each one's difference from popularity; prints the table. The plain
  /// popularity stratum must score exactly what `PopularityModel` (counts) scores.
  @Test(.enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"))
  func strataAtZeroRatings() throws {
    let proto = try ColdStartProtocol()
    let day: Int64 = 86_400
    let configurations: [(String, PopularityStrata.Configuration)] = [
      ("default", PopularityStrata.Configuration()),
      (
        "h30d w30d q.5",
        .init(halfLife: 30 * day, risingWindow: 30 * day, minimumVotes: .quantile(0.5))
      ),
      ("h180d q.95", .init(halfLife: 180 * day, minimumVotes: .quantile(0.95))),
    ]
    var perUser: [String: [Double]] = [:]
    var order: [String] = []
    var countsAgree = true
    for g in 0..<proto.groups {
      let data = proto.trainingData(without: g)
      let candidates = data.itemDegrees().map { $0 > 0 }
      let counts = try PopularityModel(fitting: data).scoresForUnknownUser().values
      let users = proto.testUsers.enumerated().filter { $0.offset % proto.groups == g }.map(
        \.element)
      let attributesOf = { (u: Int) in proto.attributes.attributes(of: data.users.id(at: u)) }
      for (tag, configuration) in configurations {
        let strata = try PopularityStrata(
          fitting: data, catalog: proto.catalog, attributes: proto.attributes,
          configuration: configuration)
        var variants: [(String, (Int) -> [Float])] = []
        if tag == "default" {
          countsAgree = countsAgree && strata.popularity == counts
          let model = try StrataModel(strata: strata)
          variants += [
            ("popularity (PopularityModel counts)", { _ in counts }),
            ("popularity", { _ in strata.popularity }),
            ("latest", { _ in strata.latest }),
            (
              "demographic (age, gender, occupation)",
              { strata.demographic(for: attributesOf($0)!) }
            ),
            (
              "demographic age band",
              { strata.demographic(age: attributesOf($0)!.age, gender: nil, occupation: nil) }
            ),
            (
              "demographic gender",
              { strata.demographic(age: nil, gender: attributesOf($0)!.gender, occupation: nil) }
            ),
            (
              "demographic occupation",
              {
                strata.demographic(age: nil, gender: nil, occupation: attributesOf($0)!.occupation)
              }
            ),
            ("StrataModel default, unknown user", { _ in model.scoresForUnknownUser().values }),
            (
              "StrataModel default, attributes",
              { model.scores(forGenres: [], attributes: attributesOf($0)).values }
            ),
            (
              "StrataModel default, attributes + stated genres",
              {
                model.scores(
                  forGenres: proto.statedGenres(of: $0, in: strata), attributes: attributesOf($0)
                ).values
              }
            ),
          ]
        }
        variants += [
          ("trending [\(tag)]", { _ in strata.trending }),
          ("rising [\(tag)]", { _ in strata.rising }),
          ("cultClassics [\(tag)]", { _ in strata.cultClassics }),
          (
            "genreChampions(stated genres) [\(tag)]",
            { strata.scores(forGenres: proto.statedGenres(of: $0, in: strata)) }
          ),
        ]
        for (name, score) in variants {
          if perUser[name] == nil { order.append(name) }
          for u in users {
            perUser[name, default: []].append(proto.ndcg(score(u), candidates: candidates, user: u))
          }
        }
      }
    }
    #expect(countsAgree)
    let popularity = try #require(perUser["popularity (PopularityModel counts)"])
    #expect(popularity.count == proto.testUsers.count)
    #expect(perUser["popularity"] == popularity)
    print(
      "cold start n = 0, users \(popularity.count) (NDCG@10, MovieLens 100k u1; ± paired SE vs popularity)"
    )
    for name in order {
      let values = perUser[name]!
      let n = Double(values.count)
      let mean = values.reduce(0, +) / n
      let d = zip(values, popularity).map { $0 - $1 }
      let dm = d.reduce(0, +) / n
      let se = (d.reduce(0) { $0 + ($1 - dm) * ($1 - dm) } / (n - 1) / n).squareRoot()
      #expect(values.count == popularity.count && mean >= 0 && mean <= 1)
      print(
        name.padding(toLength: 52, withPad: " ", startingAt: 0),
        String(format: "%.4f  %+.4f ± %.4f", mean, dm, se))
    }
  }

  /// The ``StrataModel`` at n = 1, 3, 5, 10 kept ratings (steered by their genres, with and
  /// without the user's attributes) beside plain popularity, under the script's protocol: the
  /// first n training ratings by (timestamp, item id) kept, kept items not candidates, users
  /// with fewer than n training ratings skipped. Prints the table.
  @Test(.enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"))
  func strataModelWithFirstRatings() throws {
    let proto = try ColdStartProtocol()
    let ns = [1, 3, 5, 10]
    var weights: [(String, PopularityStrata.Weights)] = [("default", .default)]
    if ProcessInfo.processInfo.environment["AFLIX_STRATA_GRID"] == "1" {
      for demographic: Float in [0.5, 1, 2] {
        for genre: Float in [0.25, 0.5, 0.75, 1, 1.5] {
          let w = PopularityStrata.Weights(
            popularity: 1, cultClassics: 0.5, genreChampions: genre, demographic: demographic)
          weights.append(("genre \(genre) demo \(demographic)", w))
        }
      }
    }
    var sums: [String: [Int: (sum: Double, users: Int)]] = [:]
    var order: [String] = []
    func add(_ name: String, _ n: Int, _ value: Double) {
      if sums[name] == nil { order.append(name) }
      let old = sums[name, default: [:]][n] ?? (0, 0)
      sums[name, default: [:]][n] = (old.sum + value, old.users + 1)
    }
    for g in 0..<proto.groups {
      let data = proto.trainingData(without: g)
      let known = data.itemDegrees().map { $0 > 0 }
      let strata = try PopularityStrata(
        fitting: data, catalog: proto.catalog, attributes: proto.attributes)
      let models = try weights.map { ($0.0, try StrataModel(strata: strata, weights: $0.1)) }
      let users = proto.testUsers.enumerated().filter { $0.offset % proto.groups == g }.map(
        \.element)
      for u in users {
        let attributes = proto.attributes.attributes(of: data.users.id(at: u))
        for n in ns {
          guard let kept = proto.firstRatings(of: u, count: n) else { continue }
          var candidates = known
          for (i, _) in kept { candidates[i] = false }
          let ratings = UserRatings(kept, itemCount: data.itemCount)
          add("popularity", n, proto.ndcg(strata.popularity, candidates: candidates, user: u))
          for (name, model) in models {
            let genresOnly = model.scores(forRatings: ratings).values
            let both = model.scores(forRatings: ratings, attributes: attributes).values
            add(
              "StrataModel \(name), rated genres", n,
              proto.ndcg(genresOnly, candidates: candidates, user: u))
            add(
              "StrataModel \(name), rated genres + attributes", n,
              proto.ndcg(both, candidates: candidates, user: u))
          }
        }
      }
    }
    let popularityUsers = ns.map { sums["popularity"]?[$0]?.users ?? 0 }
    #expect(popularityUsers.allSatisfy { $0 > 0 && $0 <= proto.testUsers.count })
    print(
      "cold start, NDCG@10 at n = " + ns.map(String.init).joined(separator: " / ")
        + ", users \(popularityUsers)")
    for name in order {
      let row = ns.map { n -> Double in
        let entry = sums[name]![n]!
        return entry.sum / Double(entry.users)
      }
      #expect(row.allSatisfy { $0 >= 0 && $0 <= 1 })
      print(
        name.padding(toLength: 52, withPad: " ", startingAt: 0),
        row.map { String(format: "%.4f", $0) }.joined(separator: "  "))
    }
  }

  /// A grid of ``StrataModel`` weights and configurations at n = 0, for choosing the defaults:
  /// unknown users (no genre, no attribute), users with attributes, users with attributes and
  /// stated genres. Every figure is an NDCG in 0…1; the grid is printed best first. Run with
  /// `AFLIX_STRATA_GRID=1` (it takes minutes in a debug build).
  @Test(
    .enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"),
    .enabled(
      if: ProcessInfo.processInfo.environment["AFLIX_STRATA_GRID"] == "1",
      "a 4-minute grid: set AFLIX_STRATA_GRID=1"))
  func blendGridAtZeroRatings() throws {
    let proto = try ColdStartProtocol()
    let day: Int64 = 86_400
    let configurations: [(String, PopularityStrata.Configuration)] = [
      ("h30d q.9", PopularityStrata.Configuration()),
      ("h90d q.9", PopularityStrata.Configuration(halfLife: 90 * day)),
      (
        "h90d q.95",
        PopularityStrata.Configuration(halfLife: 90 * day, minimumVotes: .quantile(0.95))
      ),
    ]
    var grid: [(String, PopularityStrata.Weights, kind: Int)] = []
    for cult: Float in [0, 0.25, 0.5] {
      for trending: Float in [0, 0.5] {
        for demographic: Float in [0, 1, 2] {
          for genre: Float in [0, 0.25, 0.5] {
            let w = PopularityStrata.Weights(
              popularity: 1, trending: trending, cultClassics: cult, genreChampions: genre,
              demographic: demographic)
            let name = "pop 1 cult \(cult) trend \(trending) demo \(demographic) genre \(genre)"
            if demographic == 0 && genre == 0 { grid.append((name, w, 0)) }
            if genre == 0 && demographic > 0 { grid.append((name, w, 1)) }
            grid.append((name, w, 2))
          }
        }
      }
    }
    for w in [PopularityStrata.Weights(demographic: 1), .init(cultClassics: 0.25, demographic: 1)] {
      grid.append(("no pop, \(w)", w, 1))
    }
    var sums: [String: Double] = [:]
    var scored = 0
    for g in 0..<proto.groups {
      let data = proto.trainingData(without: g)
      let candidates = data.itemDegrees().map { $0 > 0 }
      let users = proto.testUsers.enumerated().filter { $0.offset % proto.groups == g }.map(
        \.element)
      scored += users.count
      for (tag, configuration) in configurations {
        let strata = try PopularityStrata(
          fitting: data, catalog: proto.catalog, attributes: proto.attributes,
          configuration: configuration)
        let stated = users.map { proto.statedGenres(of: $0, in: strata) }
        for (name, weights, kind) in grid {
          let model = try StrataModel(strata: strata, weights: weights)
          let label = ["unknown", "attrs", "genres+attrs"][kind] + " | \(tag) | " + name
          for (k, u) in users.enumerated() {
            let attributes = proto.attributes.attributes(of: data.users.id(at: u))
            let scores =
              switch kind {
              case 0: model.scoresForUnknownUser().values
              case 1: model.scores(forGenres: [], attributes: attributes).values
              default: model.scores(forGenres: stated[k], attributes: attributes).values
              }
            sums[label, default: 0] += proto.ndcg(scores, candidates: candidates, user: u)
          }
        }
      }
    }
    #expect(scored == proto.testUsers.count)
    for (label, sum) in sums.sorted(by: { $0.value > $1.value }) {
      #expect(sum / Double(scored) <= 1)
      print(String(format: "%.4f", sum / Double(scored)), label)
    }
  }
}
