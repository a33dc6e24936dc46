import AFlixData
import AFlixLinalg
import AFlixRecommend

/// Helpers of the fold-in tests.
enum FoldInCheck {
  /// User `u`'s training ratings of `data` as a model's ``UserRatings``.
  static func ratings(_ data: RatingsDataset, user u: Int, model: some RecommenderModel)
    -> UserRatings
  {
    let (items, values) = data.ratings(ofUser: u)
    let pairs = zip(items, values).map { (item: data.items.id(at: Int($0)), value: $1) }
    return model.userRatings(pairs).ratings
  }

  /// The Pearson correlation of two score lists.
  static func correlation(_ a: [Float], _ b: [Float]) -> Double {
    let n = Double(a.count)
    let ma = a.reduce(0.0) { $0 + Double($1) } / n
    let mb = b.reduce(0.0) { $0 + Double($1) } / n
    var sab = 0.0
    var saa = 0.0
    var sbb = 0.0
    for (x, y) in zip(a, b) {
      sab += (Double(x) - ma) * (Double(y) - mb)
      saa += (Double(x) - ma) * (Double(x) - ma)
      sbb += (Double(y) - mb) * (Double(y) - mb)
    }
    return sab / (saa * sbb).squareRoot()
  }

  /// The largest absolute difference between two lists.
  static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }
}
