import AFlixData
import AFlixLinalg
import AFlixSynth
import Foundation
import Testing

@Suite struct WorldTests {
  @Test func sameSeedSameWorldOtherSeedOtherWorld() throws {
    var configuration = WorldConfiguration(users: 1_500)
    configuration.archetypes = Archetype.original
    let a = try SyntheticWorld.generate(configuration, seed: 5)
    let b = try SyntheticWorld.generate(configuration, seed: 5)
    #expect(a.ratings.allRatings() == b.ratings.allRatings())
    #expect(a.profiles == b.profiles)
    #expect(a.expectedRatings == b.expectedRatings)
    #expect(a.catalog.movies == b.catalog.movies)
    let c = try SyntheticWorld.generate(configuration, seed: 6)
    #expect(a.ratings.allRatings() != c.ratings.allRatings())
    #expect(a.profiles != c.profiles)
    #expect(a.catalog.movies != c.catalog.movies)
  }

  @Test func defaultsReproduceTheOriginalWorld() {
    let world = Worlds.standard
    #expect(world.ratings.userCount == 10_000)
    #expect(world.catalog.count == 400)
    #expect(world.ratings.itemCount == 400)
    // 10–50 uniform: 300,000 expected, standard deviation √10,000 · 11.83 ≈ 1,183.
    #expect(abs(world.ratings.ratingCount - 300_000) < 4 * 1_183)
    #expect(
      world.profiles.count == 10_000 && world.expectedRatings.count == world.ratings.ratingCount)
    #expect(world.ratings.scale == RatingScale(minimum: 0.5, maximum: 5, step: nil))
    for (u, profile) in world.profiles.enumerated() {
      #expect(profile.id == .int(u + 1) && world.ratings.users.id(at: u) == profile.id)
      #expect(profile.segment == nil)
    }
  }

  @Test func profileMomentsMatchTheirDistributions() {
    let profiles = Worlds.standard.profiles
    let n = Double(profiles.count)
    let tendency = Worlds.moments(profiles.map(\.tendency))
    #expect(abs(tendency.mean - 3.5) < 3 * 0.8 / n.squareRoot())
    #expect(abs(tendency.sd - 0.8) < 0.05 * 0.8)

    let noise = profiles.map(\.noiseSD)
    let noiseMoments = Worlds.moments(noise)
    let uniformSD = 1 / 12.0.squareRoot()
    #expect(abs(noiseMoments.mean - 1.0) < 3 * uniformSD / n.squareRoot())
    #expect(abs(noiseMoments.sd - uniformSD) < 0.05 * uniformSD)
    #expect(noise.min()! >= 0.5 && noise.min()! < 0.502)
    #expect(noise.max()! < 1.5 && noise.max()! > 1.498)

    let bias = profiles.map(\.popularityBias)
    let biasMoments = Worlds.moments(bias)
    let biasSD = 1.5 / 12.0.squareRoot()
    #expect(abs(biasMoments.mean - 0.25) < 3 * biasSD / n.squareRoot())
    #expect(abs(biasMoments.sd - biasSD) < 0.05 * biasSD)
    #expect(bias.min()! >= -0.5 && bias.min()! < -0.497 && bias.max()! < 1 && bias.max()! > 0.997)

    // 2–6 preferred genres, uniform counts, distinct TMDB ids, every genre about equally liked.
    var genreCounts = [Int](repeating: 0, count: 7)
    var liked: [Int: Int] = [:]
    for profile in profiles {
      let genres = profile.preferredGenres
      #expect(genres == genres.sorted() && Set(genres).count == genres.count)
      #expect(genres.allSatisfy { WorldConfiguration.tmdbGenreIDs.contains($0) })
      genreCounts[genres.count] += 1
      for g in genres { liked[g, default: 0] += 1 }
    }
    #expect(genreCounts[0] + genreCounts[1] == 0)
    for k in 2...6 { #expect(abs(genreCounts[k] - 2_000) < 4 * 40, "\(k) genres") }
    // Each genre is liked by 4/19 of the users on average.
    for id in WorldConfiguration.tmdbGenreIDs {
      let expected = n * 4 / 19
      #expect(abs(Double(liked[id] ?? 0) - expected) < 4 * (expected * (1 - 4 / 19)).squareRoot())
    }
  }

  @Test func ratingsPerUserAreUniformAndDistinct() {
    let data = Worlds.standard.ratings
    let degrees = data.userDegrees()
    let m = Worlds.moments(degrees.map(Double.init))
    let sd = ((41.0 * 41 - 1) / 12).squareRoot()
    #expect(abs(m.mean - 30) < 3 * sd / 100)
    #expect(abs(m.sd - sd) < 0.05 * sd)
    var counts = [Int](repeating: 0, count: 51)
    for d in degrees {
      #expect((10...50).contains(d))
      counts[d] += 1
    }
    for d in 10...50 { #expect(Double(counts[d]) > 10_000 / 41 * 2 / 3, "degree \(d)") }
    for d in 10...50 { #expect(Double(counts[d]) < 10_000 / 41 * 4 / 3, "degree \(d)") }
    // Distinct films per user: items strictly ascending within each user.
    for u in 0..<data.userCount {
      let items = data.ratings(ofUser: u).items
      #expect(zip(items, items.dropFirst()).allSatisfy { $0 < $1 })
      // Timestamps: distinct, within 2000 … 2030.
      let times = data.timestamps(ofUser: u)!
      #expect(Set(times).count == times.count)
      #expect(times.allSatisfy { $0 >= 946_684_800 && $0 < 1_893_456_000 })
    }
    // Uniform film choice: every film's count near 300,000 / 400.
    let mean = Double(data.ratingCount) / 400
    #expect(
      data.itemDegrees().allSatisfy { Double($0) > mean * 2 / 3 && Double($0) < mean * 4 / 3 })
  }

  @Test func ratingsLieInTheRangeAndOnTheGrid() {
    let continuous = Worlds.standard.ratings.userItemMatrix.values
    #expect(continuous.allSatisfy { $0 >= 0.5 && $0 <= 5 })
    // Clamping puts real mass at both ends, and most values are strictly inside.
    #expect(continuous.contains(0.5) && continuous.contains(5))
    #expect(continuous.filter { $0 > 0.5 && $0 < 5 }.count > continuous.count * 3 / 4)
    let half = Worlds.archetypes.ratings
    #expect(half.scale == .halfStars)
    #expect(half.userItemMatrix.values.allSatisfy { RatingScale.halfStars.contains($0) })
    #expect(Set(half.userItemMatrix.values).count == 10)
    // Expectations lie inside the range (at its ends only by Float rounding).
    #expect(Worlds.standard.expectedRatings.allSatisfy { $0 >= 0.5 && $0 <= 5 })
    #expect(Worlds.standard.expectedRatings.filter { $0 > 0.5 && $0 < 5 }.count > 290_000)
  }

  @Test func residualsAverageZero() {
    // E[rating − expected] = 0 for every rating: the mean residual is within 4 standard errors.
    for world in [Worlds.standard, Worlds.archetypes] {
      let values = world.ratings.userItemMatrix.values
      let residuals = zip(values, world.expectedRatings).map { Double($0) - Double($1) }
      let m = Worlds.moments(residuals)
      #expect(abs(m.mean) < 4 * m.sd / Double(residuals.count).squareRoot(), "\(m)")
    }
  }

  @Test func generatedCatalogLooksLikeTMDB() {
    let movies = Worlds.standard.catalog.movies
    var genreCounts: [Int: Int] = [:]
    for (k, movie) in movies.enumerated() {
      #expect(movie.id == .int(k + 1) && movie.title == "Film \(k + 1)")
      #expect((1...3).contains(movie.genres.count) && Set(movie.genres).count == movie.genres.count)
      #expect(movie.genres.allSatisfy { $0.id != nil && Genre.tmdb(id: $0.id!) == $0 })
      for g in movie.genres { genreCounts[g.id!, default: 0] += 1 }
      #expect(movie.popularity! > 0 && movie.popularity! <= 100)
      #expect(movie.voteAverage! >= 5 && movie.voteAverage! <= 9)
      #expect((1950...2025).contains(movie.year!))
      #expect((3...5).contains(movie.cast.count) && Set(movie.cast).count == movie.cast.count)
      #expect(movie.director?.hasPrefix("Director ") == true)
    }
    // Long tail: one film at 100, the median far below.
    let popularity = movies.map { $0.popularity! }.sorted()
    #expect(popularity.last == 100 && popularity[200] < 10)
    // Recent years are more common: u² skew gives a mean of upper − span/3 ≈ 2000.
    let years = movies.map { Double($0.year!) }
    #expect(Worlds.moments(years).mean > 1995)
    // Drama is common, Western rare.
    #expect(genreCounts[18]! > 5 * (genreCounts[37] ?? 0))
    // Cast names recur (Zipf pools): the most frequent actor appears in many films.
    var actors: [String: Int] = [:]
    for movie in movies { for name in movie.cast { actors[name, default: 0] += 1 } }
    #expect(actors.values.max()! > 20)
  }

  @Test func archetypeSharesAndTastes() {
    let world = Worlds.archetypes
    #expect(world.profiles.count == 10_000)
    var counts: [String: Int] = [:]
    for profile in world.profiles { counts[profile.segment!, default: 0] += 1 }
    for archetype in Archetype.original {
      let share = Double(counts[archetype.name] ?? 0) / 100
      #expect(abs(share - archetype.share * 100) <= 2, "\(archetype.name): \(share)%")
    }
    func shareLiking(_ genres: Set<Int>, in segment: String?, not: Bool = false) -> Double {
      let group = world.profiles.filter { not ? $0.segment != segment : $0.segment == segment }
      let liking = group.filter { !genres.isDisjoint(with: $0.preferredGenres) }
      return Double(liking.count) / Double(group.count)
    }
    // Users of a segment nearly always prefer one of its two (Indie: three) leading genres (drawing 2–6 of 19
    // genres uniformly would give 39%); others seldom prefer Horror.
    #expect(shareLiking([27, 53], in: "Horror") > 0.9)
    #expect(shareLiking([28, 12], in: "Blockbuster") > 0.9)
    #expect(shareLiking([35, 10749], in: "Comfort") > 0.9)
    #expect(shareLiking([18, 36], in: "Auteur") > 0.9)
    #expect(shareLiking([99, 18, 10402], in: "Indie") > 0.9)
    #expect(shareLiking([27], in: "Horror", not: true) < 0.3)
  }

  @Test func popularityWeightedChoiceFavoursPopularFilms() throws {
    var configuration = WorldConfiguration(users: 2_000)
    configuration.filmChoice = .popularityWeighted(exponent: 1)
    let world = try SyntheticWorld.generate(configuration, seed: 8)
    let degrees = world.ratings.itemDegrees()
    var byPopularity: [(Double, Int)] = []
    for i in 0..<world.ratings.itemCount {
      let movie = world.catalog.movie(withID: world.ratings.items.id(at: i))!
      byPopularity.append((movie.popularity!, degrees[i]))
    }
    byPopularity.sort { $0.0 > $1.0 }
    let top = byPopularity.prefix(40).map { Double($0.1) }.reduce(0, +) / 40
    let bottom = byPopularity.suffix(40).map { Double($0.1) }.reduce(0, +) / 40
    #expect(top > 3 * bottom)
    for u in 0..<world.ratings.userCount {
      let items = world.ratings.ratings(ofUser: u).items
      #expect(zip(items, items.dropFirst()).allSatisfy { $0 < $1 })
    }
  }

  /// The oracle RMSE against an independent Monte-Carlo estimate written from the definition.
  @Test func oracleRMSEMatchesMonteCarloFromTheDefinition() throws {
    let world = Worlds.standard
    let split = try world.ratings.split(.holdout(testFraction: 0.2), seed: 9)[0]
    let full = try world.oracleRMSE(on: split.test)
    #expect(full > 0.7 && full < 0.9, "oracle RMSE \(full)")

    let held = split.test.allRatings()
    var picker = SeededGenerator(seed: 123)
    let sample = picker.distinctIndices(3_000, below: held.count).map { held[$0] }
    let sampleSet = try RatingsDataset(ratings: sample, scale: world.ratings.scale)
    let oracle = try world.oracleRMSE(on: sampleSet)

    var rng = SeededGenerator(seed: 2_024)
    let draws = 2_000
    var squares = 0.0
    var differences = 0.0
    for rating in sample {
      let profile = try #require(world.profile(of: rating.user))
      let movie = try #require(world.catalog.movie(withID: rating.item))
      let shared = Set(profile.preferredGenres).intersection(movie.genres.compactMap(\.id)).count
      let mu =
        profile.tendency + 0.3 * Double(shared) + profile.popularityBias * movie.popularity! / 100
        + (movie.voteAverage! - 5) * 0.2
      var sum = 0.0
      for _ in 0..<draws { sum += min(max(mu + profile.noiseSD * rng.nextGaussian(), 0.5), 5) }
      let estimate = sum / Double(draws)
      squares += (Double(rating.value) - estimate) * (Double(rating.value) - estimate)
      differences +=
        try #require(world.expectedRating(userID: rating.user, itemID: rating.item))
        - estimate
    }
    let monteCarlo = (squares / Double(sample.count)).squareRoot()
    #expect(abs(oracle - monteCarlo) < 0.005, "oracle \(oracle) vs Monte Carlo \(monteCarlo)")
    #expect(oracle > 0.7 && oracle < 0.9)
    // No bias in the expectations: each estimate has SE ≤ 1.5/√2000, their mean ≤ that/√3000.
    let meanDifference = differences / Double(sample.count)
    #expect(abs(meanDifference) < 4 * 1.5 / Double(draws * sample.count).squareRoot())
  }

  @Test func oracleRMSEOnUnknownIDsIsATypedError() throws {
    let world = Worlds.standard
    let stranger = try RatingsDataset(
      ratings: [Rating(user: 99_999, item: 1, value: 3)], scale: .continuousHalfToFive)
    #expect(throws: SynthError.self) { try world.oracleRMSE(on: stranger) }
    let noFilm = try RatingsDataset(
      ratings: [Rating(user: 1, item: 4_000, value: 3)], scale: .continuousHalfToFive)
    #expect { try world.oracleRMSE(on: noFilm) } throws: { ($0 as? SynthError)?.kind == .unknownID }
    // An unrated pair has an expectation too.
    let unrated = (1...400).first { world.ratings.value(userID: 1, itemID: .int($0)) == nil }!
    #expect(world.expectedRating(userID: 1, itemID: .int(unrated)) != nil)
    #expect(world.expectedRating(user: 0, item: 0) != nil)
    #expect(world.expectedRating(userID: 1, itemID: 401) == nil)
  }

  @Test func cohortOfAYoungService() throws {
    let world = Worlds.standard
    for seed in UInt64(1)...5 {
      let cohort = try world.cohort(seed: seed)
      let users = cohort.ratings.userCount
      let films = cohort.catalog.count
      #expect((2...50).contains(users) && (53...200).contains(films))
      #expect(cohort.profiles.count == users)
      for (u, profile) in cohort.profiles.enumerated() {
        #expect(cohort.ratings.users.id(at: u) == profile.id)
        guard case .string(let text) = profile.id else {
          Issue.record("cohort ids are strings")
          continue
        }
        #expect(text.hasPrefix("real-"))
        #expect(world.profile(of: profile.id) == nil)
      }
      // Its films are the world's, with the same values.
      for movie in cohort.catalog.movies {
        #expect(world.catalog.movie(withID: movie.id) == movie)
      }
      // Exactly max(users, round(d · users · films)) ratings for the drawn target d in 1–10%:
      // the density is the target (to a whole rating), or 1/films when that is larger.
      let target = cohort.targetDensity
      #expect(target >= 0.01 && target < 0.10)
      let expected = max(users, Int((target * Double(users * films)).rounded()))
      #expect(cohort.ratings.ratingCount == expected, "seed \(seed)")
      #expect(cohort.density == Double(expected) / Double(users * films))
      #expect(cohort.density >= max(target, 1 / Double(films)) - 0.5 / Double(users * films))
      #expect(cohort.density <= max(target, 1 / Double(films)) + 0.5 / Double(users * films))
      #expect(cohort.ratings.userDegrees().allSatisfy { $0 >= 1 && $0 <= films })
      #expect(try cohort.oracleRMSE(on: cohort.ratings) > 0)
      let again = try world.cohort(seed: seed)
      #expect(again.ratings.allRatings() == cohort.ratings.allRatings())
    }
    // 2 users × 53 films at 1%: each user rates one film, 1/53 ≈ 1.9%, and says so.
    let tiny = try world.cohort(
      CohortConfiguration(
        users: ParameterRange(2, 2), films: ParameterRange(53, 53),
        density: ParameterRange(0.01, 0.01)), seed: 3)
    #expect(tiny.ratings.ratingCount == 2 && tiny.targetDensity == 0.01)
    #expect(tiny.density == 2.0 / 106)
    // A large cohort: the target exactly, users spread over about 0.5–1.5 times the mean.
    let large = try world.cohort(
      CohortConfiguration(
        users: ParameterRange(400, 400), films: ParameterRange(200, 200),
        density: ParameterRange(0.2, 0.2)), seed: 4)
    #expect(large.ratings.ratingCount == 16_000 && large.density == 0.2)
    let degrees = large.ratings.userDegrees()
    #expect(degrees.min()! >= 19 && degrees.min()! <= 22 && degrees.max()! >= 58)
    #expect(degrees.max()! <= 61)
    // Dense: users whose share would pass the film count are capped at it.
    let dense = try world.cohort(
      CohortConfiguration(
        users: ParameterRange(30, 30), films: ParameterRange(60, 60),
        density: ParameterRange(0.9, 0.9)), seed: 5)
    #expect(dense.ratings.ratingCount == 1_620)
    #expect(dense.ratings.userDegrees().allSatisfy { $0 >= 1 && $0 <= 60 })
    #expect(dense.ratings.userDegrees().contains(60))

    // Cohort users are drawn from their own streams, not the world's first users.
    let cohort = try world.cohort(seed: 42)
    #expect(cohort.profiles[0].tendency != world.profiles[0].tendency)
    #expect(throws: SynthError.self) {
      try world.cohort(CohortConfiguration(films: ParameterRange(53, 500)), seed: 1)
    }
  }

  @Test func generatedVoteAveragesAndGenresFollowTheirDistributions() throws {
    // 20,000 films: vote averages uniform on 5–9 (one decimal), 1–3 genres uniformly, the first
    // genre drawn by the TMDB-like weights.
    let films = CatalogConfiguration(count: 20_000)
    var configuration = WorldConfiguration(users: 1, catalog: .generated(films))
    configuration.ratingsPerUser = ParameterRange(1, 1)
    let movies = try SyntheticWorld.generate(configuration, seed: 13).catalog.movies
    let n = Double(movies.count)
    let votes = movies.map { $0.voteAverage! }
    #expect(votes.allSatisfy { $0 >= 5 && $0 <= 9 && ($0 * 10).rounded() == $0 * 10 })
    let moments = Worlds.moments(votes)
    // Uniform(5, 9) rounded to 0.1: mean 7, sd √(16/12 + 0.01/12) ≈ 1.155.
    let sd = (16.0 / 12 + 0.01 / 12).squareRoot()
    #expect(abs(moments.mean - 7) < 4 * sd / n.squareRoot(), "mean \(moments.mean)")
    #expect(abs(moments.sd - sd) < 0.02 * sd, "sd \(moments.sd)")
    // Each tenth of the range about equally often (5.0 and 9.0 are half-width cells).
    var cells = [Int](repeating: 0, count: 41)
    for v in votes { cells[Int((v * 10).rounded()) - 50] += 1 }
    for k in 1..<40 {
      let e = n / 40
      #expect(abs(Double(cells[k]) - e) < 4.5 * e.squareRoot(), "vote \(Double(k + 50) / 10)")
    }
    // Genres per film: 1, 2, 3 each a third.
    var counts = [Int](repeating: 0, count: 4)
    var firsts: [Int: Int] = [:]
    for movie in movies {
      counts[movie.genres.count] += 1
      firsts[movie.genres[0].id!, default: 0] += 1
    }
    #expect(counts[0] == 0)
    let third = n / 3
    for k in 1...3 {
      #expect(abs(Double(counts[k]) - third) < 4 * (third * 2 / 3).squareRoot(), "\(k) genres")
    }
    let weights = CatalogConfiguration.tmdbGenreFrequencies
    let total = weights.values.reduce(0, +)
    for (id, weight) in weights {
      let p = weight / total
      let observed = Double(firsts[id] ?? 0) / n
      #expect(abs(observed - p) < 4 * (p * (1 - p) / n).squareRoot(), "genre \(id)")
    }
  }

  /// The oracle of a half-star world against a Monte-Carlo estimate written from the definition
  /// (clamp to [0.5, 5], then the nearest half star, ties up).
  @Test func halfStarOracleMatchesMonteCarlo() throws {
    var configuration = WorldConfiguration(users: 300)
    configuration.rounding = .halfStars
    configuration.archetypes = Archetype.original
    let world = try SyntheticWorld.generate(configuration, seed: 17)
    let all = world.ratings.allRatings()
    var picker = SeededGenerator(seed: 5)
    let sample = picker.distinctIndices(1_500, below: all.count).map { all[$0] }
    let oracle = try world.oracleRMSE(
      on: try RatingsDataset(ratings: sample, scale: world.ratings.scale))
    var rng = SeededGenerator(seed: 99)
    let draws = 2_000
    var squares = 0.0
    var differences = 0.0
    for rating in sample {
      let profile = try #require(world.profile(of: rating.user))
      let movie = try #require(world.catalog.movie(withID: rating.item))
      let shared = Set(profile.preferredGenres).intersection(movie.genres.compactMap(\.id)).count
      let mu =
        profile.tendency + 0.3 * Double(shared) + profile.popularityBias * movie.popularity! / 100
        + (movie.voteAverage! - 5) * 0.2
      var sum = 0.0
      for _ in 0..<draws {
        let x = min(max(mu + profile.noiseSD * rng.nextGaussian(), 0.5), 5)
        sum += (x * 2 + 0.5).rounded(.down) / 2
      }
      let estimate = sum / Double(draws)
      squares += (Double(rating.value) - estimate) * (Double(rating.value) - estimate)
      differences +=
        try #require(world.expectedRating(userID: rating.user, itemID: rating.item)) - estimate
    }
    let monteCarlo = (squares / Double(sample.count)).squareRoot()
    #expect(abs(oracle - monteCarlo) < 0.008, "oracle \(oracle) vs Monte Carlo \(monteCarlo)")
    #expect(oracle > 0.7 && oracle < 1.0)
    let meanDifference = differences / Double(sample.count)
    #expect(abs(meanDifference) < 4 * 1.6 / Double(draws * sample.count).squareRoot())
  }
}
