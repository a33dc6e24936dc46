import AFlixData
import AFlixLinalg
internal import _AFlixSupport

/// How user ids are spelled.
enum UserIDScheme: Sendable {
  /// `.int(k + 1)` for user `k`: world users 1…N.
  case integers
  /// `.string(prefix + "\(k + 1)")`: cohort users `real-1` ….
  case prefixed(String)

  func id(_ k: Int) -> EntityID {
    switch self {
    case .integers: return .int(k + 1)
    case .prefixed(let prefix): return .string(prefix + String(k + 1))
    }
  }
}

/// What one chunk of users produced: profiles and, per user, ratings sorted by film id.
struct UserChunk: Sendable {
  var firstUser: Int
  var profiles: [UserProfile] = []
  /// `offsets[u] ..< offsets[u + 1]`: the ratings of the chunk's user `u`.
  var offsets: [Int] = [0]
  /// Film positions in the world's film table.
  var films: [Int32] = []
  var values: [Float] = []
  var expected: [Float] = []
  var timestamps: [Int64] = []
  /// The first rating (user id, film position) whose value or expectation is not finite.
  var nonFinite: (user: EntityID, film: Int)?
}

/// Draws users' profiles and ratings; the parameters of a valid configuration, ready to use.
struct WorldEngine: Sendable {
  /// Users per chunk: chunk `c` holds users `c·chunkSize ..< (c+1)·chunkSize`, drawn from its
  /// own stream, so results never depend on the thread count.
  static let chunkSize = 1024

  let films: FilmTable
  let model: RatingModel
  let userCount: Int
  let userIDs: UserIDScheme
  let streamBase: UInt64
  let ratingsPerUser: ClosedRange<Int>
  /// Each user's number of ratings, when fixed in advance (a cohort's); else drawn uniformly
  /// from ``ratingsPerUser``.
  let counts: [Int]?
  let filmWeights: AliasTable?
  let tendencyMean: Double
  let tendencySD: Double
  let noiseSD: ClosedRange<Double>
  let popularityBias: ClosedRange<Double>
  let preferredGenres: ClosedRange<Int>
  /// Sorted TMDB ids users without archetypes choose from.
  let genrePool: [Int]
  /// Archetypes: name, sorted genre ids, weights over them.
  let archetypes: [(name: String, genres: [Int], table: AliasTable)]
  let archetypeShares: AliasTable?

  /// Start times: uniform in [2000-01-01, 2020-01-01); gaps between a user's ratings uniform
  /// in 60 s … 7 days.
  static let firstStart: Int64 = 946_684_800
  static let startSpan = 631_152_000
  static let gaps = 60...604_800

  /// - Throws: ``SynthError`` `.outOfBounds` when the film-choice weights are unusable.
  init(
    configuration c: WorldConfiguration, films: FilmTable, userCount: Int,
    userIDs: UserIDScheme, streamBase: UInt64, ratingsPerUser: ClosedRange<Int>,
    counts: [Int]? = nil
  ) throws {
    self.films = films
    model = RatingModel(c)
    self.userCount = userCount
    self.userIDs = userIDs
    self.streamBase = streamBase
    self.ratingsPerUser = ratingsPerUser
    self.counts = counts
    switch c.filmChoice {
    case .uniform: filmWeights = nil
    case .popularityWeighted(let exponent):
      filmWeights = try films.choiceTable(exponent: exponent)
    }
    tendencyMean = c.tendencyMean
    tendencySD = c.tendencySD
    noiseSD = c.noiseSD.closedRange!
    popularityBias = c.popularityBias.closedRange!
    preferredGenres = c.preferredGenres.closedRange!
    genrePool = c.genrePool.sorted()
    archetypes = (c.archetypes ?? []).map { a in
      let ids = a.genreWeights.keys.sorted()
      return (a.name, ids, AliasTable(weights: ids.map { a.genreWeights[$0]! }))
    }
    archetypeShares = c.archetypes.map { AliasTable(weights: $0.map(\.share)) }
  }

  /// The number of chunks, ⌈users / chunkSize⌉ (without overflow for any count).
  var chunkCount: Int {
    userCount / Self.chunkSize + (userCount % Self.chunkSize == 0 ? 0 : 1)
  }

  /// Per-worker scratch: a permutation of the films (restored after each user) and marks.
  struct Scratch {
    var permutation: [Int32]
    var taken: StampSet
    var genreTaken = StampSet(count: 32)
    var picks: [Int] = []
    var keys: [UInt64] = []
    var draws: [(value: Float, expected: Float, time: Int64)] = []

    init(filmCount: Int) {
      permutation = (0..<filmCount).map(Int32.init)
      taken = StampSet(count: filmCount)
    }
  }

  func makeScratch() -> Scratch { Scratch(filmCount: films.count) }

