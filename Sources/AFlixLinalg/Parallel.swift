import Dispatch

/// Deterministic data-parallel loops for AFlix's own kernels.
///
/// Work is split into chunks whose boundaries depend only on the problem size, never on the
/// number of threads, and any reduction over chunks is summed in chunk order: results are
/// bit-identical whatever the thread count.
enum Parallel {
  /// Runs `body(chunk, range)` for `chunkCount` contiguous, near-equal ranges of `0..<count`,
  /// concurrently when there is more than one chunk.
  static func forEachChunk(
    count: Int, chunkCount: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void
  ) {
    let chunks = max(1, min(chunkCount, count))
    if chunks == 1 || Parallelism.maximumThreadCount == 1 {
      for c in 0..<chunks { body(c, (count * c / chunks)..<(count * (c + 1) / chunks)) }
      return
    }
    withoutActuallyEscaping(body) { body in
      // Each chunk writes only its own part of the output: callers guarantee it.
      let shared = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let lo = count * c / chunks
        let hi = count * (c + 1) / chunks
        shared.value(c, lo..<hi)
      }
    }
  }

  /// A chunk count for `work` units of work: about one chunk per 64 Ki units, at most 16. It
  /// depends on the size of the problem only.
  static func chunkCount(forWork work: Int) -> Int {
    max(1, min(16, work / 65_536))
  }
}

/// Wraps a value that is safe to share because of how it is used (documented at each use).
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
