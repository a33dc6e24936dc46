import AFlixData

/// A film added to a fitted ``HybridModel`` without retraining: its content feature row, its
/// factors folded in from its first ratings, and its film cluster — what
/// ``HybridModel/placeNewFilm(_:ratings:clusters:cache:)`` builds and
/// ``HybridModel/score(_:forUser:contentPrior:)`` and ``HybridModel/recommend(user:count:including:contentPrior:)`` serve.
///
/// A film with ratings (from users the model knows) is scored through its folded factors, on the
/// scale of the user's other films, shrunk towards its content score while it has few; until it
/// has any, by content: the cosine of the user's content profile with the film's row.
///
/// On MovieLens 100k u1 (films held out of training, added from their first ratings), placed films rank better in their relevant users' lists than the same
/// films folded in without the content prior or a hybrid refitted with the same ratings, by far
/// the most when they have only a few; folded mf-als predictions are as accurate as a refit's;
/// placing a film and merging new films into a request take well under a millisecond. The
/// figures and their command: <doc:ColdStart>.
///
/// ```swift
/// let hybrid = try Hybrid(catalog: catalog, collaborative: ImplicitALS()).fit(train)
/// let cache = hybrid.newFilmCache()                    // XᵀX of the user factors, once
/// let film = try hybrid.placeNewFilm(
///   movie, ratings: [(user: 196, value: 5), (user: 22, value: 4)], clusters: clusters,
///   cache: cache)
/// film.cluster                                         // its film cluster, when clusters given
/// hybrid.score(film, forUser: 196).total               // comparable with the user's list
/// let top = hybrid.recommend(user: 196, count: 10, including: [film])
/// ```
public struct NewFilm: Sendable, Hashable {
  /// The default `contentPrior` of ``HybridModel/score(_:forUser:contentPrior:)``: a film folded
  /// from `n` ratings weighs its collaborative score by `n / (n + 10)` and its content score by
  /// the rest.
  ///
  /// Chosen on MovieLens 100k fold u2 among priors of 0, 5, 10, 20 and 40 ratings (the table and
  /// its command in <doc:ColdStart>). Factors folded from a few
  /// ratings rank a film worse than its genres do; from about 20 on they rank it better.
  public static let measuredContentPrior: Double = 10

  /// The film as the caller described it.
  public let movie: Movie
  /// Its content feature row (trait columns of the hybrid's content features, ascending), empty
  /// without a content scorer or when none of its traits is in the vocabulary.
  public let contentTraits: [Int32]
  /// The values of ``contentTraits`` (unit L2 norm when not empty).
  public let contentValues: [Float]
  /// Its factors and bias folded into the collaborative model, when it has ratings from known
  /// users and the collaborative model supports ``ItemFoldIn``; else `nil`.
  public let folded: FoldedItem?
  /// Its film cluster (``FilmClusters/assign(factors:)`` of ``folded``'s factors), when clusters
  /// were given and the film has folded factors.
  public let cluster: Int?
  /// How many of its ratings were from users the model knows (those the fold-in used).
  public let knownRatingCount: Int
  /// The user ids of its ratings the model does not know, ignored, in the order given.
  public let ignoredUsers: [EntityID]

  /// Creates a placement from its parts (``HybridModel/placeNewFilm(_:ratings:clusters:cache:)``
  /// builds it from a movie and its ratings).
  public init(
    movie: Movie, contentTraits: [Int32], contentValues: [Float], folded: FoldedItem?,
    cluster: Int?, knownRatingCount: Int, ignoredUsers: [EntityID]
  ) {
    self.movie = movie
    self.contentTraits = contentTraits
    self.contentValues = contentValues
    self.folded = folded
    self.cluster = cluster
    self.knownRatingCount = knownRatingCount
    self.ignoredUsers = ignoredUsers
  }
}

/// A new film's score for one user: its place in that user's hybrid list and the raw scores it
/// came from.
public struct NewFilmScore: Sendable, Hashable {
  /// What the film was scored by.
  public enum Basis: String, Sendable, Hashable, Codable {
    /// Its folded factors (it has ratings), shrunk towards its content score while it has few
    /// (``NewFilm/measuredContentPrior``).
    case collaborative
    /// Its content row alone (no rating yet): the content score stands in for the collaborative
    /// one.
    case content
    /// Neither (no rating and no content scorer): the list's mean, 0.
    case none
  }

  /// The film's hybrid score, on the scale of ``HybridModel/scores(forUser:)`` for the same
  /// user: each scorer's raw score standardised with that scorer's mean and standard deviation
  /// over the user's list of the model's films, weighted by the user's mix.
  public var total: Float
  /// The collaborative model's raw score (``ItemFoldIn/score(_:forUser:)``), when folded.
  public var collaborative: Float?
  /// The cosine of the user's content profile with the film's row, when the hybrid has a
  /// ``ContentModel``.
  public var content: Float?
  /// What decided the score.
  public var basis: Basis

  /// Creates a score from its parts.
  public init(total: Float, collaborative: Float?, content: Float?, basis: Basis) {
    self.total = total
    self.collaborative = collaborative
    self.content = content
    self.basis = basis
  }
}

/// What placing many new films into one hybrid can share, computed once per model: `XᵀX` of an
/// implicit-ALS collaborative model's user factors (O(users · k²)), so each film's fold-in costs
/// O(n·k² + k³). Build it with ``HybridModel/newFilmCache()``.
public struct NewFilmCache: Sendable, Hashable {
  /// `XᵀX` of the user factors, when the collaborative model is an ``ImplicitALSModel``.
  public let userGram: ImplicitALSModel.UserGram?

  /// Creates a cache from its parts.
  public init(userGram: ImplicitALSModel.UserGram?) {
    self.userGram = userGram
  }
}
