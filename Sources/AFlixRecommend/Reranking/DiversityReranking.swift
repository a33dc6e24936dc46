import AFlixData

/// How a ranked list is re-ranked for genre diversity before the top `N` are served: not at all,
/// by the original engine's rule, or by maximal marginal relevance (MMR).
///
/// A re-ranking takes a ranked candidate list (best first, normally the top
/// ``candidatePoolSize(for:)`` = 2N of a model's scores) and returns `N` of them:
///
/// - ``off``: the first `N`, unchanged.
/// - ``original``: the original engine's rule. Walk the first 2N candidates in rank order and
///   accept a film if fewer than 3 are selected so far, or if its genres overlap the **union** of
///   the genres already selected in at most one genre. A film without genres overlaps nothing and
///   is always accepted. When the rule yields fewer than `N` (it rejected too many, or fewer than
///   2N candidates exist), the list is **backfilled** from the ranked list in rank order (any
///   candidate not yet selected, also beyond the first 2N) so a request still gets `N` — fewer
///   only when fewer than `N` candidates were given. The accepted films come first, in rank
///   order, then the backfill in rank order.
/// - ``mmr(lambda:)``: maximal marginal relevance over the first 2N candidates: repeatedly pick
///   the candidate maximising `λ · relevance − (1 − λ) · max similarity to those already picked`
///   (the similarity term is 0 for the first pick). Relevance is the candidates' score min-max
///   normalised within that pool to [0, 1] (all equal scores → 1; a `+∞` score → 1; NaN or
///   `−∞` → 0). Similarity is the Jaccard similarity of genre sets by default
///   (``ItemGenreSets/jaccard(_:_:)``, with `J(∅, ∅) = 1`), or a caller's closure. `λ = 1`
///   returns the first `N` in the given order (what MMR gives for a list sorted by score);
///   `λ = 0` picks by novelty alone: the first candidate, then each time the one least similar
///   to those picked.
///
/// Ties go to the better-ranked (earlier) candidate, so results are deterministic. A candidate
/// listed twice counts once, at its first (best) rank. Re-ranking is a pure function of its
/// arguments: no shared state, no locks, safe to call from any number of concurrent requests.
///
/// ```swift
/// let genres = ItemGenreSets(catalog: catalog, items: model.items)
/// let n = 10
/// let ranked = model.recommend(user: 42, count: DiversityReranking.original.candidatePoolSize(for: n))
/// let served = try DiversityReranking.original.rerank(ranked, count: n, genres: genres)
/// intraListDiversity(ofIDs: served.items.map(\.item), genres: genres)
///
/// let mmr = try DiversityReranking(parsing: "mmr:0.7")   // as `--diversity` spells it
/// ```
///
/// - Complexity: O(N · 2N) similarity or overlap evaluations (each O(⌈genres / 64⌉)).
public enum DiversityReranking: Sendable, Hashable, Codable, CustomStringConvertible {
  /// No re-ranking: the first `N` candidates.
  case off
  /// The original engine's rule (top 2N; accept while fewer than 3 are selected or when the
  /// genre overlap with the selected films' genres is at most 1; backfill in rank order).
  case original
  /// Maximal marginal relevance with trade-off `lambda` in [0, 1]: 1 is pure relevance (the
  /// given order), 0 pure novelty.
  case mmr(lambda: Double)

  /// Selected films the original rule accepts whatever their genres: 3.
  public static let originalFreePicks = 3
  /// The largest genre overlap with the selected films' genres the original rule accepts: 1.
  public static let originalOverlapLimit = 1

  /// Parses `off`, `original` or `mmr:λ` (λ in [0, 1]), as the command line's `--diversity`
  /// spells them (case-insensitive).
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for any other text or a λ outside [0, 1].
  public init(parsing text: String) throws {
    let lower = text.lowercased()
    switch lower {
    case "off": self = .off
    case "original": self = .original
    default:
      guard lower.hasPrefix("mmr:"), let lambda = Double(lower.dropFirst(4)) else {
        throw RecommendError(
          .invalidArgument, "diversity '\(text)' is not one of off, original, mmr:λ (e.g. mmr:0.7)")
      }
      self = .mmr(lambda: lambda)
      try validate()
    }
  }

  /// `off`, `original` or `mmr:λ`: the text ``init(parsing:)`` reads.
  public var description: String {
    switch self {
    case .off: return "off"
    case .original: return "original"
    case .mmr(let lambda): return "mmr:\(lambda)"
    }
  }

