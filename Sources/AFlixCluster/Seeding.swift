import AFlixLinalg
import Foundation

/// Initial centres for K-means, in the shifted coordinates of a ``PointSet``.
enum Seeding {
  /// Greedy k-means++ (Arthur & Vassilvitskii, 2007, with scikit-learn's greedy local trials):
  /// the first centre is a point drawn with probability proportional to its weight; each next
  /// centre is the best of `2 + ⌊ln k⌋` candidates drawn with probability proportional to
  /// `w·D(x)²`, the best being the one that leaves the smallest potential `Σ w·D(x)²`.
  ///
  /// - Complexity: O(n · d · k · log k), the distances through `gemm`.
  static func kMeansPlusPlus(
    _ points: PointSet, k: Int, using rng: inout SeededGenerator
  ) -> [Double] {
    let n = points.n
    let d = points.d
    let trials = 2 + Int(Foundation.log(Double(k)))
    var centers = [Double](repeating: 0, count: k * d)
    var weighted = [Double](repeating: 0, count: n)
    for i in 0..<n { weighted[i] = points.weight(i) }
    let first = draw(cumulative: cumulativeSums(weighted), using: &rng)
    copyRow(first, of: points, into: &centers, at: 0)
    var closest = squaredDistances(points, to: [first])[0]
    var potential = weightedSum(points, closest)
    if k == 1 { return centers }
    for c in 1..<k {
      var products = [Double](repeating: 0, count: n)
      for i in 0..<n { products[i] = points.weight(i) * closest[i] }
      let cumulative = cumulativeSums(products)
      var candidates = [Int]()
      for _ in 0..<trials {
        let target = rng.nextUnitDouble() * potential
        candidates.append(min(n - 1, searchSorted(cumulative, target)))
      }
      let distances = squaredDistances(points, to: candidates)
      var bestTrial = 0
      var bestPotential = Double.infinity
      var bestDistances: [Double] = []
      for t in 0..<trials {
        var row = distances[t]
        for i in 0..<n where closest[i] < row[i] { row[i] = closest[i] }
        let p = weightedSum(points, row)
        if p < bestPotential {
          bestPotential = p
          bestTrial = t
          bestDistances = row
        }
      }
      potential = bestPotential
      closest = bestDistances
      copyRow(candidates[bestTrial], of: points, into: &centers, at: c)
    }
    return centers
  }

  /// `k` distinct points drawn without replacement with probability proportional to their
  /// weights (uniformly among the rest once only zero weights remain).
  static func random(_ points: PointSet, k: Int, using rng: inout SeededGenerator) -> [Double] {
    var centers = [Double](repeating: 0, count: k * points.d)
    var remaining = (0..<points.n).map { points.weight($0) }
    var taken = [Bool](repeating: false, count: points.n)
    for c in 0..<k {
      let total = remaining.reduce(0, +)
      var pick: Int
      if total > 0 {
        pick = draw(cumulative: cumulativeSums(remaining), using: &rng)
        if taken[pick] { pick = taken.firstIndex(of: false)! }
      } else {
        let free = (0..<points.n).filter { !taken[$0] }
        pick = free[Int(rng.nextUnitDouble() * Double(free.count))]
      }
      taken[pick] = true
      remaining[pick] = 0
      copyRow(pick, of: points, into: &centers, at: c)
    }
    return centers
  }

  /// Running sums, left to right.
  static func cumulativeSums(_ values: [Double]) -> [Double] {
    var out = values
    var s = 0.0
    for i in 0..<out.count {
      s += out[i]
      out[i] = s
    }
    return out
  }

  /// An index drawn with probability proportional to the increments of `cumulative`.
  static func draw(cumulative: [Double], using rng: inout SeededGenerator) -> Int {
    let target = rng.nextUnitDouble() * cumulative[cumulative.count - 1]
    return min(cumulative.count - 1, searchSorted(cumulative, target, strictlyAbove: true))
  }

  /// The first index whose value is ≥ `target` (or > `target` when `strictlyAbove`), as NumPy's
  /// `searchsorted` (side left / right); `values.count` when there is none.
  static func searchSorted(_ values: [Double], _ target: Double, strictlyAbove: Bool = false)
    -> Int
  {
    var lo = 0
    var hi = values.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if strictlyAbove ? values[mid] <= target : values[mid] < target {
        lo = mid + 1
      } else {
        hi = mid
      }
    }
    return lo
  }

  /// `Σ wᵢ vᵢ`, left to right.
  static func weightedSum(_ points: PointSet, _ values: [Double]) -> Double {
    var s = 0.0
    for i in 0..<values.count { s += points.weight(i) * values[i] }
    return s
  }

  /// Squared distances from the points `rows` to every point (`rows.count` arrays of `n`), by the
  /// expansion `‖c‖² − 2 c·x + ‖x‖²` through one `gemm`, clamped at 0.
  static func squaredDistances(_ points: PointSet, to rows: [Int]) -> [[Double]] {
    let n = points.n
    let d = points.d
    var selected = [Double](repeating: 0, count: rows.count * d)
    for (t, i) in rows.enumerated() { copyRow(i, of: points, into: &selected, at: t) }
    var dots = [Double](repeating: 0, count: rows.count * n)
    selected.withUnsafeBufferPointer { a in
      points.values.withUnsafeBufferPointer { x in
        dots.withUnsafeMutableBufferPointer { out in
          gemmABt(
            a.baseAddress!, rows: rows.count, x.baseAddress!, rows: n, depth: d,
            into: out.baseAddress!)
        }
      }
    }
    return rows.enumerated().map { t, r in
      let norm = points.squaredNorms[r]
      return (0..<n).map { i in
        let v = norm - 2 * dots[t * n + i] + points.squaredNorms[i]
        return i == r ? 0 : (v > 0 ? v : 0)
      }
    }
  }

  /// Copies point `i` into row `row` of a row-major `[Double]` of width `d`.
  @inline(__always)
  static func copyRow(_ i: Int, of points: PointSet, into out: inout [Double], at row: Int) {
    let d = points.d
    for j in 0..<d { out[row * d + j] = points.values[i * d + j] }
  }
}
