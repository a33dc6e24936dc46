import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation
import Testing

@Suite("Hybrid model")
struct HybridModelTests {
  /// z-scores computed here, independently of the library's standardisation.
  static func zScores(_ v: [Float]) -> [Double] {
    let x = v.map(Double.init)
    let mean = x.reduce(0, +) / Double(x.count)
    let sd = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot()
    return sd == 0 ? x.map { _ in 0 } : x.map { ($0 - mean) / sd }
  }

  static func fitted(weights: HybridWeights = .measured) throws -> (HybridModel, RatingsDataset) {
    let (train, _) = try FactorTestData.noisyLowRank(users: 80, items: 50)
    return (try Hybrid(weights: weights).fit(train), train)
  }

  @Test func knownUserScoresAreTheWeightedSumOfStandardisedScores() throws {
    let mix = HybridMix(collaborative: 0.6, content: 0.3, popularity: 0.1)
    let (model, _) = try Self.fitted(weights: try HybridWeights(fixed: mix))
    for u in [0, 9, 41] {
      let c = Self.zScores(model.collaborative.scores(forUser: u))
      let p = Self.zScores(model.popularity.scores(forUser: u))
      let got = model.scores(forUser: u)
      for i in got.indices {
        // No content scorer: its weight is simply absent.
        #expect(abs(Double(got[i]) - (0.6 * c[i] + 0.1 * p[i])) < 1e-4)
      }
    }
  }

  @Test func theTierFollowsTheNumberOfKnownRatings() throws {
    let (model, train) = try Self.fitted()
    let u = 3
    let n = train.ratings(ofUser: u).items.count
    let mix = HybridWeights.measured.mix(forRatingCount: n)
    let c = Self.zScores(model.collaborative.scores(forUser: u))
    let p = Self.zScores(model.popularity.scores(forUser: u))
    let got = model.scores(forUser: u)
    for i in got.indices {
      let want = Double(mix.collaborative) * c[i] + Double(mix.popularity) * p[i]
      #expect(abs(Double(got[i]) - want) < 1e-4)
    }
    // A fold-in of one rating uses the one-rating tier: popularity weighs 4 to 1.
    let one = UserRatings([(item: 7, value: 5)], itemCount: model.items.count)
    let folded = model.scores(forRatings: one).values
    let cf = Self.zScores(model.collaborative.scores(forRatings: one).values)
    for i in folded.indices {
      #expect(abs(Double(folded[i]) - (cf[i] + 4 * p[i])) < 1e-4)
    }
  }

  @Test func everyRequestGetsAFullList() throws {
    let (model, train) = try Self.fitted()
    let popular = TopItems.select(model.popularity.scoresForUnknownUser().values, count: 10)
    // A brand-new id: the no-history tier is popularity alone.
    let fresh = model.recommend(user: "nobody", count: 10)
    #expect(fresh.items.count == 10)
    #expect(fresh.items.map { model.items.index(of: $0.item)! } == popular)
    // Every rated film unknown to the model: still ten films, the same popularity list.
    let unknown = model.recommend(forRatings: [(item: 99_999, value: 5)], count: 10)
    #expect(unknown.items.count == 10 && unknown.ignoredItems == [99_999])
    // Known users: ten films, none of their training films.
    for u in 0..<train.userCount {
      let list = model.recommend(user: train.users.id(at: u), count: 10)
      let rated = Set(train.ratings(ofUser: u).items.map { train.items.id(at: Int($0)) })
      #expect(list.items.count == 10)
      #expect(list.items.allSatisfy { !rated.contains($0.item) })
    }
  }

