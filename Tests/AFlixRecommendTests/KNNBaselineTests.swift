import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixRecommend

@Suite("Item-kNN with baselines")
struct KNNBaselineTests {
  /// 5 users × 4 items, 15 ratings: every item pair shares 2–4 raters.
  static func small() throws -> RatingsDataset {
    let rows: [(Int, String, Float)] = [
      (1, "a", 5), (1, "b", 4), (1, "c", 1), (1, "d", 2),
      (2, "a", 4), (2, "b", 5), (2, "c", 2),
      (3, "a", 1), (3, "c", 5), (3, "d", 4),
      (4, "b", 2), (4, "c", 4), (4, "d", 5),
      (5, "a", 3), (5, "d", 3),
    ]
    return try RatingsDataset(
      ratings: rows.map { Rating(user: .int($0.0), item: .string($0.1), value: $0.2) },
      scale: .oneToFive)
  }

  /// Surprise's `pearson_baseline` (or `cosine` with `baseline` nil) between columns `x` and `y`
  /// of `matrix`, straight from the definition, in `Double`.
  static func reference(
    _ data: RatingsDataset, _ x: Int, _ y: Int, baseline: BaselineModel?, shrinkage: Double,
    itemBased: Bool = true
  ) -> Double {
    if x == y { return 1 }
    var n = 0
    var prod = 0.0
    var sx = 0.0
    var sy = 0.0
    let outer = itemBased ? data.userCount : data.itemCount
    for o in 0..<outer {
      let (u1, i1, u2, i2) = itemBased ? (o, x, o, y) : (x, o, y, o)
      guard let r1 = data.value(user: u1, item: i1), let r2 = data.value(user: u2, item: i2)
      else { continue }
      var d1 = Double(r1)
      var d2 = Double(r2)
      if let b = baseline {
        d1 -= Double(b.globalMean + b.userBias[u1] + b.itemBias[i1])
        d2 -= Double(b.globalMean + b.userBias[u2] + b.itemBias[i2])
      }
      n += 1
      prod += d1 * d2
      sx += d1 * d1
      sy += d2 * d2
    }
    guard baseline == nil ? n >= 1 : n >= 2 else { return 0 }
    var s = prod / (sx * sy).squareRoot()
    if baseline != nil { s *= Double(n - 1) / (Double(n - 1) + shrinkage) }
    return s
  }

  @Test(arguments: [0.0, 1.0, 100.0])
  func pearsonBaselineMatchesTheDefinition(shrinkage: Double) throws {
    let data = try Self.small()
    let model = try KNNBaseline(shrinkage: shrinkage).fit(data)
    var biases = try Baseline().fit(data)
    // The kNN model's own record and history stand for its baseline part's.
    biases.fitRecord = nil
    biases.history = UserHistory(emptyFor: data.userCount)
    #expect(model.baseline == biases)
    for x in 0..<4 {
      for y in 0..<4 {
        let expected = Self.reference(data, x, y, baseline: biases, shrinkage: shrinkage)
        #expect(abs(Double(model.similarities[x, y]) - expected) < 1e-5, "s(\(x), \(y))")
      }
    }
    // Symmetric with a unit diagonal.
    #expect(model.similarities == model.similarities.transposed)
    #expect((0..<4).allSatisfy { model.similarities[$0, $0] == 1 })
  }

  @Test func cosineAndUserBasedMatchTheDefinition() throws {
    let data = try Self.small()
    let cosine = try KNNBaseline(similarity: .cosine).fit(data)
    // Items a and b: common raters 1 (5, 4) and 2 (4, 5): 40 / (√41 · √41).
    #expect(abs(cosine.similarities[0, 1] - 40 / 41) < 1e-6)
    let users = try KNNBaseline(shrinkage: 1, itemBased: false).fit(data)
    #expect(users.similarities.rows == 5)
    let userCosine = try KNNBaseline(similarity: .cosine, itemBased: false).fit(data)
    for x in 0..<5 {
      for y in 0..<5 {
        let expected = Self.reference(
          data, x, y, baseline: users.baseline, shrinkage: 1, itemBased: false)
        #expect(abs(Double(users.similarities[x, y]) - expected) < 1e-5, "s(\(x), \(y))")
        let c = Self.reference(data, x, y, baseline: nil, shrinkage: 0, itemBased: false)
        #expect(abs(Double(userCosine.similarities[x, y]) - c) < 1e-5)
      }
    }
  }

