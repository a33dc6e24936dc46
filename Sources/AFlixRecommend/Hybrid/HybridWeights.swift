/// How much of a hybrid score comes from each scorer: collaborative, content-based and popularity.
public struct HybridMix: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The weight of the collaborative model's normalised scores.
  public var collaborative: Float
  /// The weight of the content-based scorer's normalised scores.
  public var content: Float
  /// The weight of the popularity scorer's normalised scores.
  public var popularity: Float

  /// Creates a mix; weights are relative (scores are ranked, so only their ratios matter).
  public init(collaborative: Float, content: Float, popularity: Float) {
    self.collaborative = collaborative
    self.content = content
    self.popularity = popularity
  }

  /// Whether every weight is finite and non-negative and at least one is positive.
  public var isValid: Bool {
    let all = [collaborative, content, popularity]
    return all.allSatisfy { $0.isFinite && $0 >= 0 } && all.contains { $0 > 0 }
  }

  /// `"0.6/0.3/0.1"`: collaborative / content / popularity.
  public var description: String { "\(collaborative)/\(content)/\(popularity)" }
}

/// The hybrid's weights as a function of how much is known about a user: the fallback chain.
///
/// Each tier applies from its ``Tier/minimumRatings`` on (the number of the user's ratings the
/// model knows), up to the next tier. A user with no rating gets the first tier whose minimum is
/// 0; a tier list must start at 0.
///
/// ```swift
/// let weights = HybridWeights.original            // 0.6 / 0.3 / 0.1 for everyone
/// weights.mix(forRatingCount: 3).collaborative    // 0.6
/// ```
public struct HybridWeights: Sendable, Hashable, Codable {
  /// One step of the chain.
  public struct Tier: Sendable, Hashable, Codable {
    /// The number of known ratings from which this tier applies.
    public var minimumRatings: Int
    /// The weights of this tier.
    public var mix: HybridMix

    /// Creates a tier.
    public init(minimumRatings: Int, mix: HybridMix) {
      self.minimumRatings = minimumRatings
      self.mix = mix
    }
  }

  /// The tiers, in ascending ``Tier/minimumRatings``, the first at 0.
  public let tiers: [Tier]

  /// Creates a chain.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` when the tiers are empty, do not start at 0,
  ///   are not strictly ascending, or a mix is not valid (``HybridMix/isValid``).
  public init(tiers: [Tier]) throws {
    guard let first = tiers.first, first.minimumRatings == 0 else {
      throw RecommendError(.invalidArgument, "hybrid weights need a first tier at 0 ratings")
    }
    for (a, b) in zip(tiers, tiers.dropFirst()) where b.minimumRatings <= a.minimumRatings {
      throw RecommendError(
        .invalidArgument,
        "hybrid weight tiers must ascend strictly (\(a.minimumRatings) then \(b.minimumRatings))")
    }
    if let bad = tiers.first(where: { !$0.mix.isValid }) {
      throw RecommendError(
        .invalidArgument,
        "hybrid weights at \(bad.minimumRatings) ratings must be finite, non-negative and not all 0 "
          + "(got \(bad.mix))")
    }
    self.tiers = tiers
  }

  /// One mix for every user, whatever is known about them.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an invalid mix.
  public init(fixed mix: HybridMix) throws {
    try self.init(tiers: [Tier(minimumRatings: 0, mix: mix)])
  }

  /// The original engine's ensemble: 0.6 × collaborative + 0.3 × content + 0.1 × popularity for
  /// every user (its fallback chain applied only when a scorer has no data at all).
  public static let original = HybridWeights(
    checked: [
      Tier(minimumRatings: 0, mix: HybridMix(collaborative: 0.6, content: 0.3, popularity: 0.1))
    ])

  /// The default chain, chosen by measurement: popularity alone for a user with no rating, then
  /// the collaborative model with a popularity weight of about min(4, 15 / n) for n known ratings
  /// (4, 2.5, 1.5, 0.75 and 0.375 from 1, 5, 10, 20 and 40 ratings on) and, from 5 ratings, a
  /// small content weight (0.5, then 0.25 from 20) — content did not help below 5 ratings.
  ///
  /// Chosen on MovieLens 100k fold u2 with the cold-start protocol (``ColdStartEvaluation``, EASE
  /// as the collaborative model, ``ContentBased`` and ``PopularityStrataAlgorithm`` as the
  /// content and popularity scorers) and
  /// reported on fold u1; the figures and the command are in the DocC article "The hybrid
  /// recommender".
  public static let measured = HybridWeights(
    checked: [
      Tier(minimumRatings: 0, mix: HybridMix(collaborative: 0, content: 0, popularity: 1)),
      Tier(minimumRatings: 1, mix: HybridMix(collaborative: 1, content: 0, popularity: 4)),
      Tier(minimumRatings: 5, mix: HybridMix(collaborative: 1, content: 0.5, popularity: 2.5)),
      Tier(minimumRatings: 10, mix: HybridMix(collaborative: 1, content: 0.5, popularity: 1.5)),
      Tier(minimumRatings: 20, mix: HybridMix(collaborative: 1, content: 0.25, popularity: 0.75)),
      Tier(minimumRatings: 40, mix: HybridMix(collaborative: 1, content: 0.25, popularity: 0.375)),
    ])

  /// The mix for a user of whom `count` ratings are known.
  public func mix(forRatingCount count: Int) -> HybridMix {
    var chosen = tiers[0].mix
    for tier in tiers where tier.minimumRatings <= count { chosen = tier.mix }
    return chosen
  }

  private enum CodingKeys: String, CodingKey {
    case tiers
  }

  /// Decodes a chain and checks it as ``init(tiers:)`` does.
  ///
  /// - Throws: `DecodingError.dataCorrupted` for tiers ``init(tiers:)`` rejects.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let tiers = try c.decode([Tier].self, forKey: .tiers)
    do {
      try self.init(tiers: tiers)
    } catch let error as RecommendError {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(codingPath: c.codingPath, debugDescription: error.message))
    }
  }

  /// Creates a chain known to be valid (the presets).
  init(checked tiers: [Tier]) {
    self.tiers = tiers
  }
}
