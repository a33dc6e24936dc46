import AFlixData
import AFlixLinalg
import Foundation

/// Content features of a model's items: a sparse `items × traits` matrix (CSR, `Float`) built from
/// a catalog's genres, cast, director, release decade and keywords or tags, with IDF weighting so
/// that rare traits count, every row L2-normalised — so the dot product of two rows is their
/// cosine.
///
/// A trait is named by its family's prefix and its value (`"genre:Comedy"`, `"cast:Tom Hanks"`,
/// `"director:Jane Campion"`, `"decade:1990s"`, `"keyword:time travel"`); ``traits`` is the
/// vocabulary, sorted, and column `t` of ``matrix`` is `traits[t]`. A trait's value in a row
/// before normalisation is entry `t` of ``traitWeights``: its family's weight (``Options``)
/// times its IDF (``Weighting``) over the ``catalogItemCount`` items found in the catalog.
///
/// Items missing from the catalog, and items whose traits were all dropped, get an **empty row**:
/// their cosine with everything is 0.
///
/// ```swift
/// let features = try ItemFeatures(items: train.items, catalog: catalog)
/// let toyStory = train.items.index(of: 1)!, aladdin = train.items.index(of: 95)!
/// features.cosine(toyStory, aladdin)                // the cosine of their rows, 0…1
/// features.sharedTraits(between: toyStory, and: aladdin, limit: 2).map(\.name)
/// // two of "genre:Animation", "genre:Comedy", "genre:Family" (MovieLens "Children's")
/// ```
public struct ItemFeatures: Sendable, Equatable {
  /// The items, index ↔ external id: row `i` is item `items.id(at: i)`.
  public let items: IDMap
  /// The trait vocabulary, ascending: column `t` is trait `traits[t]`.
  public let traits: [String]
  /// Each trait's weight before row normalisation: its family weight times its IDF.
  public let traitWeights: [Float]
  /// `items.count × traits.count`; each row is empty or has unit L2 norm, its values positive.
  public let matrix: SparseMatrix<Float>
  /// The options the features were built with.
  public let options: Options
  /// `N` of the IDF: how many of ``items`` the catalog held.
  public let catalogItemCount: Int
  /// Trait name → column.
  let traitIndex: [String: Int]
  /// ``matrix`` transposed (trait × item): each trait's items, so that a profile's scores read
  /// only the traits it has (see `scores(dense:)`).
  let byTrait: SparseMatrix<Float>

  /// Builds the features of `items` from `catalog` (items matched by id).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter` for invalid options
  ///   (``Options/validate()``).
  /// - Complexity: O(Σ traits per film · log) over the items.
  public init(items: IDMap, catalog: Catalog, options: Options = Options()) throws {
    try options.validate()
    let families = TraitFamily.allCases.filter { options.weight(of: $0) > 0 }
    var itemTraits: [[String]] = []
    itemTraits.reserveCapacity(items.count)
    var documentFrequency: [String: Int] = [:]
    var found = 0
    for i in 0..<items.count {
      guard let movie = catalog.movie(withID: items.id(at: i)) else {
        itemTraits.append([])
        continue
      }
      found += 1
      let names = families.flatMap { $0.traits(of: movie, castLimit: options.castLimit) }
      for name in names { documentFrequency[name, default: 0] += 1 }
      itemTraits.append(names)
    }
    let vocabulary = documentFrequency.filter { $0.value >= options.minimumItemCount }.keys
      .sorted()
    let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
    let weights = vocabulary.map { name -> Float in
      let family = TraitFamily(traitName: name) ?? .keyword
      let idf = options.weighting.idf(
        documentFrequency: documentFrequency[name] ?? 0, itemCount: found)
      return Float(options.weight(of: family) * idf)
    }
    var offsets = [0]
    offsets.reserveCapacity(items.count + 1)
    var columns: [Int32] = []
    var values: [Float] = []
    for names in itemTraits {
      let row = Self.normalisedRow(names.compactMap { index[$0] }, weights: weights)
      columns += row.traits
      values += row.values
      offsets.append(columns.count)
    }
    do {
      matrix = try SparseMatrix(
        rows: items.count, columns: vocabulary.count, rowOffsets: offsets, columnIndices: columns,
        values: values)
    } catch {
      throw RecommendError(.numericalFailure, "the content features are inconsistent: \(error)")
    }
    self.items = items
    self.traits = vocabulary
    self.traitWeights = weights
    self.options = options
    self.catalogItemCount = found
    self.traitIndex = index
    self.byTrait = matrix.transposed
  }

