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
  /// ## Which fits hold a section
  ///
  /// Only `BayesianMF` (AFlixRecommend) still runs its fit inside a section with `count` 1, so two
  /// Bayesian fits in one process run one after the other: its `d × d` Wishart solve calls `dtrsm`
  /// with `d` right-hand sides, which OpenBLAS 0.3.21 threads once `m·n ≥ 1,024`
  /// (`interface/trsm.c`), and there is no per-thread count to stop it.
  ///
  /// `BiasedALS` and `ImplicitALS` do not need one: their per-row calls go through
  /// ``SerialBLAS``, which never wakes OpenBLAS's workers — `dsyrk` below order 100
  /// (`interface/syrk.c`; larger orders as tiled `dgemm`), tiled `dgemv`, and
  /// ``SerialBLAS/posv(n:a:b:)`` (OpenBLAS's unblocked `dpotf2`, which has no threaded path, where
  /// `dposv`'s `dpotrf` threads from `n = 64`). Two fits side by side, measured: <doc:Serving>.
  public static func withThreadCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
    sectionLock.lock()
    defer { sectionLock.unlock() }
    let saved = threadCount
    threadCount = count
    defer { threadCount = saved }
    return try body()
  }
}
