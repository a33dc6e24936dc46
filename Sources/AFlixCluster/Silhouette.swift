import AFlixLinalg

/// The exact silhouette in blocks through `gemm`, never an `n × n` matrix in memory.
enum SilhouetteKernel {
  /// Rows per block (one task of the parallel loop).
  static let blockRows = 256
  /// Columns per distance tile (`blockRows × tileColumns` doubles: 2 MiB).
  static let tileColumns = 1_024

  /// Per-sample silhouettes of validated points and coded labels, in the points' order.
  ///
  /// The points are sorted by label (stably), so each cluster is a contiguous range of columns;
  /// for each tile of rows × columns one `gemm` gives the dot products, the tile becomes
  /// distances `√max(0, ‖x‖² + ‖y‖² − 2x·y)` (0 on the diagonal, as scikit-learn), and each
  /// row's distances are summed per cluster range. While the column partials fit in
  /// ``symmetricMemoryLimit`` only the upper triangle of tiles is computed (half the `gemm`
  /// work), else every tile. Row blocks run in parallel; every sum runs in a fixed order, so the
  /// result does not depend on the thread count.
  static func samples(
    _ points: Matrix<Double>, coding: LabelCoding, symmetric: Bool? = nil
  ) -> [Double] {
    let n = points.rows
    let d = points.columns
    let m = coding.count
    let sizes = coding.sizes
    var starts = [Int](repeating: 0, count: m + 1)
    for c in 0..<m { starts[c + 1] = starts[c] + sizes[c] }
    var order = [Int](repeating: 0, count: n)
    var next = starts
    for i in 0..<n {
      order[next[coding.codes[i]]] = i
      next[coding.codes[i]] += 1
    }
    var sorted = [Double](repeating: 0, count: n * d)
    for (p, i) in order.enumerated() {
      for j in 0..<d { sorted[p * d + j] = points.elements[i * d + j] }
    }
    let norms = rowSquaredNorms(sorted, rows: n, columns: d)
    var clusterOf = [Int](repeating: 0, count: n)
    for c in 0..<m {
      for p in starts[c]..<starts[c + 1] { clusterOf[p] = c }
    }
    let symmetricBytes = Double(n) * Double(n) * Double(m) / Double(2 * symmetricBlock) * 8
    let sums =
      (symmetric ?? (symmetricBytes <= symmetricMemoryLimit))
      ? symmetricClusterSums(sorted, norms: norms, n: n, d: d, starts: starts)
      : clusterSums(sorted, norms: norms, n: n, d: d, starts: starts)
    var sortedScores = [Double](repeating: 0, count: n)
    for i in 0..<n {
      let own = clusterOf[i]
      let size = sizes[own]
      guard size > 1 else { continue }  // a singleton cluster: s = 0, as scikit-learn
      let a = sums[i * m + own] / Double(size - 1)
      var bValue = Double.infinity
      for c in 0..<m where c != own {
        bValue = min(bValue, sums[i * m + c] / Double(sizes[c]))
      }
      let denominator = max(a, bValue)
      sortedScores[i] = denominator > 0 ? (bValue - a) / denominator : 0
    }
    var scores = [Double](repeating: 0, count: n)
    for (p, i) in order.enumerated() { scores[i] = sortedScores[p] }
    return scores
  }

  /// Rows and columns per tile of the symmetric kernel.
  static let symmetricBlock = 512
  /// The most memory the symmetric kernel's column partials may take (64 MB); beyond it the
  /// one-sided kernel runs.
  static let symmetricMemoryLimit = 64e6

  /// Distances `√max(0, ‖x‖² + ‖y‖² − 2x·y)` in place over a tile of dot products.
  @inline(__always)
  static func distances(
    _ tile: UnsafeMutablePointer<Double>, rows: Range<Int>, columns: Range<Int>,
    norms: UnsafeBufferPointer<Double>
  ) {
    let w = columns.count
    let nj = norms.baseAddress! + columns.lowerBound
    for (r, i) in rows.enumerated() {
      let row = tile + r * w
      let ni = norms[i]
      for j in 0..<w {
        let v = ni + nj[j] - 2 * row[j]
        row[j] = (v > 0 ? v : 0).squareRoot()
      }
      if columns.contains(i) { row[i - columns.lowerBound] = 0 }
    }
  }

