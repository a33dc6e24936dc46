/// The randomized range finder and Rayleigh–Ritz step of Halko, Martinsson & Tropp (2011).
enum RandomizedSVD {
  struct Factors<S: BLASScalar> {
    var u: Matrix<S>
    var singularValues: [S]
    var vt: Matrix<S>
  }

  /// Gram-strategy threshold on the narrow side of the matrix.
  static let gramLimit = 2048

  @_specialize(where S == Double)
  @_specialize(where S == Float)
  static func run<S: BLASScalar>(
    _ op: CenteredOperator<S>, rank k: Int, options: RandomizedSVDOptions
  ) throws -> Factors<S> {
    // Work on the orientation whose column count (the side sketched) is the narrow one.
    if op.rows < op.columns {
      let f = try run(op.transposed, rank: k, options: options)
      return Factors(u: f.vt.transposed, singularValues: f.singularValues, vt: f.u.transposed)
    }
    let n = op.columns
    let l = min(k + options.oversampling, n)
    let useGram: Bool
    switch options.strategy {
    case .automatic: useGram = n <= gramLimit
    case .gram: useGram = true
    case .direct: useGram = false
    }
    let sketch = gaussian(rows: n, columns: l, seed: options.seed, as: S.self)
    var gramFactors: Factors<S>?
    if useGram {
      gramFactors = try viaGram(
        op, sketch: sketch, iterations: options.powerIterations ?? 10, rank: k,
        fallback: options.strategy == .gram ? .ritzOnA : .giveUp)
    }
    var f =
      try gramFactors
      ?? direct(op, sketch: sketch, iterations: options.powerIterations ?? 5)
    f.u = f.u.leadingColumns(k)
    f.singularValues = Array(f.singularValues.prefix(k))
    f.vt = f.vt.leadingRows(k)
    return f
  }

  /// A `rows × columns` matrix of independent standard normal deviates from `seed`.
  static func gaussian<S: BLASScalar>(rows: Int, columns: Int, seed: UInt64, as: S.Type) -> Matrix<
    S
  > {
    var rng = SeededGenerator(seed: seed)
    var m = Matrix<S>(rows: rows, columns: columns)
    for t in m.elements.indices { m.elements[t] = S(rng.nextGaussian()) }
    return m
  }

  /// HMT Algorithm 4.3 (power iteration) with LU normalisation between products, as
  /// scikit-learn's `randomized_svd`, then a QR and Algorithm 5.1 (direct SVD of `QᵀA`).
  @_specialize(where S == Double)
  @_specialize(where S == Float)
  static func direct<S: BLASScalar>(
    _ op: CenteredOperator<S>, sketch: Matrix<S>, iterations: Int
  ) throws -> Factors<S> {
    var q = op.apply(sketch)
    for _ in 0..<iterations {
      try LAPACK.luNormalize(&q)
      var z = op.applyTransposed(q)
      try LAPACK.luNormalize(&z)
      q = op.apply(z)
    }
    try LAPACK.orthonormalize(&q)
    // C = Aᵀ Q = (Qᵀ A)ᵀ, n × l. C = Ũ S Wᵀ ⇒ A ≈ Q Cᵀ = (Q W) S Ũᵀ.
    let c = op.applyTransposed(q)
    let (cu, s, cwt) = try LAPACK.thinSVD(c)
    let u = q.multiplied(by: cwt, transposingOther: true)
    return Factors(u: u, singularValues: s, vt: cu.transposed)
  }

  /// What the Gram strategy does when squaring would cost accuracy.
  enum GramFallback {
    /// Return nil (the automatic strategy then runs the direct one).
    case giveUp
    /// Take the singular values from an SVD of `A Z` instead of from `Zᵀ(AᵀA)Z`.
    case ritzOnA
  }

  /// The largest `ε · (σ₁ / σₖ)²` — the relative error squaring puts on `σₖ` — for which the
  /// Rayleigh–Ritz values of the Gram matrix are used as they are.
  static func squaringTolerance<S: BLASScalar>(_: S.Type) -> Double {
    Swift.max(1e-8, 100 * Double(S.epsilon))
  }

  /// Subspace iteration on the `n × n` Gram matrix `G`, then Rayleigh–Ritz on `ZᵀGZ`:
  /// `ZᵀGZ = W Λ Wᵀ`, `V = Z W`, `σ = √λ`, `U = A V Σ⁻¹` (one sparse product) while
  /// `ε (σ₁/σₖ)² ≤` ``squaringTolerance(_:)``; otherwise per `fallback`.
  ///
  /// The basis is kept transposed (`Zᵀ`, `l × n`) so that LAPACK's QR runs on it in place
  /// (column-major) and `G Z` is `(Zᵀ G)ᵀ` (`G` is symmetric).
  @_specialize(where S == Double)
  @_specialize(where S == Float)
  static func viaGram<S: BLASScalar>(
    _ op: CenteredOperator<S>, sketch: Matrix<S>, iterations: Int, rank k: Int,
    fallback: GramFallback
  ) throws -> Factors<S>? {
    let g = op.gram()
    var zt = sketch.multiplied(by: g, transposingSelf: true)  // (G Ω)ᵀ
    try LAPACK.orthonormalizeRows(&zt)
    var gzt = zt.multiplied(by: g)  // (G Z)ᵀ
    for _ in 0..<iterations {
      zt = gzt
      try LAPACK.orthonormalizeRows(&zt)
      gzt = zt.multiplied(by: g)
    }
    let h = zt.multiplied(by: gzt, transposingOther: true)  // Zᵀ G Z
    let (lambda, w) = try LAPACK.symmetricEigen(h)
    let sigma = lambda.prefix(k).map { Swift.max(0, $0).squareRoot() }
    let ratio = Double(sigma[0]) / Double(sigma[k - 1])
    let reliable =
      sigma[k - 1] > 0 && Double(S.epsilon) * ratio * ratio <= squaringTolerance(S.self)
    let z = zt.transposed
    if reliable {
      let v = z.multiplied(by: w.leadingColumns(k))  // n × k
      var u = op.apply(v)  // m × k, columns scaled by σ
      for i in 0..<u.rows {
        for t in 0..<k { u.elements[i * k + t] /= sigma[t] }
      }
      return Factors(u: u, singularValues: sigma, vt: v.transposed)
    }
    guard fallback == .ritzOnA else { return nil }
    // Y = A Z = Q B with Q orthonormal, B = QᵀY; B = U_b S W_bᵀ ⇒ A Z Zᵀ = (Q U_b) S (Z W_b)ᵀ.
    let y = op.apply(z)
    var q = y
    try LAPACK.orthonormalize(&q)
    let b = q.multiplied(by: y, transposingSelf: true)
    let (ub, s, wbt) = try LAPACK.thinSVD(b)
    return Factors(u: q.multiplied(by: ub), singularValues: s, vt: wbt.multiplied(by: zt))
  }
}
