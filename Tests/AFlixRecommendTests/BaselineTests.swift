import AFlixData
import AFlixLinalg
import AFlixRecommend
import Testing

@Suite("Baseline biases")
struct BaselineTests {
  /// Every user rates every item: r = 3 + bᵤ + bᵢ exactly.
  static func planted() throws -> (RatingsDataset, [Float], [Float]) {
    let bu: [Float] = [-1, -0.5, 0, 0.25, 0.5, 1]
    let bi: [Float] = [-0.75, -0.25, 0, 0.5, 0.5]
    var ratings: [Rating] = []
    for u in bu.indices {
      for i in bi.indices {
        ratings.append(Rating(user: .int(u), item: .int(i), value: 3 + bu[u] + bi[i]))
      }
    }
    let scale = RatingScale(minimum: 0.5, maximum: 5)
    return (try RatingsDataset(ratings: ratings, scale: scale), bu, bi)
  }

  @Test func unregularisedBiasesReproducePlantedRatings() throws {
    let (data, bu, bi) = try Self.planted()
    let model = try Baseline(epochs: 30, userRegularization: 0, itemRegularization: 0).fit(data)
    for u in bu.indices {
      for i in bi.indices {
        let p = model.predict(user: u, item: i)
        #expect(p.source == .model)
        #expect(abs(p.value - (3 + bu[u] + bi[i])) < 1e-4)
      }
    }
    // Differences of biases are identified (the level is shared with μ).
    #expect(abs((model.userBias[5] - model.userBias[0]) - 2) < 1e-4)
    #expect(abs((model.itemBias[3] - model.itemBias[0]) - 1.25) < 1e-4)
  }

  @Test func oneEpochMatchesTheClosedFormUpdates() throws {
    let data = try RatingsDataset(
      ratings: [
        Rating(user: 1, item: 1, value: 4), Rating(user: 1, item: 2, value: 2),
        Rating(user: 2, item: 1, value: 5),
      ], scale: .oneToFive)
    let model = try Baseline(epochs: 1, userRegularization: 15, itemRegularization: 10).fit(data)
    let mu: Float = 11.0 / 3
    // Items first, with bᵤ = 0: bᵢ = Σ(r − μ) / (10 + n).
    let b1 = ((4 - mu) + (5 - mu)) / 12
    let b2 = (2 - mu) / 11
    #expect(abs(model.itemBias[0] - b1) < 1e-6 && abs(model.itemBias[1] - b2) < 1e-6)
    // Then users: bᵤ = Σ(r − μ − bᵢ) / (15 + n).
    #expect(abs(model.userBias[0] - ((4 - mu - b1) + (2 - mu - b2)) / 17) < 1e-6)
    #expect(abs(model.userBias[1] - (5 - mu - b1) / 16) < 1e-6)
  }

  @Test func unknownIdsFallBackAndPredictionsAreClipped() throws {
    let (data, _, _) = try Self.planted()
    let model = try Baseline().fit(data)
    let unknownUser = model.predict(userID: 99, itemID: 3)
    #expect(unknownUser.source == .itemBaseline)
    #expect(abs(unknownUser.value - (model.globalMean + model.itemBias[3])) < 1e-6)
    #expect(model.predict(userID: 2, itemID: "nope").source == .userBaseline)
    let neither = model.predict(userID: "x", itemID: "y")
    #expect(neither.source == .globalMean && neither.value == model.globalMean)
    let skewed = BaselineModel(
      users: model.users, items: model.items, scale: model.scale, globalMean: 4.8,
      userBias: model.userBias.map { _ in 1 }, itemBias: model.itemBias)
    #expect(skewed.predict(user: 0, item: 3).value == 5)
  }

  @Test func badInputIsATypedError() throws {
    let empty = try RatingsDataset(ratings: [], scale: .oneToFive)
    #expect { _ = try Baseline().fit(empty) } throws: {
      ($0 as? RecommendError)?.kind == .emptyTrainingData
    }
    let (data, _, _) = try Self.planted()
    #expect { _ = try Baseline(userRegularization: -1).fit(data) } throws: {
      ($0 as? RecommendError)?.kind == .invalidHyperparameter
    }
    #expect { _ = try Baseline(itemRegularization: .nan).fit(data) } throws: {
      ($0 as? RecommendError)?.kind == .invalidHyperparameter
    }
  }

  @Test func accuracyReportComputesRMSEAndMAE() throws {
    let (data, _, _) = try Self.planted()
    let model = try Baseline(epochs: 30, userRegularization: 0, itemRegularization: 0).fit(data)
    let test = try RatingsDataset(
      ratings: [Rating(user: 0, item: 0, value: 2.25), Rating(user: 0, item: 1, value: 2.75)],
      scale: data.scale)
    // Planted values are 1.25 and 1.75: errors 1 and 1.
    let report = AccuracyReport(of: model, on: test)
    #expect(abs(report.rmse - 1) < 1e-4 && abs(report.mae - 1) < 1e-4)
    #expect(report.count == 2 && report.fallbacks == 0)
  }
}
