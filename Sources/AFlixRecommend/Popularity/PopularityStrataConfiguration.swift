extension PopularityStrata {
  /// The hyper-parameters of the strata: the trending half-life, the rising window and the
  /// minimum vote count of the weighted rating.
  ///
  /// ```swift
  /// var configuration = PopularityStrata.Configuration()
  /// configuration.halfLife = 3 * 86_400             // trending forgets in days, not weeks
  /// configuration.minimumVotes = .count(50)         // cult classics need 50 ratings
  /// ```
  public struct Configuration: Sendable, Hashable, Codable {
    /// The half-life of the trending decay, in seconds: a rating made `halfLife` before the
    /// reference time counts ½, one made `2 · halfLife` before counts ¼. Default 90 days: on
    /// MovieLens 100k (seven months of ratings) in the cold-start protocol at n = 0, trending alone
    /// scored best with 90 days, about level with 180, and below plain popularity with 30; see the
    /// article "The hybrid recommender".
    public var halfLife: Int64
    /// The length of the "rising" window, in seconds: ratings in `(ref − window, ref]` are
    /// compared with those in `(ref − 2·window, ref − window]`. Default 48 hours, as the
    /// original; MovieLens 100k spans seven months, so 48-hour windows are sparse there.
    public var risingWindow: Int64
    /// The minimum number of ratings `m` of the weighted rating (cult classics, genre
    /// champions). Default: the 0.9 quantile of the rated items' counts.
    public var minimumVotes: MinimumVotes

    /// Creates a configuration; the defaults are those documented on each property.
    public init(
      halfLife: Int64 = 90 * 86_400, risingWindow: Int64 = 48 * 3_600,
      minimumVotes: MinimumVotes = .quantile(0.9)
    ) {
      self.halfLife = halfLife
      self.risingWindow = risingWindow
      self.minimumVotes = minimumVotes
    }

    /// Checks every value.
    ///
    /// - Throws: ``RecommendError`` `.invalidHyperparameter` for a half-life or window that is
    ///   not positive, a count below 1, a quantile outside 0…1.
    public func validate() throws {
      guard halfLife > 0 else {
        throw RecommendError(
          .invalidHyperparameter, "halfLife must be > 0 seconds, got \(halfLife)")
      }
      guard risingWindow > 0 else {
        throw RecommendError(
          .invalidHyperparameter, "risingWindow must be > 0 seconds, got \(risingWindow)")
      }
      switch minimumVotes {
      case .count(let m) where m < 1:
        throw RecommendError(.invalidHyperparameter, "minimumVotes count must be ≥ 1, got \(m)")
      case .quantile(let q) where !(q >= 0 && q <= 1):
        throw RecommendError(
          .invalidHyperparameter, "minimumVotes quantile must be in 0…1, got \(q)")
      default: break
      }
    }
  }

  /// How the minimum vote count `m` of the weighted rating is chosen.
  public enum MinimumVotes: Sendable, Hashable, Codable {
    /// A fixed count (at least 1).
    case count(Int)
    /// The `q`-quantile (0…1) of the counts of the items with at least one rating, by the lower
    /// nearest rank: the counts sorted ascending, the element at `⌊q · (n − 1)⌋`; at least 1.
    case quantile(Double)

    /// The count this rule gives for the item counts `counts`.
    public func resolved(counts: [Int]) -> Int {
      switch self {
      case .count(let m): return max(1, m)
      case .quantile(let q):
        let rated = counts.filter { $0 > 0 }.sorted()
        guard !rated.isEmpty else { return 1 }
        let position = Int((min(max(q, 0), 1) * Double(rated.count - 1)).rounded(.down))
        return max(1, rated[position])
      }
    }
  }
}
