internal import _AFlixBLAS

/// A floating-point type that BLAS and LAPACK compute with: `Float` (the `s` routines) or `Double`
/// (the `d` routines).
///
/// The requirements are thin wrappers over OpenBLAS's CBLAS interface and LAPACKE in **row-major**
/// layout. Generic code in AFlix (``Matrix``, ``SparseMatrix``, the SVDs) calls them so that one
/// implementation serves both precisions. Leading dimensions are in elements; sizes are `Int` and
/// are checked to fit LAPACK's 32-bit integers.
public protocol BLASScalar: BinaryFloatingPoint, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
  /// `C ← α·op(A)·op(B) + β·C` (`?gemm`), row-major.
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

  /// `y ← α·op(A)·x + β·y` (`?gemv`), row-major `m × n` matrix `A`.
  static func gemv(
    transpose: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
    x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)

  /// Upper triangle of `C ← α·AᵀA + β·C` (`transpose: true`, `A` is `k × n`) or
  /// `C ← α·AAᵀ + β·C` (`transpose: false`, `A` is `n × k`) (`?syrk`), row-major.
  static func syrk(
    transpose: Bool, n: Int, k: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)

  /// `x · y` over `n` contiguous elements (`?dot`).
  static func dot(n: Int, x: UnsafePointer<Self>, y: UnsafePointer<Self>) -> Self

  /// `y ← α·x + y` over `n` contiguous elements (`?axpy`).
  static func axpy(n: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)

  /// Thin SVD of a row-major `m × n` matrix by divide and conquer (`?gesdd`, `jobz = 'S'`):
  /// `u` is `m × min(m,n)`, `s` has `min(m,n)` values in descending order, `vt` is `min(m,n) × n`.
  /// `a` is destroyed. Returns LAPACK's `info` (0 on success).
  static func gesdd(
    m: Int, n: Int, a: UnsafeMutablePointer<Self>, s: UnsafeMutablePointer<Self>,
    u: UnsafeMutablePointer<Self>, vt: UnsafeMutablePointer<Self>
  ) -> Int

  /// Householder QR of a row-major `m × n` matrix, `m ≥ n` (`?geqrf`), then the explicit thin
  /// `Q` (`?orgqr`) written over `a`. Returns LAPACK's `info`.
  static func orthonormalize(m: Int, n: Int, a: UnsafeMutablePointer<Self>) -> Int

  /// Like ``orthonormalize(m:n:a:)`` for a matrix stored **transposed**: `a` holds the row-major
  /// `n × m` matrix `Xᵀ` (equivalently `X` column-major), and the columns of `X` are replaced by an
  /// orthonormal basis of their span, with no layout conversion. `m ≥ n`. Returns LAPACK's `info`.
  static func orthonormalizeTransposed(m: Int, n: Int, a: UnsafeMutablePointer<Self>) -> Int

  /// LU factorisation with partial pivoting of a **column-major** `m × n` matrix (`?getrf`,
  /// without LAPACKE's NaN scan): `A = P L U`, `L` and `U` written over `a` (leading dimension
  /// `m`), the 1-based row interchanges in `pivots` (`min(m, n)` entries). Returns LAPACK's `info`
  /// (> 0 means `U` is exactly singular, which still leaves a usable `L`).
  static func getrfColumnMajor(
    m: Int, n: Int, a: UnsafeMutablePointer<Self>, pivots: UnsafeMutablePointer<Int32>
  ) -> Int

  /// Eigenvalues (ascending) and, optionally, eigenvectors of a symmetric row-major `n × n` matrix
  /// whose upper triangle is read (`?syevd`). The eigenvectors overwrite `a` as columns.
  static func syevd(
    n: Int, a: UnsafeMutablePointer<Self>, w: UnsafeMutablePointer<Self>, vectors: Bool
  ) -> Int

  /// Solves `A X = B` for symmetric positive-definite `A` (`?posv`, upper triangle), row-major `A`
  /// (`n × n`) and `B` (`n × nrhs`); `B` is overwritten by `X`. Returns LAPACK's `info`.
  static func posv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Self>, b: UnsafeMutablePointer<Self>
  ) -> Int

  /// Machine epsilon used in error bounds (`ulpOfOne`).
  static var epsilon: Self { get }
}

@inline(__always)
private func blasInt(_ value: Int) -> Int32 {
  precondition(value >= 0 && value <= Int(Int32.max), "dimension \(value) does not fit BLAS's int")
  return Int32(value)
}

@inline(__always)
private func order() -> CBLAS_ORDER { CblasRowMajor }

