import AFlixData

/// The popularity stratum an item stands out in, for explanations ("trending", "cult classic",
/// "genre champion in Comedy").
public enum PopularityStratum: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Among the most rated.
  case popular
  /// Among the newest films.
  case latest
  /// Among the most rated recently (decayed counts).
  case trending
  /// Rising in the last window.
  case rising
  /// A high weighted rating with enough ratings.
  case cultClassic
  /// A high weighted rating within a genre.
  case genreChampion(Genre)

  /// `"popular"`, `"latest"`, `"trending"`, `"rising"`, `"cult classic"`,
  /// `"genre champion in Comedy"`.
  public var description: String {
    switch self {
    case .popular: "popular"
    case .latest: "latest"
    case .trending: "trending"
    case .rising: "rising"
    case .cultClassic: "cult classic"
    case .genreChampion(let genre): "genre champion in \(genre.name)"
    }
  }
}

/// An item's place in one stratum: its rank (1 = best) among the items the stratum ranks.
public struct StratumMembership: Sendable, Hashable, Codable {
  /// The stratum.
  public var stratum: PopularityStratum
  /// The item's rank in it, 1 for the best.
  public var rank: Int
  /// How many items the stratum ranks.
  public var outOf: Int

  /// Creates a membership.
  public init(stratum: PopularityStratum, rank: Int, outOf: Int) {
    self.stratum = stratum
    self.rank = rank
    self.outOf = outOf
  }

  /// `rank / outOf`: the fraction of ranked items at or above this one (smaller is better).
  public var fraction: Double { Double(rank) / Double(max(1, outOf)) }
}

/// Each item's rank in each stratum, computed once from the strata's vectors.
struct StratumRanks: Sendable, Hashable {
  /// Per stratum (popular, latest, trending, rising, cult classic): each item's 1-based rank
  /// among the items the stratum ranks, 0 when it does not rank the item; and how many it ranks.
  var plain: [(stratum: PopularityStratum, ranks: [Int32], outOf: Int)]
  /// Item `i`'s rank among the eligible items of each of its genres, parallel to
  /// `itemGenres` (0 when not eligible); and each genre's number of eligible items.
  var genreRanks: [Int32]
  var genreSizes: [Int]

  static func == (a: StratumRanks, b: StratumRanks) -> Bool {
    a.genreRanks == b.genreRanks && a.genreSizes == b.genreSizes
      && a.plain.map(\.ranks) == b.plain.map(\.ranks)
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(genreRanks)
    for entry in plain { hasher.combine(entry.ranks) }
  }

  init(
    popularity: [Float], latest: [Float], trending: [Float], rising: [Float],
    cultClassics: [Float], eligible: [Bool], genreCount: Int, itemGenreOffsets: [Int],
    itemGenres: [Int32], hasTimestamps: Bool
  ) {
    let n = popularity.count
    let rated = popularity.map { $0 > 0 }
    var plain: [(PopularityStratum, [Int32], Int)] = []
    plain.append(Self.ranks(popularity, among: rated, as: .popular))
    plain.append(Self.ranks(latest, among: [Bool](repeating: true, count: n), as: .latest))
    let timed = [Bool](repeating: hasTimestamps, count: n)
    plain.append(
      Self.ranks(trending, among: zip(timed, trending).map { $0 && $1 > 0 }, as: .trending))
    plain.append(Self.ranks(rising, among: zip(timed, rising).map { $0 && $1 > 0 }, as: .rising))
    plain.append(Self.ranks(cultClassics, among: eligible, as: .cultClassic))
    self.plain = plain.map { (stratum: $0.0, ranks: $0.1, outOf: $0.2) }
    // Genres: eligible members of each genre, ordered by the cult score (= weighted rating).
    var members = [[Int]](repeating: [], count: genreCount)
    for i in 0..<n where eligible[i] {
      for g in itemGenres[itemGenreOffsets[i]..<itemGenreOffsets[i + 1]] {
        members[Int(g)].append(i)
      }
    }
    var rankOf = [[Int: Int32]](repeating: [:], count: genreCount)
    for g in 0..<genreCount {
      let sorted = members[g].sorted { Self.before($0, $1, cultClassics) }
      for (r, i) in sorted.enumerated() { rankOf[g][i] = Int32(r + 1) }
    }
    var genreRanks = [Int32](repeating: 0, count: itemGenres.count)
    for i in 0..<n {
      for p in itemGenreOffsets[i]..<itemGenreOffsets[i + 1] {
        genreRanks[p] = rankOf[Int(itemGenres[p])][i] ?? 0
      }
    }
    self.genreRanks = genreRanks
    self.genreSizes = members.map(\.count)
  }

  /// Higher score first, then lower index.
  static func before(_ a: Int, _ b: Int, _ scores: [Float]) -> Bool {
    scores[a] != scores[b] ? scores[a] > scores[b] : a < b
  }

  static func ranks(_ scores: [Float], among included: [Bool], as stratum: PopularityStratum)
    -> (PopularityStratum, [Int32], Int)
  {
    let order = scores.indices.filter { included[$0] }.sorted { before($0, $1, scores) }
    var ranks = [Int32](repeating: 0, count: scores.count)
    for (r, i) in order.enumerated() { ranks[i] = Int32(r + 1) }
    return (stratum, ranks, order.count)
  }
}

extension PopularityStrata {
  /// The stratum item index `item` stands out in most: of the strata that rank it — popular
  /// (items with ratings), latest (every item), trending and rising (with timestamps, items with a
  /// positive score), cult classic (items with at least ``minimumVotes`` ratings) and genre
  /// champion in each of its genres (eligible items of that genre) — the one where its
  /// ``StratumMembership/fraction`` (rank / ranked items) is smallest; ties go to the first in
  /// that list.
  ///
  /// - Precondition: `0 ≤ item < items.count` (checked); use ``stratum(ofItemID:)`` in requests.
  public func stratum(of item: Int) -> StratumMembership {
    precondition(item >= 0 && item < items.count, "item index \(item) out of 0..<\(items.count)")
    var best: StratumMembership?
    func consider(_ candidate: StratumMembership) {
      if best.map({ candidate.fraction < $0.fraction }) ?? true { best = candidate }
    }
    for entry in ranks.plain where entry.ranks[item] > 0 {
      consider(
        StratumMembership(stratum: entry.stratum, rank: Int(entry.ranks[item]), outOf: entry.outOf))
    }
    for p in itemGenreOffsets[item]..<itemGenreOffsets[item + 1] where ranks.genreRanks[p] > 0 {
      let g = Int(itemGenres[p])
      consider(
        StratumMembership(
          stratum: .genreChampion(genres[g]), rank: Int(ranks.genreRanks[p]),
          outOf: ranks.genreSizes[g]))
    }
    // `latest` ranks every item, so `best` is set whenever there is an item.
    return best ?? StratumMembership(stratum: .latest, rank: 1, outOf: 1)
  }

  /// The score vector of one stratum: ``popularity``, ``latest``, ``trending``, ``rising``,
  /// ``cultClassics`` or ``genreChampions(_:)``.
  public func scores(of stratum: PopularityStratum) -> [Float] {
    switch stratum {
    case .popular: popularity
    case .latest: latest
    case .trending: trending
    case .rising: rising
    case .cultClassic: cultClassics
    case .genreChampion(let genre): genreChampions(genre)
    }
  }

  /// ``stratum(of:)`` for the item with external id `id`, or `nil` for an id the strata do not
  /// know.
  public func stratum(ofItemID id: EntityID) -> StratumMembership? {
    items.index(of: id).map { stratum(of: $0) }
  }
}
