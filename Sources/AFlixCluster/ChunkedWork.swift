import AFlixLinalg
internal import _AFlixSupport

/// Deterministic data-parallel loops for AFlixCluster's kernels: the shared loop of
/// `_AFlixSupport`.
///
/// Work is cut into items (row chunks, restarts, row blocks) whose boundaries depend only on the
/// problem size, never on the thread count; each item writes only its own output, and reductions
/// over items are summed in item order by the caller. Results are therefore bit-identical for
/// every thread count (BLAS's own threads aside).
enum ChunkedWork {
  /// Rows per chunk of the assignment kernels (a constant: chunk boundaries must not depend on
  /// threads).
  static let rowsPerChunk = 2_048

  /// The ranges of `0..<count` cut every `size` elements (the last one shorter).
  static func ranges(count: Int, size: Int) -> [Range<Int>] {
    precondition(size > 0)
    return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
  }

  /// Runs `body(item)` for every item in `0..<count`, on up to `threads` threads (worker `w` takes
  /// items `w`, `w + workers`, …). With one thread or one item it runs on the calling thread.
  static func forEach(count: Int, threads: Int, _ body: (_ item: Int) -> Void) {
    ParallelLoop.forEach(count: count, threads: threads, body)
  }

  /// The number of threads AFlixCluster's loops may use: `Parallelism.currentThreadCount` (the
  /// count bound by `Parallelism.withThreadCount`, else the process-wide default).
  static var threads: Int { Parallelism.currentThreadCount }
}
