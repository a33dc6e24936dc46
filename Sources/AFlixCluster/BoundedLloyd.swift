import AFlixLinalg

/// Lloyd's algorithm with Elkan's triangle-inequality bounds (C. Elkan, "Using the triangle
/// inequality to accelerate k-means", ICML 2003): the same iterations as plain
/// ``Lloyd/run(_:initial:k:maximumIterations:tolerance:threads:algorithm:)``, most distance
/// computations skipped.
///
/// Every point keeps an upper bound `u` on its distance to its own centre `a` and a lower bound
/// `l_c` on its distance to every other centre `c`. After the centres move by `δ`, `u` grows by
/// `δ_a` and each `l_c` shrinks by `δ_c`. Centre `c` cannot be nearer than `a` when
/// `L_c = max(l_c, ‖c − a‖ − u)` exceeds `u`. A point whose every other centre is ruled out keeps
/// its centre with no distance computed; else `u` is tightened by one direct distance, and the
/// lower bounds still too low by direct distances to those centres; only a point that may
/// change cluster gets its distances to every centre, by `gemm` over the gathered rows of its
/// chunk, and the argmin exactly as the plain kernel (`‖c‖² − 2x·c`, ties to the lowest index),
/// which also resets its bounds. Cluster sums move only with the points that changed cluster.
///
/// **Identical to plain Lloyd.** The bounds are rigorous in floating point (inflated or deflated
/// beyond their rounding error), and a centre is ruled out only when `L_c² − u²` exceeds twice
/// the error bound of the plain kernel's `‖c‖² − 2x·c` (``errorScale(_:)`` × `(‖x‖ + max‖c‖)²`),
/// so the plain kernel picks the same centre for every skipped point. The incremental sums round
/// differently from plain Lloyd's sums from scratch (by ~1e-16 relative), which could only
/// matter for a point equidistant to two centres to that precision; the final centres are
/// recomputed from scratch as plain Lloyd computes them, so equal label sequences give
/// bit-identical centres, labels and inertia.
enum BoundedLloyd {
  /// The bound on `|computed − exact|` of `‖c‖² − 2x·c` (and of `‖x‖²`) relative to
  /// `(‖x‖ + max‖c‖)²`: `4 (d + 4) u`, `u = 2⁻⁵³`, a factor 4 above the classical `γ_{d+2}` of a
  /// length-`d` dot product and the norms.
  @inline(__always)
  static func errorScale(_ d: Int) -> Double { 4 * Double(d + 4) * 0x1p-53 }

  /// Covers one rounding of a product or a sum (four units of roundoff).
  static let up = 1 + 0x1p-51
  static let down = 1 - 0x1p-51

