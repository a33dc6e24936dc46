/// Partial selection of the best-scored items: a bounded min-heap, not a full sort. The served
/// path (``RecommenderModel/recommend(user:count:excluding:where:)``) and the evaluated path
/// (``RankingReport``) both select with it.
public enum TopItems {
  /// The indices of the `count` highest scores, best first, among the indices `isCandidate`
  /// accepts; NaN scores are never selected (the served path marks excluded items with NaN). Ties
  /// go to the lower index, so results are deterministic.
  ///
  /// `isCandidate` is asked only about items that could enter the list: once `count` items are
  /// kept, only about those that beat the worst of them.
  ///
  /// A `count` larger than the number of scores is the same as the number of scores (no
  /// allocation follows `count` itself).
  ///
  /// - Complexity: O(n) comparisons plus O(m log count) for the m items that enter the heap.
  public static func select(
    _ scores: [Float], count requested: Int, where isCandidate: (Int) -> Bool = { _ in true }
  ) -> [Int] {
    scores.withUnsafeBufferPointer { select($0, among: nil, count: requested, where: isCandidate) }
  }

  /// The indices of the `count` highest scores among `candidates` (ascending indices into
  /// `scores`; others are ignored), best first, ties to the lower index, NaN never selected.
  public static func select(_ scores: [Float], among candidates: [Int], count requested: Int)
    -> [Int]
  {
    scores.withUnsafeBufferPointer { select($0, among: candidates, count: requested) { _ in true } }
  }

  /// The selection over a buffer, optionally restricted to ascending `candidates`.
  ///
  /// Without candidates, once `count` items are kept the scan only compares scores with the
  /// worst kept score, eight at a time: an item is offered to the heap only when it beats that
  /// score (NaN never does), which is exactly when the heap would take it.
  static func select(
    _ scores: UnsafeBufferPointer<Float>, among candidates: [Int]?, count requested: Int,
    everyItemIsCandidate: Bool = false, where isCandidate: (Int) -> Bool
  ) -> [Int] {
    let count = min(requested, candidates?.count ?? scores.count)
    guard count > 0 else { return [] }
    // With every item a candidate, a lower bound of the count-th best score (see `lowerBound`):
    // nothing under it can be selected.
    var floor = -Float.infinity
    if candidates == nil, everyItemIsCandidate, let base = scores.baseAddress {
      floor = lowerBound(base, n: scores.count, count: count)
      // A short list: the few items at or above the floor, gathered without a branch per item,
      // then ranked (no heap, whose sifting mispredicts).
      if floor > -.infinity, count <= 64, scores.count >= 8 * count {
        return selectAtOrAbove(floor, base, n: scores.count, count: count)
      }
    }
    return MinHeap.withHeap(capacity: count) { heap in
      select(scores, among: candidates, into: &heap, floor: floor, where: isCandidate)
    }
  }

  /// The `count` best of the scores at or above `floor` (at least `count` of them reach it), best
  /// first, ties to the lower index.
  static func selectAtOrAbove(_ floor: Float, _ base: UnsafePointer<Float>, n: Int, count: Int)
    -> [Int]
  {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: n + count) { buffer in
      // The indices at or above the floor, ascending: each index is written, and the end moves
      // on only when its score reaches the floor.
      var m = 0
      var i = 0
      let below = SIMD8<Float>(repeating: floor.nextDown)
      while i + 8 <= n {
        if anyOfEight(base + i, above: below) {
          for j in i..<(i + 8) {
            buffer[m] = j
            m &+= base[j] >= floor ? 1 : 0
          }
        }
        i += 8
      }
      while i < n {
        buffer[m] = i
        m &+= base[i] >= floor ? 1 : 0
        i += 1
      }
      // The best `count` of them by insertion, in index order: an equal score stays behind the
      // ones kept before it.
      let top = UnsafeMutableBufferPointer(rebasing: buffer[n..<(n + count)])
      var kept = 0
      for c in 0..<m {
        let index = buffer[c]
        let score = base[index]
        if kept == count {
          guard score > base[top[count - 1]] else { continue }
        } else {
          kept += 1
        }
        var k = kept - 1
        while k > 0 && base[top[k - 1]] < score {
          top[k] = top[k - 1]
          k -= 1
        }
        top[k] = index
      }
      return Array(top[0..<kept])
    }
  }

  /// ``select(_:among:count:everyItemIsCandidate:where:)`` into an empty heap of the list's length,
  /// offering only items at or above `floor` while the heap fills.
  private static func select(
    _ scores: UnsafeBufferPointer<Float>, among candidates: [Int]?, into heap: inout MinHeap,
    floor: Float, where isCandidate: (Int) -> Bool
  ) -> [Int] {
    if let candidates {
      var previous = -1
      for index in candidates where index > previous && index < scores.count {
        previous = index
        heap.offer(scores[index], index, isCandidate)
      }
      return heap.sortedIndices()
    }
    let n = scores.count
    guard let base = scores.baseAddress else { return [] }
    // `x ≥ floor` is `x > floor.nextDown` for every float x but −∞ (a −∞ floor checks scalars).
    let belowFloor = floor > -.infinity ? SIMD8<Float>(repeating: floor.nextDown) : nil
    var index = 0
    while index < n && !heap.isFull {
      // Eight at a time against the floor while the heap fills: most items are under it.
      if index + 8 <= n, let belowFloor, !anyOfEight(base + index, above: belowFloor) {
        index += 8
        continue
      }
      let end = min(n, index + 8)
      while index < end && !heap.isFull {
        if base[index] >= floor { heap.offer(base[index], index, isCandidate) }
        index += 1
      }
    }
    guard heap.isFull else { return heap.sortedIndices() }
    var threshold = heap.worstScore
    // Built once per threshold: a vector built per comparison costs more than the comparison.
    var thresholds = SIMD8<Float>(repeating: threshold)
    while index + 8 <= n {
      if anyOfEight(base + index, above: thresholds) {
        for j in index..<(index + 8) where base[j] > threshold {
          heap.offer(base[j], j, isCandidate)
          threshold = heap.worstScore
        }
        thresholds = SIMD8<Float>(repeating: threshold)
      }
      index += 8
    }
    while index < n {
      if base[index] > threshold {
        heap.offer(base[index], index, isCandidate)
        threshold = heap.worstScore
      }
      index += 1
    }
    return heap.sortedIndices()
  }
}

