import AFlixData

extension WorldConfiguration {
  /// Checks that a world can be generated from this configuration.
  ///
  /// - Throws: ``SynthError``: `.invalidCount` (fewer than one user, no films, fewer than one
  ///   rating per user), `.invalidRange` (a range with its bounds in the wrong order, or a rating
  ///   range without a grid value), `.notEnoughFilms` (more ratings per user than films, more
  ///   preferred genres than a genre set offers), `.negativeDeviation` (σ < 0),
  ///   `.nonFiniteParameter` (NaN or infinite), `.emptyGenreSet`, `.unknownGenre`,
  ///   `.invalidShares` (archetype shares negative or not summing to 1 within 1e-6).
  public func validate() throws {
    try Check.atLeast(users, 1, "users")
    try Check.finite(tendencyMean, "tendencyMean")
    try Check.deviation(tendencySD, "tendencySD")
    try Check.range(noiseSD, "noiseSD")
    try Check.deviation(noiseSD.lowerBound, "noiseSD")
    try Check.range(popularityBias, "popularityBias")
    for (value, name) in [
      (genreBonus, "genreBonus"), (popularityWeight, "popularityWeight"),
      (voteWeight, "voteWeight"), (voteCenter, "voteCenter"),
      (fallbackVoteAverage, "fallbackVoteAverage"),
    ] {
      try Check.finite(value, name)
    }
    try Check.finite(fallbackPopularity, "fallbackPopularity")
    guard (0...100).contains(fallbackPopularity) else {
      throw SynthError(
        .invalidRange, parameter: "fallbackPopularity",
        message: "\(fallbackPopularity) is outside 0...100")
    }
    try Check.range(ratingRange, "ratingRange")
    guard ratingRange.lowerBound < ratingRange.upperBound,
      RatingGrid(range: ratingRange, rounding: rounding) != nil
    else {
      throw SynthError(
        .invalidRange, parameter: "ratingRange",
        message: "\(ratingRange) holds no \(rounding.rawValue) rating grid")
    }
    if case .popularityWeighted(let exponent) = filmChoice {
      try Check.finite(exponent, "filmChoice.exponent")
    }

    // Films.
    switch catalog {
    case .generated(let films): try films.validate()
    case .provided(let films):
      guard films.count >= 1 else {
        throw SynthError(.invalidCount, parameter: "catalog", message: "the catalog has no films")
      }
    }
    try Check.range(ratingsPerUser, "ratingsPerUser")
    try Check.atLeast(ratingsPerUser.lowerBound, 1, "ratingsPerUser")
    guard ratingsPerUser.upperBound <= filmCount else {
      throw SynthError(
        .notEnoughFilms, parameter: "ratingsPerUser",
        message: "up to \(ratingsPerUser.upperBound) distinct films per user, but the catalog "
          + "has \(filmCount)")
    }

    // Genres.
    try Check.range(preferredGenres, "preferredGenres")
    try Check.atLeast(preferredGenres.lowerBound, 0, "preferredGenres")
    if let archetypes {
      guard !archetypes.isEmpty else {
        throw SynthError(
          .invalidShares, parameter: "archetypes", message: "give at least one archetype, or nil")
      }
      var total = 0.0
      var names = Set<String>()
      for a in archetypes {
        let parameter = "archetypes[\(a.name)]"
        try Check.finite(a.share, parameter + ".share")
        guard a.share >= 0 else {
          throw SynthError(
            .invalidShares, parameter: parameter + ".share", message: "\(a.share) is negative")
        }
        guard !a.name.isEmpty else {
          throw SynthError(
            .invalidShares, parameter: "archetypes", message: "an archetype has an empty name")
        }
        guard names.insert(a.name).inserted else {
          throw SynthError(
            .invalidShares, parameter: parameter, message: "two archetypes are named \(a.name)")
        }
        total += a.share
        let positive = try Check.genreWeights(a.genreWeights, parameter + ".genreWeights")
        guard positive >= preferredGenres.upperBound else {
          throw SynthError(
            .notEnoughFilms, parameter: parameter + ".genreWeights",
            message: "\(positive) genres with a positive weight, fewer than the "
              + "\(preferredGenres.upperBound) preferred genres a user may draw")
        }
      }
      guard abs(total - 1) <= 1e-6 else {
        throw SynthError(
          .invalidShares, parameter: "archetypes",
          message: "the shares sum to \(total), not 1")
      }
    } else {
      guard !genrePool.isEmpty else {
        throw SynthError(.emptyGenreSet, parameter: "genrePool", message: "no genres to prefer")
      }
      try Check.genres(genrePool, "genrePool")
      guard Set(genrePool).count == genrePool.count else {
        throw SynthError(
          .invalidRange, parameter: "genrePool", message: "a genre is listed twice")
      }
      guard preferredGenres.upperBound <= genrePool.count else {
        throw SynthError(
          .notEnoughFilms, parameter: "preferredGenres",
          message: "up to \(preferredGenres.upperBound) distinct preferred genres, but the pool "
            + "has \(genrePool.count)")
      }
    }
  }
}

