/// The one-standard-error rule: among candidates in ascending K, the smallest K whose mean error
/// is within one standard error of the best mean (a simpler model that is as good as the
/// measurement can tell).
enum OneStandardErrorRule {
  /// The index of the best mean among those that are not NaN (ties to the smaller K), then, when
  /// `rule` is set, of the smallest K within one standard error of it; `nil` when no mean is a
  /// number. `lowerIsBetter` for errors (RMSE), not for scores (NDCG).
  static func choose(means: [Double], errors: [Double?], lowerIsBetter: Bool, rule: Bool) -> Int? {
    let scored = means.indices.filter { !means[$0].isNaN }
    guard
      let best = scored.min(by: {
        let (a, b) = (means[$0], means[$1])
        return a != b ? (lowerIsBetter ? a < b : a > b) : $0 < $1
      })
    else { return nil }
    guard rule else { return best }
    let error = errors[best] ?? 0
    let bound = means[best] + (lowerIsBetter ? error : -error)
    return scored.first { lowerIsBetter ? means[$0] <= bound : means[$0] >= bound } ?? best
  }
}
