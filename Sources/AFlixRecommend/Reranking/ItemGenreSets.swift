import AFlixData

/// The genre set of every item of a model, as a bitset over the catalog's genres: what the
/// diversity re-ranking and ``intraListDiversity(of:genres:)`` intersect and unite, one `AND` and
/// one population count per 64 genres.
///
/// Bit `g` of an item's set stands for `genres[g]` (the catalog's distinct genres in first-seen
/// order), so a catalog may have any number of genres. Items are the dense indices of `items`
/// (a model's ``RecommenderModel/items``); an item the catalog does not list has the empty set.
///
/// ```swift
/// let genres = ItemGenreSets(catalog: catalog, items: model.items)
/// genres.genres(ofItem: 0)                 // [Animation, Family, Comedy] for Toy Story
/// genres.jaccard(0, 1)                     // |A ∩ B| / |A ∪ B|
/// intraListDiversity(of: [0, 1, 2], genres: genres)
/// ```
public struct ItemGenreSets: Sendable, Equatable {
  /// The items, index ↔ external id (the model's).
  public let items: IDMap
  /// The catalog's distinct genres; bit `g` of a set stands for `genres[g]`.
  public let genres: [Genre]
  /// 64-bit words per item.
  let words: Int
  /// `items.count × words` words, item-major.
  let bits: [UInt64]
  /// Each item's number of genres.
  let sizes: [Int]

  /// The genre sets of `items` from `catalog` (items matched by id; unknown ones get no genre).
  ///
  /// - Complexity: O(items · (genres per film + words)).
  public init(catalog: Catalog, items: IDMap) {
    var genreIndex: [Genre: Int] = [:]
    for (g, genre) in catalog.genres.enumerated() { genreIndex[genre] = g }
    let words = max(1, (catalog.genres.count + 63) / 64)
    var bits = [UInt64](repeating: 0, count: items.count * words)
    var sizes = [Int](repeating: 0, count: items.count)
    for i in 0..<items.count {
      guard let movie = catalog.movie(withID: items.id(at: i)) else { continue }
      for genre in movie.genres {
        // Every genre of a catalog film is in `catalog.genres`.
        guard let g = genreIndex[genre] else { continue }
        bits[i * words + g / 64] |= 1 << UInt64(g % 64)
      }
      for w in 0..<words { sizes[i] += bits[i * words + w].nonzeroBitCount }
    }
    self.items = items
    self.genres = catalog.genres
    self.words = words
    self.bits = bits
    self.sizes = sizes
  }

  /// The number of items.
  public var itemCount: Int { items.count }

  /// The genres of item index `item`, in ``genres`` order.
  ///
  /// - Precondition: `0 ≤ item < itemCount` (checked); ``genres(ofID:)`` never traps.
  public func genres(ofItem item: Int) -> [Genre] {
    check(item)
    return (0..<genres.count).filter { bits[item * words + $0 / 64] & (1 << UInt64($0 % 64)) != 0 }
      .map { genres[$0] }
  }

  /// The genres of the item with external id `id`; empty for an id not in ``items``.
  public func genres(ofID id: EntityID) -> [Genre] {
    items.index(of: id).map { genres(ofItem: $0) } ?? []
  }

  /// The number of genres of item index `item`.
  ///
  /// - Precondition: `0 ≤ item < itemCount` (checked).
  public func genreCount(ofItem item: Int) -> Int {
    check(item)
    return sizes[item]
  }

  /// The number of genres items `a` and `b` share, `|A ∩ B|`.
  ///
  /// - Precondition: both indices are in `0..<itemCount` (checked).
  public func commonGenreCount(_ a: Int, _ b: Int) -> Int {
    check(a)
    check(b)
    var common = 0
    for w in 0..<words { common += (bits[a * words + w] & bits[b * words + w]).nonzeroBitCount }
    return common
  }

  /// The Jaccard similarity of the genre sets of items `a` and `b`, `|A ∩ B| / |A ∪ B|`, in
  /// [0, 1]; **1 when both sets are empty** (two films without genres are not told apart), so
  /// that ``jaccardDistance(_:_:)`` is 0 for them, as the evaluation's intra-list diversity has
  /// it. An empty set against a non-empty one gives 0.
  ///
  /// - Precondition: both indices are in `0..<itemCount` (checked).
  public func jaccard(_ a: Int, _ b: Int) -> Double {
    let common = commonGenreCount(a, b)
    let union = sizes[a] + sizes[b] - common
    return union == 0 ? 1 : Double(common) / Double(union)
  }

