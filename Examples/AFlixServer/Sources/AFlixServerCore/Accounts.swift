import AFlix
import Foundation
import Hummingbird
import HummingbirdBcrypt
import JWTKit

/// Who a request is, from its verified bearer token.
public struct Identity: Sendable, Hashable {
  /// The token's subject: the account's username, also its user id in the ratings.
  public var username: String
  /// Whether the account is an administrator.
  public var isAdmin: Bool

  /// Creates the identity of `username`.
  public init(username: String, isAdmin: Bool) {
    self.username = username
    self.isAdmin = isAdmin
  }

  /// The rate limiters' key of this client: the token's subject.
  public var clientKey: String { "user:\(username)" }

  /// The rate limiters' key of every request without a token: they all share one budget.
  public static let anonymousClientKey = "anonymous"
}

/// The claims of an access token: subject, admin flag, expiry.
struct AccessClaims: JWTPayload {
  var sub: SubjectClaim
  var adm: Bool
  var exp: ExpirationClaim

  func verify(using algorithm: some JWTAlgorithm) async throws {
    try exp.verifyNotExpired()
  }
}

/// Accounts: registration and login over the store, passwords hashed with bcrypt, access tokens
/// signed with HMAC-SHA256 (JWT). The username `admin` is reserved for the administrator, created
/// by ``bootstrapAdmin(password:)``; registered usernames may not be a dataset user's id.
public final class Accounts: Sendable {
  /// The username of the administrator.
  public static let adminUsername = "admin"

  private let store: any RatingStore
  private let keys: JWTKeyCollection
  private let bcryptCost: UInt8
  /// A hash at ``bcryptCost`` of a random password: what a login of an unknown name verifies.
  private let unknownAccountHash: String
  private let isReserved: @Sendable (String) -> Bool
  /// How long an access token is valid.
  public let tokenLifetime: Duration

  /// The fewest bytes a signing secret has (HMAC-SHA256's output size).
  public static let minimumSecretLength = 32

  /// Creates the accounts of `store`, signing with `secret` (at least ``minimumSecretLength``
  /// bytes); `bcryptCost` is bcrypt's cost (12 by
  /// default; tests use 4), `isReserved` says the usernames registration refuses (dataset users).
  public init(
    store: any RatingStore, secret: String, bcryptCost: UInt8 = 12,
    tokenLifetime: Duration = .seconds(3600),
    isReserved: @escaping @Sendable (String) -> Bool = { _ in false }
  ) async {
    precondition(secret.utf8.count >= Self.minimumSecretLength, "the JWT secret is too short")
    self.store = store
    self.bcryptCost = bcryptCost
    unknownAccountHash = await Self.hash(UUID().uuidString, cost: bcryptCost)
    self.tokenLifetime = tokenLifetime
    self.isReserved = isReserved
    keys = JWTKeyCollection()
    await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
  }

  /// Creates the accounts of `service`'s store, signing with `secret` (at least
  /// ``minimumSecretLength`` bytes), refusing the dataset's user ids as usernames.
  public convenience init(
    service: RecommendationService, secret: String, bcryptCost: UInt8 = 12,
    tokenLifetime: Duration = .seconds(3600)
  ) async {
    let users = service.baseRatings.users
    await self.init(
      store: service.store, secret: secret, bcryptCost: bcryptCost, tokenLifetime: tokenLifetime,
      isReserved: { users.index(of: EntityID(parsing: $0)) != nil })
  }

