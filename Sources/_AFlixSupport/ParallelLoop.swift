import Dispatch

/// The one deterministic parallel loop of AFlix's own kernels (linear algebra, clustering, factor
/// models, synthetic worlds).
///
/// Work is cut into items (row chunks, users, restarts) whose boundaries depend only on the
/// problem size, never on the thread count; each item writes only its own part of the output,
/// and callers reduce over items in item order. Results are therefore bit-identical for every
/// thread count. Worker `w` of `workers = min(threads, count)` takes items `w`, `w + workers`, …;
/// with one worker everything runs on the calling thread.
///
/// The thread count is an argument: callers pass the count their module resolves (in AFlix,
/// `Parallelism.currentThreadCount`, which honours ``ThreadBudget/override``). The caller's
/// ``ThreadBudget/override`` is bound again on every worker thread, so a loop nested inside an
/// item sees the same budget as its caller.
package enum ParallelLoop {
  /// Runs `body(item)` for every item in `0..<count` on up to `threads` threads.
  package static func forEach(count: Int, threads: Int, _ body: (_ item: Int) -> Void) {
    func stateless(_ item: Int, _: inout Void) { body(item) }
    forEach(count: count, threads: threads, state: {}, stateless)
  }

  /// Runs `body(item, &state)` for every item in `0..<count` on up to `threads` threads, with one
  /// `state` per worker made by `makeState` on that worker (scratch buffers reused across the
  /// worker's items). Results must not depend on which worker's state an item sees.
  package static func forEach<State>(
    count: Int, threads: Int, state makeState: () -> State,
    _ body: (_ item: Int, _ state: inout State) -> Void
  ) {
    guard count > 0 else { return }
    let workers = max(1, min(threads, count))
    if workers == 1 {
      var state = makeState()
      for item in 0..<count { body(item, &state) }
      return
    }
    let budget = ThreadBudget.override
    withoutActuallyEscaping(makeState) { makeState in
      withoutActuallyEscaping(body) { body in
        // Each item writes only its own outputs and the states are per worker: the callers
        // guarantee it.
        let shared = UncheckedSendable((makeState, body))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
          ThreadBudget.$override.withValue(budget) {
            var state = shared.value.0()
            var item = w
            while item < count {
              shared.value.1(item, &state)
              item += workers
            }
          }
        }
      }
    }
  }

  /// `body(item, &state)` for every item in `0..<count` (as
  /// ``forEach(count:threads:state:_:)``), collected in item order.
  package static func map<T, State>(
    count: Int, threads: Int, state makeState: () -> State,
    _ body: (_ item: Int, _ state: inout State) -> T
  ) -> [T] {
    guard count > 0 else { return [] }
    let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil)
    defer {
      slots.deinitialize()
      slots.deallocate()
    }
    // Slot `k` is written once, by the worker that runs item `k`, and read after all finish.
    let out = SharedPointer(base: slots.baseAddress!)
    forEach(count: count, threads: threads, state: makeState) { item, state in
      out.base[item] = body(item, &state)
    }
    return slots.map { $0! }
  }

  /// Chunk `chunk` of `chunks` contiguous, near-equal ranges of `0..<count`:
  /// `count·chunk/chunks ..< count·(chunk+1)/chunks`.
  @inline(__always)
  package static func range(chunk: Int, of chunks: Int, count: Int) -> Range<Int> {
    (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
  }

  /// Runs `body(chunk, range)` for `max(1, min(chunkCount, count))` contiguous, near-equal
  /// ranges of `0..<count` (see ``range(chunk:of:count:)``) on up to `threads` threads.
  package static func forEachChunk(
    count: Int, chunkCount: Int, threads: Int,
    _ body: (_ chunk: Int, _ range: Range<Int>) -> Void
  ) {
    let chunks = max(1, min(chunkCount, count))
    forEach(count: chunks, threads: threads) { c in
      body(c, range(chunk: c, of: chunks, count: count))
    }
  }
}
