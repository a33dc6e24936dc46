internal import _AFlixSupport

/// Deterministic data-parallel loops for AFlix's own kernels: the shared loop of `_AFlixSupport`
/// on ``Parallelism/currentThreadCount`` threads.
///
/// Work is split into chunks whose boundaries depend only on the problem size, never on the
/// number of threads, and any reduction over chunks is summed in chunk order: results are
/// bit-identical whatever the thread count.
enum Parallel {
  /// Runs `body(chunk, range)` for `chunkCount` contiguous, near-equal ranges of `0..<count`,
  /// concurrently when there is more than one chunk and more than one thread.
  static func forEachChunk(
    count: Int, chunkCount: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void
  ) {
    ParallelLoop.forEachChunk(
      count: count, chunkCount: chunkCount, threads: Parallelism.currentThreadCount, body)
  }

  /// A chunk count for `work` units of work: about one chunk per 64 Ki units, at most 16. It
  /// depends on the size of the problem only.
  static func chunkCount(forWork work: Int) -> Int {
    max(1, min(16, work / 65_536))
  }
}
