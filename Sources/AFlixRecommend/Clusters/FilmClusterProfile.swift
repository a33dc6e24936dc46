import AFlixData

/// What one film cluster holds, readably: its size, its most common genres and its most-rated
/// films.
///
/// A genre's ``GenreShare/share`` is the fraction of the cluster's films that carry it (a film
/// with three genres counts for each); ``GenreShare/lift`` compares it with the fraction over
/// every clustered film, so that `lift > 1` marks what sets the cluster apart from the catalog.
public struct FilmClusterProfile: Sendable, Hashable, Codable {
  /// A genre's weight in a cluster.
  public struct GenreShare: Sendable, Hashable, Codable {
    /// The genre's name.
    public var name: String
    /// The cluster's films that carry the genre.
    public var films: Int
    /// `films / cluster size`, in (0, 1].
    public var share: Double
    /// `share` over the same fraction among every clustered film.
    public var lift: Double

    /// Creates a genre share.
    public init(name: String, films: Int, share: Double, lift: Double) {
      self.name = name
      self.films = films
      self.share = share
      self.lift = lift
    }
  }

  /// One of a cluster's most-rated films.
  public struct Film: Sendable, Hashable, Codable {
    /// The film's item index (in ``FilmClusters/items``).
    public var item: Int
    /// The film's external id.
    public var id: EntityID
    /// The film's title, when the catalog has the film.
    public var title: String?
    /// The film's number of ratings (as given to the clustering).
    public var ratingCount: Int

    /// Creates a film entry.
    public init(item: Int, id: EntityID, title: String?, ratingCount: Int) {
      self.item = item
      self.id = id
      self.title = title
      self.ratingCount = ratingCount
    }
  }

  /// The cluster's index, in `0..<clusterCount`.
  public var cluster: Int
  /// The number of films in the cluster (0 only for the degenerate case of fewer distinct
  /// factor rows than clusters).
  public var size: Int
  /// The most common genres of the cluster's films, by share (ties in catalog genre order); only
  /// genres at least one of its films has.
  public var topGenres: [GenreShare]
  /// The genres that set the cluster apart: those with ``GenreShare/lift`` above 1 and a share
  /// of at least ``FilmClusters/Options/distinctiveMinimumShare``, by lift (ties by share, then
  /// catalog genre order). On catalogs where one genre is everywhere (Drama in MovieLens), these
  /// say more than ``topGenres``.
  public var distinctiveGenres: [GenreShare]
  /// The cluster's most-rated films, by rating count (ties to the lower item index).
  public var topFilms: [Film]

  /// Creates a profile.
  public init(
    cluster: Int, size: Int, topGenres: [GenreShare], distinctiveGenres: [GenreShare] = [],
    topFilms: [Film]
  ) {
    self.cluster = cluster
    self.size = size
    self.topGenres = topGenres
    self.distinctiveGenres = distinctiveGenres
    self.topFilms = topFilms
  }

  /// The names of the (up to) two first ``distinctiveGenres`` joined by " · " ("Horror ·
  /// Thriller"), else of the two ``topGenres``, or "Cluster N" when the cluster's films have no
  /// genre.
  public var label: String {
    let named = distinctiveGenres.isEmpty ? topGenres : distinctiveGenres
    return named.isEmpty
      ? "Cluster \(cluster)" : named.prefix(2).map(\.name).joined(separator: " · ")
  }
}
