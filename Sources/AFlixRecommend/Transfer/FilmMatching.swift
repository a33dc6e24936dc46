import AFlixData

/// Maps a cohort's films onto a world's films: by id when the world has the same id, else by
/// normalised title and year (``FilmMatching/key(title:year:)``).
///
/// ```swift
/// let matching = FilmMatching(world: worldCatalog, cohort: cohortCatalog)
/// matching.worldID(for: 50)      // the world's id of the cohort's film 50, or nil
/// ```
public struct FilmMatching: Sendable {
  /// The cohort's film id → the world's film id, for every film matched.
  public let worldIDs: [EntityID: EntityID]
  /// How many cohort films matched by id and by title and year.
  public let matchedByID: Int
  /// How many cohort films matched by normalised title and year (not by id).
  public let matchedByTitle: Int
  /// Cohort films with no world counterpart.
  public let unmatched: [EntityID]

  /// Matches every film of `cohort` against `world`.
  ///
  /// A film matches by id when `world` has a film with that id (ids are taken to name the same
  /// film in both, as when the world was generated over the cohort's own catalog); otherwise by
  /// the key of its title and year, when exactly one world film has that key (an ambiguous key
  /// matches nothing).
  public init(world: Catalog, cohort: Catalog) {
    var byKey: [String: EntityID?] = [:]
    for movie in world.movies {
      let key = Self.key(title: movie.title, year: movie.year)
      // A second film with the same key makes the key ambiguous.
      byKey[key] = byKey[key] == nil ? .some(movie.id) : .some(nil)
    }
    var ids: [EntityID: EntityID] = [:]
    var byID = 0
    var byTitle = 0
    var unmatched: [EntityID] = []
    for movie in cohort.movies {
      if world.movie(withID: movie.id) != nil {
        ids[movie.id] = movie.id
        byID += 1
      } else if case .some(.some(let id)) = byKey[Self.key(title: movie.title, year: movie.year)] {
        ids[movie.id] = id
        byTitle += 1
      } else {
        unmatched.append(movie.id)
      }
    }
    worldIDs = ids
    matchedByID = byID
    matchedByTitle = byTitle
    self.unmatched = unmatched
  }

  /// The world's id of the cohort's film `id`, or `nil`.
  public func worldID(for id: EntityID) -> EntityID? { worldIDs[id] }

  /// The matching key of a film: its title lower-cased, without a trailing `(year)`, with a
  /// trailing article moved away (`"Usual Suspects, The"` and `"The Usual Suspects"` agree),
  /// leading articles dropped, and every run of characters other than letters and digits made
  /// one space; then `"|"` and the year (empty when unknown; the title's own `(year)` counts
  /// when `year` is `nil`).
  public static func key(title: String, year: Int?) -> String {
    var text = title.lowercased()
    let titleYear = Movie.year(fromTitle: title)
    if titleYear != nil, let open = text.lastIndex(of: "(") {
      text = String(text[..<open])
    }
    var words: [String] = []
    var current = ""
    for ch in text {
      if ch.isLetter || ch.isNumber {
        current.append(ch)
      } else if !current.isEmpty {
        words.append(current)
        current = ""
      }
    }
    if !current.isEmpty { words.append(current) }
    let articles: Set<String> = [
      "the", "a", "an", "le", "la", "les", "il", "el", "der", "die", "das",
    ]
    // "Usual Suspects, The" ends with the article; "The Usual Suspects" starts with it.
    if words.count > 1, let last = words.last, articles.contains(last),
      String(text.reversed().drop { $0 == " " }.reversed()).hasSuffix(", " + last)
    {
      words.removeLast()
    }
    if words.count > 1, let first = words.first, articles.contains(first) { words.removeFirst() }
    let y = year ?? titleYear
    return words.joined(separator: " ") + "|" + (y.map(String.init) ?? "")
  }
}