@inline(__always)
private func trans(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

private let rowMajor = Int32(LAPACK_ROW_MAJOR)

extension Double: BLASScalar {
  /// The `Double` implementation, through `cblas_dgemm`.
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      order(), trans(transposeA), trans(transposeB), blasInt(m), blasInt(n), blasInt(k), alpha,
      a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
  }

  /// The `Double` implementation, through `cblas_dgemv`.
  public static func gemv(
    transpose: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
    x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
  ) {
    cblas_dgemv(
      order(), trans(transpose), blasInt(m), blasInt(n), alpha, a, blasInt(lda), x, 1, beta, y, 1)
  }

  /// The `Double` implementation, through `cblas_dsyrk`.
  public static func syrk(
    transpose: Bool, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dsyrk(
      order(), CblasUpper, trans(transpose), blasInt(n), blasInt(k), alpha, a, blasInt(lda), beta,
      c, blasInt(ldc))
  }

  /// The `Double` implementation, through `cblas_ddot`.
  public static func dot(n: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
    cblas_ddot(blasInt(n), x, 1, y, 1)
  }

  /// The `Double` implementation, through `cblas_daxpy`.
  public static func axpy(
    n: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>
  ) {
    cblas_daxpy(blasInt(n), alpha, x, 1, y, 1)
  }

  /// The `Double` implementation, through `LAPACKE_dgesdd`.
  public static func gesdd(
    m: Int, n: Int, a: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>,
    u: UnsafeMutablePointer<Double>, vt: UnsafeMutablePointer<Double>
  ) -> Int {
    let r = min(m, n)
    return Int(
      LAPACKE_dgesdd(
        rowMajor, CChar(UInt8(ascii: "S")), blasInt(m), blasInt(n), a, blasInt(n), s, u,
        blasInt(r), vt, blasInt(n)))
  }

  /// The `Double` implementation, through `LAPACKE_dgeqrf + LAPACKE_dorgqr`.
  public static func orthonormalize(m: Int, n: Int, a: UnsafeMutablePointer<Double>) -> Int {
    var tau = [Double](repeating: 0, count: max(1, n))
    let info = LAPACKE_dgeqrf(rowMajor, blasInt(m), blasInt(n), a, blasInt(n), &tau)
    guard info == 0 else { return Int(info) }
    return Int(LAPACKE_dorgqr(rowMajor, blasInt(m), blasInt(n), blasInt(n), a, blasInt(n), &tau))
  }

  /// The `Double` implementation, through `LAPACKE_dgeqrf_work` + `LAPACKE_dorgqr_work` in
  /// column-major layout.
  public static func orthonormalizeTransposed(
    m: Int, n: Int, a: UnsafeMutablePointer<Double>
  ) -> Int {
    let colMajor = Int32(LAPACK_COL_MAJOR)
    var tau = [Double](repeating: 0, count: max(1, n))
    var query: Double = 0
    var info = LAPACKE_dgeqrf_work(
      colMajor, blasInt(m), blasInt(n), a, blasInt(m), &tau, &query, -1)
    guard info == 0 else { return Int(info) }
    var work = [Double](repeating: 0, count: max(1, Int(query)))
    info = LAPACKE_dgeqrf_work(
      colMajor, blasInt(m), blasInt(n), a, blasInt(m), &tau, &work, blasInt(work.count))
    guard info == 0 else { return Int(info) }
    info = LAPACKE_dorgqr_work(
      colMajor, blasInt(m), blasInt(n), blasInt(n), a, blasInt(m), &tau, &query, -1)
    guard info == 0 else { return Int(info) }
    if Int(query) > work.count { work = [Double](repeating: 0, count: Int(query)) }
    return Int(
      LAPACKE_dorgqr_work(
        colMajor, blasInt(m), blasInt(n), blasInt(n), a, blasInt(m), &tau, &work,
        blasInt(work.count)))
  }

  /// The `Double` implementation, through `LAPACKE_dgetrf_work` in column-major layout.
  public static func getrfColumnMajor(
    m: Int, n: Int, a: UnsafeMutablePointer<Double>, pivots: UnsafeMutablePointer<Int32>
  ) -> Int {
    Int(
      LAPACKE_dgetrf_work(
        Int32(LAPACK_COL_MAJOR), blasInt(m), blasInt(n), a, blasInt(m), pivots))
  }

  /// The `Double` implementation, through `LAPACKE_dsyevd`.
  public static func syevd(
    n: Int, a: UnsafeMutablePointer<Double>, w: UnsafeMutablePointer<Double>, vectors: Bool
  ) -> Int {
    Int(
      LAPACKE_dsyevd(
        rowMajor, CChar(UInt8(ascii: vectors ? "V" : "N")), CChar(UInt8(ascii: "U")), blasInt(n),
        a, blasInt(n), w))
  }

  /// The `Double` implementation, through `LAPACKE_dposv`.
  public static func posv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, b: UnsafeMutablePointer<Double>
  ) -> Int {
    Int(
      LAPACKE_dposv(
        rowMajor, CChar(UInt8(ascii: "U")), blasInt(n), blasInt(nrhs), a, blasInt(n), b,
        blasInt(nrhs)))
  }

  /// `Double.ulpOfOne`.
  public static var epsilon: Double { .ulpOfOne }
}

