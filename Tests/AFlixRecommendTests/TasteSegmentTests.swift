import AFlixData
import AFlixRecommend
import Foundation
import Testing

@Suite("Taste segments")
struct TasteSegmentTests {
  /// Two kinds of users: 0–19 love Horror films (even items), 20–39 Comedy films (odd items).
  static func data() throws -> (RatingsDataset, Catalog) {
    var ratings: [Rating] = []
    for u in 0..<40 {
      for i in 0..<20 {
        let likes = (u < 20) == (i % 2 == 0)
        ratings.append(Rating(user: .int(u), item: .int(i), value: likes ? 5 : 1))
      }
    }
    let catalog = try Catalog(
      movies: (0..<20).map { i in
        Movie(
          id: .int(i), title: "F\(i)",
          genres: [Genre(id: nil, name: i % 2 == 0 ? "Horror" : "Comedy")])
      })
    return (try RatingsDataset(ratings: ratings, scale: .oneToFive), catalog)
  }

  @Test func usersWithOneTasteShareASegmentNamedAfterIt() throws {
    let (data, catalog) = try Self.data()
    let genres = ItemGenreSets(catalog: catalog, items: data.items)
    let segments = try TasteSegments(data: data, genres: genres, count: 2, seed: 1)
    let horror = data.users.index(of: 3)!
    let comedy = data.users.index(of: 33)!
    #expect(segments.label(ofUser: horror) == "Horror")
    #expect(segments.label(ofUser: comedy) == "Comedy")
    for u in 0..<data.userCount {
      let id = data.users.id(at: u).intValue!
      #expect(segments.segmentOfUser[u] == segments.segmentOfUser[id < 20 ? horror : comedy])
    }
    // A folded-in user who liked a comedy lands with the comedy lovers; no genre → nil.
    let ratings = UserRatings([(item: data.items.index(of: 1)!, value: 5)], itemCount: 20)
    #expect(segments.label(forRatings: ratings, genres: genres) == "Comedy")
    #expect(segments.label(forRatings: UserRatings([], itemCount: 20), genres: genres) == nil)
    #expect(segments.label(ofUser: -1) == nil && segments.label(ofUser: 40) == nil)
  }

  @Test func theHybridExplainsWithTheUsersSegment() throws {
    let (data, catalog) = try Self.data()
    let model = try Hybrid(catalog: catalog).fit(data)
    let list = try model.recommend(
      user: 5, HybridRequest(count: 3, excluding: .nothing, explain: true))
    #expect(list.items.allSatisfy { $0.explanation?.segment == "Horror" })
    let back = try JSONDecoder().decode(
      TasteSegments.self, from: try JSONEncoder().encode(model.segments))
    #expect(back == model.segments)
  }

  @Test func tamperedSegmentsDoNotDecode() throws {
    let json = #"{"genres":["A"],"centres":[[0.5]],"labels":["A"],"segmentOfUser":[0,3]}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(TasteSegments.self, from: Data(json.utf8))
    }
    let wide = #"{"genres":["A"],"centres":[[0.5,1]],"labels":["A"],"segmentOfUser":[0]}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(TasteSegments.self, from: Data(wide.utf8))
    }
  }
}
