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
    var heap = MinHeap(capacity: count)
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
    // With every item a candidate, the smallest of `count` chunk maxima bounds the count-th best
    // score from below: nothing under it can be selected, so the heap fills with strong items.
    let floor = everyItemIsCandidate ? lowerBound(base, n: n, count: count) : -Float.infinity
    var index = 0
    while index < n && !heap.isFull {
      if base[index] >= floor { heap.offer(base[index], index, isCandidate) }
      index += 1
    }
    guard heap.isFull else { return heap.sortedIndices() }
    var threshold = heap.worstScore
    while index + 8 <= n {
      // Branch-free over the eight, so that the compiler can compare them as one vector.
      let p = base + index
      let t = threshold
      let hits =
        (p[0] > t ? 1 : 0) | (p[1] > t ? 2 : 0) | (p[2] > t ? 4 : 0) | (p[3] > t ? 8 : 0)
        | (p[4] > t ? 16 : 0) | (p[5] > t ? 32 : 0) | (p[6] > t ? 64 : 0) | (p[7] > t ? 128 : 0)
      if hits != 0 {
        for j in index..<(index + 8) where base[j] > threshold {
          heap.offer(base[j], j, isCandidate)
          threshold = heap.worstScore
        }
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
  /// The smallest of the maxima of `count` contiguous chunks of the non-NaN scores — a lower
  /// bound of the `count`-th best score — or −∞ when it would not pay (fewer than four scores per
  /// chunk) or a chunk holds no number.
  static func lowerBound(_ base: UnsafePointer<Float>, n: Int, count: Int) -> Float {
    guard count > 0, n >= 4 * count else { return -.infinity }
    var bound = Float.infinity
    let raw = UnsafeRawPointer(base)
    for chunk in 0..<count {
      let end = n * (chunk + 1) / count
      var i = n * chunk / count
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
      bound = min(bound, best)
    }
    return bound
  }
}

/// The bounded heap of ``TopItems``: the root is the worst item kept. Items are offered in
/// ascending index order, so an equal score never displaces a kept item (ties to the lower
/// index).
struct MinHeap {
  /// A kept item.
  struct Entry {
    var score: Float
    var index: Int
  }

  private var entries: [Entry] = []
  private let capacity: Int

  init(capacity: Int) {
    self.capacity = capacity
    entries.reserveCapacity(capacity)
  }

  /// Whether `capacity` items are kept: from then on only a better item enters.
  var isFull: Bool { entries.count == capacity }

  /// The worst kept score (the root); meaningful only when the heap is not empty.
  var worstScore: Float { entries[0].score }

  /// Keeps `(score, index)` if it is among the best so far and `isCandidate(index)`.
  @inline(__always)
  mutating func offer(_ score: Float, _ index: Int, _ isCandidate: (Int) -> Bool) {
    if entries.count == capacity {
      guard score > entries[0].score, isCandidate(index) else { return }
      entries.withUnsafeMutableBufferPointer { heap in
        Self.siftDown(heap, Entry(score: score, index: index))
      }
    } else {
      guard !score.isNaN, isCandidate(index) else { return }
      entries.append(Entry(score: score, index: index))
      entries.withUnsafeMutableBufferPointer { Self.siftUp($0, from: $0.count - 1) }
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

  /// The kept indices, best first.
  func sortedIndices() -> [Int] {
    entries.sorted { Self.worse($1, $0) }.map(\.index)
  }
}
