import AFlixData

/// A synthetic user's ground truth: what the generator drew for them.
///
/// ```swift
/// let world = try SyntheticWorld.generate(seed: 1)
/// let profile = world.profiles[0]          // user index 0 of world.ratings
/// profile.id                               // 1
/// profile.preferredGenres                  // e.g. [18, 35, 10749]: Drama, Comedy, Romance
/// profile.noiseSD                          // σ of this user's rating noise
/// ```
public struct UserProfile: Sendable, Codable, Hashable {
  /// The user's id (`.int(k)` for the k-th world user, `"real-k"` for a cohort's).
  public var id: EntityID
  /// The preferred TMDB genre ids, ascending.
  public var preferredGenres: [Int]
  /// The rating tendency (the user's baseline).
  public var tendency: Double
  /// The standard deviation σ of the user's rating noise.
  public var noiseSD: Double
  /// The popularity bias: how much the user's ratings rise with a film's popularity.
  public var popularityBias: Double
  /// The name of the archetype the user was drawn from, or `nil` without archetypes.
  public var segment: String?

  /// Creates a profile.
  public init(
    id: EntityID, preferredGenres: [Int], tendency: Double, noiseSD: Double,
    popularityBias: Double, segment: String? = nil
  ) {
    self.id = id
    self.preferredGenres = preferredGenres
    self.tendency = tendency
    self.noiseSD = noiseSD
    self.popularityBias = popularityBias
    self.segment = segment
  }
}
