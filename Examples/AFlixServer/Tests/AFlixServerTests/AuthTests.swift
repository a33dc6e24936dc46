import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A JSON body of `text`.
func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

@Suite struct AuthTests {
  @Test func registerAndLogin() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let accounts = server.accounts
    let datasetUser = service.baseRatings.users.id(at: 0).description
    try await server.test { client in
      let created = try await client.execute(
        uri: "/api/auth/register", method: .post,
        body: json(#"{"username": "alice", "password": "secret"}"#))
      #expect(created.status == .created)
      #expect(try object(created)["username"] as? String == "alice")

      let duplicate = try await client.execute(
        uri: "/api/auth/register", method: .post,
        body: json(#"{"username": "alice", "password": "other"}"#))
      #expect(duplicate.status == .conflict)
      #expect(try errorCode(duplicate) == "username_taken")
      for taken in ["admin", datasetUser] {
        let response = try await client.execute(
          uri: "/api/auth/register", method: .post,
          body: json(#"{"username": "\#(taken)", "password": "x"}"#))
        #expect(response.status == .conflict)
      }
      let empty = try await client.execute(
        uri: "/api/auth/register", method: .post,
        body: json(#"{"username": "bob", "password": ""}"#))
      #expect(empty.status == .badRequest)
      #expect(try errorCode(empty) == "invalid_password")
      let malformed = try await client.execute(
        uri: "/api/auth/register", method: .post, body: json(#"{"username": "#))
      #expect(malformed.status == .badRequest)
      #expect(try errorCode(malformed) == "invalid_json")

      let login = try await client.execute(
        uri: "/api/auth/login", method: .post,
        body: json(#"{"username": "alice", "password": "secret"}"#))
      #expect(login.status == .ok)
      let token = try #require(try object(login)["access_token"] as? String)
      #expect(token.split(separator: ".").count == 3)
      let identity = try await accounts.requireIdentity(
        of: Request(
          head: .init(
            method: .get, scheme: nil, authority: nil, path: "/", headerFields: bearer(token)),
          body: .init(buffer: ByteBuffer())))
      #expect(identity == Identity(username: "alice", isAdmin: false))

      for (name, password) in [("alice", "wrong"), ("nobody", "secret")] {
        let refused = try await client.execute(
          uri: "/api/auth/login", method: .post,
          body: json(#"{"username": "\#(name)", "password": "\#(password)"}"#))
        #expect(refused.status == .unauthorized)
        #expect(try errorCode(refused) == "invalid_credentials")
      }
    }
  }

  @Test func theHashIsNotThePasswordAndVerifies() async throws {
    let service = try await trainedService()
    let accounts = try await testAccounts(service)
    try await accounts.register(username: "carol", password: "correct horse")
    let hash = try #require(try await accounts.passwordHash(of: "carol"))
    #expect(hash != "correct horse")
    #expect(!hash.contains("correct horse"))
    #expect(hash.hasPrefix("$2"))
    #expect(Accounts.verify(password: "correct horse", hash: hash))
    #expect(!Accounts.verify(password: "correct horsE", hash: hash))
    // Salted: the same password hashes differently for another account.
    try await accounts.register(username: "dave", password: "correct horse")
    #expect(try await accounts.passwordHash(of: "dave") != hash)
  }

  @Test func theAdminIsBootstrappedOnceFromItsPassword() async throws {
    let service = try await trainedService()
    let accounts = await Accounts(
      service: service, secret: "a test secret of thirty-two bytes or more", bcryptCost: 4)
    await #expect(throws: APIError.self) { try await accounts.bootstrapAdmin(password: "") }
    #expect(try await accounts.bootstrapAdmin(password: "first"))
    #expect(try await accounts.bootstrapAdmin(password: "second") == false)
    await #expect(throws: APIError.self) {
      try await accounts.login(username: "admin", password: "second")
    }
    let token = try await accounts.login(username: "admin", password: "first")
    let app = makeApplication(service: service, accounts: accounts)
    try await app.test(.router) { client in
      let user = service.baseRatings.users.id(at: 2).description
      let read = try await client.execute(
        uri: "/api/recommendations/user/\(user)/history", method: .get, headers: bearer(token))
      #expect(read.status == .ok)
    }
  }

  @Test func ratingNeedsAValidTokenOfTheSameUser() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let accounts = server.accounts
    let film = service.catalog.movies[0].id.description
    let auth = try await userAuth(accounts, "erin")
    let forger = await Accounts(
      service: service, secret: "another secret, also thirty-two bytes long", bcryptCost: 4)
    let forged = bearer(try await forger.token(for: Identity(username: "erin", isAdmin: true)))
    let expired = bearer(
      try await accounts.token(
        for: Identity(username: "erin", isAdmin: false), lifetime: .seconds(-60)))
    try await server.test { client in
      let body = #"{"movie_id": "\#(film)", "rating": 4}"#
      let missing = try await client.execute(uri: "/api/ratings", method: .post, body: json(body))
      #expect(missing.status == .unauthorized)
      #expect(try errorCode(missing) == "missing_token")
      for (headers, code) in [
        (forged, "invalid_token"), (expired, "invalid_token"),
        ([.authorization: "Basic ZXJpbjpwdw=="], "invalid_token"),
        (bearer("not.a.token"), "invalid_token"),
      ] as [(HTTPFields, String)] {
        let refused = try await client.execute(
          uri: "/api/ratings", method: .post, headers: headers, body: json(body))
        #expect(refused.status == .unauthorized)
        #expect(try errorCode(refused) == code)
      }
      let other = try await client.execute(
        uri: "/api/ratings", method: .post, headers: auth,
        body: json(#"{"user_id": "frank", "movie_id": "\#(film)", "rating": 4}"#))
      #expect(other.status == .forbidden)
      #expect(try await service.store.ratingCount() == 0)

      let rated = try await client.execute(
        uri: "/api/ratings", method: .post, headers: auth, body: json(body))
      #expect(rated.status == .created)
      #expect(try object(rated)["user_id"] as? String == "erin")
    }
    #expect(try await service.store.ratings(ofUser: "erin").map(\.movieID) == [film])
  }

  @Test func aUserReadsOnlyThemselves() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let accounts = server.accounts
    let grace = try await userAuth(accounts, "grace")
    _ = try await userAuth(accounts, "heidi")
    let datasetUser = service.baseRatings.users.id(at: 0).description
    try await server.test { client in
      for path in ["", "/history"] {
        for user in ["heidi", datasetUser] {
          let response = try await client.execute(
            uri: "/api/recommendations/user/\(user)\(path)", method: .get, headers: grace)
          #expect(response.status == .forbidden)
          #expect(try errorCode(response) == "forbidden")
        }
        let anonymous = try await client.execute(
          uri: "/api/recommendations/user/grace\(path)", method: .get)
        #expect(anonymous.status == .unauthorized)
      }
      let own = try await client.execute(
        uri: "/api/recommendations/user/grace", method: .get, headers: grace)
      #expect(own.status == .ok)
    }
  }

  @Test func publicRoutesNeedNoToken() async throws {
    let server = try await TestServer.trained()
    try await server.test { client in
      for uri in ["/health", "/ready", "/api/recommendations/status", "/api/genres"] {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.status == .ok, "\(uri)")
      }
    }
  }

  @Test func trainSyncIsAdminOnlyAndLimitedPerClient() async throws {
    let server = try await TestServer.trained()
    let accounts = server.accounts
    let user = try await userAuth(accounts, "ivan")
    let admin = server.admin
    let otherAdmin = bearer(
      try await accounts.token(for: Identity(username: "second-admin", isAdmin: true)))
    try await server.test { client in
      let uri = "/api/recommendations/train-sync"
      let anonymous = try await client.execute(uri: uri, method: .post)
      #expect(anonymous.status == .unauthorized)
      #expect(try errorCode(anonymous) == "missing_token")
      let plain = try await client.execute(uri: uri, method: .post, headers: user)
      #expect(plain.status == .forbidden)
      #expect(try errorCode(plain) == "admin_only")

      let trained = try await client.execute(uri: uri, method: .post, headers: admin)
      #expect(trained.status == .ok)
      let again = try await client.execute(uri: uri, method: .post, headers: admin)
      #expect(again.status == .tooManyRequests)
      #expect(again.headers[.retryAfter].flatMap { Int($0) }.map { (1...60).contains($0) } == true)
      // Another client has its own budget.
      let other = try await client.execute(uri: uri, method: .post, headers: otherAdmin)
      #expect(other.status == .ok)
    }
  }
}
