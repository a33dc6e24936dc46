import AFlix

/// The built-in sample `aflix info` describes when given no path: 300 users × 120 films with a
/// few latent tastes, generated from a fixed seed (so it needs no file and is the same everywhere).
enum SampleDataset {
  static func loaded() throws -> LoadedDataset {
    var rng = SeededGenerator(seed: 2024)
    let users = 300
    let items = 120
    let rank = 4
    let itemFactors = (0..<(items * rank)).map { _ in rng.nextGaussian() * 0.6 }
    let itemBias = (0..<items).map { _ in rng.nextGaussian() * 0.4 }
    var ratings = [Rating]()
    for u in 0..<users {
      let taste = (0..<rank).map { _ in rng.nextGaussian() * 0.6 }
      let tendency = 3.4 + rng.nextGaussian() * 0.4
      let count = Int.random(in: 10...40, using: &rng)
      var seen = Set<Int>()
      while seen.count < count { seen.insert(Int.random(in: 0..<items, using: &rng)) }
      for i in seen.sorted() {
        var x = tendency + itemBias[i] + rng.nextGaussian() * 0.6
        for t in 0..<rank { x += taste[t] * itemFactors[i * rank + t] }
        let stars = Float(min(5, max(1, x.rounded())))
        ratings.append(
          Rating(
            user: .int(u + 1), item: .int(i + 1), value: stars,
            timestamp: 1_700_000_000 + Int64(ratings.count)))
      }
    }
    let dataset = try RatingsDataset(ratings: ratings, scale: .oneToFive)
    return LoadedDataset(
      ratings: dataset, catalog: nil, report: LoadReport(linesRead: ratings.count),
      format: .delimited, source: "built-in sample (seed 2024)")
  }
}
