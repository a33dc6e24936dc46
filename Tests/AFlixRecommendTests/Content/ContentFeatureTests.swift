import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixRecommend

/// The item × trait matrix: trait vocabulary, IDF weighting computed by hand, family weights,
/// normalisation, items missing from the catalog, shared traits.
@Suite("Content features")
struct ContentFeatureTests {
  /// The value each trait should have in each film's row, computed from the films' traits
  /// written out here, the IDF formula and the family weights, then L2-normalised.
  static func expectedRows(
    idf: (_ df: Double, _ n: Double) -> Double, familyWeight: [String: Double],
    minimumCount: Int
  ) -> [[String: Double]] {
    let films: [[String]] = [
      ["genre:Comedy", "genre:Drama", "decade:1990s", "director:X", "keyword:cult"],
      ["genre:Comedy", "decade:1990s", "director:X", "keyword:cult"],
      ["genre:Drama", "genre:Horror", "decade:1980s", "keyword:cult"],
      ["genre:Horror", "decade:1980s", "keyword:solo"],
    ]
    var df: [String: Int] = [:]
    for f in films { for t in f { df[t, default: 0] += 1 } }
    return films.map { traits in
      var row: [String: Double] = [:]
      for t in traits where df[t]! >= minimumCount {
        let family = String(t.prefix { $0 != ":" })
        row[t] = (familyWeight[family] ?? 1) * idf(Double(df[t]!), 4)
      }
      let norm = row.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
      return row.mapValues { $0 / norm }
    }
  }

  /// A film's row by trait name.
  static func row(_ features: ItemFeatures, _ item: Int) -> [String: Double] {
    let (columns, values) = features.row(item)
    var out: [String: Double] = [:]
    for (c, v) in zip(columns, values) { out[features.traits[Int(c)]] = Double(v) }
    return out
  }

  @Test(arguments: [ItemFeatures.Weighting.bm25, .tfidf, .none])
  func weightsMatchAHandComputation(weighting: ItemFeatures.Weighting) throws {
    var options = ItemFeatures.Options(decade: 0.5, weighting: weighting)
    let idf: (Double, Double) -> Double = { df, n in
      switch weighting {
      case .bm25: return Foundation.log(1 + (n - df + 0.5) / (df + 0.5))
      case .tfidf: return Foundation.log((1 + n) / (1 + df)) + 1
      case .none: return 1
      }
    }
    for minimum in [2, 1] {
      options.minimumItemCount = minimum
      let features = try ItemFeatures(
        items: ContentFixtures.fourFilmItems, catalog: ContentFixtures.fourFilms,
        options: options)
      let expected = Self.expectedRows(
        idf: idf, familyWeight: ["decade": 0.5], minimumCount: minimum)
      #expect(features.catalogItemCount == 4)
      #expect(features.traits == features.traits.sorted())
      #expect(features.traits.contains("keyword:solo") == (minimum == 1))
      for i in 0..<4 {
        let got = Self.row(features, i)
        #expect(Set(got.keys) == Set(expected[i].keys), "film \(i)")
        for (name, value) in expected[i] {
          #expect(abs((got[name] ?? -1) - value) < 1e-6, "film \(i) \(name)")
        }
      }
      // Film 5 is not in the catalog: an empty row, similar to nothing.
      #expect(features.row(4).traits.isEmpty)
      #expect(features.cosine(0, 4) == 0)
    }
  }

  /// Rarer traits weigh more: "keyword:cult" (3 films) weighs less than "director:X" (2 films)
  /// in film A's row, and BM25's IDF ranks them so.
  @Test func rareTraitsCountMore() throws {
    let features = try ItemFeatures(
      items: ContentFixtures.fourFilmItems, catalog: ContentFixtures.fourFilms)
    let a = Self.row(features, 0)
    let cult = try #require(a["keyword:cult"])
    let director = try #require(a["director:X"])
    #expect(cult < director)
  }

  @Test func familiesTurnOffAndCastIsLimited() throws {
    let movies = [
      Movie(id: 1, title: "A", genres: [.named("Drama")], cast: ["P", "Q", "R"]),
      Movie(id: 2, title: "B", genres: [.named("Drama")], cast: ["R", "Q", "P"]),
    ]
    let catalog = try Catalog(movies: movies)
    let items = IDMap([1, 2])
    let limited = try ItemFeatures(
      items: items, catalog: catalog, options: .init(castLimit: 2, minimumItemCount: 1))
    #expect(limited.traitNames(ofItem: 0) == ["cast:P", "cast:Q", "genre:Drama"])
    #expect(limited.traitNames(ofItem: 1) == ["cast:Q", "cast:R", "genre:Drama"])
    let genresOnly = try ItemFeatures(items: items, catalog: catalog, options: .genresOnly)
    #expect(genresOnly.traits == ["genre:Drama"])
  }