extension TopItems {
  /// Whether any of the eight scores from `p` is above its lane of `t` (NaN never is): one vector
  /// comparison. (`.>` only: the standard library's `.>=` on `SIMD8<Float>` compiles to a
  /// lane-by-lane loop here, some fifty times slower.)
  @inline(__always)
  static func anyOfEight(_ p: UnsafePointer<Float>, above t: SIMD8<Float>) -> Bool {
    let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    return any(v .> t)
  }

  /// A lower bound of the `count`-th best score from the maxima of contiguous chunks of the
  /// non-NaN scores: `count` distinct chunks have a maximum at least as large as the `count`-th
  /// largest chunk maximum, so that many scores reach it. For a short list (`count` ≤ 64, at least
  /// eight scores per kept item) the scores are dealt into about 4 · `count` groups (item i into
  /// group i mod the group count) and the bound is their `count`-th largest maximum: on random
  /// scores, and on ordered ones, only a few items beyond `count` reach it (ascending scores would
  /// otherwise each enter the heap); else the smallest of `count` contiguous chunk maxima. −∞ when it would not pay (fewer than four scores per
  /// chunk) or too few chunks hold a number.
  static func lowerBound(_ base: UnsafePointer<Float>, n: Int, count: Int) -> Float {
    guard count > 0, n >= 4 * count else { return -.infinity }
    guard count <= 64, n >= 8 * count else {
      var bound = Float.infinity
      for chunk in 0..<count {
        bound = min(bound, chunkMaximum(base, n * chunk / count, n * (chunk + 1) / count))
      }
      return bound
    }
    // G = 8 · ⌈4 · count / 8⌉ groups, item i in group i mod G: one vector maximum per eight
    // scores and no reduction, and for ordered scores (a trend) every group's maximum lies near
    // the same end, so few items beyond `count` reach the bound.
    let ranges = (4 * count + 7) / 8
    let groups = 8 * ranges
    let raw = UnsafeRawPointer(base)
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: groups + count) { scratch in
      let maxima = UnsafeMutableRawPointer(scratch.baseAddress!)
      for g in 0..<groups { scratch[g] = -.infinity }
      var i = 0
      while i + groups <= n {
        for r in 0..<ranges {
          let v = raw.loadUnaligned(fromByteOffset: (i + 8 * r) * 4, as: SIMD8<Float>.self)
          var lanes = maxima.loadUnaligned(fromByteOffset: r * 32, as: SIMD8<Float>.self)
          lanes.replace(with: v, where: lanes .< v)
          maxima.storeBytes(of: lanes, toByteOffset: r * 32, as: SIMD8<Float>.self)
        }
        i += groups
      }
      var g = 0
      while i < n {
        if base[i] > scratch[g] { scratch[g] = base[i] }
        i += 1
        g += 1
      }
      // The `count` largest group maxima, descending: each maximum bubbled down the whole list
      // (max stays, min moves on), branch-free, so no data-dependent branch mispredicts.
      // (Maxima are never NaN.)
      let top = UnsafeMutableBufferPointer(rebasing: scratch[groups...])
      for k in 0..<count { top[k] = -.infinity }
      for g in 0..<groups {
        var v = scratch[g]
        for k in 0..<count {
          let t = top[k]
          top[k] = max(t, v)
          v = min(t, v)
        }
      }
      return top[count - 1]
    }
  }

  /// The largest non-NaN score of `base[start..<end]`, −∞ when there is none.
  @inline(__always)
  static func chunkMaximum(_ base: UnsafePointer<Float>, _ start: Int, _ end: Int) -> Float {
    let raw = UnsafeRawPointer(base)
    var i = start
    // Eight lanes at a time; a lane takes a value only when it is larger, so NaN never enters
    // and a chunk without a number keeps −∞.
    var lanes = SIMD8<Float>(repeating: -.infinity)
    while i + 8 <= end {
      let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
      lanes.replace(with: v, where: lanes .< v)
      i += 8
    }
    // Lane by lane: the generic `SIMD.max()` is not specialised here.
    var best = max(
      max(max(lanes[0], lanes[1]), max(lanes[2], lanes[3])),
      max(max(lanes[4], lanes[5]), max(lanes[6], lanes[7])))
    while i < end {
      if base[i] > best { best = base[i] }
      i += 1
    }
    return best
  }
}

