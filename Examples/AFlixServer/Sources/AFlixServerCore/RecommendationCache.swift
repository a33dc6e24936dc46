import Foundation
import Synchronization

/// An in-process, bounded cache of recommendation responses, keyed by user and request options,
/// with the original's adaptive expiry by user activity and per-user invalidation on a new rating.
///
/// A user who rated in the last 10 minutes keeps an entry 1 minute, one who rated in the last day
/// 5 minutes, any other 30 minutes. An entry made for another catalogue version (before a film
/// was added) is never returned; a new model leaves entries to expire, as Gorse's cached
/// recommendations outlive a model update until their refresh period. Several instances would
/// each keep their own cache: see the "The HTTP service" article for sharing one.
public final class RecommendationCache: Sendable {
  /// What a cached response answers.
  public struct Key: Hashable, Sendable {
    /// The user's id.
    public var user: String
    /// The number of recommendations asked.
    public var count: Int
    /// Whether explanations were asked.
    public var explain: Bool

    /// Creates a key.
    public init(user: String, count: Int, explain: Bool) {
      self.user = user
      self.count = count
      self.explain = explain
    }
  }

  /// What the cache has counted.
  public struct Statistics: Sendable, Codable {
    /// Entries held now.
    public var entries: Int
    /// The most entries held.
    public var capacity: Int
    /// Lookups answered from the cache.
    public var hits: Int
    /// Lookups not answered from it.
    public var misses: Int
    /// `hits / (hits + misses)`, 0 before any lookup.
    public var hitRate: Double { hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses) }
  }

  /// The most entries held (0: the cache is off).
  public let capacity: Int
  private let state = Mutex(State())

  private struct Entry {
    var body: Data
    var expires: ContinuousClock.Instant
    var catalogVersion: Int
  }

  private struct State {
    var entries: [Key: Entry] = [:]
    var keysByUser: [String: Set<Key>] = [:]
    var userVersions: [String: Int] = [:]
    var lastRating: [String: ContinuousClock.Instant] = [:]
    var invalidations = 0
    var hits = 0
    var misses = 0
  }

  /// Creates a cache of at most `capacity` entries; 0 turns it off.
  public init(capacity: Int) {
    self.capacity = max(0, capacity)
  }

  /// Whether the cache keeps anything.
  public var isEnabled: Bool { capacity > 0 }

  /// How long an entry of `user` lives, by the user's last rating: 1, 5 or 30 minutes.
  public func timeToLive(forUser user: String) -> Duration {
    let last = state.withLock { $0.lastRating[user] }
    return Self.timeToLive(lastRating: last, now: .now)
  }

  static func timeToLive(lastRating: ContinuousClock.Instant?, now: ContinuousClock.Instant)
    -> Duration
  {
    guard let lastRating else { return .seconds(30 * 60) }
    let since = now - lastRating
    if since < .seconds(10 * 60) { return .seconds(60) }
    if since < .seconds(24 * 3600) { return .seconds(5 * 60) }
    return .seconds(30 * 60)
  }

  /// The cached response of `key` made for catalogue version `catalogVersion`, counting a hit or
  /// a miss.
  public func value(for key: Key, catalogVersion: Int) -> Data? {
    guard isEnabled else { return nil }
    let now = ContinuousClock.now
    return state.withLock { s in
      if let entry = s.entries[key], entry.catalogVersion == catalogVersion, entry.expires > now {
        s.hits += 1
        return entry.body
      }
      s.misses += 1
      return nil
    }
  }

  /// The user's version: it changes at each invalidation. Read it before computing a response
  /// and pass it to ``store(_:for:catalogVersion:userVersion:)``.
  public func version(ofUser user: String) -> Int {
    state.withLock { $0.userVersions[user] ?? 0 }
  }

  /// Keeps `body` for `key` unless the user's entries were invalidated since `userVersion` was
  /// read (the response may predate the new rating).
  public func store(_ body: Data, for key: Key, catalogVersion: Int, userVersion: Int) {
    guard isEnabled else { return }
    let now = ContinuousClock.now
    state.withLock { s in
      guard (s.userVersions[key.user] ?? 0) == userVersion else { return }
      if s.entries[key] == nil, s.entries.count >= capacity { Self.evict(&s, now: now, capacity) }
      let ttl = Self.timeToLive(lastRating: s.lastRating[key.user], now: now)
      s.entries[key] = Entry(body: body, expires: now + ttl, catalogVersion: catalogVersion)
      s.keysByUser[key.user, default: []].insert(key)
    }
  }

  /// Drops every entry of `user` and records that the user just rated (shorter expiry).
  ///
  /// The per-user records stay bounded: every 1,024 invalidations, those of users who rated over
  /// a day ago and have no entry are forgotten (their expiry is the default again, and a version
  /// read before is then refused by ``store(_:for:catalogVersion:userVersion:)``, which is safe).
  public func invalidate(user: String) {
    invalidate(user: user, at: .now)
  }

  /// ``invalidate(user:)`` at `now`.
  func invalidate(user: String, at now: ContinuousClock.Instant) {
    guard isEnabled else { return }
    state.withLock { s in
      s.invalidations += 1
      // Versions come from one counter, so a forgotten user's next version is a new number.
      s.userVersions[user] = s.invalidations
      s.lastRating[user] = now
      for key in s.keysByUser.removeValue(forKey: user) ?? [] { s.entries[key] = nil }
      if s.invalidations % 1024 == 0 {
        let stale = s.lastRating.filter { now - $0.value > .seconds(24 * 3600) }.keys
        for old in stale where s.keysByUser[old] == nil {
          s.lastRating[old] = nil
          s.userVersions[old] = nil
        }
      }
    }
  }

  /// How many users the cache keeps records of (rating times and versions): bounded by the users
  /// who rated within a day plus those with entries.
  public var trackedUserCount: Int { state.withLock { $0.userVersions.count } }

  /// What the cache has counted.
  public var statistics: Statistics {
    state.withLock {
      Statistics(entries: $0.entries.count, capacity: capacity, hits: $0.hits, misses: $0.misses)
    }
  }

  /// Frees room: the expired entries, then the tenth that expires first.
  private static func evict(_ s: inout State, now: ContinuousClock.Instant, _ capacity: Int) {
    var doomed = s.entries.filter { $0.value.expires <= now }.map(\.key)
    if s.entries.count - doomed.count >= capacity {
      let live = s.entries.filter { $0.value.expires > now }.sorted {
        $0.value.expires < $1.value.expires
      }
      doomed += live.prefix(max(1, capacity / 10)).map(\.key)
    }
    for key in doomed {
      s.entries[key] = nil
      s.keysByUser[key.user]?.remove(key)
      if s.keysByUser[key.user]?.isEmpty == true { s.keysByUser[key.user] = nil }
    }
  }
}