  /// A random signing secret (256 bits, hexadecimal), for a server started without one.
  public static func randomSecret() -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator))
    }
    .joined()
  }

  /// Creates the administrator with `password` unless it exists; returns whether it was created
  /// (an existing administrator keeps its password).
  ///
  /// - Throws: an ``APIError`` for an empty password, or the store's errors.
  @discardableResult
  public func bootstrapAdmin(password: String) async throws -> Bool {
    guard !password.isEmpty else {
      throw APIError(.badRequest, code: "invalid_password", "the admin password may not be empty")
    }
    return try await store.createAccount(
      username: Self.adminUsername, passwordHash: await Self.hash(password, cost: bcryptCost),
      isAdmin: true, createdAt: Int64(Date().timeIntervalSince1970))
  }

  /// Registers `username` with `password`.
  ///
  /// - Throws: an ``APIError``: 400 for an empty password or a malformed username, 409 for a
  ///   username taken (by an account, the administrator or a dataset user).
  public func register(username: String, password: String) async throws {
    guard Self.isValid(username: username) else {
      throw APIError(
        .badRequest, code: "invalid_username",
        "username must have 1…64 characters among letters, digits, '.', '_' and '-'")
    }
    guard !password.isEmpty else {
      throw APIError(.badRequest, code: "invalid_password", "password may not be empty")
    }
    guard username.lowercased() != Self.adminUsername, !isReserved(username) else {
      throw APIError(.conflict, code: "username_taken", "username \(username) is taken")
    }
    let created = try await store.createAccount(
      username: username, passwordHash: await Self.hash(password, cost: bcryptCost),
      isAdmin: false,
      createdAt: Int64(Date().timeIntervalSince1970))
    guard created else {
      throw APIError(.conflict, code: "username_taken", "username \(username) is taken")
    }
  }

  /// An access token for `username` when `password` is its password.
  ///
  /// - Throws: an ``APIError`` 401 for an unknown username or a wrong password.
  public func login(username: String, password: String) async throws -> String {
    let account = try await store.account(named: username)
    // An unknown name costs a verification too, so that timing does not tell names apart.
    let hash = account?.passwordHash ?? unknownAccountHash
    let verified = await OffPool.run { Bcrypt.verify(password, hash: hash) }
    guard let account, verified else {
      throw APIError(.unauthorized, code: "invalid_credentials", "wrong username or password")
    }
    return try await token(for: Identity(username: username, isAdmin: account.isAdmin))
  }

  /// A signed access token of `identity`, valid for `lifetime` (default ``tokenLifetime``; a
  /// negative one gives an expired token).
  public func token(for identity: Identity, lifetime: Duration? = nil) async throws -> String {
    let seconds = Double((lifetime ?? tokenLifetime).components.seconds)
    return try await keys.sign(
      AccessClaims(
        sub: SubjectClaim(value: identity.username), adm: identity.isAdmin,
        exp: ExpirationClaim(value: Date().addingTimeInterval(seconds))))
  }

  /// The identity of `request`'s `Authorization: Bearer` token; `nil` without the header.
  ///
  /// - Throws: an ``APIError`` 401 for a malformed, forged or expired token.
  public func identity(of request: Request) async throws -> Identity? {
    guard let header = request.headers[.authorization] else { return nil }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else {
      throw APIError(
        .unauthorized, code: "invalid_token", "Authorization must be 'Bearer <access token>'")
    }
    do {
      let claims = try await keys.verify(String(parts[1]), as: AccessClaims.self)
      return Identity(username: claims.sub.value, isAdmin: claims.adm)
    } catch {
      throw APIError(.unauthorized, code: "invalid_token", "the access token is invalid or expired")
    }
  }

  /// The identity of `request`'s bearer token.
  ///
  /// - Throws: an ``APIError`` 401 when the token is missing, malformed, forged or expired.
  public func requireIdentity(of request: Request) async throws -> Identity {
    guard let identity = try await identity(of: request) else {
      throw APIError(
        .unauthorized, code: "missing_token", "this route needs an 'Authorization: Bearer' token")
    }
    return identity
  }

  /// The stored bcrypt hash of `username`'s password, if the account exists.
  public func passwordHash(of username: String) async throws -> String? {
    try await store.account(named: username)?.passwordHash
  }

  /// Whether `password` matches the bcrypt `hash`.
  public static func verify(password: String, hash: String) -> Bool {
    Bcrypt.verify(password, hash: hash)
  }

  /// The bcrypt hash of `password`, computed off the cooperative pool (≈ 0.3 s at cost 12).
  static func hash(_ password: String, cost: UInt8) async -> String {
    await OffPool.run { Bcrypt.hash(password, cost: cost) }
  }

  static func isValid(username: String) -> Bool {
    (1...64).contains(username.count)
      && username.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
  }
}