  /// Checks the parameters: `λ` of ``mmr(lambda:)`` must be in [0, 1] (not NaN).
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument`.
  public func validate() throws {
    if case .mmr(let lambda) = self, !(lambda >= 0 && lambda <= 1) {
      throw RecommendError(.invalidArgument, "MMR λ \(lambda) must be in [0, 1]")
    }
  }

  /// How many ranked candidates to fetch for a list of `count`: `count` for ``off``, `2 · count`
  /// for the others (saturating; 0 for a `count` below 1).
  public func candidatePoolSize(for count: Int) -> Int {
    guard count > 0 else { return 0 }
    if self == .off { return count }
    let (double, overflow) = count.multipliedReportingOverflow(by: 2)
    return overflow ? Int.max : double
  }

  /// The `count` candidates to serve, re-ranked; genre sets from `genres`.
  ///
  /// A `count` below 1 gives an empty list; fewer than `count` candidates give them all.
  ///
  /// - Parameters:
  ///   - candidates: item indices of `genres` with their scores, best first.
  ///   - count: `N`, the length of the list to serve.
  ///   - genres: the items' genre sets.
  /// - Precondition: every candidate's item is in `0..<genres.itemCount` (checked); the id-based
  ///   `rerank(_:count:genres:)` that takes ``Recommendations`` never traps.
  /// - Throws: ``RecommendError`` `.invalidArgument` for an MMR λ outside [0, 1].
  public func rerank(_ candidates: [RerankCandidate], count: Int, genres: ItemGenreSets) throws
    -> [RerankCandidate]
  {
    try validate()
    for candidate in candidates { genres.check(candidate.item) }
    let unique = Self.firstOccurrences(candidates.map(\.item))
    let pool = GenrePool(
      unique.prefix(candidatePoolSize(for: count)).map { candidates[$0].item },
      genres: genres)
    return pick(unique: unique, pool: pool, count: count, scores: candidates.map(\.score)) {
      pool.jaccard($0, $1)
    }.map { candidates[$0] }
  }

  /// `rerank(_:count:genres:)` of candidates, with MMR's similarity given by
  /// `similarity(a, b)` (item indices; symmetric, higher is more similar, normally in [0, 1])
  /// instead of the Jaccard similarity of genre sets. ``off`` and ``original`` do not call it.
  ///
  /// - Precondition: every candidate's item is in `0..<genres.itemCount` (checked).
  /// - Throws: ``RecommendError`` `.invalidArgument` for an MMR λ outside [0, 1].
  public func rerank(
    _ candidates: [RerankCandidate], count: Int, genres: ItemGenreSets,
    similarity: (Int, Int) -> Double
  ) throws -> [RerankCandidate] {
    try validate()
    for candidate in candidates { genres.check(candidate.item) }
    let unique = Self.firstOccurrences(candidates.map(\.item))
    let poolItems = unique.prefix(candidatePoolSize(for: count)).map { candidates[$0].item }
    let pool = GenrePool(poolItems, genres: genres)
    return pick(unique: unique, pool: pool, count: count, scores: candidates.map(\.score)) {
      similarity(poolItems[$0], poolItems[$1])
    }.map { candidates[$0] }
  }

  /// A served list re-ranked: `recommendations` (best first, normally
  /// ``candidatePoolSize(for:)`` long) cut to `count` items by this re-ranking; its source and
  /// ignored ids are kept. Items are matched to `genres` by id; an id `genres` does not know has
  /// the empty genre set. Never traps.
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` for an MMR λ outside [0, 1].
  public func rerank(_ recommendations: Recommendations, count: Int, genres: ItemGenreSets)
    throws -> Recommendations
  {
    try validate()
    let items = recommendations.items
    var seen = Set<EntityID>()
    let unique = items.indices.filter { seen.insert(items[$0].item).inserted }
    let pool = GenrePool(
      unique.prefix(candidatePoolSize(for: count)).map { genres.items.index(of: items[$0].item) },
      genres: genres)
    var out = recommendations
    out.items = pick(unique: unique, pool: pool, count: count, scores: items.map(\.score)) {
      pool.jaccard($0, $1)
    }.map { items[$0] }
    return out
  }

  // MARK: - Implementation

  /// The positions of the first occurrence of each item, in order.
  static func firstOccurrences(_ items: [Int]) -> [Int] {
    var seen = Set<Int>()
    return items.indices.filter { seen.insert(items[$0]).inserted }
  }

  /// The positions (into the caller's list) to serve. `unique` lists the positions of distinct
  /// candidates in rank order; `pool` holds the genre sets of its first ``candidatePoolSize(for:)``;
  /// `similarity` compares two pool slots.
  private func pick(
    unique: [Int], pool: GenrePool, count: Int, scores: [Float],
    similarity: (Int, Int) -> Double
  ) -> [Int] {
    guard count > 0 else { return [] }
    let n = min(count, unique.count)
    switch self {
    case .off:
      return Array(unique.prefix(n))
    case .original:
      return Self.originalRule(unique: unique, pool: pool, count: n)
    case .mmr(let lambda):
      if lambda == 1 { return Array(unique.prefix(n)) }
      let relevance = Self.normalised(unique.prefix(pool.count).map { scores[$0] })
      return Self.mmr(relevance: relevance, lambda: lambda, count: n, similarity: similarity)
        .map { unique[$0] }
    }
  }

