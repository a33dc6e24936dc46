import Foundation

/// NDCG@k with binary relevance, as the anchors define it: Σ over hits at rank r (1-based) of
/// 1 / log₂(r + 1), over the ideal Σ_{r=1}^{min(k, relevant)} 1 / log₂(r + 1). One definition for
/// every evaluation that ranks (cold start, segment fallback, world + cohort).
enum BinaryNDCG {
  /// NDCG@k of a list, `isHit` telling for each entry (best first) whether it is relevant;
  /// entries past `k` are ignored. 0 when `relevantCount` is 0.
  static func value(hits isHit: some Sequence<Bool>, relevantCount: Int, k: Int) -> Double {
    guard relevantCount > 0, k > 0 else { return 0 }
    var dcg = 0.0
    for (r, hit) in isHit.prefix(k).enumerated() where hit { dcg += 1 / log2(Double(r + 2)) }
    let ideal = (1...min(k, relevantCount)).reduce(0.0) { $0 + 1 / log2(Double($1 + 1)) }
    return dcg / ideal
  }
}
