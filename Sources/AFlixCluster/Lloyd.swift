import AFlixLinalg

/// The outcome of one Lloyd run (one restart), in the shifted coordinates of its ``PointSet``.
struct LloydRun: Sendable {
  var centers: [Double]
  var labels: [Int32]
  var inertia: Double
  var iterations: Int
  var converged: Bool
}

/// Lloyd's algorithm with BLAS distances, as scikit-learn's `_kmeans_single_lloyd`.
enum Lloyd {
  /// Per-chunk results of an assignment pass, reduced in chunk order.
  struct Totals {
    var sums: [Double]
    var weights: [Double]
    var changed: Int
  }

  /// Assigns every point to its nearest centre (`argmin_c ‖c‖² − 2 x·c`, ties to the lowest
  /// index), writing `labels`; with `accumulate`, also sums the weighted points of each cluster.
  ///
  /// Rows are cut in chunks of `ChunkedWork.rowsPerChunk`, each with one `gemm`; chunk partials
  /// are added in chunk order, so the totals do not depend on `threads`.
  static func assign(
    _ points: PointSet, centers: [Double], k: Int, labels: inout [Int32], accumulate: Bool,
    threads: Int
  ) -> Totals {
    let d = points.d
    let chunks = ChunkedWork.ranges(count: points.n, size: ChunkedWork.rowsPerChunk)
    let centerNorms = rowSquaredNorms(centers, rows: k, columns: d)
    var partials = [Totals?](repeating: nil, count: chunks.count)
    points.values.withUnsafeBufferPointer { x in
      centers.withUnsafeBufferPointer { c in
        labels.withUnsafeMutableBufferPointer { labelBuffer in
          partials.withUnsafeMutableBufferPointer { out in
            ChunkedWork.forEach(count: chunks.count, threads: threads) { chunk in
              // Chunk `chunk` writes only its own rows of `labels` and its own partial.
              let range = chunks[chunk]
              var tile = [Double](repeating: 0, count: range.count * k)
              var sums = [Double](repeating: 0, count: accumulate ? k * d : 0)
              var weights = [Double](repeating: 0, count: accumulate ? k : 0)
              var changed = 0
              tile.withUnsafeMutableBufferPointer { t in
                sums.withUnsafeMutableBufferPointer { s in
                  gemmABt(
                    x.baseAddress! + range.lowerBound * d, rows: range.count, c.baseAddress!,
                    rows: k, depth: d, into: t.baseAddress!)
                  for (r, i) in range.enumerated() {
                    let best = nearest(t.baseAddress! + r * k, centerNorms, k)
                    if labelBuffer[i] != Int32(best) {
                      changed += 1
                      labelBuffer[i] = Int32(best)
                    }
                    if accumulate {
                      let w = points.weight(i)
                      weights[best] += w
                      let xi = x.baseAddress! + i * d
                      let target = s.baseAddress! + best * d
                      for j in 0..<d { target[j] += w * xi[j] }
                    }
                  }
                }
              }
              out[chunk] = Totals(sums: sums, weights: weights, changed: changed)
            }
          }
        }
      }
    }
    var total = Totals(
      sums: [Double](repeating: 0, count: accumulate ? k * d : 0),
      weights: [Double](repeating: 0, count: accumulate ? k : 0), changed: 0)
    for partial in partials {
      let p = partial!
      total.changed += p.changed
      for j in 0..<total.sums.count { total.sums[j] += p.sums[j] }
      for j in 0..<total.weights.count { total.weights[j] += p.weights[j] }
    }
    return total
  }

  /// The index of the smallest `‖c‖² − 2 x·c` given the row of dot products `x·c`; ties go to
  /// the lowest index.
  @inline(__always)
  static func nearest(_ dots: UnsafePointer<Double>, _ centerNorms: [Double], _ k: Int) -> Int {
    var best = 0
    var bestValue = centerNorms[0] - 2 * dots[0]
    for j in 1..<k {
      let value = centerNorms[j] - 2 * dots[j]
      if value < bestValue {
        bestValue = value
        best = j
      }
    }
    return best
  }

  /// `Σ wᵢ ‖xᵢ − c_{labelᵢ}‖²`, computed directly (not by the expansion), in chunk order.
  static func inertia(
    _ points: PointSet, centers: [Double], labels: [Int32], threads: Int
  ) -> Double {
    let d = points.d
    let chunks = ChunkedWork.ranges(count: points.n, size: ChunkedWork.rowsPerChunk)
    var partials = [Double](repeating: 0, count: chunks.count)
    points.values.withUnsafeBufferPointer { x in
      centers.withUnsafeBufferPointer { c in
        partials.withUnsafeMutableBufferPointer { out in
          ChunkedWork.forEach(count: chunks.count, threads: threads) { chunk in
            // Chunk `chunk` writes only `out[chunk]`.
            var s = 0.0
            for i in chunks[chunk] {
              s +=
                points.weight(i)
                * squaredDistance(x.baseAddress! + i * d, c.baseAddress! + Int(labels[i]) * d, d)
            }
            out[chunk] = s
          }
        }
      }
    }
    return partials.reduce(0, +)
  }

