/// Partial selection of the best-scored items: a bounded min-heap, not a full sort.
public enum TopItems {
  /// The indices of the `count` highest scores, best first, among the indices `isCandidate`
  /// accepts. Ties go to the lower index, so results are deterministic.
  ///
  /// A `count` larger than the number of scores is the same as the number of scores (no
  /// allocation follows `count` itself).
  ///
  /// - Complexity: O(n log count) for n scores.
  public static func select(
    _ scores: [Float], count requested: Int, where isCandidate: (Int) -> Bool = { _ in true }
  ) -> [Int] {
    let count = min(requested, scores.count)
    guard count > 0 else { return [] }
    // Min-heap of (score, index) ordered so the root is the worst kept item.
    var heap: [(score: Float, index: Int)] = []
    heap.reserveCapacity(count)
    func worse(_ a: (score: Float, index: Int), _ b: (score: Float, index: Int)) -> Bool {
      a.score != b.score ? a.score < b.score : a.index > b.index
    }
    func siftDown(_ start: Int) {
      var i = start
      while true {
        let l = 2 * i + 1
        let r = l + 1
        var m = i
        if l < heap.count && worse(heap[l], heap[m]) { m = l }
        if r < heap.count && worse(heap[r], heap[m]) { m = r }
        if m == i { return }
        heap.swapAt(i, m)
        i = m
      }
    }
    for (index, score) in scores.enumerated() where !score.isNaN && isCandidate(index) {
      let entry = (score: score, index: index)
      if heap.count < count {
        heap.append(entry)
        var i = heap.count - 1
        while i > 0 {
          let parent = (i - 1) / 2
          if worse(heap[i], heap[parent]) {
            heap.swapAt(i, parent)
            i = parent
          } else {
            break
          }
        }
      } else if worse(heap[0], entry) {
        heap[0] = entry
        siftDown(0)
      }
    }
    return heap.sorted { worse($1, $0) }.map(\.index)
  }
}
