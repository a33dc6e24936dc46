import AFlix
import Foundation
import Testing

@testable import AFlixServerCore

/// The hand-written JSON of a recommendation list is byte for byte what `JSON.encoder()` writes.
@Suite struct ListJSONTests {
  static let titles: [String?] = [
    "Toy Story (1995)", "Face/Off", #"The "Quoted" \ Film"#, "Line\nbreak\tand\r\u{01}\u{1F}",
    "Amélie 🎬 日本", "", nil,
  ]
  static let scores: [Float] = [
    0, 5, -1, 0.1, 1.5, -3.25e-7, 1e10, 123_456.79, .leastNonzeroMagnitude,
    .greatestFiniteMagnitude,
    2.5e-45, 0.333_333_34,
  ]

  static func list(
    note: String?, items: [API.Item], experiment: ExperimentAssignment? = nil
  ) -> API.Recommendations {
    API.Recommendations(
      experiment: experiment, userId: "user/42 \"x\"", recommendations: items, source: .averageUser,
      fallback: note != nil,
      note: note, knownRatings: 3, modelGeneration: 12)
  }

  @Test func theListIsWhatTheEncoderWrites() throws {
    var items: [API.Item] = []
    for (k, score) in Self.scores.enumerated() {
      items.append(
        API.Item(
          movieId: "m\(k)/\(k)", title: Self.titles[k % Self.titles.count], score: score,
          predictedRating: k % 3 == 0 ? nil : score / 7, newFilm: k % 4 == 0 ? true : nil,
          explanation: nil))
    }
    let experiments: [ExperimentAssignment?] = [
      nil, ExperimentAssignment(experiment: "mix/\"1\"", variant: "0.6/0.3/0.1", index: 2),
    ]
    for note in [nil, "served by the fallback (average_user) / \"said\""] {
      for count in [0, 1, items.count] {
        for experiment in experiments {
          let list = Self.list(
            note: note, items: Array(items.prefix(count)), experiment: experiment)
          let fast = try #require(list.listJSON())
          let encoded = try JSON.encoder().encode(list)
          #expect(fast == encoded, "\(String(decoding: fast, as: UTF8.self))")
        }
      }
    }
  }

  @Test func explanationsAndNonFiniteScoresAreLeftToTheEncoder() {
    let plain = API.Item(
      movieId: "1", title: "One", score: 1, predictedRating: nil, newFilm: nil, explanation: nil)
    var explained = plain
    explained.explanation = API.Explanation(
      RecommendationExplanation(shares: [.init(scorer: "content", contribution: 1, share: 1)]))
    #expect(Self.list(note: nil, items: [plain, explained]).listJSON() == nil)
    for bad in [Float.nan, .infinity, -.infinity] {
      var item = plain
      item.score = bad
      #expect(Self.list(note: nil, items: [item]).listJSON() == nil)
      item.score = 1
      item.predictedRating = bad
      #expect(Self.list(note: nil, items: [item]).listJSON() == nil)
    }
  }
}
