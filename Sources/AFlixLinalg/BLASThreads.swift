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
