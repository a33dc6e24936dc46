import AFlixData

extension CandidateFilter {
  /// Films of `catalog` with at least one of `genres` (names matched case-insensitively; the
  /// catalog's own spelling, e.g. `Genre.named("Sci-Fi")` for MovieLens' "Sci-Fi"); films the
  /// catalog does not describe are left out.
  public static func genres(_ genres: [Genre], in catalog: Catalog) -> CandidateFilter {
    let wanted = Set(genres.map { $0.name.lowercased() })
    let ids = catalog.movies.filter { movie in
      movie.genres.contains { wanted.contains($0.name.lowercased()) }
    }.map(\.id)
    let allowed = Set(ids)
    return .matching { allowed.contains($0) }
  }

  /// Films of `catalog` released in `years`; films without a known year are left out.
  public static func released(in years: ClosedRange<Int>, in catalog: Catalog) -> CandidateFilter {
    let allowed = Set(catalog.movies.filter { $0.year.map(years.contains) ?? false }.map(\.id))
    return .matching { allowed.contains($0) }
  }

  /// Films not in `ids`.
  public static func excluding(_ ids: [EntityID]) -> CandidateFilter {
    let banned = Set(ids)
    return .matching { !banned.contains($0) }
  }
}