  /// Per point (sorted order), the sum of its distances to each cluster (`n × m`), from the
  /// upper triangle of tiles only: tile `(I, J)`, `J > I`, adds its rows' sums to the points of
  /// `I` and its columns' sums to the points of `J`. Row block `I` keeps its column partials
  /// apart; they are added in block order at the end, so the sums do not depend on threads.
  static func symmetricClusterSums(
    _ sorted: [Double], norms: [Double], n: Int, d: Int, starts: [Int]
  ) -> [Double] {
    let m = starts.count - 1
    let blocks = ChunkedWork.ranges(count: n, size: symmetricBlock)
    var rowSums = [Double](repeating: 0, count: n * m)
    var columnPartials = [[Double]](repeating: [], count: blocks.count)
    sorted.withUnsafeBufferPointer { x in
      norms.withUnsafeBufferPointer { nrm in
        rowSums.withUnsafeMutableBufferPointer { rowOut in
          columnPartials.withUnsafeMutableBufferPointer { columnOut in
            ChunkedWork.forEach(count: blocks.count, threads: ChunkedWork.threads) { b in
              // Block `b` writes only its own rows of `rowOut` and `columnOut[b]`.
              let rows = blocks[b]
              let tail = n - rows.upperBound
              var partial = [Double](repeating: 0, count: m * tail)
              var tile = [Double](repeating: 0, count: rows.count * symmetricBlock)
              var column = [Double](repeating: 0, count: symmetricBlock)
              tile.withUnsafeMutableBufferPointer { t in
                for c in b..<blocks.count {
                  let columns = blocks[c]
                  let w = columns.count
                  Double.gemm(
                    transposeA: false, transposeB: true, m: rows.count, n: w, k: d, alpha: 1,
                    a: x.baseAddress! + rows.lowerBound * d, lda: d,
                    b: x.baseAddress! + columns.lowerBound * d, ldb: d, beta: 0,
                    c: t.baseAddress!, ldc: w)
                  distances(t.baseAddress!, rows: rows, columns: columns, norms: nrm)
                  let first = cluster(at: columns.lowerBound, starts: starts)
                  for (r, i) in rows.enumerated() {
                    addClusterSums(
                      t.baseAddress! + r * w, columns: columns, starts: starts, first: first,
                      into: rowOut.baseAddress! + i * m)
                  }
                  guard c > b else { continue }
                  // Column sums per cluster of the rows: the other half of the pairs.
                  for cluster in 0..<m {
                    let lo = max(starts[cluster], rows.lowerBound)
                    let hi = min(starts[cluster + 1], rows.upperBound)
                    guard lo < hi else { continue }
                    for j in 0..<w { column[j] = 0 }
                    for i in lo..<hi {
                      let row = t.baseAddress! + (i - rows.lowerBound) * w
                      for j in 0..<w { column[j] += row[j] }
                    }
                    let offset = cluster * tail + columns.lowerBound - rows.upperBound
                    for j in 0..<w { partial[offset + j] += column[j] }
                  }
                }
              }
              columnOut[b] = partial
            }
          }
        }
      }
    }
    for (b, rows) in blocks.enumerated() {
      for earlier in 0..<b {
        let tail = n - blocks[earlier].upperBound
        let partial = columnPartials[earlier]
        for i in rows {
          for cluster in 0..<m {
            rowSums[i * m + cluster] += partial[cluster * tail + i - blocks[earlier].upperBound]
          }
        }
      }
    }
    return rowSums
  }

  /// The cluster of sorted position `p` (clusters are contiguous, none empty).
  static func cluster(at p: Int, starts: [Int]) -> Int {
    var lo = 0
    var hi = starts.count - 2
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if starts[mid] <= p { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// Adds a distance row's sum over each cluster's columns to `sums` (`m` values), starting at
  /// cluster `first` (the cluster of the tile's first column).
  @inline(__always)
  static func addClusterSums(
    _ row: UnsafeMutablePointer<Double>, columns: Range<Int>, starts: [Int], first: Int,
    into sums: UnsafeMutablePointer<Double>
  ) {
    let m = starts.count - 1
    var c = first
    while c < m, starts[c] < columns.upperBound {
      let lo = max(starts[c], columns.lowerBound) - columns.lowerBound
      let hi = min(starts[c + 1], columns.upperBound) - columns.lowerBound
      if lo < hi { sums[c] += rangeSum(row, lo, hi) }
      c += 1
    }
  }

  /// Per point (sorted order), the sum of its distances to each cluster (`n × m`), one-sided:
  /// every tile of every row block, in parallel over row blocks.
  static func clusterSums(
    _ sorted: [Double], norms: [Double], n: Int, d: Int, starts: [Int]
  ) -> [Double] {
    let m = starts.count - 1
    let blocks = ChunkedWork.ranges(count: n, size: blockRows)
    let tiles = ChunkedWork.ranges(count: n, size: tileColumns)
    var sums = [Double](repeating: 0, count: n * m)
    sorted.withUnsafeBufferPointer { x in
      norms.withUnsafeBufferPointer { nrm in
        sums.withUnsafeMutableBufferPointer { out in
          ChunkedWork.forEach(count: blocks.count, threads: ChunkedWork.threads) { b in
            // Block `b` writes only its own rows of `out`.
            let rows = blocks[b]
            var tile = [Double](repeating: 0, count: rows.count * tileColumns)
            tile.withUnsafeMutableBufferPointer { t in
              for columns in tiles {
                let w = columns.count
                Double.gemm(
                  transposeA: false, transposeB: true, m: rows.count, n: w, k: d, alpha: 1,
                  a: x.baseAddress! + rows.lowerBound * d, lda: d,
                  b: x.baseAddress! + columns.lowerBound * d, ldb: d, beta: 0,
                  c: t.baseAddress!, ldc: w)
                distances(t.baseAddress!, rows: rows, columns: columns, norms: nrm)
                let first = cluster(at: columns.lowerBound, starts: starts)
                for (r, i) in rows.enumerated() {
                  addClusterSums(
                    t.baseAddress! + r * w, columns: columns, starts: starts, first: first,
                    into: out.baseAddress! + i * m)
                }
              }
            }
          }
        }
      }
    }
    return sums
  }

  /// `Σ row[lo..<hi]` with eight running sums (in a fixed order, so that it vectorises).
  @inline(__always)
  static func rangeSum(_ row: UnsafeMutablePointer<Double>, _ lo: Int, _ hi: Int) -> Double {
    var s0 = 0.0
    var s1 = 0.0
    var s2 = 0.0
    var s3 = 0.0
    var s4 = 0.0
    var s5 = 0.0
    var s6 = 0.0
    var s7 = 0.0
    var j = lo
    while j + 8 <= hi {
      s0 += row[j]
      s1 += row[j + 1]
      s2 += row[j + 2]
      s3 += row[j + 3]
      s4 += row[j + 4]
      s5 += row[j + 5]
      s6 += row[j + 6]
      s7 += row[j + 7]
      j += 8
    }
    var tail = 0.0
    while j < hi {
      tail += row[j]
      j += 1
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + tail
  }
}
