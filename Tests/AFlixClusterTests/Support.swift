import AFlixCluster
import AFlixData
import AFlixLinalg
import AFlixSynth
import Foundation

/// Fixture files and generated data shared by the AFlixCluster tests.
enum Support {
  struct Missing: Error, CustomStringConvertible {
    var description: String { "the Fixtures resource folder is missing from the test bundle" }
  }

  /// A fixture file of `Tests/AFlixClusterTests/Fixtures`.
  static func fixture(_ name: String) throws -> String {
    guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw Missing()
    }
    return try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
  }

  /// `points.csv` of the fixtures (300 × 5).
  static func fixturePoints() throws -> Matrix<Double> {
    let rows = try fixture("points.csv").split(separator: "\n").map { line in
      line.split(separator: ",").map { Double($0)! }
    }
    return Matrix(rows)
  }

  /// `labels.csv` of the fixtures.
  static func fixtureLabels() throws -> [Int] {
    try fixture("labels.csv").split(separator: "\n").map { Int($0)! }
  }

  /// `clusters` Gaussian blobs of `perCluster` points in `d` dimensions, centres on a seeded
  /// random draw scaled by `separation`, unit spread; the points come cluster after cluster.
  static func blobs(
    clusters: Int, perCluster: Int, d: Int, separation: Double = 10, seed: UInt64 = 1
  ) -> (points: Matrix<Double>, truth: [Int]) {
    var rng = SeededGenerator(seed: seed)
    let centers = (0..<(clusters * d)).map { _ in rng.nextGaussian() * separation }
    var values: [Double] = []
    var truth: [Int] = []
    for c in 0..<clusters {
      for _ in 0..<perCluster {
        for j in 0..<d { values.append(centers[c * d + j] + rng.nextGaussian()) }
        truth.append(c)
      }
    }
    return (Matrix(rows: clusters * perCluster, columns: d, elements: values), truth)
  }

  /// Uniform random points in the unit cube.
  static func uniform(n: Int, d: Int, seed: UInt64) -> Matrix<Double> {
    var rng = SeededGenerator(seed: seed)
    return Matrix(rows: n, columns: d, elements: (0..<(n * d)).map { _ in rng.nextUnitDouble() })
  }

  /// The textbook O(n²) silhouette, for checking the blocked one.
  static func naiveSilhouette(_ points: Matrix<Double>, labels: [Int]) -> [Double] {
    let n = points.rows
    let d = points.columns
    let clusters = Set(labels).sorted()
    return (0..<n).map { i in
      var sums: [Int: Double] = [:]
      var counts: [Int: Int] = [:]
      for j in 0..<n {
        var s = 0.0
        for t in 0..<d {
          let diff = points[i, t] - points[j, t]
          s += diff * diff
        }
        sums[labels[j], default: 0] += s.squareRoot()
        counts[labels[j], default: 0] += 1
      }
      let own = labels[i]
      guard counts[own]! > 1 else { return 0 }
      let a = sums[own]! / Double(counts[own]! - 1)
      let b = clusters.filter { $0 != own }.map { sums[$0]! / Double(counts[$0]!) }.min()!
      return (b - a) / max(a, b)
    }
  }
}