  /// `1 −` ``jaccard(_:_:)``: 0 for equal sets (and for two empty ones), 1 for disjoint ones.
  ///
  /// - Precondition: both indices are in `0..<itemCount` (checked).
  public func jaccardDistance(_ a: Int, _ b: Int) -> Double { 1 - jaccard(a, b) }

  /// Traps with a message for an index out of range: the index-based calls document it.
  /// The mean pairwise Jaccard distance of `items`, grouped by distinct genre set: films with the
  /// same set are at distance 0 from each other, so only the `m` distinct sets of the list are
  /// compared — O(k · words + m²) for a list of `k` films instead of O(k²) — and `computed` is the
  /// number of distances taken (`m(m − 1)/2`).
  func groupedDistances(_ items: [Int]) -> (mean: Double, computed: Int) {
    guard items.count >= 2 else { return (0, 0) }
    var groupOf: [ArraySlice<UInt64>: Int] = [:]
    var representative: [Int] = []
    var counts: [Double] = []
    for item in items {
      let key = bits[(item * words)..<((item + 1) * words)]
      if let g = groupOf[key] {
        counts[g] += 1
      } else {
        groupOf[key] = representative.count
        representative.append(item)
        counts.append(1)
      }
    }
    var total = 0.0
    var computed = 0
    for a in 0..<representative.count {
      for b in (a + 1)..<representative.count {
        total += counts[a] * counts[b] * jaccardDistance(representative[a], representative[b])
        computed += 1
      }
    }
    let n = Double(items.count)
    return (total / (n * (n - 1) / 2), computed)
  }

  @inline(__always)
  func check(_ item: Int) {
    precondition(item >= 0 && item < items.count, "item index \(item) out of 0..<\(items.count)")
  }
}

/// The intra-list diversity of `items` (item indices of `genres`): the mean over the unordered
/// pairs of the list of `1 − Jaccard(genre sets)` — the definition the evaluation reports use
/// (``RankingReport/intraListDiversity``).
///
/// `Jaccard(∅, ∅) = 1`: two films without genres count as alike (distance 0); a film without
/// genres against one with genres is at distance 1. A list of fewer than 2 items has no pair and
/// a diversity of **0**. Items are taken as given: an item listed twice makes a pair at distance 0.
///
/// ```swift
/// let genres = ItemGenreSets(catalog: catalog, items: model.items)
/// intraListDiversity(of: [0, 1, 2], genres: genres)   // in [0, 1]
/// ```
///
/// - Precondition: every index is in `0..<genres.itemCount` (checked);
///   ``intraListDiversity(ofIDs:genres:)`` takes ids and never traps.
/// - Complexity: O(k · ⌈genres / 64⌉ + m²) for k items over m distinct genre sets (films with
///   the same set are at distance 0 and are counted, not compared).
public func intraListDiversity(of items: [Int], genres: ItemGenreSets) -> Double {
  for item in items { genres.check(item) }
  return genres.groupedDistances(items).mean
}

/// ``intraListDiversity(of:genres:)`` of items given by external id; an id that `genres` does
/// not know has the empty genre set. Never traps.
public func intraListDiversity(ofIDs ids: [EntityID], genres: ItemGenreSets) -> Double {
  var indices: [Int] = []
  var unknown = 0
  for id in ids {
    if let i = genres.items.index(of: id) { indices.append(i) } else { unknown += 1 }
  }
  guard ids.count >= 2 else { return 0 }
  // Known pairs as usual; a pair with an unknown id is at distance 0 with another unknown one
  // (both empty) and at 1 − 0 = 1 with a known film that has genres, 0 with one that has none.
  var total = 0.0
  for a in 0..<indices.count {
    for b in (a + 1)..<indices.count { total += genres.jaccardDistance(indices[a], indices[b]) }
  }
  for i in indices where genres.sizes[i] > 0 { total += Double(unknown) }
  let n = Double(ids.count)
  return total / (n * (n - 1) / 2)
}
