import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RouteTests {
  @Test func healthReadyAndStatusOnceTrained() async throws {
    let server = try await TestServer.trained()
    try await server.test { client in
      let health = try await client.execute(uri: "/health", method: .get)
      let status = try #require(try object(health)["status"] as? String)
      let rmse = try #require(try object(health)["held_out_rmse"] as? Double)
      #expect(rmse == server.service.trainingInfo?.heldOutRMSE)
      // The original's thresholds on the held-out RMSE.
      #expect(status == (rmse > 1.0 ? "unhealthy" : rmse > 0.9 ? "degraded" : "healthy"))
      #expect(health.status == (status == "unhealthy" ? .serviceUnavailable : .ok))

      let ready = try await client.execute(uri: "/ready", method: .get)
      #expect(ready.status == .ok)
      #expect(try object(ready)["ready"] as? Bool == true)

      let summary = try await client.execute(uri: "/api/recommendations/status", method: .get)
      #expect(summary.status == .ok)
      let body = try object(summary)
      #expect(body["trained"] as? Bool == true)
      #expect(body["film_count"] as? Int == 60)
      #expect(body["model_generation"] as? Int == 1)
    }
  }

  @Test func notReadyBeforeTraining() async throws {
    let data = try ServerData.synthetic(users: 50, films: 60, seed: 3)
    let service = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: nil))
    let server = try await TestServer(service: service)
    let admin = server.admin
    try await server.test { client in
      #expect(try await client.execute(uri: "/ready", method: .get).status == .serviceUnavailable)
      let health = try await client.execute(uri: "/health", method: .get)
      #expect(health.status == .serviceUnavailable)
      #expect(try object(health)["status"] as? String == "unhealthy")
      let recommendations = try await client.execute(
        uri: "/api/recommendations/user/1", method: .get, headers: admin)
      #expect(recommendations.status == .serviceUnavailable)
      #expect(try errorCode(recommendations) == "model_not_ready")
    }
  }

  @Test func recommendationsForAKnownUserWithExplanations() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let user = service.baseRatings.users.id(at: 0).description
    let admin = server.admin
    try await server.test { client in
      let response = try await client.execute(
        uri: "/api/recommendations/user/\(user)?top_n=5&explain=true", method: .get, headers: admin)
      #expect(response.status == .ok)
      let body = try object(response)
      let items = try #require(body["recommendations"] as? [[String: Any]])
      #expect(items.count == 5)
      #expect(items.allSatisfy { $0["movie_id"] is String && $0["title"] is String })
      #expect(items.allSatisfy { $0["score"] is Double && $0["explanation"] is [String: Any] })
      #expect(body["fallback"] as? Bool == false)
      #expect(body["source"] as? String == "model")
    }
  }

  @Test func anUnknownUserGetsTheFallbackSaidSo() async throws {
    let server = try await TestServer.trained()
    let admin = server.admin
    try await server.test { client in
      let response = try await client.execute(
        uri: "/api/recommendations/user/nobody-here", method: .get, headers: admin)
      #expect(response.status == .ok)
      let body = try object(response)
      #expect(body["fallback"] as? Bool == true)
      #expect(body["note"] is String)
      #expect(try movieIDs(response).count == 10)
    }
  }

  @Test func badQueryParametersAre400() async throws {
    let server = try await TestServer.trained()
    let admin = server.admin
    try await server.test { client in
      let zero = try await client.execute(
        uri: "/api/recommendations/user/1?top_n=0", method: .get, headers: admin)
      #expect(zero.status == .badRequest)
      #expect(try errorCode(zero) == "invalid_top_n")
      let explain = try await client.execute(
        uri: "/api/recommendations/user/1?explain=maybe", method: .get, headers: admin)
      #expect(explain.status == .badRequest)
    }
  }

  @Test func historyListsEveryRating() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let user = service.baseRatings.users.id(at: 3).description
    let expected = service.baseRatings.ratings(ofUser: 3).items.count
    let admin = server.admin
    let newcomer = try await userAuth(server.accounts, "newcomer")
    try await server.test { client in
      // An account that has not rated yet has an empty history, not an unknown one.
      let empty = try await client.execute(
        uri: "/api/recommendations/user/newcomer/history", method: .get, headers: newcomer)
      #expect(empty.status == .ok)
      #expect((try object(empty)["ratings"] as? [Any])?.isEmpty == true)
      let response = try await client.execute(
        uri: "/api/recommendations/user/\(user)/history", method: .get, headers: admin)
      #expect(response.status == .ok)
      let ratings = try #require(try object(response)["ratings"] as? [[String: Any]])
      #expect(ratings.count == expected)
      #expect(ratings.allSatisfy { $0["movie_id"] is String && $0["rating"] is Double })
      let unknown = try await client.execute(
        uri: "/api/recommendations/user/nobody/history", method: .get, headers: admin)
      #expect(unknown.status == .notFound)
      #expect(try errorCode(unknown) == "unknown_user")
    }
  }

  @Test func aRatingIsStoredAndReflected() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let user = "alice"
    let accounts = server.accounts
    let auth = try await userAuth(accounts, user)
    var headers = auth
    headers[.contentType] = "application/json"
    let jsonAuth = headers
    try await server.test { client in
      let before = try movieIDs(
        try await client.execute(
          uri: "/api/recommendations/user/\(user)?top_n=5", method: .get, headers: auth))
      let film = try #require(before.first)
      let posted = try await client.execute(
        uri: "/api/ratings", method: .post, headers: jsonAuth,
        body: ByteBuffer(
          string:
            #"{"user_id": "\#(user)", "movie_id": "\#(film)", "rating": 1, "source": "model"}"#
        ))
      #expect(posted.status == .created)
      #expect(try object(posted)["applied_to_model"] as? Bool == true)

      let history = try await client.execute(
        uri: "/api/recommendations/user/\(user)/history", method: .get, headers: auth)
      let ratings = try #require(try object(history)["ratings"] as? [[String: Any]])
      let entry = try #require(ratings.first { $0["movie_id"] as? String == film })
      #expect(entry["rating"] as? Double == 1)
      #expect(entry["source"] as? String == "model")

      let after = try movieIDs(
        try await client.execute(
          uri: "/api/recommendations/user/\(user)?top_n=5", method: .get, headers: auth))
      #expect(!after.contains(film))
      #expect(after.count == 5)
    }
    #expect(try await service.store.ratingCount() == 1)
  }

  @Test func aNewUsersRatingLeavesTheFallback() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let film = service.catalog.movies[0].id.description
    let accounts = server.accounts
    let auth = try await userAuth(accounts, "newcomer")
    try await server.test { client in
      let posted = try await client.execute(
        uri: "/api/ratings", method: .post, headers: auth,
        body: ByteBuffer(string: #"{"movie_id": "\#(film)", "rating": 5}"#))
      #expect(posted.status == .created)
      let response = try await client.execute(
        uri: "/api/recommendations/user/newcomer", method: .get, headers: auth)
      let body = try object(response)
      #expect(body["known_ratings"] as? Int == 1)
      #expect(try !movieIDs(response).contains(film))
      let history = try await client.execute(
        uri: "/api/recommendations/user/newcomer/history", method: .get, headers: auth)
      #expect((try object(history)["ratings"] as? [Any])?.count == 1)
    }
  }

  @Test func badRatingsAreClear4xx() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let film = service.catalog.movies[0].id.description
    let accounts = server.accounts
    let auth = try await userAuth(accounts, "u")
    try await server.test { client in
      let malformed = try await client.execute(
        uri: "/api/ratings", method: .post, headers: auth,
        body: ByteBuffer(string: #"{"user_id": "u", "#))
      #expect(malformed.status == .badRequest)
      #expect(try errorCode(malformed) == "invalid_json")

      let outOfScale = try await client.execute(
        uri: "/api/ratings", method: .post, headers: auth,
        body: ByteBuffer(string: #"{"user_id": "u", "movie_id": "\#(film)", "rating": 7.5}"#))
      #expect(outOfScale.status == .badRequest)
      #expect(try errorCode(outOfScale) == "rating_out_of_scale")

      let unknownFilm = try await client.execute(
        uri: "/api/ratings", method: .post, headers: auth,
        body: ByteBuffer(string: #"{"user_id": "u", "movie_id": "no-such-film", "rating": 3}"#))
      #expect(unknownFilm.status == .notFound)
      #expect(try errorCode(unknownFilm) == "unknown_film")

      let huge = try await client.execute(
        uri: "/api/ratings", method: .post, headers: auth,
        body: ByteBuffer(string: String(repeating: " ", count: maximumBodySize + 1)))
      #expect(huge.status == .contentTooLarge)
      #expect(try errorCode(huge) == "body_too_large")

      let emptyUser = try await client.execute(
        uri: "/api/ratings", method: .post, headers: auth,
        body: ByteBuffer(string: #"{"user_id": " ", "movie_id": "\#(film)", "rating": 3}"#))
      #expect(emptyUser.status == .forbidden)
      #expect(try errorCode(emptyUser) == "forbidden")
    }
    #expect(try await service.store.ratingCount() == 0)
  }

  @Test func unknownRoutesAre404JSON() async throws {
    let server = try await TestServer.trained()
    try await server.test { client in
      let response = try await client.execute(uri: "/no/such/route", method: .get)
      #expect(response.status == .notFound)
      #expect(try errorCode(response) == "not_found")
      #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
    }
  }

  @Test func genresAndTheirFilms() async throws {
    let server = try await TestServer.trained()
    try await server.test { client in
      let response = try await client.execute(uri: "/api/genres", method: .get)
      #expect(response.status == .ok)
      let genres = try #require(try object(response)["genres"] as? [[String: Any]])
      #expect(!genres.isEmpty)
      let first = try #require(genres.first { ($0["film_count"] as? Int ?? 0) > 0 })
      let id = try #require(first["id"] as? Int)
      let films = try await client.execute(uri: "/api/genres/\(id)/films", method: .get)
      #expect(films.status == .ok)
      let list = try #require(try object(films)["films"] as? [[String: Any]])
      #expect(list.count == first["film_count"] as? Int)
      let unknown = try await client.execute(uri: "/api/genres/999999/films", method: .get)
      #expect(unknown.status == .notFound)
      #expect(try errorCode(unknown) == "unknown_genre")
    }
  }
}

@Suite struct TrainingRouteTests {
  @Test func trainSyncSwapsInANewModelThenIsRateLimited() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let user = service.baseRatings.users.id(at: 0).description
    let admin = server.admin
    try await server.test { client in
      async let trained = client.execute(
        uri: "/api/recommendations/train-sync", method: .post, headers: admin)
      while !service.isTraining && service.modelGeneration == 1 { await Task.yield() }
      // Requests go on while it trains: every one is answered, by the first model.
      var answeredWhileTraining = 0
      while service.isTraining {
        let response = try await client.execute(
          uri: "/api/recommendations/user/\(user)?top_n=3&explain=true", method: .get,
          headers: admin)
        #expect(response.status == .ok)
        #expect(try movieIDs(response).count == 3)
        if service.isTraining { answeredWhileTraining += 1 }
      }
      #expect(answeredWhileTraining > 0)
      let response = try await trained
      #expect(response.status == .ok)
      #expect(try object(response)["model_generation"] as? Int == 2)
      #expect(try object(response)["trained"] as? Bool == true)

      let again = try await client.execute(
        uri: "/api/recommendations/train-sync", method: .post, headers: admin)
      #expect(again.status == .tooManyRequests)
      #expect(try errorCode(again) == "rate_limited")
      let wait = try #require(again.headers[.retryAfter].flatMap { Int($0) })
      #expect((1...60).contains(wait))
    }
  }

  @Test func trainSyncWhileTrainingIs409() async throws {
    let data = try ServerData.synthetic(users: 2_000, films: 200, seed: 9)
    let service = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: nil))
    let server = try await TestServer(service: service)
    let training = Task { await service.train() }
    while !service.isTraining && service.engine == nil { await Task.yield() }
    try #require(service.isTraining, "the training ended before the request: make the world larger")
    try await server.test { client in
      let response = try await client.execute(
        uri: "/api/recommendations/train-sync", method: .post, headers: server.admin)
      #expect(response.status == .conflict)
      #expect(try errorCode(response) == "training_in_progress")
    }
    #expect(await training.value == true)
    #expect(service.engine != nil)
  }

  @Test func theRateLimiterCountsPerClient() {
    let limiter = WindowRateLimiter(limit: 1, window: .seconds(60))
    #expect(limiter.acquire(client: "a") == nil)
    #expect(limiter.acquire(client: "b") == nil)
    let wait = limiter.acquire(client: "a")
    #expect(wait != nil && (59...60).contains(wait!))
    // A released action no longer counts.
    limiter.release(client: "b")
    #expect(limiter.acquire(client: "b") == nil)
    #expect(limiter.acquire(client: "b") != nil)
  }
}
