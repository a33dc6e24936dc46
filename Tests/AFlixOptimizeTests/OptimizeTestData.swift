import AFlixData
import AFlixLinalg

/// Small seeded rating data with a low-rank structure and user groups.
enum OptimizeTestData {
  /// `users × items` ratings from `rank` latent tastes in `groups` user groups, about `density`
  /// of the cells rated.
  static func ratings(
    users: Int = 240, items: Int = 90, rank: Int = 4, groups: Int = 3, density: Double = 0.3,
    seed: UInt64 = 5
  ) throws -> RatingsDataset {
    var rng = SeededGenerator(seed: seed)
    let centres = (0..<(groups * rank)).map { _ in rng.nextGaussian() }
    let itemFactors = (0..<(items * rank)).map { _ in rng.nextGaussian() * 0.7 }
    var ratings: [Rating] = []
    for u in 0..<users {
      let g = u % groups
      let taste = (0..<rank).map { centres[g * rank + $0] + 0.3 * rng.nextGaussian() }
      for i in 0..<items where rng.nextUnitDouble() < density {
        var s = 3.0 + 0.3 * rng.nextGaussian()
        for t in 0..<rank { s += taste[t] * itemFactors[i * rank + t] }
        ratings.append(
          Rating(user: .int(u + 1), item: .int(i + 1), value: Float(min(5, max(1, s.rounded())))))
      }
    }
    return try RatingsDataset(ratings: ratings, scale: RatingScale(minimum: 1, maximum: 5))
  }
}