  /// `b_ui + Σ s (r − b) / Σ s` over the `k` most similar positive neighbours, by hand.
  static func expected(_ model: KNNBaselineModel, _ data: RatingsDataset, user: Int, item: Int)
    -> Float
  {
    let b = model.baseline
    let base = b.globalMean + b.userBias[user] + b.itemBias[item]
    let (rated, values) = data.ratings(ofUser: user)
    var neighbours: [(s: Float, residual: Float)] = []
    for (j, r) in zip(rated, values) {
      let s = model.similarities[item, Int(j)]
      if s > 0 {
        neighbours.append((s, r - (b.globalMean + b.userBias[user] + b.itemBias[Int(j)])))
      }
    }
    neighbours.sort { $0.s > $1.s }
    let top = neighbours.prefix(model.neighbours)
    guard top.count >= model.minimumNeighbours, !top.isEmpty else { return base }
    let num = top.reduce(0) { $0 + $1.s * $1.residual }
    let den = top.reduce(0) { $0 + $1.s }
    return base + num / den
  }

  @Test(arguments: [1, 2, 40])
  func predictionEqualsTheFormula(k: Int) throws {
    let data = try Self.small()
    let model = try KNNBaseline(neighbours: k, shrinkage: 0).fit(data)
    for u in 0..<data.userCount {
      let scores = model.scores(forUser: u)
      for i in 0..<data.itemCount {
        let expected = Self.expected(model, data, user: u, item: i)
        let p = model.predict(user: u, item: i)
        #expect(p.source == .model)
        #expect(abs(p.value - data.scale.clamp(expected)) < 1e-5, "u \(u) i \(i)")
        #expect(abs(scores[i] - expected) < 1e-5, "score u \(u) i \(i)")
      }
    }
  }

  @Test func tooFewNeighboursAndUnknownIdsFallBack() throws {
    let data = try Self.small()
    let strict = try KNNBaseline(neighbours: 5, minimumNeighbours: 5).fit(data)
    for u in 0..<data.userCount {
      for i in 0..<data.itemCount {
        let p = strict.predict(user: u, item: i)
        #expect(p == strict.baseline.predict(user: u, item: i))
        #expect(p.source == .model)
      }
    }
    let model = try KNNBaseline().fit(data)
    #expect(model.predict(user: nil, item: 0) == model.baseline.predict(user: nil, item: 0))
    #expect(model.predict(user: nil, item: 0).source == .itemBaseline)
    #expect(model.predict(user: 0, item: nil).source == .userBaseline)
    #expect(model.predict(user: nil, item: nil).source == .globalMean)
    #expect(
      model.predict(userID: 99, itemID: "zz").value == data.scale.clamp(model.baseline.globalMean))
  }

  @Test func badInputIsATypedError() throws {
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect(FactorTestData.throwsKind(.emptyTrainingData) { _ = try KNNBaseline().fit(empty) })
    let data = try Self.small()
    for bad in [
      KNNBaseline(neighbours: 0), KNNBaseline(minimumNeighbours: -1),
      KNNBaseline(neighbours: 3, minimumNeighbours: 4), KNNBaseline(shrinkage: -1),
      KNNBaseline(shrinkage: .nan), KNNBaseline(shrinkage: .infinity),
      KNNBaseline(baseline: Baseline(userRegularization: -1)),
    ] {
      #expect(FactorTestData.throwsKind(.invalidHyperparameter) { _ = try bad.fit(data) })
    }
  }

  @Test func persistenceRoundTripIsIdentical() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-knn-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for itemBased in [true, false] {
      let model = try KNNBaseline(neighbours: 10, itemBased: itemBased).fit(train)
      let url = folder.appendingPathComponent("knn-\(itemBased).aflix")
      try model.save(to: url)
      let loaded = try KNNBaselineModel.load(from: url)
      #expect(loaded == model)
      let any = try #require(try ModelRegistry.load(from: url) as? KNNBaselineModel)
      #expect(any == model)
      for u in 0..<model.users.count {
        #expect(loaded.scores(forUser: u) == model.scores(forUser: u))
      }
      #expect(try FactorTestData.roundTrip(model) == model)
    }
    #expect(ModelRegistry.kinds.contains("knn"))
  }

  @Test func beatsBaselineOnHeldOutRatings() throws {
    let (train, test) = try FactorTestData.noisyLowRank()
    let knn = try KNNBaseline().fit(train)
    let base = try Baseline().fit(train)
    let (knnRMSE, baseRMSE) = (FactorTestData.rmse(knn, test), FactorTestData.rmse(base, test))
    #expect(knnRMSE < baseRMSE - 0.02, "kNN \(knnRMSE), baseline \(baseRMSE)")
    #expect(KNNBaseline().name == "knn")
    #expect(
      try FactorTestData.roundTrip(KNNBaseline(similarity: .cosine))
        == KNNBaseline(similarity: .cosine))
  }
}
