import AFlixData
import Foundation

/// A kind of film trait the content features are built from; each trait's name starts with its
/// family's ``prefix`` (`"genre:Comedy"`, `"director:Jane Campion"`, `"decade:1990s"`).
public enum TraitFamily: String, Sendable, Hashable, Codable, CaseIterable {
  /// The film's genres (`Movie.genres`, by name).
  case genre
  /// Cast members (`Movie.cast`, the first ``ItemFeatures/Options/castLimit`` in billing
  /// order).
  case cast
  /// The director (`Movie.director`).
  case director
  /// The decade of the release year (`Movie.year`): `"decade:1990s"`.
  case decade
  /// Keywords and tags (`Movie.keywords`), lowercased.
  case keyword

  /// `"genre:"`, `"cast:"`, `"director:"`, `"decade:"` or `"keyword:"`.
  public var prefix: String { rawValue + ":" }

  /// The family of a trait name, read from its prefix; `nil` for a name without one.
  public init?(traitName: String) {
    guard let colon = traitName.firstIndex(of: ":"),
      let family = TraitFamily(rawValue: String(traitName[..<colon]))
    else { return nil }
    self = family
  }

  /// The decade label of `year`: `"1990s"` for 1990…1999 (floored for years before 0).
  static func decade(of year: Int) -> String {
    let floor = year - ((year % 10) + 10) % 10
    return "\(floor)s"
  }

  /// The distinct trait names of this family that `movie` has, `castLimit` cast members at most.
  func traits(of movie: Movie, castLimit: Int) -> [String] {
    func clean(_ s: String) -> String? {
      let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
      return t.isEmpty ? nil : t
    }
    var names: [String]
    switch self {
    case .genre: names = movie.genres.compactMap { clean($0.name) }
    case .cast: names = movie.cast.prefix(max(0, castLimit)).compactMap(clean)
    case .director: names = movie.director.flatMap(clean).map { [$0] } ?? []
    case .decade: names = movie.year.map { [Self.decade(of: $0)] } ?? []
    case .keyword: names = movie.keywords.compactMap { clean($0)?.lowercased() }
    }
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }.map { prefix + $0 }
  }
}