/// The bounded heap of ``TopItems``: the root is the worst item kept. Items are offered in
/// ascending index order, so an equal score never displaces a kept item (ties to the lower
/// index). It lives in a buffer its caller owns (``withHeap(capacity:_:)``): no allocation and no
/// copy-on-write check per offer.
struct MinHeap {
  /// A kept item.
  struct Entry {
    var score: Float
    var index: Int
  }

  private let entries: UnsafeMutableBufferPointer<Entry>
  private var count = 0
  /// The number of items the heap keeps.
  var capacity: Int { entries.count }

  private init(_ entries: UnsafeMutableBufferPointer<Entry>) {
    self.entries = entries
  }

  /// Runs `body` with an empty heap of `capacity` entries in temporary storage.
  static func withHeap<R>(capacity: Int, _ body: (inout MinHeap) -> R) -> R {
    precondition(capacity >= 1, "a heap keeps at least one item")
    return withUnsafeTemporaryAllocation(of: Entry.self, capacity: max(1, capacity)) { buffer in
      var heap = MinHeap(UnsafeMutableBufferPointer(rebasing: buffer[0..<capacity]))
      return body(&heap)
    }
  }

  /// Whether `capacity` items are kept: from then on only a better item enters.
  var isFull: Bool { count == entries.count }

  /// The worst kept score (the root); meaningful only when the heap is not empty.
  var worstScore: Float { entries[0].score }

  /// Keeps `(score, index)` if it is among the best so far and `isCandidate(index)`.
  @inline(__always)
  mutating func offer(_ score: Float, _ index: Int, _ isCandidate: (Int) -> Bool) {
    if count == entries.count {
      guard score > entries[0].score, isCandidate(index) else { return }
      Self.siftDown(entries, Entry(score: score, index: index))
    } else {
      guard !score.isNaN, isCandidate(index) else { return }
      entries[count] = Entry(score: score, index: index)
      count += 1
      Self.siftUp(UnsafeMutableBufferPointer(rebasing: entries[0..<count]), from: count - 1)
    }
  }

  /// Whether `a` ranks below `b`: a lower score, or an equal score at a higher index.
  @inline(__always)
  private static func worse(_ a: Entry, _ b: Entry) -> Bool {
    a.score != b.score ? a.score < b.score : a.index > b.index
  }

  private static func siftUp(_ heap: UnsafeMutableBufferPointer<Entry>, from start: Int) {
    var i = start
    let item = heap[i]
    while i > 0 {
      let parent = (i - 1) / 2
      guard worse(item, heap[parent]) else { break }
      heap[i] = heap[parent]
      i = parent
    }
    heap[i] = item
  }

  /// Replaces the root by `item` and restores the heap order.
  private static func siftDown(_ heap: UnsafeMutableBufferPointer<Entry>, _ item: Entry) {
    let n = heap.count
    var i = 0
    while true {
      let l = 2 * i + 1
      guard l < n else { break }
      var m = l
      let r = l + 1
      if r < n && worse(heap[r], heap[l]) { m = r }
      guard worse(heap[m], item) else { break }
      heap[i] = heap[m]
      i = m
    }
    heap[i] = item
  }

  /// The kept indices, best first (the heap is consumed: its entries are sorted in place).
  mutating func sortedIndices() -> [Int] {
    var kept = UnsafeMutableBufferPointer(rebasing: entries[0..<count])
    kept.sort { Self.worse($1, $0) }
    return [Int](unsafeUninitializedCapacity: count) { out, initialized in
      for k in 0..<kept.count { out[k] = kept[k].index }
      initialized = kept.count
    }
  }
}
