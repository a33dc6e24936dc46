/// Identifiers of a film in other databases.
public struct ExternalIDs: Sendable, Hashable, Codable {
  /// The MovieLens movie id.
  public var movieLens: Int?
  /// The IMDb id, as IMDb writes it (`"tt0114709"`).
  public var imdb: String?
  /// The TMDB movie id.
  public var tmdb: Int?

  /// Creates a set of external ids.
  public init(movieLens: Int? = nil, imdb: String? = nil, tmdb: Int? = nil) {
    self.movieLens = movieLens
    self.imdb = imdb
    self.tmdb = tmdb
  }
}

/// A film of a catalog, with what the source files say about it.
public struct Movie: Sendable, Hashable, Codable {
  /// The film's id in its source (a MovieLens movie id or a TMDB id); ratings name items by it.
  public var id: EntityID
  /// The title as the source writes it (MovieLens titles keep their `(1995)` suffix).
  public var title: String
  /// The genres, in the source's order.
  public var genres: [Genre]
  /// The release year, when the title or the release date gives one.
  public var year: Int?
  /// TMDB's popularity score.
  public var popularity: Double?
  /// TMDB's mean vote (0–10).
  public var voteAverage: Double?
  /// TMDB's number of votes.
  public var voteCount: Int?
  /// The title in the original language (TMDB), when the source gives it.
  public var originalTitle: String?
  /// Main cast, in billing order.
  public var cast: [String]
  /// The director.
  public var director: String?
  /// The film's ids elsewhere.
  public var externalIDs: ExternalIDs
  /// Keywords or tags (TMDB keywords, MovieLens `tags.csv`), in source order without repeats;
  /// empty when the source has none. Files written before keywords existed decode as empty.
  public var keywords: [String]

  /// Creates a movie; everything but the id and title is optional.
  public init(
    id: EntityID, title: String, genres: [Genre] = [], year: Int? = nil,
    popularity: Double? = nil, voteAverage: Double? = nil, voteCount: Int? = nil,
    originalTitle: String? = nil, cast: [String] = [], director: String? = nil,
    externalIDs: ExternalIDs = ExternalIDs(), keywords: [String] = []
  ) {
    self.id = id
    self.title = title
    self.genres = genres
    self.year = year
    self.popularity = popularity
    self.voteAverage = voteAverage
    self.voteCount = voteCount
    self.originalTitle = originalTitle
    self.cast = cast
    self.director = director
    self.externalIDs = externalIDs
    self.keywords = keywords
  }

  private enum CodingKeys: String, CodingKey {
    case id, title, genres, year, popularity, voteAverage, voteCount, originalTitle, cast
    case director, externalIDs, keywords
  }

  /// Decodes a movie; `keywords` may be missing (files written before it existed) and then
  /// decodes as empty.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(EntityID.self, forKey: .id)
    title = try c.decode(String.self, forKey: .title)
    genres = try c.decode([Genre].self, forKey: .genres)
    year = try c.decodeIfPresent(Int.self, forKey: .year)
    popularity = try c.decodeIfPresent(Double.self, forKey: .popularity)
    voteAverage = try c.decodeIfPresent(Double.self, forKey: .voteAverage)
    voteCount = try c.decodeIfPresent(Int.self, forKey: .voteCount)
    originalTitle = try c.decodeIfPresent(String.self, forKey: .originalTitle)
    cast = try c.decode([String].self, forKey: .cast)
    director = try c.decodeIfPresent(String.self, forKey: .director)
    externalIDs = try c.decode(ExternalIDs.self, forKey: .externalIDs)
    keywords = try c.decodeIfPresent([String].self, forKey: .keywords) ?? []
  }

  /// The year a MovieLens title ends with (`"Toy Story (1995)"` → 1995; also `"(1995) "` and
  /// ranges like `"(2007-2013)"` → 2007), or `nil`.
  public static func year(fromTitle title: String) -> Int? {
    var bytes = Array(title.utf8)
    while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
      bytes.removeLast()
    }
    guard bytes.last == UInt8(ascii: ")"), let open = bytes.lastIndex(of: UInt8(ascii: "("))
    else { return nil }
    let inside = bytes[(open + 1)..<(bytes.count - 1)]
    guard inside.count >= 4 else { return nil }
    var year = 0
    for b in inside.prefix(4) {
      guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { return nil }
      year = year * 10 + Int(b - UInt8(ascii: "0"))
    }
    // "(1995)" or a range "(2007-2013)" / "(2007–)".
    guard
      inside.count == 4 || inside[inside.startIndex + 4] == UInt8(ascii: "-")
        || inside[inside.startIndex + 4] == 0xE2
    else { return nil }
    return year
  }
}
