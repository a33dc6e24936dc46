import AFlixLinalg

/// The change of basis behind ``FactorRankServing/orderedFactors()``: factors `P` (users × k) and
/// `Q` (items × k) rewritten as `P′ = P G`, `Q′` with `P′Q′ᵀ = PQᵀ` and columns ordered by the
/// singular values of `PQᵀ`.
///
/// With the thin SVDs `Q = U_q S_q V_qᵀ` and `M = P V_q S_q = U Σ Wᵀ` (both by LAPACK through
/// `Matrix.singularValueDecomposition()`, in `Double`):
/// `PQᵀ = M U_qᵀ = U Σ (U_q W)ᵀ`, an SVD of the known users' score matrix, since `U` and `U_q W`
/// have orthonormal columns. The factors are split evenly, `P′ = U Σ^½` and `Q′ = U_q W Σ^½`
/// (`P′ᵀP′ = Q′ᵀQ′ = Σ`), and `G = V_q S_q W Σ^(−½)` (zero for a zero σ) maps any user-side
/// vector into the new basis (`P G = P′`; SVD++'s implicit factors move with it). The leading `r`
/// columns give `U_r Σ_r (U_q W)_rᵀ`, the best rank-`r` approximation of `PQᵀ` (Eckart–Young).
///
/// Why the even split, not `P′ = UΣ`, `Q′ = U_q W` (orthonormal items, the SVD convention): the
/// fold-ins of the ridge-fitted models (ALS, iALS, SGD, BPR) penalise `λ‖x‖²` in the factor
/// basis, which is invariant only under orthogonal changes of basis. An L2-regularised fit ends
/// balanced (`PᵀP ≈ QᵀQ` at a stationary point), and two balanced factorisations of one matrix
/// differ by an orthogonal matrix — so with the even split `G` is (nearly) orthogonal and a
/// fold-in at full K gives (nearly) the original's answer, where orthonormal item factors would
/// shrink every item vector to norm ≈ √(k/items) and let λ swamp the fold-in.
struct FactorOrdering {
  /// `P′ = U Σ^½`, users × k (trailing zero columns when `min(users, items) < k`).
  var userFactors: Matrix<Float>
  /// `Q′ = U_q W Σ^½`, items × k.
  var itemFactors: Matrix<Float>
  /// `G`, k × k: a user-side vector `x` becomes `Gᵀx` (a row `xᵀ` becomes `xᵀG`).
  var userTransform: Matrix<Double>
  /// σ₁ ≥ σ₂ ≥ … of `PQᵀ` (k values, zeros past its rank).
  var singularValues: [Double]

  /// Orders `userFactors` and `itemFactors`.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for a model with no user, no item or no
  ///   factor, `.numericalFailure` when LAPACK fails or a result is not finite.
  init(userFactors p: Matrix<Float>, itemFactors q: Matrix<Float>) throws {
    let k = p.columns
    guard k >= 1, p.rows >= 1, q.rows >= 1, q.columns == k else {
      throw RecommendError(
        .invalidArgument,
        "ordering factors needs at least one user, item and factor (got \(p.rows) users, "
          + "\(q.rows) items, \(k) factors)")
    }
    let pd = Matrix<Double>(rows: p.rows, columns: k, elements: p.elements.map { Double($0) })
    let qd = Matrix<Double>(rows: q.rows, columns: k, elements: q.elements.map { Double($0) })
    do {
      let svdQ = try qd.singularValueDecomposition()
      let rq = svdQ.rank
      // A = V_q S_q (k × rq).
      var a = svdQ.vt.transposed
      for r in 0..<k { for j in 0..<rq { a.elements[r * rq + j] *= svdQ.singularValues[j] } }
      let m = pd * a
      let svdM = try m.singularValueDecomposition()
      let rm = svdM.rank
      let sigma = svdM.singularValues
      let tiny = (sigma.first ?? 0) * Double(max(p.rows, q.rows, k)) * Double.ulpOfOne
      let root = sigma.map { $0 > tiny ? $0.squareRoot() : 0 }
      let inverseRoot = sigma.map { $0 > tiny ? 1 / $0.squareRoot() : 0 }
      // W Σ^½ and W Σ^(−½) (rq × rm).
      let w = svdM.vt.transposed
      var wRoot = w
      var wInverseRoot = w
      for r in 0..<rq {
        for j in 0..<rm {
          wRoot.elements[r * rm + j] *= root[j]
          wInverseRoot.elements[r * rm + j] *= inverseRoot[j]
        }
      }
      var users = svdM.u
      for r in 0..<users.rows { for j in 0..<rm { users.elements[r * rm + j] *= root[j] } }
      let items = svdQ.u * wRoot
      let transform = a * wInverseRoot
      self.userFactors = try Self.padded(users, to: k)
      self.itemFactors = try Self.padded(items, to: k)
      self.userTransform = Self.paddedDouble(transform, to: k)
      self.singularValues = (0..<k).map { $0 < rm && $0 < sigma.count ? sigma[$0] : 0 }
    } catch let error as RecommendError {
      throw error
    } catch {
      throw RecommendError(.numericalFailure, "ordering the factors failed: \(error)")
    }
  }

  /// `x G` for every row `x` of `rows` (rows × k): SVD++'s implicit factors in the new basis.
  func transformingUserSide(_ rows: Matrix<Float>) throws -> Matrix<Float> {
    let d = Matrix<Double>(
      rows: rows.rows, columns: rows.columns, elements: rows.elements.map { Double($0) })
    return try Self.padded(d * userTransform, to: userTransform.columns)
  }

  /// `matrix` as `Float` with zero columns appended up to `k`, checked finite.
  static func padded(_ matrix: Matrix<Double>, to k: Int) throws -> Matrix<Float> {
    guard matrix.elements.allSatisfy(\.isFinite) else {
      throw RecommendError(.numericalFailure, "ordering the factors gave a non-finite value")
    }
    let c = matrix.columns
    var out = [Float](repeating: 0, count: matrix.rows * k)
    for r in 0..<matrix.rows {
      for j in 0..<min(c, k) { out[r * k + j] = Float(matrix.elements[r * c + j]) }
    }
    return Matrix(rows: matrix.rows, columns: k, elements: out)
  }

  /// `matrix` (k × c) with zero columns appended up to `k`.
  static func paddedDouble(_ matrix: Matrix<Double>, to k: Int) -> Matrix<Double> {
    let c = matrix.columns
    var out = [Double](repeating: 0, count: matrix.rows * k)
    for r in 0..<matrix.rows {
      for j in 0..<min(c, k) { out[r * k + j] = matrix.elements[r * c + j] }
    }
    return Matrix(rows: matrix.rows, columns: k, elements: out)
  }

  /// The leading `count` columns of `matrix`.
  static func leadingColumns(_ matrix: Matrix<Float>, _ count: Int) -> Matrix<Float> {
    let c = matrix.columns
    var out = [Float](repeating: 0, count: matrix.rows * count)
    matrix.elements.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for r in 0..<matrix.rows {
          for j in 0..<count { dst[r * count + j] = src[r * c + j] }
        }
      }
    }
    return Matrix(rows: matrix.rows, columns: count, elements: out)
  }
}