  @Test func batchScoresAreTheSingleUserScores() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 80, items: 50)
    for collaborative in [
      ImplicitALS(factors: 4, iterations: 3) as any RecommenderAlgorithm, EASE(),
    ] {
      let model = try Hybrid(collaborative: collaborative).fit(train)
      let users = [0, 17, 3, 79, 17]
      let batch = model.scores(forUsers: users)
      for (r, u) in users.enumerated() {
        let single = model.scores(forUser: u)
        for i in single.indices { #expect(abs(batch[r * 50 + i] - single[i]) < 1e-4) }
      }
      let ids = users.map { train.users.id(at: $0) }
      #expect(
        model.recommend(users: ids, count: 5).map { $0.items.map(\.item) }
          == ids.map { model.recommend(user: $0, count: 5).items.map(\.item) })
    }
  }

  @Test func aFitWithAKnownSourceRecordsItsProvenance() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30)
    var algorithm = Hybrid(collaborative: ImplicitALS(factors: 6, iterations: 2))
    #expect(try algorithm.fit(train).fitRecord?.provenance == nil)
    algorithm.source = .world
    let provenance = try #require(try algorithm.fit(train).fitRecord?.provenance)
    #expect(provenance.source == .world && provenance.factorCount == 6)
  }

  @Test func scorersFittedOnOtherDataAreRefused() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30)
    let (other, _) = try FactorTestData.noisyLowRank(users: 40, items: 31, seed: 9)
    #expect(
      FactorTestData.throwsKind(.invalidArgument) {
        _ = try HybridModel(
          collaborative: try EASE().fit(train), content: nil,
          popularity: try PopularityModel(fitting: other), weights: .original)
      })
  }

  @Test func modelFileRoundTripKeepsEveryScore() throws {
    let (model, _) = try Self.fitted()
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "hybrid-\(UUID().uuidString).aflix")
    defer { try? FileManager.default.removeItem(at: url) }
    try model.save(to: url)
    let back = try #require(try ModelRegistry.load(from: url) as? HybridModel)
    #expect(back.weights == model.weights)
    #expect(back.history == model.history)
    #expect(back.fitRecord == model.fitRecord)
    for u in [0, 7, 33] { #expect(back.scores(forUser: u) == model.scores(forUser: u)) }
    let ratings = UserRatings([(item: 2, value: 4), (item: 5, value: 1)], itemCount: 50)
    #expect(back.scores(forRatings: ratings) == model.scores(forRatings: ratings))
    #expect(back.scoresForUnknownUser() == model.scoresForUnknownUser())
  }
}

@Suite("Hybrid weights")
struct HybridWeightsTests {
  @Test func chainsAreCheckedWhenBuiltAndWhenDecoded() throws {
    let good = HybridMix(collaborative: 1, content: 0, popularity: 1)
    let bad: [[HybridWeights.Tier]] = [
      [],
      [HybridWeights.Tier(minimumRatings: 1, mix: good)],
      [
        HybridWeights.Tier(minimumRatings: 0, mix: good),
        HybridWeights.Tier(minimumRatings: 0, mix: good),
      ],
      [
        HybridWeights.Tier(
          minimumRatings: 0, mix: HybridMix(collaborative: 0, content: 0, popularity: 0))
      ],
      [
        HybridWeights.Tier(
          minimumRatings: 0, mix: HybridMix(collaborative: .nan, content: 0, popularity: 1))
      ],
      [
        HybridWeights.Tier(
          minimumRatings: 0, mix: HybridMix(collaborative: -1, content: 0, popularity: 1))
      ],
    ]
    // NaN written as a string, so that the decoder sees it and must refuse it.
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    for tiers in bad {
      #expect(FactorTestData.throwsKind(.invalidArgument) { _ = try HybridWeights(tiers: tiers) })
      // The same tiers, written as JSON by hand, do not decode either.
      let json = try encoder.encode(["tiers": tiers])
      #expect(throws: DecodingError.self) { _ = try decoder.decode(HybridWeights.self, from: json) }
    }
    let data = try JSONEncoder().encode(HybridWeights.measured)
    #expect(try JSONDecoder().decode(HybridWeights.self, from: data) == .measured)
  }

  @Test func theMixIsTheLastTierAtOrBelowTheCount() throws {
    let w = HybridWeights.measured
    #expect(w.mix(forRatingCount: 0).collaborative == 0)
    #expect(w.mix(forRatingCount: 1).popularity == 4)
    #expect(w.mix(forRatingCount: 4).popularity == 4)
    #expect(w.mix(forRatingCount: 9).popularity == 2.5 && w.mix(forRatingCount: 9).content == 0.5)
    #expect(w.mix(forRatingCount: 10).popularity == 1.5)
    #expect(w.mix(forRatingCount: 1000).popularity == 0.375)
    #expect(HybridWeights.original.mix(forRatingCount: 7).content == 0.3)
  }
}
