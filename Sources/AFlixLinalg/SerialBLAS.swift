internal import _AFlixBLAS

/// Matrix products that OpenBLAS computes on the calling thread alone, whatever
/// ``BLAS/threadCount`` is, without changing it and without taking any lock.
///
/// OpenBLAS 0.3.21 (Debian 12) has one process-wide thread count, and decides per call whether to
/// hand the call to its worker threads, by the size of the call:
/// - `?gemv` runs on one thread when `m · n < 2304 · GEMM_MULTITHREAD_THRESHOLD`
///   (`interface/gemv.c`);
/// - `?gemm` runs on one thread when `m · n · k ≤ 65536 · GEMM_MULTITHREAD_THRESHOLD`
///   (`SMP_THRESHOLD_MIN` in `interface/gemm.c`).
///
/// `GEMM_MULTITHREAD_THRESHOLD` is 4 in OpenBLAS's default build and in Debian's (its
/// `openblas_config.h` defines `OPENBLAS_GEMM_MULTITHREAD_THRESHOLD 4`), so a `?gemv` call over at
/// most ``gemvElementLimit`` matrix entries and a `?gemm` call of at most ``gemmWorkLimit``
/// multiply–adds stay on the caller's thread. The functions here split a product into tiles within
/// those limits and call BLAS once per tile: a server can score requests on its own tasks while
/// another thread fits a model with multi-threaded BLAS, and the request's cost and result never
/// depend on the global setting.
///
/// ```swift
/// // scores = itemFactors (n × k) · user (k), on this thread only
/// let scores = itemFactors.serialMultiplied(by: user)
/// // a block of users: (u × k) · (n × k)ᵀ
/// let block = users.serialMultiplied(by: itemFactors, transposingOther: true)
/// ```
///
/// Splitting along the output dimension leaves each output computed over the same inputs in the
/// same order; `?gemv` tiles hold a multiple of 16 outputs so that the kernel groups them as in
/// one unsplit call (measured bit-identical with plain `?gemv` at one thread; tiles of an odd
/// size differed in the last bit). Only a reduction longer than the limit on its own (a `?gemv` row of more than
/// ``gemvElementLimit`` entries, a `?gemm` inner dimension above ``gemmWorkLimit``) is split into
/// partial sums added in order, which can change the last bits against one unsplit call.
public enum SerialBLAS {
  /// The largest `m · n` of a `?gemv` call that OpenBLAS 0.3.21 runs on one thread:
  /// `2304 · 4 − 1` (its test is a strict `<`).
  public static let gemvElementLimit = 2304 * 4 - 1

  /// The largest `m · n · k` of a `?gemm` call that OpenBLAS 0.3.21 runs on one thread:
  /// `65536 · 4` (its test is `≤`).
  public static let gemmWorkLimit = 65536 * 4

  /// `y ← α·op(A)·x + β·y` for a row-major `m × n` matrix `A`, like
  /// ``BLASScalar/gemv(transpose:m:n:alpha:a:lda:x:beta:y:)``, computed on the calling thread in
  /// tiles of at most ``gemvElementLimit`` entries of `A`.
  ///
  /// With `transpose` false, `x` has `n` entries and `y` has `m`; with `transpose` true, `x` has
  /// `m` and `y` has `n`. As in BLAS, `y` is left untouched when `m` or `n` is 0.
  public static func gemv<Scalar: BLASScalar>(
    transpose: Bool, m: Int, n: Int, alpha: Scalar, a: UnsafePointer<Scalar>, lda: Int,
    x: UnsafePointer<Scalar>, beta: Scalar, y: UnsafeMutablePointer<Scalar>
  ) {
    precondition(m >= 0 && n >= 0 && lda >= max(1, n), "invalid gemv shape \(m) × \(n), lda \(lda)")
    if m == 0 || n == 0 { return }
    let plan = gemvTiles(transpose: transpose, m: m, n: n)
    let outputs = transpose ? n : m
    let reduction = transpose ? m : n
    for o0 in stride(from: 0, to: outputs, by: plan.outputs) {
      let ob = min(plan.outputs, outputs - o0)
      for r0 in stride(from: 0, to: reduction, by: plan.reduction) {
        let rb = min(plan.reduction, reduction - r0)
        // Row-major A: rows are outputs without transpose, reduction with it.
        let (i0, j0) = transpose ? (r0, o0) : (o0, r0)
        Scalar.gemv(
          transpose: transpose, m: transpose ? rb : ob, n: transpose ? ob : rb, alpha: alpha,
          a: a + i0 * lda + j0, lda: lda, x: x + r0, beta: r0 == 0 ? beta : 1, y: y + o0)
      }
    }
  }

  /// The upper triangle of `C ← α·AᵀA + β·C` for a row-major `k × n` matrix `A` (`n × n`
  /// result), like `Double.syrk(transpose: true, …)` but on the calling thread: OpenBLAS 0.3.21
  /// runs a double `syrk` of order below 100 on one thread (`interface/syrk.c`), and a larger
  /// one goes through ``gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``'s
  /// tiles (both triangles then filled, twice the work).
  public static func syrk(
    n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    if n < 100 {
      Double.syrk(
        transpose: true, n: n, k: k, alpha: alpha, a: a, lda: lda, beta: beta, c: c, ldc: ldc)
    } else {
      gemm(
        transposeA: true, transposeB: false, m: n, n: n, k: k, alpha: alpha, a: a, lda: lda, b: a,
        ldb: lda, beta: beta, c: c, ldc: ldc)
    }
  }

