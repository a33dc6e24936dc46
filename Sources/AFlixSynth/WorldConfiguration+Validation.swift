import AFlixData

extension WorldConfiguration {
  /// Checks that a world can be generated from this configuration.
  ///
  /// - Throws: ``SynthError``: `.invalidCount` (fewer than one user, no films, fewer than one
  ///   rating per user), `.invalidRange` (a range with its bounds in the wrong order, or a rating
  ///   range without a grid value), `.notEnoughFilms` (more ratings per user than films, more
  ///   preferred genres than a genre set offers), `.negativeDeviation` (σ < 0),
  ///   `.nonFiniteParameter` (NaN or infinite), `.outOfBounds` (beyond ``SynthLimits``),
  ///   `.emptyGenreSet`, `.unknownGenre`, `.invalidShares` (archetype shares negative or not
  ///   summing to 1 within 1e-6), `.unrepresentable` (a provided catalog's film id or genre that
  ///   the world's files cannot carry).
  public func validate() throws {
    try Check.atLeast(users, 1, "users")
    try Check.atMost(users, SynthLimits.maxUsers, "users")
    try Check.bounded(tendencyMean, "tendencyMean")
    try Check.deviation(tendencySD, "tendencySD")
    try Check.range(noiseSD, "noiseSD")
    try Check.deviation(noiseSD.lowerBound, "noiseSD")
    try Check.range(popularityBias, "popularityBias")
    for (value, name) in [
      (genreBonus, "genreBonus"), (popularityWeight, "popularityWeight"),
      (voteWeight, "voteWeight"), (voteCenter, "voteCenter"),
      (fallbackVoteAverage, "fallbackVoteAverage"),
    ] {
      try Check.bounded(value, name)
    }
    try Check.finite(fallbackPopularity, "fallbackPopularity")
    guard (0...100).contains(fallbackPopularity) else {
      throw SynthError(
        .invalidRange, parameter: "fallbackPopularity",
        message: "\(fallbackPopularity) is outside 0...100")
    }
    try Check.range(ratingRange, "ratingRange", limit: SynthLimits.maxRating)
    guard ratingRange.lowerBound < ratingRange.upperBound,
      Float(ratingRange.lowerBound) < Float(ratingRange.upperBound),
      RatingGrid(range: ratingRange, rounding: rounding) != nil
    else {
      throw SynthError(
        .invalidRange, parameter: "ratingRange",
        message: "\(ratingRange) holds no \(rounding.rawValue) rating grid (or is narrower "
          + "than Float resolves)")
    }
    if case .popularityWeighted(let exponent) = filmChoice {
      try Check.finite(exponent, "filmChoice.exponent")
      try Check.within(exponent, SynthLimits.filmChoiceExponents, "filmChoice.exponent")
    }

    // Films.
    switch catalog {
    case .generated(let films): try films.validate()
    case .provided(let films):
      guard films.count >= 1 else {
        throw SynthError(.invalidCount, parameter: "catalog", message: "the catalog has no films")
      }
      try Check.atMost(films.count, SynthLimits.maxFilms, "catalog")
      try Check.provided(films)
    }
    try Check.range(ratingsPerUser, "ratingsPerUser")
    try Check.atLeast(ratingsPerUser.lowerBound, 1, "ratingsPerUser")
    guard ratingsPerUser.upperBound <= filmCount else {
      throw SynthError(
        .notEnoughFilms, parameter: "ratingsPerUser",
        message: "up to \(ratingsPerUser.upperBound) distinct films per user, but the catalog "
          + "has \(filmCount)")
    }
    let (most, overflow) = users.multipliedReportingOverflow(by: ratingsPerUser.upperBound)
    guard !overflow, most <= SynthLimits.maxRatings else {
      throw SynthError(
        .outOfBounds, parameter: "ratingsPerUser",
        message: "\(users) users × up to \(ratingsPerUser.upperBound) ratings each exceeds "
          + "\(SynthLimits.maxRatings) ratings")
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
    try Check.atMost(count, SynthLimits.maxFilms, "catalog.count")
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
    try Check.within(popularityTail, SynthLimits.tailExponents, "catalog.popularityTail")
    try Check.range(voteAverage, "catalog.voteAverage")
    try Check.range(years, "catalog.years")
    guard SynthLimits.years.contains(years.lowerBound),
      SynthLimits.years.contains(years.upperBound)
    else {
      throw SynthError(
        .outOfBounds, parameter: "catalog.years",
        message: "\(years) is not inside \(SynthLimits.years)")
    }
    try Check.range(castSize, "catalog.castSize")
    try Check.atLeast(castSize.lowerBound, 0, "catalog.castSize")
    try Check.atMost(castSize.upperBound, SynthLimits.maxCastSize, "catalog.castSize")
    try Check.atLeast(resolvedActorPool, max(1, castSize.upperBound), "catalog.actorPool")
    try Check.atMost(resolvedActorPool, SynthLimits.maxNamePool, "catalog.actorPool")
    try Check.atLeast(resolvedDirectorPool, 1, "catalog.directorPool")
    try Check.atMost(resolvedDirectorPool, SynthLimits.maxNamePool, "catalog.directorPool")
    try Check.finite(namePoolExponent, "catalog.namePoolExponent")
    try Check.within(namePoolExponent, SynthLimits.tailExponents, "catalog.namePoolExponent")
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
    try bounded(value, name)
    guard value >= 0 else {
      throw SynthError(
        .negativeDeviation, parameter: name,
        message: "a standard deviation of \(value) is negative")
    }
  }

  /// A finite value of magnitude at most `limit` (``SynthLimits/maxMagnitude``).
  static func bounded(_ value: Double, _ name: String, limit: Double = SynthLimits.maxMagnitude)
    throws
  {
    try finite(value, name)
    guard Swift.abs(value) <= limit else {
      throw SynthError(
        .outOfBounds, parameter: name, message: "\(value) is beyond ±\(limit)")
    }
  }

  /// A finite value inside `bounds`.
  static func within(_ value: Double, _ bounds: ClosedRange<Double>, _ name: String) throws {
    guard bounds.contains(value) else {
      throw SynthError(
        .outOfBounds, parameter: name, message: "\(value) is outside \(bounds)")
    }
  }

  static func atLeast(_ value: Int, _ minimum: Int, _ name: String) throws {
    guard value >= minimum else {
      throw SynthError(.invalidCount, parameter: name, message: "\(value) is below \(minimum)")
    }
  }

  static func atMost(_ value: Int, _ maximum: Int, _ name: String) throws {
    guard value <= maximum else {
      throw SynthError(.outOfBounds, parameter: name, message: "\(value) is above \(maximum)")
    }
  }

  static func range(
    _ range: ParameterRange<Double>, _ name: String, limit: Double = SynthLimits.maxMagnitude
  ) throws {
    try bounded(range.lowerBound, name, limit: limit)
    try bounded(range.upperBound, name, limit: limit)
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
      try bounded(weight, name)
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

extension Check {
  /// Checks a provided catalog: vote averages within ±``SynthLimits/maxMagnitude``, and ids and
  /// genres that `movies.csv`, `ratings.csv` and `truth.csv` carry so that they read back as
  /// written (``SyntheticWorld/load(from:)``).
  static func provided(_ catalog: Catalog) throws {
    for movie in catalog.movies {
      if let vote = movie.voteAverage, vote.isFinite {
        try bounded(vote, "catalog[\(movie.id)].voteAverage")
      }
      guard WorldFiles.isRepresentable(movie.id) else {
        throw SynthError(
          .unrepresentable, parameter: "catalog",
          message: "film id \(String(reflecting: movie.id.description)) would not read back as "
            + "the same id (a string id must not read as an integer, be empty, start or end "
            + "with a space, or hold a line break)")
      }
      for genre in movie.genres where !WorldFiles.isRepresentable(genre) {
        throw SynthError(
          .unrepresentable, parameter: "catalog",
          message:
            "film \(movie.id): genre \(genre.name) (id \(genre.id.map(String.init) ?? "none")) "
            + "would not read back from its name")
      }
    }
  }
}
