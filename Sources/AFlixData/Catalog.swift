/// A set of films, looked up by id.
///
/// ```swift
/// let catalog = try Catalog(movies: [Movie(id: 1, title: "Toy Story (1995)", year: 1995)])
/// catalog.movie(withID: 1)?.title    // "Toy Story (1995)"
/// catalog.movie(withID: 99)          // nil
/// ```
public struct Catalog: Sendable {
  /// The films, in source order.
  public private(set) var movies: [Movie]
  private var index: [EntityID: Int]
  /// The distinct genres of the films, in first-seen order.
  public private(set) var genres: [Genre]

  /// Creates a catalog.
  ///
  /// - Throws: ``DataError`` `.invalidArgument` when two films share an id.
  public init(movies: [Movie]) throws {
    var index = [EntityID: Int](minimumCapacity: movies.count)
    var genres: [Genre] = []
    var seen = Set<Genre>()
    for (k, movie) in movies.enumerated() {
      if let previous = index.updateValue(k, forKey: movie.id) {
        throw DataError(
          .invalidArgument, field: "id", value: movie.id.description,
          message: "movies #\(previous) and #\(k) share the id \(movie.id)")
      }
      for genre in movie.genres where seen.insert(genre).inserted { genres.append(genre) }
    }
    self.movies = movies
    self.index = index
    self.genres = genres
  }

  /// The number of films.
  public var count: Int { movies.count }

  /// The film with id `id`, or `nil`.
  public func movie(withID id: EntityID) -> Movie? {
    index[id].map { movies[$0] }
  }
}

extension Catalog {
  /// This catalog with `keywords` (film id → keywords or tags, as
  /// ``MovieLensTagsLoader/loadTags(file:options:report:)`` reads them) appended to its films'
  /// ``Movie/keywords``: repeats (compared case-insensitively, after trimming) and blanks
  /// dropped, the films' own keywords first. Ids the catalog does not hold are ignored.
  ///
  /// ```swift
  /// let tags = try MovieLensTagsLoader.loadTags(file: folder.appendingPathComponent("tags.csv"))
  /// let tagged = catalog.addingKeywords(tags)
  /// ```
  public func addingKeywords(_ keywords: [EntityID: [String]]) -> Catalog {
    var copy = self
    for (id, words) in keywords {
      guard let k = index[id] else { continue }
      copy.movies[k].keywords = Movie.distinctKeywords(movies[k].keywords + words)
    }
    return copy
  }
}