  /// `‖a − b‖²` over `d` coordinates.
  @inline(__always)
  static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int)
    -> Double
  {
    var s = 0.0
    for j in 0..<d {
      let t = a[j] - b[j]
      s += t * t
    }
    return s
  }

  /// `‖a_i − b_j‖²` for row `i` of `a` and row `j` of `b` (row-major, width `d`).
  @inline(__always)
  static func squaredDistance(_ a: [Double], _ i: Int, _ b: [Double], _ j: Int, _ d: Int)
    -> Double
  {
    a.withUnsafeBufferPointer { x in
      b.withUnsafeBufferPointer { y in
        squaredDistance(x.baseAddress! + i * d, y.baseAddress! + j * d, d)
      }
    }
  }

  /// The weighted sums and weights of the clusters of `labels`, summed exactly as ``assign``
  /// sums them (per chunk in row order, chunk partials added in chunk order).
  static func clusterTotals(_ points: PointSet, labels: [Int32], k: Int, threads: Int) -> Totals {
    let d = points.d
    let chunks = ChunkedWork.ranges(count: points.n, size: ChunkedWork.rowsPerChunk)
    var partials = [Totals?](repeating: nil, count: chunks.count)
    points.values.withUnsafeBufferPointer { x in
      partials.withUnsafeMutableBufferPointer { out in
        ChunkedWork.forEach(count: chunks.count, threads: threads) { chunk in
          // Chunk `chunk` writes only its own partial.
          var sums = [Double](repeating: 0, count: k * d)
          var weights = [Double](repeating: 0, count: k)
          sums.withUnsafeMutableBufferPointer { s in
            for i in chunks[chunk] {
              let best = Int(labels[i])
              let w = points.weight(i)
              weights[best] += w
              let xi = x.baseAddress! + i * d
              let target = s.baseAddress! + best * d
              for j in 0..<d { target[j] += w * xi[j] }
            }
          }
          out[chunk] = Totals(sums: sums, weights: weights, changed: 0)
        }
      }
    }
    var total = Totals(
      sums: [Double](repeating: 0, count: k * d), weights: [Double](repeating: 0, count: k),
      changed: 0)
    for partial in partials {
      let p = partial!
      for j in 0..<total.sums.count { total.sums[j] += p.sums[j] }
      for j in 0..<total.weights.count { total.weights[j] += p.weights[j] }
    }
    return total
  }

  /// Runs Lloyd iterations from `initial` centres until the labels stop changing, the summed
  /// squared centre shift is at most `tolerance`, or `maximumIterations` passes; then assigns
  /// every point to the final centres and measures the inertia.
  static func run(
    _ points: PointSet, initial: [Double], k: Int, maximumIterations: Int, tolerance: Double,
    threads: Int, algorithm: KMeans.Algorithm = .elkan
  ) -> LloydRun {
    if algorithm == .elkan {
      return BoundedLloyd.run(
        points, initial: initial, k: k, maximumIterations: maximumIterations,
        tolerance: tolerance, threads: threads)
    }
    let d = points.d
    var centers = initial
    var labels = [Int32](repeating: -1, count: points.n)
    var iterations = 0
    var converged = false
    for iteration in 1...maximumIterations {
      iterations = iteration
      let totals = assign(
        points, centers: centers, k: k, labels: &labels, accumulate: true, threads: threads)
      var next = updatedCenters(points, totals: totals, old: centers, labels: labels, k: k)
      var shift = 0.0
      for j in 0..<(k * d) {
        let t = next[j] - centers[j]
        shift += t * t
      }
      swap(&centers, &next)
      if totals.changed == 0 || shift <= tolerance {
        converged = true
        break
      }
    }
    // The labels of the final centres (a no-op on strict convergence, needed otherwise), so that
    // `predict` of the training points gives back the training labels.
    _ = assign(points, centers: centers, k: k, labels: &labels, accumulate: false, threads: threads)
    let inertia = inertia(points, centers: centers, labels: labels, threads: threads)
    return LloydRun(
      centers: centers, labels: labels, inertia: inertia, iterations: iterations,
      converged: converged)
  }

  /// The weighted means of the clusters; an empty cluster takes the point farthest from its
  /// (old) centre, the next empty cluster the next farthest point, and so on (scikit-learn's
  /// `_relocate_empty_clusters_dense`). Ties go to the lower point index.
  static func updatedCenters(
    _ points: PointSet, totals: Totals, old: [Double], labels: [Int32], k: Int
  ) -> [Double] {
    let d = points.d
    var sums = totals.sums
    var weights = totals.weights
    var relocated = [Int?](repeating: nil, count: k)
    let empty = (0..<k).filter { weights[$0] == 0 }
    if !empty.isEmpty {
      var distances = [Double](repeating: 0, count: points.n)
      points.values.withUnsafeBufferPointer { x in
        old.withUnsafeBufferPointer { c in
          for i in 0..<points.n {
            distances[i] = squaredDistance(
              x.baseAddress! + i * d, c.baseAddress! + Int(labels[i]) * d, d)
          }
        }
      }
      let far = (0..<points.n).sorted {
        distances[$0] > distances[$1] || (distances[$0] == distances[$1] && $0 < $1)
      }
      for (cluster, i) in zip(empty, far) {
        let w = points.weight(i)
        let from = Int(labels[i])
        for j in 0..<d {
          let v = points.values[i * d + j]
          sums[from * d + j] -= w * v
          sums[cluster * d + j] = w * v
        }
        weights[from] -= w
        weights[cluster] = w
        relocated[cluster] = i
      }
    }
    var out = old
    for c in 0..<k {
      if weights[c] > 0 {
        let scale = 1 / weights[c]
        for j in 0..<d { out[c * d + j] = sums[c * d + j] * scale }
      } else if let i = relocated[c] {
        // A relocated point of weight 0: the centre is the point itself.
        for j in 0..<d { out[c * d + j] = points.values[i * d + j] }
      }
      // A cluster emptied by a relocation keeps its old centre.
    }
    return out
  }
}
