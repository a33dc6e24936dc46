import AFlixLinalg

/// Plain Lloyd iterations of several restarts in lockstep: one `gemm` per chunk of points against
/// the centres of every restart still running, so the points are read once per iteration for
/// all restarts and the product is wide enough (`restarts × k` columns) for BLAS to run near its
/// peak, where `k` columns alone (2–8) leave most of its kernel idle.
///
/// Each restart's iteration is plain Lloyd's: every point goes to the centre with the smallest
/// `‖c‖² − 2x·c` (ties to the lowest index), the centres to the weighted means, an empty
/// cluster takes the farthest point, the same stopping rules. Cluster sums move with the points
/// that changed cluster only; at a restart's last iteration its centres are recomputed from
/// sums from scratch exactly as plain Lloyd computes them, then it assigns and measures its
/// inertia as plain Lloyd does, so equal label sequences give bit-identical results. (The
/// incremental sums of the intermediate iterations round differently, by ~1e-16 relative, which
/// could only matter for a point equidistant to two centres to that precision.)
enum BatchedLloyd {
  /// One restart's state.
  struct Run {
    var centers: [Double]
    var labels: [Int32]
    var sums: [Double]
    var weights: [Double]
    /// Members of positive weight per cluster (emptiness without rounding drift).
    var members: [Int]
    var iterations = 0
    var converged = false
    var finished = false
  }

  /// Rows per `gemm` of the lockstep products.
  static let productRows = 512