  /// Chunk `c`'s users, drawn from stream `streamBase + c` of `seed`.
  func chunk(_ c: Int, seed: UInt64, scratch s: inout Scratch) -> UserChunk {
    var rng = SeededGenerator(seed: seed, stream: streamBase &+ UInt64(c))
    let first = c * Self.chunkSize
    let last = min(userCount, first + Self.chunkSize)
    var out = UserChunk(firstUser: first)
    out.profiles.reserveCapacity(last - first)
    let expectedRatings = (last - first) * (ratingsPerUser.lowerBound + ratingsPerUser.upperBound)
    out.films.reserveCapacity(expectedRatings / 2 + 64)
    out.values.reserveCapacity(expectedRatings / 2 + 64)
    out.expected.reserveCapacity(expectedRatings / 2 + 64)
    out.timestamps.reserveCapacity(expectedRatings / 2 + 64)
    for user in first..<last {
      let (profile, mask) = drawProfile(user, rng: &rng, scratch: &s)
      let n = counts?[user] ?? rng.uniform(in: ratingsPerUser)
      var time = Self.firstStart + Int64(rng.nextIndex(below: Self.startSpan))
      drawFilms(n, rng: &rng, scratch: &s)
      s.draws.removeAll(keepingCapacity: true)
      s.keys.removeAll(keepingCapacity: true)
      for (order, film) in s.picks.enumerated() {
        time += Int64(rng.uniform(in: Self.gaps))
        let mean = model.mean(
          tendency: profile.tendency, popularityBias: profile.popularityBias,
          sharedGenres: (mask & films.genreMasks[film]).nonzeroBitCount,
          popularity: films.popularity[film], voteAverage: films.voteAverage[film])
        let x = mean + profile.noiseSD * rng.nextGaussian()
        let value = Float(model.grid.apply(x))
        let expected = Float(model.grid.expectation(mean: mean, sd: profile.noiseSD))
        if !(value.isFinite && expected.isFinite) && out.nonFinite == nil {
          out.nonFinite = (profile.id, film)
        }
        s.draws.append((value, expected, time))
        s.keys.append(UInt64(films.rank[film]) << 32 | UInt64(order))
      }
      s.keys.sort()
      for key in s.keys {
        let order = Int(key & 0xFFFF_FFFF)
        let draw = s.draws[order]
        out.films.append(Int32(s.picks[order]))
        out.values.append(draw.value)
        out.expected.append(draw.expected)
        out.timestamps.append(draw.time)
      }
      out.offsets.append(out.films.count)
      out.profiles.append(profile)
    }
    return out
  }

  /// Draws user `k`'s profile; returns it with its genre mask.
  private func drawProfile(
    _ k: Int, rng: inout SeededGenerator, scratch s: inout Scratch
  ) -> (UserProfile, UInt32) {
    var segment: String?
    var preferred: [Int]
    let m = rng.uniform(in: preferredGenres)
    if let archetypeShares {
      let a = archetypes[archetypeShares.sample(using: &rng)]
      segment = a.name
      s.picks.removeAll(keepingCapacity: true)
      a.table.sampleDistinct(m, using: &rng, taken: &s.genreTaken, into: &s.picks)
      s.genreTaken.reset()
      preferred = s.picks.map { a.genres[$0] }
    } else {
      preferred = rng.distinctIndices(m, below: genrePool.count).map { genrePool[$0] }
    }
    preferred.sort()
    let tendency = rng.normal(mean: tendencyMean, sd: tendencySD)
    let noise = rng.uniform(in: noiseSD)
    let bias = rng.uniform(in: popularityBias)
    let profile = UserProfile(
      id: userIDs.id(k), preferredGenres: preferred, tendency: tendency, noiseSD: noise,
      popularityBias: bias, segment: segment)
    return (profile, FilmTable.mask(of: preferred))
  }

  /// Leaves `n` distinct film positions in `s.picks`, in draw order.
  private func drawFilms(_ n: Int, rng: inout SeededGenerator, scratch s: inout Scratch) {
    s.picks.removeAll(keepingCapacity: true)
    if let filmWeights {
      filmWeights.sampleDistinct(n, using: &rng, taken: &s.taken, into: &s.picks)
      s.taken.reset()
      return
    }
    // Partial Fisher–Yates on the shared permutation, undone afterwards (O(n), not O(films)).
    let count = films.count
    s.keys.removeAll(keepingCapacity: true)
    for j in 0..<n {
      let r = j + rng.nextIndex(below: count - j)
      s.permutation.swapAt(j, r)
      s.picks.append(Int(s.permutation[j]))
      s.keys.append(UInt64(r))
    }
    for j in stride(from: n - 1, through: 0, by: -1) {
      s.permutation.swapAt(j, Int(s.keys[j]))
    }
  }

  /// Runs `body` for chunks `range`, concurrently on at most `Parallelism.currentThreadCount`
  /// threads (serially with 1), with one scratch per worker, and returns the results in chunk
  /// order.
  func runChunks<T: Sendable>(
    _ range: Range<Int>, _ body: @Sendable (Int, inout Scratch) -> T
  ) -> [T] {
    ParallelLoop.map(
      count: range.count, threads: Parallelism.currentThreadCount, state: makeScratch
    ) { k, scratch in body(range.lowerBound + k, &scratch) }
  }
}

extension UserChunk {
  /// Throws ``SynthError`` `.nonFiniteResult` when a chunk holds a rating or an expected rating
  /// that is not finite: a world never carries NaN or infinities silently.
  static func checkFinite(_ chunks: some Sequence<UserChunk>, films: FilmTable) throws {
    for chunk in chunks {
      if let (user, film) = chunk.nonFinite {
        throw SynthError(
          .nonFiniteResult, parameter: nil,
          message: "user \(user)'s rating of film \(films.ids[film]) (or its expected value) is "
            + "not finite: the parameters' magnitudes overflow")
      }
    }
  }
}