  @Test func sharedTraitsNameWhatTwoFilmsHaveInCommon() throws {
    let features = try ItemFeatures(
      items: ContentFixtures.fourFilmItems, catalog: ContentFixtures.fourFilms)
    let shared = features.sharedTraits(between: 0, and: 1, limit: 10)
    #expect(
      Set(shared.map(\.name)) == ["genre:Comedy", "decade:1990s", "director:X", "keyword:cult"])
    #expect(zip(shared, shared.dropFirst()).allSatisfy { $0.contribution >= $1.contribution })
    let sum = shared.reduce(Float(0)) { $0 + $1.contribution }
    #expect(abs(sum - features.cosine(0, 1)) < 1e-6)
    let dense = ContentFixtures.dense(features)
    #expect(abs(Double(features.cosine(0, 1)) - ContentFixtures.cosine(dense[0], dense[1])) < 1e-6)
    #expect(features.sharedTraits(between: 0, and: 1, limit: 1).count == 1)
    #expect(shared.first { $0.name == "director:X" }?.family == .director)
    #expect(shared.first { $0.name == "director:X" }?.value == "X")
    // Out-of-range indices share nothing (no trap).
    #expect(features.sharedTraits(between: 0, and: 99).isEmpty)
    #expect(features.cosine(-1, 0) == 0)
  }

  /// A new film gets the row it would have had among the items.
  @Test func aNewFilmGetsTheRowItWouldHaveHad() throws {
    let features = try ItemFeatures(
      items: ContentFixtures.fourFilmItems, catalog: ContentFixtures.fourFilms)
    let b = try #require(ContentFixtures.fourFilms.movie(withID: 2))
    var newcomer = b
    newcomer.id = 99
    newcomer.cast = ["Nobody Known"]
    let row = features.row(for: newcomer)
    #expect(row.traits == Array(features.row(1).traits))
    #expect(row.values == Array(features.row(1).values))
  }

  @Test func invalidOptionsAreRefused() {
    let bad: [ItemFeatures.Options] = [
      .init(genres: -1), .init(cast: .nan), .init(decade: .infinity), .init(castLimit: -1),
      .init(minimumItemCount: 0),
    ]
    for options in bad {
      let error = #expect(throws: RecommendError.self) {
        try ItemFeatures(
          items: ContentFixtures.fourFilmItems, catalog: ContentFixtures.fourFilms,
          options: options)
      }
      #expect(error?.kind == .invalidHyperparameter)
    }
  }

  /// Features rebuilt from their parts are equal; broken parts are refused with typed errors.
  @Test func partsAreChecked() throws {
    let f = try ItemFeatures(
      items: ContentFixtures.fourFilmItems, catalog: ContentFixtures.fourFilms)
    let again = try ItemFeatures(
      items: f.items, traits: f.traits, traitWeights: f.traitWeights, matrix: f.matrix,
      options: f.options, catalogItemCount: f.catalogItemCount)
    #expect(again == f)
    var unsorted = f.traits
    unsorted.swapAt(0, 1)
    var halved = f.matrix.values
    halved[0] /= 2
    let halvedMatrix = try SparseMatrix(
      rows: f.matrix.rows, columns: f.matrix.columns, rowOffsets: f.matrix.rowOffsets,
      columnIndices: f.matrix.columnIndices, values: halved)
    let attempts: [() throws -> ItemFeatures] = [
      {
        try ItemFeatures(
          items: f.items, traits: unsorted, traitWeights: f.traitWeights, matrix: f.matrix,
          options: f.options, catalogItemCount: 4)
      },
      {
        try ItemFeatures(
          items: f.items, traits: f.traits, traitWeights: f.traitWeights, matrix: halvedMatrix,
          options: f.options, catalogItemCount: 4)
      },
      {
        try ItemFeatures(
          items: f.items, traits: f.traits, traitWeights: f.traitWeights.map { -$0 },
          matrix: f.matrix, options: f.options, catalogItemCount: 4)
      },
      {
        try ItemFeatures(
          items: IDMap([1, 2]), traits: f.traits, traitWeights: f.traitWeights, matrix: f.matrix,
          options: f.options, catalogItemCount: 2)
      },
      {
        try ItemFeatures(
          items: f.items, traits: f.traits, traitWeights: f.traitWeights, matrix: f.matrix,
          options: f.options, catalogItemCount: 9)
      },
    ]
    for attempt in attempts {
      let error = #expect(throws: RecommendError.self) { try attempt() }
      #expect(error?.kind == .invalidArgument)
    }
  }
}
