import Foundation
import Synchronization

/// How many threads AFlix's own parallel loops (sparse products, Gram accumulation, per-user
/// solves) may use. BLAS has its own setting, ``BLAS/threadCount``.
///
/// The default is the `AFLIX_NUM_THREADS` environment variable when set, else the number of
/// active cores. With 1, loops run serially on the calling thread. Work is split into chunks whose
/// boundaries depend only on the problem size, so results are bit-identical for every setting.
public enum Parallelism {
  private static let limit = Mutex<Int>(initialThreadCount())

  private static func initialThreadCount() -> Int {
    if let text = ProcessInfo.processInfo.environment["AFLIX_NUM_THREADS"], let n = Int(text) {
      return max(1, n)
    }
    return max(1, ProcessInfo.processInfo.activeProcessorCount)
  }

  /// The maximum number of threads AFlix's own loops use (at least 1).
  public static var maximumThreadCount: Int {
    get { limit.withLock { $0 } }
    set { limit.withLock { $0 = max(1, newValue) } }
  }
}