  /// Solves `A x = b` for a symmetric positive definite row-major `n × n` matrix `A`, of which
  /// only the upper triangle is read, and one right-hand side `b` (overwritten with `x`), like
  /// `Double.posv` but on the calling thread: the Cholesky factor comes from OpenBLAS's unblocked
  /// `dpotf2` (which has no threaded path; `dpotrf` inside `dposv` hands n ≥ 64 to the workers)
  /// and the two triangular solves from `dpotrs`, which OpenBLAS keeps on the calling thread while
  /// `n` (one right-hand side) is below 1,024 — larger systems, at the largest factor counts AFlix
  /// allows, may use the workers for those two solves. `A` is overwritten with its factor.
  ///
  /// - Returns: LAPACK's `info`: 0 on success, `i > 0` when the leading minor of order `i` is not
  ///   positive definite.
  public static func posv(n: Int, a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>)
    -> Int
  {
    precondition(n >= 0 && n <= Int(Int32.max), "invalid posv order \(n)")
    if n == 0 { return 0 }
    // Row-major upper is column-major lower: factor and solve as 'L' in column-major order.
    var order = Int32(n)
    var info: Int32 = 0
    var uplo = CChar(UInt8(ascii: "L"))
    dpotf2_(&uplo, &order, a, &order, &info, 1)  // 1: the length of the Fortran string
    guard info == 0 else { return Int(info) }
    return Int(LAPACKE_dpotrs(LAPACK_COL_MAJOR, uplo, order, 1, a, order, b, order))
  }

  /// `C ← α·op(A)·op(B) + β·C`, row-major, like
  /// ``BLASScalar/gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``, computed on
  /// the calling thread in tiles of `C` whose calls do at most ``gemmWorkLimit`` multiply–adds.
  ///
  /// `op(A)` is `m × k`, `op(B)` is `k × n` and `C` is `m × n`.
  public static func gemm<Scalar: BLASScalar>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Scalar,
    a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
    beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int
  ) {
    precondition(m >= 0 && n >= 0 && k >= 0, "invalid gemm shape \(m) × \(n) × \(k)")
    if m == 0 || n == 0 { return }
    if k == 0 {
      // m · n · 0 = 0: one call is single-threaded by OpenBLAS's rule and only scales C.
      Scalar.gemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: 0, alpha: alpha, a: a,
        lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
      return
    }
    let plan = gemmTiles(m: m, n: n, k: k)
    for i0 in stride(from: 0, to: m, by: plan.m) {
      let mb = min(plan.m, m - i0)
      for j0 in stride(from: 0, to: n, by: plan.n) {
        let nb = min(plan.n, n - j0)
        for p0 in stride(from: 0, to: k, by: plan.k) {
          let kb = min(plan.k, k - p0)
          let aTile = transposeA ? a + p0 * lda + i0 : a + i0 * lda + p0
          let bTile = transposeB ? b + j0 * ldb + p0 : b + p0 * ldb + j0
          Scalar.gemm(
            transposeA: transposeA, transposeB: transposeB, m: mb, n: nb, k: kb, alpha: alpha,
            a: aTile, lda: lda, b: bTile, ldb: ldb, beta: p0 == 0 ? beta : 1,
            c: c + i0 * ldc + j0, ldc: ldc)
        }
      }
    }
  }

  /// The tile of a `?gemv` call: how many outputs and how many reduction terms per BLAS call.
  /// Outputs come in multiples of 16 when at least 16 fit (307 → 304 for 30 terms).
  static func gemvTiles(transpose: Bool, m: Int, n: Int) -> (outputs: Int, reduction: Int) {
    let reduction = transpose ? m : n
    let outputs = transpose ? n : m
    let rb = min(reduction, gemvElementLimit)
    var ob = max(1, gemvElementLimit / rb)
    if ob >= 16 { ob -= ob % 16 }
    return (min(outputs, ob), rb)
  }

  /// The tile of a `?gemm` call: rows of `C`, columns of `C` and inner terms per BLAS call.
  static func gemmTiles(m: Int, n: Int, k: Int) -> (m: Int, n: Int, k: Int) {
    let kb = min(k, gemmWorkLimit)
    let nb = min(n, max(1, gemmWorkLimit / kb))
    let mb = min(m, max(1, gemmWorkLimit / (kb * nb)))
    return (mb, nb, kb)
  }
}

extension Matrix {
  /// The matrix–vector product `op(self) · vector`, like `multiplied(by:transposingSelf:)`
  /// but computed by OpenBLAS on the calling thread only (``SerialBLAS``), whatever
  /// ``BLAS/threadCount`` is.
  ///
  /// - Precondition: `vector.count` is `columns` (or `rows` when transposing).
  public func serialMultiplied(by vector: [Scalar], transposingSelf: Bool = false) -> [Scalar] {
    product(vector, transposingSelf: transposingSelf, serial: true)
  }

  /// The product `op(self) · op(other)`, like ``multiplied(by:transposingSelf:transposingOther:)``
  /// but computed by OpenBLAS on the calling thread only (``SerialBLAS``), whatever
  /// ``BLAS/threadCount`` is.
  ///
  /// - Precondition: the inner dimensions agree.
  public func serialMultiplied(
    by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false
  ) -> Matrix {
    product(
      other, transposingSelf: transposingSelf, transposingOther: transposingOther, serial: true)
  }
}