  /// Features from their parts (a model file), checked: one row per item and one column per
  /// trait, trait names distinct and ascending, trait weights finite and positive, every stored
  /// value finite and positive, every non-empty row of unit norm (within 10⁻³).
  ///
  /// - Throws: ``RecommendError`` `.invalidArgument` naming the first inconsistency.
  public init(
    items: IDMap, traits: [String], traitWeights: [Float], matrix: SparseMatrix<Float>,
    options: Options, catalogItemCount: Int
  ) throws {
    func fail(_ message: String) -> RecommendError { RecommendError(.invalidArgument, message) }
    guard matrix.rows == items.count, matrix.columns == traits.count,
      traitWeights.count == traits.count
    else {
      throw fail(
        "features of shape \(matrix.rows) × \(matrix.columns) with \(traitWeights.count) "
          + "weights do not match \(items.count) items and \(traits.count) traits")
    }
    for t in 1..<max(1, traits.count) where !(traits[t - 1] < traits[t]) {
      throw fail("trait \(t) '\(traits[t])' is not after '\(traits[t - 1])' (sorted, distinct)")
    }
    for (t, w) in traitWeights.enumerated() where !(w.isFinite && w > 0) {
      throw fail("trait weight \(t) is \(w); it must be finite and > 0")
    }
    for (k, v) in matrix.values.enumerated() where !(v.isFinite && v > 0 && v <= 1.001) {
      throw fail("feature value \(k) is \(v); values lie in (0, 1]")
    }
    for i in 0..<matrix.rows {
      let (_, values) = matrix.row(i)
      guard !values.isEmpty else { continue }
      let norm = values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
      guard abs(norm - 1) <= 1e-3 else { throw fail("row \(i) has norm \(norm), not 1") }
    }
    guard catalogItemCount >= 0, catalogItemCount <= items.count else {
      throw fail("catalogItemCount \(catalogItemCount) is outside 0…\(items.count)")
    }
    try options.validate()
    self.items = items
    self.traits = traits
    self.traitWeights = traitWeights
    self.matrix = matrix
    self.byTrait = matrix.transposed
    self.options = options
    self.catalogItemCount = catalogItemCount
    self.traitIndex = Dictionary(uniqueKeysWithValues: traits.enumerated().map { ($1, $0) })
  }

  /// Two feature sets are equal when items, vocabulary, weights, matrix, options and `N` are.
  public static func == (a: ItemFeatures, b: ItemFeatures) -> Bool {
    a.items == b.items && a.traits == b.traits && a.traitWeights == b.traitWeights
      && a.matrix == b.matrix && a.options == b.options && a.catalogItemCount == b.catalogItemCount
  }

  /// The sorted columns of `columns` (distinct) with their weights scaled to unit L2 norm.
  static func normalisedRow(_ columns: [Int], weights: [Float]) -> (
    traits: [Int32], values: [Float]
  ) {
    let sorted = Array(Set(columns)).sorted()
    let norm = sorted.reduce(0.0) { $0 + Double(weights[$1]) * Double(weights[$1]) }.squareRoot()
    guard norm > 0 else { return ([], []) }
    return (sorted.map { Int32($0) }, sorted.map { Float(Double(weights[$0]) / norm) })
  }

  /// The number of traits (columns).
  public var traitCount: Int { traits.count }

  /// The column of trait `name` (`"genre:Comedy"`), or `nil` when it is not in the vocabulary.
  public func traitIndex(named name: String) -> Int? { traitIndex[name] }

  /// Item index `item`'s traits (columns, ascending) and values.
  ///
  /// - Precondition: `0 ≤ item < items.count` (checked).
  public func row(_ item: Int) -> (traits: ArraySlice<Int32>, values: ArraySlice<Float>) {
    precondition(item >= 0 && item < items.count, "item index \(item) out of 0..<\(items.count)")
    let (columns, values) = matrix.row(item)
    return (columns, values)
  }

