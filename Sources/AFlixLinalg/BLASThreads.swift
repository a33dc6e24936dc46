import Foundation
internal import _AFlixBLAS

/// Process-wide control of the BLAS library AFlix computes with (OpenBLAS).
///
/// OpenBLAS starts with as many threads as the machine has cores, or with the count in the
/// `OPENBLAS_NUM_THREADS` (or `OMP_NUM_THREADS`) environment variable when set. ``threadCount``
/// reads and changes it at run time. The setting is **global to the process**: code that changes it
/// while other threads call BLAS affects them too.
///
/// Results are bit-identical for a fixed thread count and CPU kernel; between thread counts, BLAS
/// may sum in another order and results then differ in the last bits (AFlix's tests compare with
/// tolerances for that reason). AFlix's own parallel loops split work into chunks that do not depend
/// on the thread count, so they add no such variation.
public enum BLAS {
  /// The number of threads OpenBLAS uses for one call. Setting it calls
  /// `openblas_set_num_threads`; values below 1 are treated as 1.
  public static var threadCount: Int {
    get { Int(openblas_get_num_threads()) }
    set { openblas_set_num_threads(Int32(clamping: max(1, newValue))) }
  }

  /// The name of the CPU kernel OpenBLAS selected at start-up (for example `"Haswell"`), useful in
  /// benchmark reports: absolute speeds differ between kernels.
  public static var coreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }
}

extension BLAS {
  /// Serialises ``withThreadCount(_:_:)`` sections; recursive, so a section may nest on one
  /// thread.
  private static let sectionLock = NSRecursiveLock()

  /// Runs `body` with OpenBLAS set to `count` threads, then restores the previous count.
  ///
  /// Sections are exclusive across the process (a second one waits for the first to end) and may
  /// nest on one thread. Use a section when the thread count matters for the duration of a piece
  /// of work:
  /// - many small BLAS calls run from AFlix's own parallel loops (per-user solves in ALS): with
  ///   `count` 1, OpenBLAS does not hand each tiny call to its own threads, which costs far more
  ///   than the arithmetic;
  /// - comparing two computations bit for bit, which needs both to run with one thread count.
  ///
  /// The setting is process-global: BLAS calls made meanwhile by code outside any section use it
  /// too (same results up to the last bits, possibly another speed). The body must not wait on
  /// work that itself opens a section on another thread. Serving code never needs a section: its
  /// products go through ``SerialBLAS``, which stays on the calling thread without a lock.
  ///
  /// ## Why the ALS fits still hold a section
  ///
  /// `BiasedALS`, `ImplicitALS` and `BayesianMF` (AFlixRecommend) run their fits inside a section
  /// with `count` 1, so two of them in one process run one after the other. The section stays
  /// because OpenBLAS 0.3.21 would hand their per-row calls to its worker threads at the default
  /// sizes (rules read from its source, tag `v0.3.21`, double precision):
  /// - `dposv` is reference LAPACK calling OpenBLAS's `dpotrf` and `dtrsm`. `dpotrf`
  ///   (`interface/lapack/potrf.c`) runs on one thread only when `n < 64`, and
  ///   `potrf_U_parallel.c` keeps it there only for `n ≤ 4·GEMM_UNROLL_N`: the defaults solve
  ///   `n = 64` (implicit ALS) and `n = 65` (ALS and Bayesian MF, factors plus a bias) systems,
  ///   one per user and item per pass, all threaded. `dtrsm` (`interface/trsm.c`) stays on one
  ///   thread while `m·n < SMP_FACTOR·GEMM_MULTITHREAD_THRESHOLD` (256 · 4 = 1,024): true for one
  ///   right-hand side, false for Bayesian MF's `d × d` Wishart solve.
  /// - `dsyrk` (`interface/syrk.c`) runs on one thread when the order `n < 100`, whatever the
  ///   number of rows summed: true at the defaults, false from 99 factors on.
  /// - `dgemv` (`interface/gemv.c`) runs on one thread when `m·n < 9,216`: ALS's `Xᵀy` over a
  ///   user's rows exceeds it from 142 ratings on (at 65 columns).
  ///
  /// Under OpenBLAS's default thread count these calls, small and many, would each wake its
  /// workers (ten times the cost of the arithmetic, measured on the per-row `dsyrk`/`dposv`).
  /// There is no size rule that keeps a 64 × 64 `dpotrf` serial and 0.3.21 has no per-thread
  /// count, so the section can only go once the fits solve with calls that never thread (a
  /// `dpotf2`-based Cholesky — its interface has no threaded path — with triangular solves, tiled
  /// `dgemv` as ``SerialBLAS`` does, `dsyrk` in blocks of order < 100): a change of the fits'
  /// last bits, left to a later issue.
  ///
  /// What serialising costs, measured (MovieLens 100k `u.data`, two `ImplicitALS()` fits with the
  /// default 64 factors and 15 iterations, seeds 1 and 2, release build, 2 shared cores,
  /// Cooperlake kernels, three repetitions): with one AFlix thread per fit, sequential
  /// 2.61–2.66 s (1.30–1.34 s a fit), concurrent async fits 2.65–2.80 s, the first finishing at
  /// 1.31–1.36 s and the second at 2.65–2.80 s: the section serialises them exactly. Unserialised,
  /// two one-thread fits on two cores would both end near 1.3 s, so the lock costs the second
  /// fit up to its whole duration of latency, and a service running one-thread fits side by side
  /// up to half its fit throughput. With two AFlix threads per fit (each fit already uses both
  /// cores) concurrent and sequential times matched (1.45–2.82 s vs 1.74–2.72 s on the loaded
  /// machine): then nothing is lost. Fits of the other models (SGD, SVD++, BPR, kNN, EASE,
  /// truncated SVD) take no section and run concurrently with everything.
  public static func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
    sectionLock.lock()
    defer { sectionLock.unlock() }
    let saved = threadCount
    threadCount = count
    defer { threadCount = saved }
    return try body()
  }
}
