import AFlixData
import AFlixSynth
import Foundation
import Testing

@Suite struct ValidationTests {
  struct Case: Sendable, CustomStringConvertible {
    var description: String
    var kind: SynthError.Kind
    var change: @Sendable (inout WorldConfiguration) -> Void
  }

  static let cases: [Case] = [
    Case(description: "empty genre pool", kind: .emptyGenreSet) { $0.genrePool = [] },
    Case(description: "archetype without genres", kind: .emptyGenreSet) {
      $0.archetypes = [Archetype(name: "None", share: 1, genreWeights: [:])]
    },
    Case(description: "catalog genre weights all zero", kind: .emptyGenreSet) {
      $0.catalog = .generated(CatalogConfiguration(genreWeights: [18: 0]))
    },
    Case(description: "min > max ratings per user", kind: .invalidRange) {
      $0.ratingsPerUser = ParameterRange(50, 10)
    },
    Case(description: "more ratings per user than films", kind: .notEnoughFilms) {
      $0.ratingsPerUser = ParameterRange(10, 401)
    },
    Case(description: "negative noise σ", kind: .negativeDeviation) {
      $0.noiseSD = ParameterRange(-0.5, 1.5)
    },
    Case(description: "negative tendency σ", kind: .negativeDeviation) { $0.tendencySD = -0.1 },
    Case(description: "NaN tendency", kind: .nonFiniteParameter) { $0.tendencyMean = .nan },
    Case(description: "NaN noise bound", kind: .nonFiniteParameter) {
      $0.noiseSD = ParameterRange(0.5, .nan)
    },
    Case(description: "infinite genre bonus", kind: .nonFiniteParameter) {
      $0.genreBonus = .infinity
    },
    Case(description: "NaN vote range", kind: .nonFiniteParameter) {
      $0.catalog = .generated(CatalogConfiguration(voteAverage: ParameterRange(.nan, 9)))
    },
    Case(description: "shares not summing to 1", kind: .invalidShares) {
      $0.archetypes = Array(Archetype.original.dropLast())
    },
    Case(description: "no users", kind: .invalidCount) { $0.users = 0 },
    Case(description: "no films", kind: .invalidCount) {
      $0.catalog = .generated(CatalogConfiguration(count: 0))
    },
    Case(description: "unknown genre", kind: .unknownGenre) { $0.genrePool = [18, 12_345] },
    Case(description: "more preferred genres than the pool", kind: .notEnoughFilms) {
      $0.genrePool = [18, 35]
    },
    Case(description: "bias range reversed", kind: .invalidRange) {
      $0.popularityBias = ParameterRange(1, -1)
    },
    Case(description: "no whole star in the rating range", kind: .invalidRange) {
      $0.ratingRange = ParameterRange(1.2, 1.8)
      $0.rounding = .wholeStars
    },
  ]

  @Test(arguments: cases)
  func invalidConfigurationsAreTypedErrors(_ testCase: Case) {
    var configuration = WorldConfiguration()
    testCase.change(&configuration)
    #expect {
      try configuration.validate()
    } throws: { error in
      (error as? SynthError)?.kind == testCase.kind
    }
    // Generation refuses it the same way, and so does streaming, before writing anything.
    #expect(throws: SynthError.self) { try SyntheticWorld.generate(configuration, seed: 1) }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-synth-invalid-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect {
      try WorldWriter.stream(configuration, seed: 1, to: folder)
    } throws: { error in
      (error as? SynthError)?.kind == testCase.kind
    }
    #expect(!FileManager.default.fileExists(atPath: folder.path))
  }

  @Test func defaultsAndOriginalArchetypesAreValid() throws {
    try WorldConfiguration().validate()
    var configuration = WorldConfiguration()
    configuration.archetypes = Archetype.original
    try configuration.validate()
    #expect(abs(Archetype.original.map(\.share).reduce(0, +) - 1) < 1e-12)
    let error = SynthError(.invalidRange, parameter: "ratingsPerUser", message: "50...10")
    #expect(error.description == "ratingsPerUser: 50...10")
    #expect(ParameterRange(50, 10).closedRange == nil)
    #expect(ParameterRange(10...50).closedRange == 10...50)
  }

  @Test func configurationsRoundTripThroughJSON() throws {
    var configuration = WorldConfiguration(users: 123)
    configuration.archetypes = Archetype.original
    configuration.filmChoice = .popularityWeighted(exponent: 0.5)
    configuration.rounding = .halfStars
    let data = try JSONEncoder().encode(configuration)
    #expect(try JSONDecoder().decode(WorldConfiguration.self, from: data) == configuration)
  }
}