  /// The row a film not among ``items`` would get with this vocabulary and these weights (a new
  /// film scored by content before it has ratings): its traits in the vocabulary, weighted and
  /// L2-normalised; traits the vocabulary lacks are left out, so the row may be empty.
  public func row(for movie: Movie) -> (traits: [Int32], values: [Float]) {
    let names = TraitFamily.allCases.filter { options.weight(of: $0) > 0 }
      .flatMap { $0.traits(of: movie, castLimit: options.castLimit) }
    return Self.normalisedRow(names.compactMap { traitIndex[$0] }, weights: traitWeights)
  }

  /// The trait names of item index `item`; empty for an index outside ``items``.
  public func traitNames(ofItem item: Int) -> [String] {
    guard item >= 0, item < items.count else { return [] }
    return matrix.row(item).columns.map { traits[Int($0)] }
  }

  /// The cosine of the rows of items `a` and `b` (0 when either row is empty, or either index is
  /// outside ``items``).
  public func cosine(_ a: Int, _ b: Int) -> Float {
    sharedContributions(a, b).reduce(0) { $0 + $1.contribution }
  }

  /// The traits items `a` and `b` share, largest contribution to their ``cosine(_:_:)`` first
  /// (a trait's contribution is the product of its two values; they sum to the cosine), at most
  /// `limit`. Empty when either index is outside ``items``.
  public func sharedTraits(between a: Int, and b: Int, limit: Int = 3) -> [SharedTrait] {
    Self.top(sharedContributions(a, b), limit: limit, names: traits)
  }

  /// The traits a user's `profile` and item `item` share, largest contribution to their cosine
  /// first (profile value × item value; positive contributions only), at most `limit`.
  public func sharedTraits(profile: ContentProfile, item: Int, limit: Int = 3) -> [SharedTrait] {
    guard item >= 0, item < items.count else { return [] }
    let (columns, values) = matrix.row(item)
    var out: [(trait: Int, contribution: Float)] = []
    var p = profile.traits.startIndex
    for (c, v) in zip(columns, values) {
      while p < profile.traits.endIndex, profile.traits[p] < c { p += 1 }
      guard p < profile.traits.endIndex else { break }
      if profile.traits[p] == c {
        let contribution = profile.weights[p] * v
        if contribution > 0 { out.append((Int(c), contribution)) }
      }
    }
    return Self.top(out, limit: limit, names: traits)
  }

  /// The common columns of rows `a` and `b` with the products of their values.
  private func sharedContributions(_ a: Int, _ b: Int) -> [(trait: Int, contribution: Float)] {
    guard a >= 0, a < items.count, b >= 0, b < items.count else { return [] }
    let (ca, va) = matrix.row(a)
    let (cb, vb) = matrix.row(b)
    var out: [(trait: Int, contribution: Float)] = []
    var x = ca.startIndex
    var y = cb.startIndex
    while x < ca.endIndex, y < cb.endIndex {
      if ca[x] == cb[y] {
        out.append((Int(ca[x]), va[x] * vb[y]))
        x += 1
        y += 1
      } else if ca[x] < cb[y] {
        x += 1
      } else {
        y += 1
      }
    }
    return out
  }

  /// The `limit` largest contributions, ties by trait name, as ``SharedTrait`` values.
  private static func top(
    _ list: [(trait: Int, contribution: Float)], limit: Int, names: [String]
  ) -> [SharedTrait] {
    list.sorted {
      $0.contribution != $1.contribution ? $0.contribution > $1.contribution : $0.trait < $1.trait
    }
    .prefix(max(0, limit))
    .map { SharedTrait(name: names[$0.trait], contribution: $0.contribution) }
  }
}

/// A trait two films (or a user's profile and a film) share, with its share of their cosine: what
/// an explanation names ("both are directed by Jane Campion").
public struct SharedTrait: Sendable, Hashable, Codable {
  /// The trait's name, family prefix included (`"director:Jane Campion"`).
  public var name: String
  /// The product of the trait's values in the two rows: its share of their cosine.
  public var contribution: Float

  /// Creates a shared trait.
  public init(name: String, contribution: Float) {
    self.name = name
    self.contribution = contribution
  }

  /// The trait's family, read from its name's prefix.
  public var family: TraitFamily? { TraitFamily(traitName: name) }

  /// The trait's value without its family prefix (`"Jane Campion"`).
  public var value: String {
    guard let colon = name.firstIndex(of: ":") else { return name }
    return String(name[name.index(after: colon)...])
  }
}
