import AFlixLinalg

/// Turning user factors into the points K-means segments.
///
/// ```swift
/// let svd = try ratings.userItemMatrix(as: Double.self).truncatedSVD(
///   rank: 16, centering: .observedEntries(.perRow), method: .randomized(.init(seed: 1)))
/// let points = SegmentationFeatures.unitRows(SegmentationFeatures.scaledFactors(svd.u, svd.singularValues))
/// let segments = try KMeans(clusterCount: 5, seed: 1).fit(points)   // cosine K-means
/// ```
///
/// On the archetype world (AFlix's synthetic users with known taste segments), K-means on unit
/// rows of `U·Σ` of the user-centred ratings recovers the segments best among the plain SVD
/// representations tried (U or U·Σ, raw or unit rows, with or without the first component,
/// user- or item-centred, 3–30 factors); see the Clustering article for the figures.
public enum SegmentationFeatures {
  /// `U·Σ`: each column `t` of `u` (`n × r`) times `singularValues[t]`.
  ///
  /// - Precondition: `singularValues.count == u.columns`.
  public static func scaledFactors(_ u: Matrix<Double>, _ singularValues: [Double])
    -> Matrix<Double>
  {
    precondition(singularValues.count == u.columns, "one singular value per column")
    var out = u
    let r = u.columns
    for i in 0..<u.rows {
      for t in 0..<r { out.elements[i * r + t] *= singularValues[t] }
    }
    return out
  }

  /// Every row divided by its Euclidean norm (a row of zeros stays zeros), so that K-means
  /// compares directions only (cosine K-means): a user's taste, not how many films they rated
  /// or how far their ratings spread.
  public static func unitRows(_ points: Matrix<Double>) -> Matrix<Double> {
    var out = points
    let d = points.columns
    let norms = rowSquaredNorms(points.elements, rows: points.rows, columns: d)
    for i in 0..<points.rows where norms[i] > 0 {
      let scale = 1 / norms[i].squareRoot()
      for j in 0..<d { out.elements[i * d + j] *= scale }
    }
    return out
  }
}
