import AFlixLinalg

/// The exact silhouette in blocks through `gemm`, never an `n × n` matrix in memory.
enum SilhouetteKernel {
  /// Rows per block (one task of the parallel loop).
  static let blockRows = 256
  /// Columns per distance tile (`blockRows × tileColumns` doubles: 2 MiB).
  static let tileColumns = 1_024

  /// Per-sample silhouettes of validated points and coded labels, in the points' order.
  static func samples(
    _ points: Matrix<Double>, coding: LabelCoding, symmetric: Bool? = nil
  ) -> [Double] {
    samples(points, codings: [coding], symmetric: symmetric)[0]
  }

  /// The most cells (`n × atoms`) the per-atom distance sums of a multi-labelling pass may take
  /// (32 M doubles, 256 MB); beyond it the labellings run one by one.
  static let atomCellLimit = 32_000_000

  /// Per-sample silhouettes of the same points under several labellings, from one pass over the
  /// pairwise distances.
  ///
  /// The points are grouped into *atoms*, the classes of points that share a label in every
  /// labelling (the coarsest common refinement; for one labelling, its clusters), ordered by
  /// their label tuples and sorted stably, so each atom is a contiguous range of columns. For
  /// each tile of rows × columns one `gemm` gives the dot products, the tile becomes distances
  /// `√max(0, ‖x‖² + ‖y‖² − 2x·y)` (0 on the diagonal, as scikit-learn), and each row's distances
  /// are summed per atom range. With several labellings, their per-cluster sums are the atom
  /// sums times the 0/1 atom-to-cluster map, one more `gemm`. While the column partials fit in ``symmetricMemoryLimit`` only the upper
  /// triangle of tiles is computed (half the `gemm` work), else every tile. Row blocks run in
  /// parallel; every sum runs in a fixed order, so the result does not depend on the thread
  /// count. One labelling alone gives the same bits as before this pass existed (its atoms are
  /// its clusters); with others, the same values to within rounding.
  static func samples(
    _ points: Matrix<Double>, codings: [LabelCoding], symmetric: Bool? = nil
  ) -> [[Double]] {
    let n = points.rows
    let d = points.columns
    guard !codings.isEmpty else { return [] }
    // Atoms: the distinct label tuples, in lexicographic order.
    var atomOf = [Int](repeating: 0, count: n)
    var tuples: [[Int]] = []
    var index: [[Int]: Int] = [:]
    for i in 0..<n {
      let tuple = codings.map { $0.codes[i] }
      if let a = index[tuple] {
        atomOf[i] = a
      } else {
        index[tuple] = tuples.count
        atomOf[i] = tuples.count
        tuples.append(tuple)
      }
    }
    let rank = tuples.indices.sorted { tuples[$0].lexicographicallyPrecedes(tuples[$1]) }
    let m = tuples.count
    if codings.count > 1, n * m > atomCellLimit {
      return codings.map { samples(points, codings: [$0], symmetric: symmetric)[0] }
    }
    var position = [Int](repeating: 0, count: m)
    for (p, a) in rank.enumerated() { position[a] = p }
    for i in 0..<n { atomOf[i] = position[atomOf[i]] }
    let atomTuples = rank.map { tuples[$0] }
    var atomSizes = [Int](repeating: 0, count: m)
    for i in 0..<n { atomSizes[atomOf[i]] += 1 }
    var starts = [Int](repeating: 0, count: m + 1)
    for c in 0..<m { starts[c + 1] = starts[c] + atomSizes[c] }
    var order = [Int](repeating: 0, count: n)
    var next = starts
    for i in 0..<n {
      order[next[atomOf[i]]] = i
      next[atomOf[i]] += 1
    }
    var sorted = [Double](repeating: 0, count: n * d)
    for (p, i) in order.enumerated() {
      for j in 0..<d { sorted[p * d + j] = points.elements[i * d + j] }
    }
    let norms = rowSquaredNorms(sorted, rows: n, columns: d)
    let blocks = ChunkedWork.ranges(count: n, size: symmetricBlock)
    var symmetricBytes = 0.0
    for rows in blocks {
      let atoms =
        cluster(at: rows.upperBound - 1, starts: starts)
        - cluster(at: rows.lowerBound, starts: starts) + 1
      symmetricBytes += Double(atoms) * Double(n - rows.upperBound) * 8
    }
    let sums =
      (symmetric ?? (symmetricBytes <= symmetricMemoryLimit))
      ? symmetricClusterSums(sorted, norms: norms, n: n, d: d, starts: starts)
      : clusterSums(sorted, norms: norms, n: n, d: d, starts: starts)
    // Per-cluster sums of every labelling: the atom sums themselves for one labelling, else
    // `sums · Y` by one `gemm`, `Y` (atoms × all clusters) the 0/1 map of atoms to clusters.
    let widths = codings.map(\.count)
    let total = widths.reduce(0, +)
    var clusterSums = sums
    if codings.count > 1 {
      var map = [Double](repeating: 0, count: m * total)
      var offset = 0
      for (labelling, width) in widths.enumerated() {
        for a in 0..<m { map[a * total + offset + atomTuples[a][labelling]] = 1 }
        offset += width
      }
      clusterSums = [Double](repeating: 0, count: n * total)
      sums.withUnsafeBufferPointer { s in
        map.withUnsafeBufferPointer { y in
          clusterSums.withUnsafeMutableBufferPointer { out in
            Double.gemm(
              transposeA: false, transposeB: false, m: n, n: total, k: m, alpha: 1,
              a: s.baseAddress!, lda: m, b: y.baseAddress!, ldb: total, beta: 0,
              c: out.baseAddress!, ldc: total)
          }
        }
      }
    }
    var offset = 0
    return codings.enumerated().map { labelling, coding in
      let clusters = coding.count
      let sizes = coding.sizes
      let first = offset
      offset += clusters
      var scores = [Double](repeating: 0, count: n)
      for p in 0..<n {
        let row = p * total + first
        let own = atomTuples[atomOf[order[p]]][labelling]
        let size = sizes[own]
        guard size > 1 else { continue }  // a singleton cluster: s = 0, as scikit-learn
        let a = clusterSums[row + own] / Double(size - 1)
        var bValue = Double.infinity
        for c in 0..<clusters where c != own {
          bValue = min(bValue, clusterSums[row + c] / Double(sizes[c]))
        }
        let denominator = max(a, bValue)
        scores[order[p]] = denominator > 0 ? (bValue - a) / denominator : 0
      }
      return scores
    }
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
              // Column partials only for the clusters that meet the block's rows.
              let low = cluster(at: rows.lowerBound, starts: starts)
              let high = cluster(at: rows.upperBound - 1, starts: starts)
              var partial = [Double](repeating: 0, count: (high - low + 1) * tail)
              var tile = [Double](repeating: 0, count: rows.count * symmetricBlock)
              var column = [Double](repeating: 0, count: symmetricBlock)
              tile.withUnsafeMutableBufferPointer { t in
                for c in b..<blocks.count {
                  let columns = blocks[c]
                  let w = columns.count
                  SerialBLAS.gemm(
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
                  for cluster in low...high {
                    let lo = max(starts[cluster], rows.lowerBound)
                    let hi = min(starts[cluster + 1], rows.upperBound)
                    guard lo < hi else { continue }
                    for j in 0..<w { column[j] = 0 }
                    for i in lo..<hi {
                      let row = t.baseAddress! + (i - rows.lowerBound) * w
                      for j in 0..<w { column[j] += row[j] }
                    }
                    let offset = (cluster - low) * tail + columns.lowerBound - rows.upperBound
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
        let low = cluster(at: blocks[earlier].lowerBound, starts: starts)
        let high = cluster(at: blocks[earlier].upperBound - 1, starts: starts)
        let partial = columnPartials[earlier]
        for i in rows {
          for cluster in low...high {
            rowSums[i * m + cluster] +=
              partial[(cluster - low) * tail + i - blocks[earlier].upperBound]
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
                SerialBLAS.gemm(
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