  /// Runs every restart from its `initials` centres; returns one ``LloydRun`` per restart.
  static func run(
    _ points: PointSet, initials: [[Double]], k: Int, maximumIterations: Int, tolerance: Double,
    threads: Int
  ) -> [LloydRun] {
    let n = points.n
    let d = points.d
    // Chunks of the products only (the sums keep `ChunkedWork.rowsPerChunk`): small enough for
    // two or more threads to share them evenly.
    let chunks = ChunkedWork.ranges(count: n, size: productRows)
    var runs = initials.map { centers in
      Run(
        centers: centers, labels: [Int32](repeating: -1, count: n),
        sums: [Double](repeating: 0, count: k * d), weights: [Double](repeating: 0, count: k),
        members: [Int](repeating: 0, count: k))
    }
    var results = [LloydRun?](repeating: nil, count: runs.count)
    // Products of every chunk's rows with the running restarts' centres, `n × (active · k)`.
    var tile = [Double](repeating: 0, count: n * runs.count * k)
    var previous = [[Int32]](repeating: [], count: runs.count)
    for iteration in 1...maximumIterations {
      let active = runs.indices.filter { !runs[$0].finished }
      if active.isEmpty { break }
      let width = active.count * k
      var centers = [Double](repeating: 0, count: width * d)
      var norms = [Double](repeating: 0, count: width)
      for (slot, r) in active.enumerated() {
        for j in 0..<(k * d) { centers[slot * k * d + j] = runs[r].centers[j] }
        let squared = rowSquaredNorms(runs[r].centers, rows: k, columns: d)
        for c in 0..<k { norms[slot * k + c] = squared[c] }
        previous[r] = runs[r].labels
      }
      // Assignment of every running restart, chunk by chunk.
      var labelSets = [Int32](repeating: 0, count: active.count * n)
      points.values.withUnsafeBufferPointer { x in
        centers.withUnsafeBufferPointer { c in
          tile.withUnsafeMutableBufferPointer { t in
            labelSets.withUnsafeMutableBufferPointer { sets in
              ChunkedWork.forEach(count: chunks.count, threads: threads) { chunk in
                // Chunk `chunk` writes only its own rows of the tile and of every label set.
                let range = chunks[chunk]
                let rows = t.baseAddress! + range.lowerBound * width
                gemmABt(
                  x.baseAddress! + range.lowerBound * d, rows: range.count, c.baseAddress!,
                  rows: width, depth: d, into: rows)
                for slot in 0..<active.count {
                  let labels = sets.baseAddress! + slot * n
                  do {
                    for i in range {
                      let row = rows + (i - range.lowerBound) * width + slot * k
                      let base = slot * k
                      var best = 0
                      var bestValue = norms[base] - 2 * row[0]
                      for j in 1..<max(1, k) {
                        let value = norms[base + j] - 2 * row[j]
                        if value < bestValue {
                          bestValue = value
                          best = j
                        }
                      }
                      labels[i] = Int32(best)
                    }
                  }
                }
              }
            }
          }
        }
      }
      // Centre updates, restart by restart (each as plain Lloyd).
      for (slot, r) in active.enumerated() {
        runs[r].labels = Array(labelSets[(slot * n)..<((slot + 1) * n)])
        runs[r].iterations = iteration
        var changed = 0
        for i in 0..<n where runs[r].labels[i] != previous[r][i] { changed += 1 }
        let totals: Lloyd.Totals
        if iteration == 1 {
          totals = Lloyd.clusterTotals(points, labels: runs[r].labels, k: k, threads: threads)
          runs[r].sums = totals.sums
          runs[r].weights = totals.weights
          for i in 0..<n where points.weight(i) > 0 { runs[r].members[Int(runs[r].labels[i])] += 1 }
        } else {
          totals = moveTotals(points, &runs[r], previous: previous[r], k: k)
        }
        var next = Lloyd.updatedCenters(
          points, totals: totals, old: runs[r].centers, labels: runs[r].labels, k: k)
        var shift = 0.0
        for j in 0..<(k * d) {
          let t = next[j] - runs[r].centers[j]
          shift += t * t
        }
        let converged = changed == 0 || shift <= tolerance
        if converged || iteration == maximumIterations {
          if iteration > 1 {
            // The last centres from sums from scratch, exactly as plain Lloyd computes them.
            let exact = Lloyd.clusterTotals(points, labels: runs[r].labels, k: k, threads: threads)
            next = Lloyd.updatedCenters(
              points, totals: exact, old: runs[r].centers, labels: runs[r].labels, k: k)
          }
          runs[r].converged = converged
          runs[r].finished = true
          runs[r].centers = next
          var labels = runs[r].labels
          _ = Lloyd.assign(
            points, centers: next, k: k, labels: &labels, accumulate: false, threads: threads)
          let inertia = Lloyd.inertia(points, centers: next, labels: labels, threads: threads)
          results[r] = LloydRun(
            centers: next, labels: labels, inertia: inertia, iterations: iteration,
            converged: converged)
        } else {
          runs[r].centers = next
        }
      }
    }
    return results.map { $0! }
  }

  /// Moves the contributions of the points that changed cluster; returns the totals, with the
  /// clusters left without a member of positive weight exactly empty.
  static func moveTotals(
    _ points: PointSet, _ run: inout Run, previous: [Int32], k: Int
  ) -> Lloyd.Totals {
    let d = points.d
    let labels = run.labels
    run.sums.withUnsafeMutableBufferPointer { s in
      points.values.withUnsafeBufferPointer { x in
        for i in 0..<points.n where labels[i] != previous[i] {
          let from = Int(previous[i])
          let to = Int(labels[i])
          let w = points.weight(i)
          let xi = x.baseAddress! + i * d
          let source = s.baseAddress! + from * d
          let target = s.baseAddress! + to * d
          for j in 0..<d {
            source[j] -= w * xi[j]
            target[j] += w * xi[j]
          }
          run.weights[from] -= w
          run.weights[to] += w
          if w > 0 {
            run.members[from] -= 1
            run.members[to] += 1
          }
        }
      }
    }
    for c in 0..<k where run.members[c] == 0 {
      run.weights[c] = 0
      for j in 0..<d { run.sums[c * d + j] = 0 }
    }
    return Lloyd.Totals(sums: run.sums, weights: run.weights, changed: 0)
  }
}
