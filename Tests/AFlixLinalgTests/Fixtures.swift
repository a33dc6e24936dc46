import AFlixLinalg

/// Seeded test matrices.
enum Fixtures {
  /// A `rows × columns` matrix of standard normal entries.
  static func gaussian<S: BLASScalar>(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix<S> {
    var rng = SeededGenerator(seed: seed)
    return Matrix(
      rows: rows, columns: columns,
      elements: (0..<(rows * columns)).map { _ in S(rng.nextGaussian()) })
  }

  /// A matrix with orthonormal columns (thin Q of a Gaussian matrix, via the exact SVD).
  static func orthonormal<S: BLASScalar>(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix<S> {
    let g: Matrix<S> = gaussian(rows, columns, seed: seed)
    return try! g.singularValueDecomposition().u
  }

  /// `U diag(σ) Vᵀ` with random orthonormal `U`, `V` and the given singular values.
  static func withSpectrum<S: BLASScalar>(
    _ rows: Int, _ columns: Int, sigma: [S], seed: UInt64
  ) -> Matrix<S> {
    let k = sigma.count
    var u: Matrix<S> = orthonormal(rows, k, seed: seed)
    let v: Matrix<S> = orthonormal(columns, k, seed: seed &+ 1)
    for i in 0..<rows { for t in 0..<k { u[i, t] *= sigma[t] } }
    return u.multiplied(by: v, transposingOther: true)
  }

  /// A dense matrix as a sparse one whose every entry is stored.
  static func fullySparse<S: BLASScalar>(_ m: Matrix<S>) -> SparseMatrix<S> {
    var r = [Int]()
    var c = [Int]()
    var v = [S]()
    for i in 0..<m.rows {
      for j in 0..<m.columns {
        r.append(i)
        c.append(j)
        v.append(m[i, j])
      }
    }
    return try! SparseMatrix(
      rows: m.rows, columns: m.columns, rowIndices: r, columnIndices: c, values: v)
  }

  /// A random sparse matrix: each row stores `minDegree...maxDegree` distinct columns with values
  /// in 1...5.
  static func sparse<S: BLASScalar>(
    _ rows: Int, _ columns: Int, degree: ClosedRange<Int>, seed: UInt64
  ) -> SparseMatrix<S> {
    var rng = SeededGenerator(seed: seed)
    var r = [Int]()
    var c = [Int]()
    var v = [S]()
    for i in 0..<rows {
      let d = Int.random(in: degree, using: &rng)
      var chosen = Set<Int>()
      while chosen.count < min(d, columns) {
        chosen.insert(Int.random(in: 0..<columns, using: &rng))
      }
      for j in chosen.sorted() {
        r.append(i)
        c.append(j)
        v.append(S(Int.random(in: 1...5, using: &rng)))
      }
    }
    return try! SparseMatrix(
      rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v)
  }

  /// The largest absolute entrywise difference.
  static func maxDifference<S: BLASScalar>(_ a: Matrix<S>, _ b: Matrix<S>) -> S {
    precondition(a.rows == b.rows && a.columns == b.columns)
    return zip(a.elements, b.elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }
}
