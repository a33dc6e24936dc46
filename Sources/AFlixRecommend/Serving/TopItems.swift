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
  static func select(
    _ scores: UnsafeBufferPointer<Float>, among candidates: [Int]?, count requested: Int,
    where isCandidate: (Int) -> Bool
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
    } else {
      for index in 0..<scores.count { heap.offer(scores[index], index, isCandidate) }
    }
    return heap.sortedIndices()
  }
}

/// The bounded heap of ``TopItems``: the root is the worst item kept. Items are offered in
/// ascending index order, so an equal score never displaces a kept item (ties to the lower
/// index).
struct MinHeap {
  private var scores: [Float] = []
  private var indices: [Int] = []
  private let capacity: Int

  init(capacity: Int) {
    self.capacity = capacity
    scores.reserveCapacity(capacity)
    indices.reserveCapacity(capacity)
  }

  /// Keeps `(score, index)` if it is among the best so far and `isCandidate(index)`.
  @inline(__always)
  mutating func offer(_ score: Float, _ index: Int, _ isCandidate: (Int) -> Bool) {
    if scores.count == capacity {
      guard score > scores[0], isCandidate(index) else { return }
      scores[0] = score
      indices[0] = index
      siftDown()
    } else {
      guard !score.isNaN, isCandidate(index) else { return }
      scores.append(score)
      indices.append(index)
      siftUp(scores.count - 1)
    }
  }

  private func worse(_ a: Int, _ b: Int) -> Bool {
    scores[a] != scores[b] ? scores[a] < scores[b] : indices[a] > indices[b]
  }

  private mutating func swapAt(_ a: Int, _ b: Int) {
    scores.swapAt(a, b)
    indices.swapAt(a, b)
  }

  private mutating func siftUp(_ start: Int) {
    var i = start
    while i > 0 {
      let parent = (i - 1) / 2
      guard worse(i, parent) else { return }
      swapAt(i, parent)
      i = parent
    }
  }

  private mutating func siftDown() {
    var i = 0
    while true {
      let l = 2 * i + 1
      let r = l + 1
      var m = i
      if l < scores.count && worse(l, m) { m = l }
      if r < scores.count && worse(r, m) { m = r }
      if m == i { return }
      swapAt(i, m)
      i = m
    }
  }

  /// The kept indices, best first.
  func sortedIndices() -> [Int] {
    Array(0..<scores.count).sorted { worse($1, $0) }.map { indices[$0] }
  }
}
