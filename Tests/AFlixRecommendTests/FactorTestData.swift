import AFlixData
import AFlixLinalg
import AFlixRecommend
import Foundation

/// Small synthetic rating sets for the factor-model tests.
enum FactorTestData {
  /// A fully observed `users × items` matrix `r = 3 + bᵤ + bᵢ + Σₜ aᵤₜ cᵢₜ` of rank `rank`
  /// (plus biases), values within 1…5 before rounding nothing, on a continuous scale.
  static func lowRank(users: Int, items: Int, rank: Int, seed: UInt64) throws -> (
    RatingsDataset, (Int, Int) -> Float
  ) {
    var rng = SeededGenerator(seed: seed)
    let a = (0..<(users * rank)).map { _ in Float(rng.nextGaussian()) * 0.5 }
    let c = (0..<(items * rank)).map { _ in Float(rng.nextGaussian()) * 0.5 }
    let bu = (0..<users).map { _ in Float(rng.nextGaussian()) * 0.3 }
    let bi = (0..<items).map { _ in Float(rng.nextGaussian()) * 0.3 }
    let truth = { (u: Int, i: Int) -> Float in
      var s: Float = 3 + bu[u] + bi[i]
      for t in 0..<rank { s += a[u * rank + t] * c[i * rank + t] }
      return s
    }
    var ratings: [Rating] = []
    for u in 0..<users {
      for i in 0..<items {
        ratings.append(Rating(user: .int(u), item: .int(i), value: truth(u, i)))
      }
    }
    let scale = RatingScale(minimum: -10, maximum: 20)
    return (try RatingsDataset(ratings: ratings, scale: scale), truth)
  }

  /// A sparse low-rank + noise dataset on the 1…5 scale: `density` of the entries observed,
  /// Gaussian noise of standard deviation `noise`; split 80/20 by a seeded holdout.
  static func noisyLowRank(
    users: Int = 300, items: Int = 200, rank: Int = 3, density: Double = 0.25,
    noise: Double = 0.3, seed: UInt64 = 7
  ) throws -> (train: RatingsDataset, test: RatingsDataset) {
    var rng = SeededGenerator(seed: seed)
    let a = (0..<(users * rank)).map { _ in rng.nextGaussian() * 0.6 }
    let c = (0..<(items * rank)).map { _ in rng.nextGaussian() * 0.6 }
    let bu = (0..<users).map { _ in rng.nextGaussian() * 0.3 }
    let bi = (0..<items).map { _ in rng.nextGaussian() * 0.3 }
    var ratings: [Rating] = []
    for u in 0..<users {
      for i in 0..<items where rng.nextUnitDouble() < density {
        var s = 3.2 + bu[u] + bi[i] + noise * rng.nextGaussian()
        for t in 0..<rank { s += a[u * rank + t] * c[i * rank + t] }
        ratings.append(Rating(user: .int(u), item: .int(i), value: Float(min(5, max(1, s)))))
      }
    }
    let data = try RatingsDataset(ratings: ratings, scale: RatingScale(minimum: 1, maximum: 5))
    let split = try data.split(.holdout(testFraction: 0.2), seed: seed)[0]
    return (split.train, split.test)
  }

  /// RMSE of `model` on every rating of `data`.
  static func rmse(_ model: some RatingPredictor, _ data: RatingsDataset) -> Double {
    AccuracyReport(of: model, on: data).rmse
  }

  /// Whether fitting with `algorithm` throws a ``RecommendError`` of `kind`.
  static func throwsKind(_ kind: RecommendError.Kind, _ body: () throws -> Void) -> Bool {
    do {
      try body()
      return false
    } catch let error as RecommendError {
      return error.kind == kind
    } catch {
      return false
    }
  }

  /// A JSON round trip (algorithms: their configuration is `Codable`).
  static func roundTrip<T: Codable>(_ value: T) throws -> T {
    try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
  }

  /// A model-file round trip (fitted models persist through ``ModelArchive`` only).
  static func roundTrip<M: PersistableModel>(_ model: M) throws -> M {
    try M(archive: try model.archive())
  }
}