  /// The original rule over the pool, backfilled from `unique` in rank order.
  static func originalRule(unique: [Int], pool: GenrePool, count n: Int) -> [Int] {
    var union = [UInt64](repeating: 0, count: pool.words)
    var taken = [Bool](repeating: false, count: unique.count)
    var picked: [Int] = []
    picked.reserveCapacity(n)
    for slot in 0..<pool.count where picked.count < n {
      if picked.count < originalFreePicks || pool.overlap(slot, with: union) <= originalOverlapLimit
      {
        picked.append(unique[slot])
        taken[slot] = true
        pool.unite(slot, into: &union)
      }
    }
    var next = 0
    while picked.count < n {
      // `n ≤ unique.count`, so an untaken candidate remains.
      if !taken[next] { picked.append(unique[next]) }
      next += 1
    }
    return picked
  }

  /// MMR over pool slots `0..<relevance.count`: the slots picked, in order.
  static func mmr(
    relevance: [Double], lambda: Double, count n: Int, similarity: (Int, Int) -> Double
  ) -> [Int] {
    let p = relevance.count
    var maxSimilarity = [Double](repeating: 0, count: p)
    var taken = [Bool](repeating: false, count: p)
    var picked: [Int] = []
    picked.reserveCapacity(n)
    while picked.count < min(n, p) {
      var best = -1
      var bestValue = -Double.infinity
      for slot in 0..<p where !taken[slot] {
        let penalty = picked.isEmpty ? 0 : maxSimilarity[slot]
        let value = lambda * relevance[slot] - (1 - lambda) * penalty
        // Strictly better only: ties stay with the earlier slot; a NaN similarity never wins.
        if best < 0 || value > bestValue {
          best = slot
          bestValue = value.isNaN ? -.infinity : value
        }
      }
      taken[best] = true
      picked.append(best)
      for slot in 0..<p where !taken[slot] {
        let s = similarity(best, slot)
        if picked.count == 1 || s > maxSimilarity[slot] { maxSimilarity[slot] = s }
      }
    }
    return picked
  }

  /// Scores min-max normalised to [0, 1] over their finite values; all equal → 1; +∞ → 1,
  /// NaN and −∞ → 0.
  static func normalised(_ scores: [Float]) -> [Double] {
    let finite = scores.filter(\.isFinite).map(Double.init)
    let low = finite.min() ?? 0
    let high = finite.max() ?? 0
    return scores.map { s in
      if s.isNaN || s == -.infinity { return 0 }
      if s == .infinity || high == low { return 1 }
      return (Double(s) - low) / (high - low)
    }
  }
}

/// The genre bitsets of a re-ranking's pool, copied so that candidates without a known item
/// (ids a catalog does not know) take part with the empty set.
struct GenrePool {
  let words: Int
  let count: Int
  private let bits: [UInt64]
  private let sizes: [Int]

  /// The pool of item indices of `genres` (`nil`: no genres), in rank order.
  init(_ items: [Int?], genres: ItemGenreSets) {
    words = genres.words
    count = items.count
    var bits = [UInt64](repeating: 0, count: items.count * words)
    var sizes = [Int](repeating: 0, count: items.count)
    for (slot, item) in items.enumerated() {
      guard let item else { continue }
      for w in 0..<words { bits[slot * words + w] = genres.bits[item * words + w] }
      sizes[slot] = genres.sizes[item]
    }
    self.bits = bits
    self.sizes = sizes
  }

  /// The pool of item indices of `genres`, in rank order.
  init(_ items: [Int], genres: ItemGenreSets) {
    self.init(items.map { Optional($0) }, genres: genres)
  }

  /// The Jaccard similarity of two slots' genre sets (1 for two empty sets).
  func jaccard(_ a: Int, _ b: Int) -> Double {
    var common = 0
    for w in 0..<words { common += (bits[a * words + w] & bits[b * words + w]).nonzeroBitCount }
    let union = sizes[a] + sizes[b] - common
    return union == 0 ? 1 : Double(common) / Double(union)
  }

  /// The number of genres of slot `slot` in `mask`.
  func overlap(_ slot: Int, with mask: [UInt64]) -> Int {
    var common = 0
    for w in 0..<words { common += (bits[slot * words + w] & mask[w]).nonzeroBitCount }
    return common
  }

  /// Adds the genres of slot `slot` to `mask`.
  func unite(_ slot: Int, into mask: inout [UInt64]) {
    for w in 0..<words { mask[w] |= bits[slot * words + w] }
  }
}
