import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A small trained service over a synthetic world of 300 users × 60 films, with an in-memory store.
func trainedService() async throws -> RecommendationService {
  let data = try ServerData.synthetic(users: 300, films: 60, seed: 7)
  let service = try await RecommendationService(
    ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: nil))
  await service.train()
  return service
}

/// Accounts over `service`'s store with bcrypt's lowest cost (fast tests) and a fixed secret, the
/// admin bootstrapped with the password `admin-password`.
func testAccounts(
  _ service: RecommendationService, secret: String = "a test secret of thirty-two bytes or more"
) async throws
  -> Accounts
{
  let accounts = await Accounts(service: service, secret: secret, bcryptCost: 4)
  try await accounts.bootstrapAdmin(password: "admin-password")
  return accounts
}

/// The `Authorization` header of `token`.
func bearer(_ token: String) -> HTTPFields {
  [.authorization: "Bearer \(token)"]
}

/// The header of an admin token of `accounts`.
func adminAuth(_ accounts: Accounts) async throws -> HTTPFields {
  bearer(try await accounts.token(for: Identity(username: "admin", isAdmin: true)))
}

/// The header of a token of the new account `name`, registered and logged in through `accounts`.
func userAuth(_ accounts: Accounts, _ name: String) async throws -> HTTPFields {
  try await accounts.register(username: name, password: "pw-\(name)")
  return bearer(try await accounts.login(username: name, password: "pw-\(name)"))
}

/// The JSON object of a response body.
func object(_ response: TestResponse) throws -> [String: Any] {
  try #require(
    JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
}

/// The `error.code` of a JSON error response.
func errorCode(_ response: TestResponse) throws -> String? {
  (try object(response)["error"] as? [String: Any])?["code"] as? String
}

/// The `movie_id`s of a recommendations response.
func movieIDs(_ response: TestResponse) throws -> [String] {
  let items = try #require(try object(response)["recommendations"] as? [[String: Any]])
  return items.compactMap { $0["movie_id"] as? String }
}

/// A fresh path for a SQLite file in the temporary folder.
func temporaryPath() -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("aflix-store-\(UUID().uuidString).sqlite").path
}

/// What most route tests start from: a trained service (``trainedService()``), its accounts with
/// the admin bootstrapped, and an admin token.
struct TestServer {
  let service: RecommendationService
  let accounts: Accounts
  let admin: HTTPFields

  /// A trained service over a synthetic world of 300 users × 60 films.
  static func trained() async throws -> TestServer {
    try await TestServer(service: trainedService())
  }

  /// The accounts and admin token of `service`.
  init(service: RecommendationService) async throws {
    self.service = service
    accounts = try await testAccounts(service)
    admin = try await adminAuth(accounts)
  }

  /// Runs `body` against the application's router (``makeApplication``) with the given settings.
  func test(
    trainingInterval: Duration = .seconds(60), cacheCapacity: Int = 10_000,
    optimization: OptimizationSettings = OptimizationSettings(),
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
  ) async throws {
    let app = makeApplication(
      service: service, accounts: accounts, trainingInterval: trainingInterval,
      cacheCapacity: cacheCapacity, optimization: optimization)
    try await app.test(.router, body)
  }
}
