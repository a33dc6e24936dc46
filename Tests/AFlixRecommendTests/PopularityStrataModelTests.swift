import AFlixData
import AFlixRecommend
import Foundation
import Testing

/// `StrataModel`: the blend, its steering by genres and attributes, serving and model files.
@Suite("Popularity strata: model")
struct PopularityStrataModelTests {
  static let comedy = PopularityStrataRatingTests.comedy
  static let drama = PopularityStrataRatingTests.drama

  static func normalised(_ v: [Float]) -> [Float] {
    let lo = v.min()!
    let hi = v.max()!
    return hi > lo ? v.map { ($0 - lo) / (hi - lo) } : v.map { _ in 0 }
  }

  static func close(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 }
  }

  static func strata() throws -> PopularityStrata {
    try PopularityStrata(
      fitting: try PopularityStrataRatingTests.dataset(),
      catalog: try PopularityStrataRatingTests.catalog(),
      attributes: try UserAttributeTable([
        UserAttributes(id: 1, age: 20, gender: "F"), UserAttributes(id: 2, age: 50, gender: "M"),
      ]),
      configuration: .init(minimumVotes: .count(2)))
  }

  @Test func theBlendIsTheWeightedSumOfNormalisedStrata() throws {
    let strata = try Self.strata()
    let weights = PopularityStrata.Weights(
      popularity: 1, latest: 0.25, trending: 0.5, rising: 2, cultClassics: 0.75)
    let model = try StrataModel(strata: strata, weights: weights)
    var expected = [Float](repeating: 0, count: strata.items.count)
    for (w, v) in [
      (1, strata.popularity), (0.25, strata.latest), (0.5, strata.trending), (2, strata.rising),
      (0.75, strata.cultClassics),
    ] as [(Float, [Float])] {
      for (i, x) in Self.normalised(v).enumerated() { expected[i] += w * x }
    }
    let unknown = model.scoresForUnknownUser()
    #expect(unknown.source == .averageUser)
    #expect(Self.close(unknown.values, expected))
    #expect(model.scores(forRatings: UserRatings([], itemCount: strata.items.count)) == unknown)
    // Popularity alone ranks like the counts.
    let plain = try StrataModel(strata: strata, weights: .popularityOnly)
    let top = plain.recommend(user: "new", count: 6).items.map(\.item)
    #expect(top == ["a", "b", "c", "d", "e", "f"])
  }

  @Test func ratedGenresAndAttributesSteerTheScores() throws {
    let strata = try Self.strata()
    let weights = PopularityStrata.Weights(popularity: 1, genreChampions: 0.5, demographic: 2)
    let model = try StrataModel(strata: strata, weights: weights)
    let items = strata.items
    let cult = Self.normalised(strata.cultClassics)
    let base = Self.normalised(strata.popularity)
    // A new user who rated c (comedy and drama): each genre has share ½; every comedy or drama
    // item has affinity ½ (c: 1), so the genre term is ½ · affinity / 1 · normalised cult.
    let c = items.index(of: "c")!
    let affinity = (0..<items.count).map { i -> Float in
      let g = strata.genres(ofItem: i)
      return (g.contains(Self.comedy) ? 0.5 : 0) + (g.contains(Self.drama) ? 0.5 : 0)
    }
    let expected = (0..<items.count).map { base[$0] + 0.5 * affinity[$0] * cult[$0] }
    let rated = model.scores(forRatings: UserRatings([(c, 3)], itemCount: items.count))
    #expect(Self.close(rated.values, expected))
    #expect(rated.source == .averageUser)
    // Stated genres with equal shares give the same thing.
    #expect(
      Self.close(
        model.scores(forGenres: [Self.comedy, Self.drama], attributes: nil).values, expected))
    // Attributes add 2 × the normalised demographic match.
    let who = UserAttributes(id: "x", age: 21)
    let demographic = Self.normalised(strata.demographic(for: who))
    let withAttributes = model.scores(forGenres: [Self.comedy, Self.drama], attributes: who).values
    #expect(
      Self.close(withAttributes, (0..<items.count).map { expected[$0] + 2 * demographic[$0] }))
    // A known user: genres of their training items, attributes from the strata.
    let u = strata.users.index(of: 1)!
    let history = UserHistory(try PopularityStrataRatingTests.dataset())
    let known = try StrataModel(strata: strata, weights: weights, history: history)
    let own = known.scores(
      forRatings: UserRatings(
        history.items(ofUser: u).map { (Int($0), 4) }, itemCount: items.count),
      attributes: strata.attributes(ofUser: 1))
    #expect(known.scores(forUser: u) == own.values)
  }

  @Test func everyRequestGetsItsCount() throws {
    let data = try PopularityStrataRatingTests.dataset()
    let model = try StrataModel(fitting: data, catalog: try PopularityStrataRatingTests.catalog())
    #expect(model.users == data.users && model.items == data.items)
    for user in [1, 5, 999] as [EntityID] {
      let list = model.recommend(user: user, count: 3, excluding: .nothing)
      #expect(list.items.count == 3, "user \(user)")
    }
    // Known user 1 rated every item: nothing is left once rated items are excluded.
    #expect(model.recommend(user: 1, count: 3).items.isEmpty)
    #expect(model.recommend(forRatings: ["a": 5, "nope": 3], count: 2).items.count == 2)
    #expect(model.fitRecord?.algorithm == "popularity-strata")
  }

  @Test func invalidWeightsAreRefused() throws {
    let strata = try Self.strata()
    for weights in [
      PopularityStrata.Weights(), .init(popularity: -1), .init(popularity: .nan),
      .init(popularity: 1, demographic: .infinity),
    ] {
      let error = try #require(throws: RecommendError.self) {
        try StrataModel(strata: strata, weights: weights)
      }
      #expect(error.kind == .invalidHyperparameter)
    }
  }

  @Test func modelFilesRoundTrip() throws {
    let data = try PopularityStrataRatingTests.dataset()
    let model = try StrataModel(
      fitting: data, catalog: try PopularityStrataRatingTests.catalog(),
      attributes: try UserAttributeTable([UserAttributes(id: 1, age: 30, occupation: "writer")]))
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("aflix-strata-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent("strata.aflix")
    try model.save(to: url)
    let loaded = try #require(try ModelRegistry.load(from: url) as? StrataModel)
    #expect(loaded == model)
    #expect(loaded.strata.stratum(of: 0) == model.strata.stratum(of: 0))
    #expect(loaded.scores(forUser: 0) == model.scores(forUser: 0))
    #expect(ModelRegistry.kinds.contains(StrataModel.archiveKind))
  }

  /// The archive with its metadata's strata edited by `edit`.
  static func tampered(_ archive: ModelArchive, _ edit: (inout [String: Any]) -> Void) throws
    -> ModelArchive
  {
    var json = try #require(
      try JSONSerialization.jsonObject(with: archive.metadata) as? [String: Any])
    var strata = try #require(json["strata"] as? [String: Any])
    edit(&strata)
    json["strata"] = strata
    return ModelArchive(
      kind: archive.kind, metadata: try JSONSerialization.data(withJSONObject: json),
      arrays: archive.arrays)
  }

  @Test func damagedModelFilesAreRefused() throws {
    let model = try StrataModel(
      fitting: try PopularityStrataRatingTests.dataset(),
      catalog: try PopularityStrataRatingTests.catalog())
    let archive = try model.archive()
    #expect(try StrataModel(archive: archive) == model)
    let cases: [(ModelFileError.Kind, (inout [String: Any]) -> Void)] = [
      (.corrupted, { $0["latest"] = [Float(1)] }),
      (.invalidValue, { $0["popularity"] = [-1, 1, 1, 1, 1, 1] as [Float] }),
      (.invalidValue, { $0["trending"] = [1e30, 1, 1, 1, 1, 1] as [Float] }),
      (
        .invalidValue,
        {
          $0["itemGenres"] =
            [Int32(7)] + (($0["itemGenres"] as? [Int]) ?? []).dropFirst().map { Int32($0) }
        }
      ),
      (.corrupted, { $0["itemGenreOffsets"] = [0, 1] }),
      (.invalidValue, { $0["minimumVotes"] = 0 }),
      (.corrupted, { $0.removeValue(forKey: "rising") }),
    ]
    for (k, (kind, edit)) in cases.enumerated() {
      let error = try #require(throws: ModelFileError.self, "case \(k)") {
        try StrataModel(archive: try Self.tampered(archive, edit))
      }
      #expect(error.kind == kind, "case \(k): \(error)")
    }
  }
}
