import AFlix
import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/admin/films`: a film added while the service runs is recommended by content at
/// once, takes ratings, survives a restart and is fitted by the next training.
@Suite struct FilmTests {
  /// The JSON body of a film.
  static func filmBody(_ fields: [String: Any]) throws -> ByteBuffer {
    ByteBuffer(data: try JSONSerialization.data(withJSONObject: fields))
  }

  /// The entries of a recommendations response, by `movie_id`.
  static func entries(_ response: TestResponse) throws -> [[String: Any]] {
    try #require(try object(response)["recommendations"] as? [[String: Any]])
  }

  @Test func anAddedFilmIsRecommendedByContentAtOnce() async throws {
    let server = try await TestServer.trained()
    let user = server.service.baseRatings.users.id(at: 0)
    let engine = try #require(server.service.engine)
    let top = try #require(try engine.recommend(user: user, HybridRequest(count: 1)).items.first)
    let liked = try #require(server.service.catalog.movie(withID: top.item))
    try await server.test { client in
      let first = try await client.execute(
        uri: "/api/recommendations/user/\(user)?top_n=100", method: .get, headers: server.admin)
      #expect(first.headers[.init("X-Cache")!] == "miss")
      let like = try await client.execute(
        uri: "/api/admin/films", method: .post, headers: server.admin,
        body: try Self.filmBody([
          "movie_id": "9001", "title": "Like \(liked.title)", "year": 2026,
          "genres": liked.genres.map(\.name), "keywords": liked.keywords, "cast": liked.cast,
        ]))
      #expect(like.status == .created)
      let added = try object(like)
      #expect(added["movie_id"] as? String == "9001")
      #expect(added["placed_in_model"] as? Bool == true)
      #expect((added["content_traits"] as? Int ?? 0) > 0)
      let unknown = try await client.execute(
        uri: "/api/admin/films", method: .post, headers: server.admin,
        body: try Self.filmBody(["title": "Nothing known", "genres": ["No such genre"]]))
      #expect(unknown.status == .created)
      let unknownID = try #require(try object(unknown)["movie_id"] as? String)
      #expect(unknownID != "9001")
      #expect(server.service.catalog.movie(withID: EntityID(parsing: unknownID)) != nil)

      // The cached list is stale once a film is added: computed again, with both films.
      let response = try await client.execute(
        uri: "/api/recommendations/user/\(user)?top_n=100&explain=true", method: .get,
        headers: server.admin)
      #expect(response.headers[.init("X-Cache")!] == "miss")
      let items = try Self.entries(response)
      let ids = items.compactMap { $0["movie_id"] as? String }
      let like9001 = try #require(ids.firstIndex(of: "9001"))
      let nothing = try #require(ids.firstIndex(of: unknownID))
      #expect(like9001 < nothing)
      let entry = items[like9001]
      #expect(entry["new_film"] as? Bool == true)
      let explanation = try #require(entry["explanation"] as? [String: Any])
      let basis = try #require(explanation["new_film"] as? [String: Any])
      #expect(basis["basis"] as? String == "content")
      #expect(basis["rating_count"] as? Int == 0)
      let scores = items.compactMap { $0["score"] as? Double }
      #expect(scores == scores.sorted(by: >))
      // The film is in the catalogue's genre listing.
      let genre = try #require(liked.genres.first)
      let films = try await client.execute(
        uri: "/api/genres/\(genre.id.map(String.init) ?? genre.name)/films", method: .get)
      let listed = try #require(try object(films)["films"] as? [[String: Any]])
      #expect(listed.contains { $0["movie_id"] as? String == "9001" })
    }
  }

  @Test func aNewFilmsRatingsAreAcceptedAndFoldedIn() async throws {
    let server = try await TestServer.trained()
    let raters = (0..<3).map { server.service.baseRatings.users.id(at: $0).description }
    let other = server.service.baseRatings.users.id(at: 10).description
    let alice = try await userAuth(server.accounts, "alice")
    try await server.test { client in
      let added = try await client.execute(
        uri: "/api/admin/films", method: .post, headers: server.admin,
        body: try Self.filmBody(["movie_id": "new-1", "title": "New One", "genres": ["Drama"]]))
      #expect(added.status == .created)
      let rating = try await client.execute(
        uri: "/api/ratings", method: .post, headers: alice,
        body: ByteBuffer(string: #"{"movie_id": "new-1", "rating": 4.5}"#))
      #expect(rating.status == .created)
      let history = try await client.execute(
        uri: "/api/recommendations/user/alice/history", method: .get, headers: alice)
      let rated = try #require(try object(history)["ratings"] as? [[String: Any]])
      #expect(rated.contains { $0["movie_id"] as? String == "new-1" })
      let own = try await client.execute(
        uri: "/api/recommendations/user/alice?top_n=100", method: .get, headers: alice)
      #expect(!(try movieIDs(own)).contains("new-1"))

      // Ratings of users the model knows are counted; the served hybrid's collaborative part
      // (EASE) has no item fold-in, so the film stays scored by content until a training.
      for user in raters {
        try await server.service.rate(
          StoredRating(userID: user, movieID: "new-1", rating: 5, timestamp: 1, source: "test"))
      }
      let response = try await client.execute(
        uri: "/api/recommendations/user/\(other)?top_n=100&explain=true", method: .get,
        headers: server.admin)
      let entry = try #require(
        try Self.entries(response).first { $0["movie_id"] as? String == "new-1" })
      let basis = try #require(
        (entry["explanation"] as? [String: Any])?["new_film"] as? [String: Any])
      #expect(basis["basis"] as? String == "content")
      #expect(basis["rating_count"] as? Int == raters.count)
      #expect(basis["collaborative_score"] == nil)
      #expect(basis["content_score"] is Double)
    }
  }

  @Test func badFilmsAreRefusedWithA4xx() async throws {
    let server = try await TestServer.trained()
    let existing = server.service.catalog.movies[0].id.description
    let alice = try await userAuth(server.accounts, "alice")
    let tooMany = (0...100).map { "genre \($0)" }
    let cases: [(body: String, status: HTTPResponse.Status, code: String)] = [
      (#"{"title": ""}"#, .badRequest, "invalid_film"),
      (#"{"genres": ["Drama"]}"#, .badRequest, "invalid_json"),
      (#"{"title": "A", "year": 99999}"#, .badRequest, "invalid_film"),
      (#"{"title": "A", "year": -5}"#, .badRequest, "invalid_film"),
      (#"{"title": "A", "movie_id": "a/b"}"#, .badRequest, "invalid_film"),
      (#"{"title": "A", "movie_id": " "}"#, .badRequest, "invalid_film"),
      (#"{"title": "\#(String(repeating: "x", count: 301))"}"#, .badRequest, "invalid_film"),
      (
        String(
          decoding: try JSONSerialization.data(withJSONObject: ["title": "A", "genres": tooMany]),
          as: UTF8.self), .badRequest, "invalid_film"
      ),
      (#"{"title": "A", "genres": [""]}"#, .badRequest, "invalid_film"),
      (#"{"title": "A", "movie_id": "\#(existing)"}"#, .conflict, "film_exists"),
      (#"{"title": "A""#, .badRequest, "invalid_json"),
    ]
    try await server.test { client in
      for (body, status, code) in cases {
        let response = try await client.execute(
          uri: "/api/admin/films", method: .post, headers: server.admin,
          body: ByteBuffer(string: body))
        #expect(response.status == status, "\(body)")
        #expect(try errorCode(response) == code, "\(body)")
      }
      let anonymous = try await client.execute(
        uri: "/api/admin/films", method: .post, body: ByteBuffer(string: #"{"title": "A"}"#))
      #expect(anonymous.status == .unauthorized)
      let user = try await client.execute(
        uri: "/api/admin/films", method: .post, headers: alice,
        body: ByteBuffer(string: #"{"title": "A"}"#))
      #expect(user.status == .forbidden)
      #expect(try errorCode(user) == "admin_only")
    }
    #expect(server.service.catalog.count == 60)
  }

  @Test func anAddedFilmSurvivesARestartAndTheNextTrainingFitsIt() async throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let data = try ServerData.synthetic(users: 200, films: 50, seed: 5)
    let film = Movie(id: "fresh", title: "Fresh", genres: [data.catalog.genres[0]], year: 2026)
    let first = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: path))
    await first.start()
    try await first.addFilm(film)
    #expect(first.snapshot?.newFilms.map { $0.id } == ["fresh"])
    await #expect(throws: FilmAdditionError.exists("fresh")) { _ = try await first.addFilm(film) }
    try await first.store.close()

    let second = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: path))
    #expect(second.catalog.movie(withID: "fresh") == film)
    #expect(second.catalog.count == data.catalog.count + 1)
    await second.start()
    #expect(second.snapshot?.newFilms.map { $0.id } == ["fresh"])
    for k in 0..<5 {
      try await second.rate(
        StoredRating(
          userID: data.ratings.users.id(at: k).description, movieID: "fresh", rating: 4,
          timestamp: 2))
    }
    #expect(second.snapshot?.newFilms.first?.film.knownRatingCount == 5)
    await second.train()
    let model = try #require(second.engine?.model as? HybridModel)
    #expect(model.items.index(of: "fresh") != nil)
    #expect(second.snapshot?.newFilms.isEmpty == true)
    try await second.store.close()
  }
}