extension CatalogConfiguration {
  /// Checks that films can be generated from this configuration.
  ///
  /// - Throws: ``SynthError`` as ``WorldConfiguration/validate()`` does.
  public func validate() throws {
    try Check.atLeast(count, 1, "catalog.count")
    try Check.range(genresPerFilm, "catalog.genresPerFilm")
    try Check.atLeast(genresPerFilm.lowerBound, 0, "catalog.genresPerFilm")
    let positive = try Check.genreWeights(genreWeights, "catalog.genreWeights")
    guard genresPerFilm.upperBound <= positive else {
      throw SynthError(
        .notEnoughFilms, parameter: "catalog.genresPerFilm",
        message: "up to \(genresPerFilm.upperBound) genres per film, but \(positive) genres have "
          + "a positive weight")
    }
    try Check.finite(popularityTail, "catalog.popularityTail")
    guard popularityTail >= 0 else {
      throw SynthError(
        .invalidRange, parameter: "catalog.popularityTail", message: "must not be negative")
    }
    try Check.range(voteAverage, "catalog.voteAverage")
    try Check.range(years, "catalog.years")
    try Check.range(castSize, "catalog.castSize")
    try Check.atLeast(castSize.lowerBound, 0, "catalog.castSize")
    try Check.atLeast(resolvedActorPool, max(1, castSize.upperBound), "catalog.actorPool")
    try Check.atLeast(resolvedDirectorPool, 1, "catalog.directorPool")
    try Check.finite(namePoolExponent, "catalog.namePoolExponent")
  }
}

/// Validation helpers that throw ``SynthError``.
enum Check {
  static func finite(_ value: Double, _ name: String) throws {
    guard value.isFinite else {
      throw SynthError(.nonFiniteParameter, parameter: name, message: "\(value) is not finite")
    }
  }

  static func deviation(_ value: Double, _ name: String) throws {
    try finite(value, name)
    guard value >= 0 else {
      throw SynthError(
        .negativeDeviation, parameter: name,
        message: "a standard deviation of \(value) is negative")
    }
  }

  static func atLeast(_ value: Int, _ minimum: Int, _ name: String) throws {
    guard value >= minimum else {
      throw SynthError(.invalidCount, parameter: name, message: "\(value) is below \(minimum)")
    }
  }

  static func range(_ range: ParameterRange<Double>, _ name: String) throws {
    try finite(range.lowerBound, name)
    try finite(range.upperBound, name)
    guard range.lowerBound <= range.upperBound else {
      throw SynthError(
        .invalidRange, parameter: name,
        message: "\(range) has its lower bound above its upper bound")
    }
  }

  static func range(_ range: ParameterRange<Int>, _ name: String) throws {
    guard range.lowerBound <= range.upperBound else {
      throw SynthError(
        .invalidRange, parameter: name,
        message: "\(range) has its lower bound above its upper bound")
    }
  }

  static func genres(_ ids: some Sequence<Int>, _ name: String) throws {
    for id in ids where FilmTable.genreSlots[id] == nil {
      throw SynthError(
        .unknownGenre, parameter: name, message: "\(id) is not a TMDB genre id")
    }
  }

  /// Checks genre weights; returns how many are positive.
  static func genreWeights(_ weights: [Int: Double], _ name: String) throws -> Int {
    try genres(weights.keys.sorted(), name)
    var positive = 0
    for id in weights.keys.sorted() {
      let weight = weights[id]!
      try finite(weight, name)
      guard weight >= 0 else {
        throw SynthError(
          .invalidRange, parameter: name, message: "genre \(id) has a negative weight \(weight)")
      }
      if weight > 0 { positive += 1 }
    }
    guard positive > 0 else {
      throw SynthError(.emptyGenreSet, parameter: name, message: "no genre has a positive weight")
    }
    return positive
  }
}
