/// A film genre: its TMDB id when it has one, and its name.
///
/// MovieLens genre names are mapped onto TMDB's where they mean the same thing, so catalogs from
/// both sources share genres:
///
/// ```swift
/// Genre.named("Sci-Fi")      // Genre(id: 878, name: "Science Fiction")
/// Genre.named("Children's")  // Genre(id: 10751, name: "Family")
/// Genre.named("Film-Noir")   // Genre(id: nil, name: "Film-Noir"): MovieLens only
/// Genre.tmdb(id: 35)         // Genre(id: 35, name: "Comedy")
/// ```
public struct Genre: Sendable, Hashable, Codable {
  /// The TMDB genre id, or `nil` for a genre TMDB does not have.
  public var id: Int?
  /// The genre's name.
  public var name: String

  /// Creates a genre.
  public init(id: Int?, name: String) {
    self.id = id
    self.name = name
  }

  /// The 19 TMDB movie genres with their TMDB ids, in TMDB's list order.
  public static let tmdb: [Genre] = [
    Genre(id: 28, name: "Action"), Genre(id: 12, name: "Adventure"),
    Genre(id: 16, name: "Animation"), Genre(id: 35, name: "Comedy"),
    Genre(id: 80, name: "Crime"), Genre(id: 99, name: "Documentary"),
    Genre(id: 18, name: "Drama"), Genre(id: 10751, name: "Family"),
    Genre(id: 14, name: "Fantasy"), Genre(id: 36, name: "History"),
    Genre(id: 27, name: "Horror"), Genre(id: 10402, name: "Music"),
    Genre(id: 9648, name: "Mystery"), Genre(id: 10749, name: "Romance"),
    Genre(id: 878, name: "Science Fiction"), Genre(id: 10770, name: "TV Movie"),
    Genre(id: 53, name: "Thriller"), Genre(id: 10752, name: "War"),
    Genre(id: 37, name: "Western"),
  ]

  /// The 19 genres of MovieLens 100k's `u.genre`, in flag order (used when `u.genre` is absent).
  public static let movieLens100KNames: [String] = [
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime",
    "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance",
    "Sci-Fi", "Thriller", "War", "Western",
  ]

  /// MovieLens names that TMDB spells differently.
  private static let aliases: [String: Int] = [
    "sci-fi": 878, "children's": 10751, "children": 10751, "musical": 10402,
    "science fiction": 878, "tv movie": 10770,
  ]

  private static let byID: [Int: Genre] = Dictionary(
    uniqueKeysWithValues: tmdb.map { ($0.id!, $0) })
  private static let byName: [String: Genre] = Dictionary(
    uniqueKeysWithValues: tmdb.map { ($0.name.lowercased(), $0) })

  /// The TMDB genre with id `id`, or `nil` for an id not in ``tmdb``.
  public static func tmdb(id: Int) -> Genre? { byID[id] }

  /// The genre called `name`: a TMDB genre when the name (case-insensitively) is one or is a
  /// MovieLens alias of one (`Sci-Fi` → Science Fiction, `Children's`/`Children` → Family,
  /// `Musical` → Music); otherwise a genre without an id, keeping `name` as given (`Film-Noir`,
  /// `IMAX`, `unknown`).
  public static func named(_ name: String) -> Genre {
    let key = name.lowercased()
    if let genre = byName[key] { return genre }
    if let id = aliases[key], let genre = byID[id] { return genre }
    return Genre(id: nil, name: name)
  }
}