extension Float: BLASScalar {
  /// The `Float` implementation, through `cblas_sgemm`.
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      order(), trans(transposeA), trans(transposeB), blasInt(m), blasInt(n), blasInt(k), alpha,
      a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
  }

  /// The `Float` implementation, through `cblas_sgemv`.
  public static func gemv(
    transpose: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
  ) {
    cblas_sgemv(
      order(), trans(transpose), blasInt(m), blasInt(n), alpha, a, blasInt(lda), x, 1, beta, y, 1)
  }

  /// The `Float` implementation, through `cblas_ssyrk`.
  public static func syrk(
    transpose: Bool, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_ssyrk(
      order(), CblasUpper, trans(transpose), blasInt(n), blasInt(k), alpha, a, blasInt(lda), beta,
      c, blasInt(ldc))
  }

  /// The `Float` implementation, through `cblas_sdot`.
  public static func dot(n: Int, x: UnsafePointer<Float>, y: UnsafePointer<Float>) -> Float {
    cblas_sdot(blasInt(n), x, 1, y, 1)
  }

  /// The `Float` implementation, through `cblas_saxpy`.
  public static func axpy(
    n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
  ) {
    cblas_saxpy(blasInt(n), alpha, x, 1, y, 1)
  }

  /// The `Float` implementation, through `LAPACKE_sgesdd`.
  public static func gesdd(
    m: Int, n: Int, a: UnsafeMutablePointer<Float>, s: UnsafeMutablePointer<Float>,
    u: UnsafeMutablePointer<Float>, vt: UnsafeMutablePointer<Float>
  ) -> Int {
    let r = min(m, n)
    return Int(
      LAPACKE_sgesdd(
        rowMajor, CChar(UInt8(ascii: "S")), blasInt(m), blasInt(n), a, blasInt(n), s, u,
        blasInt(r), vt, blasInt(n)))
  }

  /// The `Float` implementation, through `LAPACKE_sgeqrf + LAPACKE_sorgqr`.
  public static func orthonormalize(m: Int, n: Int, a: UnsafeMutablePointer<Float>) -> Int {
    var tau = [Float](repeating: 0, count: max(1, n))
    let info = LAPACKE_sgeqrf(rowMajor, blasInt(m), blasInt(n), a, blasInt(n), &tau)
    guard info == 0 else { return Int(info) }
    return Int(LAPACKE_sorgqr(rowMajor, blasInt(m), blasInt(n), blasInt(n), a, blasInt(n), &tau))
  }

  /// The `Float` implementation, through `LAPACKE_sgeqrf_work` + `LAPACKE_sorgqr_work` in
  /// column-major layout.
  public static func orthonormalizeTransposed(
    m: Int, n: Int, a: UnsafeMutablePointer<Float>
  ) -> Int {
    let colMajor = Int32(LAPACK_COL_MAJOR)
    var tau = [Float](repeating: 0, count: max(1, n))
    var query: Float = 0
    var info = LAPACKE_sgeqrf_work(
      colMajor, blasInt(m), blasInt(n), a, blasInt(m), &tau, &query, -1)
    guard info == 0 else { return Int(info) }
    var work = [Float](repeating: 0, count: max(1, Int(query)))
    info = LAPACKE_sgeqrf_work(
      colMajor, blasInt(m), blasInt(n), a, blasInt(m), &tau, &work, blasInt(work.count))
    guard info == 0 else { return Int(info) }
    info = LAPACKE_sorgqr_work(
      colMajor, blasInt(m), blasInt(n), blasInt(n), a, blasInt(m), &tau, &query, -1)
    guard info == 0 else { return Int(info) }
    if Int(query) > work.count { work = [Float](repeating: 0, count: Int(query)) }
    return Int(
      LAPACKE_sorgqr_work(
        colMajor, blasInt(m), blasInt(n), blasInt(n), a, blasInt(m), &tau, &work,
        blasInt(work.count)))
  }

  /// The `Float` implementation, through `LAPACKE_sgetrf_work` in column-major layout.
  public static func getrfColumnMajor(
    m: Int, n: Int, a: UnsafeMutablePointer<Float>, pivots: UnsafeMutablePointer<Int32>
  ) -> Int {
    Int(
      LAPACKE_sgetrf_work(
        Int32(LAPACK_COL_MAJOR), blasInt(m), blasInt(n), a, blasInt(m), pivots))
  }

  /// The `Float` implementation, through `LAPACKE_ssyevd`.
  public static func syevd(
    n: Int, a: UnsafeMutablePointer<Float>, w: UnsafeMutablePointer<Float>, vectors: Bool
  ) -> Int {
    Int(
      LAPACKE_ssyevd(
        rowMajor, CChar(UInt8(ascii: vectors ? "V" : "N")), CChar(UInt8(ascii: "U")), blasInt(n),
        a, blasInt(n), w))
  }

  /// The `Float` implementation, through `LAPACKE_sposv`.
  public static func posv(
    n: Int, nrhs: Int, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>
  ) -> Int {
    Int(
      LAPACKE_sposv(
        rowMajor, CChar(UInt8(ascii: "U")), blasInt(n), blasInt(nrhs), a, blasInt(n), b,
        blasInt(nrhs)))
  }

  /// `Float.ulpOfOne`.
  public static var epsilon: Float { .ulpOfOne }
}
