/// Which K-SVD values an optimisation tries.
public enum KSVDCandidates: Sendable, Hashable, Codable {
  /// The original's ranges, by the density of the ratings matrix: below 0.05, 5…25 step 5; below
  /// 0.10, 10…50 step 5; else 20…100 step 10.
  case adaptive
  /// These values (sorted, duplicates removed).
  case values([Int])

  /// The original's default range, 10…50 step 5.
  public static let original = KSVDCandidates.values(Array(stride(from: 10, through: 50, by: 5)))

  /// The values for a `users × items` matrix of the given density: those the matrix allows
  /// (`1 ≤ K < min(users, items)`) and those it does not.
  public func resolved(users: Int, items: Int, density: Double) -> (valid: [Int], skipped: [Int]) {
    let all: [Int]
    switch self {
    case .adaptive:
      if density < 0.05 {
        all = Array(stride(from: 5, through: 25, by: 5))
      } else if density < 0.10 {
        all = Array(stride(from: 10, through: 50, by: 5))
      } else {
        all = Array(stride(from: 20, through: 100, by: 10))
      }
    case .values(let values):
      all = Array(Set(values)).sorted()
    }
    let limit = min(users, items)
    return (all.filter { $0 >= 1 && $0 < limit }, all.filter { $0 < 1 || $0 >= limit })
  }
}