  /// `‖a − b‖²` with four running sums (vectorised). Its terms are non-negative, so its relative
  /// error is below `(d + 1) u` whatever the order, which ``errorScale(_:)`` covers.
  @inline(__always)
  static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int)
    -> Double
  {
    var s0 = 0.0
    var s1 = 0.0
    var s2 = 0.0
    var s3 = 0.0
    var j = 0
    while j &+ 4 <= d {
      let t0 = a[j] - b[j]
      let t1 = a[j &+ 1] - b[j &+ 1]
      let t2 = a[j &+ 2] - b[j &+ 2]
      let t3 = a[j &+ 3] - b[j &+ 3]
      s0 += t0 * t0
      s1 += t1 * t1
      s2 += t2 * t2
      s3 += t3 * t3
      j &+= 4
    }
    while j < d {
      let t = a[j] - b[j]
      s0 += t * t
      j &+= 1
    }
    return (s0 + s1) + (s2 + s3)
  }

  /// The per-run state: centres, bounds, incremental sums and scratch, reused every iteration.
  ///
  /// Bounds are stored as of the pass that last computed the point's distances (its *stamp*)
  /// and moved lazily: a centre's cumulative drift (the sum of its moves, rounded up) since the
  /// stamp bounds how far it went. A point that keeps its centre writes nothing.
  struct State {
    let points: PointSet
    let k: Int
    let d: Int
    let threads: Int
    let chunks: [Range<Int>]
    /// `‖x‖` per point.
    let pointNorms: [Double]
    var centers: [Double]
    var labels: [Int32]
    /// The labels before the last pass (equal to `labels` between passes once totals moved).
    var previous: [Int32]
    /// The pass whose centres the point's bounds refer to.
    var stamp: [Int32]
    /// Upper bound on the distance to the own centre, per point, as of its stamp.
    var upper: [Double]
    /// Lower bounds on the distances to every centre, `n × k`, as of the stamp.
    var lower: [Double]
    /// The smallest lower bound over the other centres, as of the stamp.
    var nearestOther: [Double]
    /// Cumulative moves of each centre before each pass (`passes × k`), and of the fastest one.
    var drift: [Double]
    var largestDrift: [Double]
    /// The number of centre updates so far (the index of the next pass).
    var pass = 0
    /// Cluster sums and weights of the current labels, updated incrementally.
    var sums: [Double]
    var weights: [Double]
    /// Members of positive weight per cluster (emptiness without rounding drift).
    var members: [Int]
    /// Gathered rows and their dot products with the centres, a slice per chunk.
    var gathered: [Double]
    var dots: [Double]
    var queue: [Int32]

    init(points: PointSet, centers: [Double], k: Int, threads: Int) {
      self.points = points
      self.k = k
      d = points.d
      self.threads = threads
      chunks = ChunkedWork.ranges(count: points.n, size: ChunkedWork.rowsPerChunk)
      pointNorms = points.squaredNorms.map { $0.squareRoot() }
      self.centers = centers
      labels = [Int32](repeating: -1, count: points.n)
      previous = labels
      stamp = [Int32](repeating: 0, count: points.n)
      upper = [Double](repeating: .infinity, count: points.n)
      lower = [Double](repeating: 0, count: points.n * k)
      nearestOther = [Double](repeating: 0, count: points.n)
      drift = [Double](repeating: 0, count: k)
      largestDrift = [0]
      sums = [Double](repeating: 0, count: k * points.d)
      weights = [Double](repeating: 0, count: k)
      members = [Int](repeating: 0, count: k)
      gathered = [Double](repeating: 0, count: points.n * points.d)
      dots = [Double](repeating: 0, count: points.n * k)
      queue = [Int32](repeating: 0, count: points.n)
    }

    /// One assignment pass with the current centres (every point from scratch with
    /// `everything`). Returns the number of labels that changed.
    mutating func assign(everything: Bool) -> Int {
      let k = self.k
      let d = self.d
      let scale = BoundedLloyd.errorScale(d)
      let centerNorms = rowSquaredNorms(centers, rows: k, columns: d)
      var largestNorm = 0.0
      for c in 0..<k { largestNorm = max(largestNorm, centerNorms[c]) }
      let reach = largestNorm.squareRoot()
      // Distances between centres, rounded down; +∞ from a centre to itself. The nearest other
      // centre of each.
      var between = [Double](repeating: .infinity, count: k * k)
      var nearestCenter = [Double](repeating: .infinity, count: k)
      centers.withUnsafeBufferPointer { c in
        for a in 0..<k {
          for b in (a + 1)..<k {
            let s = BoundedLloyd.squaredDistance(c.baseAddress! + a * d, c.baseAddress! + b * d, d)
            let distance = s.squareRoot() * (1 - scale)
            between[a * k + b] = distance
            between[b * k + a] = distance
            nearestCenter[a] = min(nearestCenter[a], distance)
            nearestCenter[b] = min(nearestCenter[b], distance)
          }
        }
      }
      // The drifts now, rounded up beyond the rounding of their running sums (each of the
      // `pass` additions errs by at most u times the final sum).
      let pass = self.pass
      let inflation = 1 + 4 * Double(pass + 2) * 0x1p-53
      // `now`, `nearestCenter` and `centerNorms` side by side, read through one pointer.
      var table = [Double](repeating: 0, count: 3 * k)
      for c in 0..<k {
        table[c] = drift[pass * k + c] * inflation
        table[k + c] = nearestCenter[c]
        table[2 * k + c] = centerNorms[c]
      }
      let largestNow = largestDrift[pass] * inflation
      let points = self.points
      let pointNorms = self.pointNorms
      let chunks = self.chunks
      let threads = self.threads
      labels.withUnsafeMutableBufferPointer { labelOut in
        stamp.withUnsafeMutableBufferPointer { stamps in
          upper.withUnsafeMutableBufferPointer { up in
            lower.withUnsafeMutableBufferPointer { low in
              nearestOther.withUnsafeMutableBufferPointer { lowest in
                gathered.withUnsafeMutableBufferPointer { rows in
                  dots.withUnsafeMutableBufferPointer { products in
                    queue.withUnsafeMutableBufferPointer { pending in
                      points.values.withUnsafeBufferPointer { x in
                        centers.withUnsafeBufferPointer { c in
                          between.withUnsafeBufferPointer { pairs in
                            drift.withUnsafeBufferPointer { cumulative in
                              largestDrift.withUnsafeBufferPointer { cumulativeLargest in
                                table.withUnsafeBufferPointer { tablePointer in
                                  let drifts = tablePointer.baseAddress!
                                  let closest = drifts + k
                                  let norms = drifts + 2 * k
                                  ChunkedWork.forEach(count: chunks.count, threads: threads) {
                                    chunk in
                                    // Chunk `chunk` writes only its own rows of every output.
                                    let range = chunks[chunk]
                                    let queued = pending.baseAddress! + range.lowerBound
                                    var count = 0
                                    for i in range {
                                      if everything {
                                        queued[count] = Int32(i)
                                        count &+= 1
                                        continue
                                      }
                                      let a = Int(labelOut[i])
                                      let then = Int(stamps[i])
                                      let past = cumulative.baseAddress! + then &* k
                                      let r = pointNorms[i] + reach
                                      let margin = 2 * scale * r * r
                                      let u = (up[i] + (drifts[a] - past[a])) * BoundedLloyd.up
                                      // Hamerly's test: the nearest other centre at its slowest.
                                      let nearest = max(
                                        max(
                                          (lowest[i] - (largestNow - cumulativeLargest[then]))
                                            * BoundedLloyd.down, closest[a] - u), 0)
                                      if (nearest - u) * (nearest + u) > margin { continue }
                                      // Elkan's: each other centre by its own drift; the
                                      // smallest `L_c² − u²` (a centre is +∞ from itself).
                                      let bounds = low.baseAddress! + i &* k
                                      let distances = pairs.baseAddress! + a &* k
                                      var gap = Double.infinity
                                      for j in 0..<k {
                                        let l =
                                          (bounds[j] - (drifts[j] - past[j])) * BoundedLloyd.down
                                        let other = max(max(l, distances[j] - u), 0)
                                        gap = min(gap, (other - u) * (other + u))
                                      }
                                      if gap > margin { continue }
                                      queued[count] = Int32(i)
                                      count &+= 1
                                    }
                                    guard count > 0 else { return }
                                    // Most of the chunk: one `gemm` over all of it; else over
                                    // the gathered rows.
                                    let whole = 2 * count > range.count
                                    let tile = products.baseAddress! + range.lowerBound * k
                                    if whole {
                                      gemmABt(
                                        x.baseAddress! + range.lowerBound * d, rows: range.count,
                                        c.baseAddress!, rows: k, depth: d, into: tile)
                                    } else {
                                      let gatheredRows = rows.baseAddress! + range.lowerBound * d
                                      for p in 0..<count {
                                        let source = x.baseAddress! + Int(queued[p]) &* d
                                        let target = gatheredRows + p &* d
                                        for j in 0..<d { target[j] = source[j] }
                                      }
                                      gemmABt(
                                        gatheredRows, rows: count, c.baseAddress!, rows: k,
                                        depth: d, into: tile)
                                    }
                                    for p in 0..<count {
                                      let i = Int(queued[p])
                                      let row = tile + (whole ? i - range.lowerBound : p) &* k
                                      var best = 0
                                      var bestValue = norms[0] - 2 * row[0]
                                      for j in 1..<max(1, k) {
                                        let value = norms[j] - 2 * row[j]
                                        if value < bestValue {
                                          bestValue = value
                                          best = j
                                        }
                                      }
                                      labelOut[i] = Int32(best)
                                      stamps[i] = Int32(pass)
                                      let r = pointNorms[i] + reach
                                      let error = scale * r * r
                                      let norm = points.squaredNorms[i]
                                      up[i] =
                                        (max(0, norm + bestValue) + error).squareRoot()
                                        * BoundedLloyd.up
                                      // The own centre's bound is never read (it is +∞ from
                                      // itself): +∞ keeps the minimum branch-free.
                                      let bounds = low.baseAddress! + i &* k
                                      var nearest = Double.infinity
                                      for j in 0..<k {
                                        let value = norms[j] - 2 * row[j]
                                        let l =
                                          (max(0, norm + value - error)).squareRoot()
                                          * BoundedLloyd.down
                                        bounds[j] = l
                                      }
                                      bounds[best] = .infinity
                                      for j in 0..<k { nearest = min(nearest, bounds[j]) }
                                      lowest[i] = nearest
                                    }
                                  }
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
      var changed = 0
      for i in 0..<points.n where labels[i] != previous[i] { changed += 1 }
      return changed
    }

    /// Sets the sums, weights and members from scratch (as plain Lloyd's totals).
    mutating func recomputeTotals() -> Lloyd.Totals {
      let totals = Lloyd.clusterTotals(points, labels: labels, k: k, threads: threads)
      sums = totals.sums
      weights = totals.weights
      members = [Int](repeating: 0, count: k)
      for i in 0..<points.n where points.weight(i) > 0 { members[Int(labels[i])] += 1 }
      previous = labels
      return totals
    }

    /// Moves the contributions of the points that changed cluster; returns the totals, with the
    /// clusters left without a member of positive weight exactly empty.
    mutating func updateTotals() -> Lloyd.Totals {
      let d = self.d
      let points = self.points
      sums.withUnsafeMutableBufferPointer { s in
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
            weights[from] -= w
            weights[to] += w
            if w > 0 {
              members[from] -= 1
              members[to] += 1
            }
            previous[i] = labels[i]
          }
        }
      }
      for c in 0..<k where members[c] == 0 {
        weights[c] = 0
        for j in 0..<d { sums[c * d + j] = 0 }
      }
      return Lloyd.Totals(sums: sums, weights: weights, changed: 0)
    }

    /// Replaces the centres, adding how far each moved (rounded up) to the drifts.
    mutating func move(to next: [Double]) {
      let scale = BoundedLloyd.errorScale(d)
      var largest = 0.0
      next.withUnsafeBufferPointer { n in
        centers.withUnsafeBufferPointer { c in
          for j in 0..<k {
            let s = BoundedLloyd.squaredDistance(n.baseAddress! + j * d, c.baseAddress! + j * d, d)
            let moved = s.squareRoot() * (1 + scale)
            drift.append(drift[pass * k + j] + moved)
            largest = max(largest, moved)
          }
        }
      }
      largestDrift.append(largestDrift[pass] + largest)
      pass += 1
      centers = next
    }
  }

  /// Runs the iterations of plain Lloyd from `initial` centres, with the same stopping rules and
  /// the same final assignment and inertia.
  static func run(
    _ points: PointSet, initial: [Double], k: Int, maximumIterations: Int, tolerance: Double,
    threads: Int
  ) -> LloydRun {
    var state = State(points: points, centers: initial, k: k, threads: threads)
    var iterations = 0
    var converged = false
    for iteration in 1...maximumIterations {
      iterations = iteration
      let changed = state.assign(everything: iteration == 1)
      let totals = iteration == 1 ? state.recomputeTotals() : state.updateTotals()
      var next = Lloyd.updatedCenters(
        points, totals: totals, old: state.centers, labels: state.labels, k: k)
      var shift = 0.0
      for j in 0..<(k * points.d) {
        let t = next[j] - state.centers[j]
        shift += t * t
      }
      converged = changed == 0 || shift <= tolerance
      if (converged || iteration == maximumIterations) && iteration > 1 {
        // The last centres from sums from scratch, exactly as plain Lloyd computes them.
        let exact = Lloyd.clusterTotals(points, labels: state.labels, k: k, threads: threads)
        next = Lloyd.updatedCenters(
          points, totals: exact, old: state.centers, labels: state.labels, k: k)
      }
      state.move(to: next)
      if converged { break }
    }
    _ = state.assign(everything: false)
    let inertia = Lloyd.inertia(
      points, centers: state.centers, labels: state.labels, threads: threads)
    return LloydRun(
      centers: state.centers, labels: state.labels, inertia: inertia, iterations: iterations,
      converged: converged)
  }
}
