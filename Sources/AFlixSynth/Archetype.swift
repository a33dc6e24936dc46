/// A taste segment of synthetic users: its name, its share of the users and the distribution its
/// users' preferred genres are drawn from.
///
/// A user of the segment draws 2–6 (``WorldConfiguration/preferredGenres``) distinct genres
/// without replacement, each with probability proportional to its weight among the genres not
/// drawn yet; genres without a weight are never preferred. The segment's name is the user's
/// ground-truth ``UserProfile/segment``.
///
/// ```swift
/// var configuration = WorldConfiguration()
/// configuration.archetypes = Archetype.original        // the original's five segments
/// configuration.archetypes = [                         // or your own
///   Archetype(name: "Westerns", share: 0.3, genreWeights: [37: 10, 28: 3, 12: 3, 36: 2]),
///   Archetype(name: "Everything else", share: 0.7,
///             genreWeights: Dictionary(uniqueKeysWithValues: Genre.tmdb.map { ($0.id!, 1) })),
/// ]
/// ```
public struct Archetype: Sendable, Codable, Hashable {
  /// The segment's name (its users' ``UserProfile/segment``).
  public var name: String
  /// The share of users drawn from it; the shares of a world's archetypes sum to 1.
  public var share: Double
  /// Relative weights of TMDB genre ids (`28` Action …), non-negative.
  public var genreWeights: [Int: Double]

  /// Creates an archetype.
  public init(name: String, share: Double, genreWeights: [Int: Double]) {
    self.name = name
    self.share = share
    self.genreWeights = genreWeights
  }

  /// Every TMDB genre at `base`, then the given weights on top.
  private static func weights(_ core: [Int: Double], base: Double = 0.25) -> [Int: Double] {
    var all: [Int: Double] = [:]
    for id in WorldConfiguration.tmdbGenreIDs { all[id] = base }
    for (id, weight) in core { all[id] = weight }
    return all
  }

  /// Blockbuster (action, superhero; 35%): Action, Adventure, Science Fiction, Fantasy.
  public static let blockbuster = Archetype(
    name: "Blockbuster", share: 0.35,
    genreWeights: weights([28: 10, 12: 8, 878: 6, 14: 4, 53: 2, 16: 1]))

  /// Auteur (festival drama; 20%): Drama, History, War, Crime, Documentary.
  public static let auteur = Archetype(
    name: "Auteur", share: 0.20,
    genreWeights: weights([18: 10, 36: 4, 10752: 3, 80: 3, 99: 3, 10749: 2, 9648: 2]))

  /// Comfort (comedy, rom-com; 25%): Comedy, Romance, Family, Animation, Music.
  public static let comfort = Archetype(
    name: "Comfort", share: 0.25,
    genreWeights: weights([35: 10, 10749: 8, 10751: 6, 16: 4, 10402: 3, 18: 1]))

  /// Horror (psychological, supernatural; 12%): Horror, Thriller, Mystery.
  public static let horror = Archetype(
    name: "Horror", share: 0.12,
    genreWeights: weights([27: 10, 53: 7, 9648: 5, 14: 2, 878: 2, 80: 1]))

  /// Indie (independent, experimental; 8%): Documentary, Drama, Music, Comedy.
  public static let indie = Archetype(
    name: "Indie", share: 0.08,
    genreWeights: weights([99: 6, 18: 5, 10402: 5, 35: 3, 10770: 2, 10749: 2, 36: 2]))

  /// The original's five segments: Blockbuster 35%, Auteur 20%, Comfort 25%, Horror 12%,
  /// Indie 8%. Each weighs its core genres 1–10 and every other TMDB genre 0.25.
  public static let original: [Archetype] = [blockbuster, auteur, comfort, horror, indie]
}
