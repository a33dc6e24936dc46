import AFlixData
import AFlixLinalg

/// A film described only by its ratings, in a model's user indices: the input of item fold-in
/// (``ItemFoldIn/foldInItem(ratings:)``), the mirror of ``UserRatings``.
public struct ItemRatings: Sendable, Hashable {
  /// User indices of the model, ascending, without repeats.
  public let users: [Int]
  /// The rating each user gave, finite.
  public let values: [Float]

  /// Ratings from `(user index, value)` pairs: sorted by user, the last value of a repeated user
  /// kept, pairs whose index is outside `0..<userCount` or whose value is not finite dropped
  /// (the id-based ``HybridModel/placeNewFilm(_:ratings:clusters:cache:)`` reports them instead).
  public init(_ pairs: [(user: Int, value: Float)], userCount: Int) {
    var last: [Int: Float] = [:]
    for (u, v) in pairs where u >= 0 && u < userCount && v.isFinite { last[u] = v }
    let sorted = last.keys.sorted()
    users = sorted
    values = sorted.map { last[$0]! }
  }

  /// The number of ratings.
  public var count: Int { users.count }
  /// Whether there is no rating.
  public var isEmpty: Bool { users.isEmpty }
}

/// A film folded into a factor model from its ratings, the users' side fixed: its factor vector
/// (in the model's factor space, so ``FilmClusters/assign(factors:)`` places it) and its bias
/// (0 for models without item biases).
public struct FoldedItem: Sendable, Hashable, Codable {
  /// The film's factors `qᵢ` (or `yᵢ`), `k` values.
  public var factors: [Float]
  /// The film's bias `bᵢ`; 0 for ``ImplicitALSModel`` and unbiased fits.
  public var bias: Float
  /// How many ratings the solve used (known users with finite values).
  public var ratingCount: Int

  /// Creates a folded film from its parts.
  public init(factors: [Float], bias: Float, ratingCount: Int) {
    self.factors = factors
    self.bias = bias
    self.ratingCount = ratingCount
  }
}

/// A factor model that can take a new film without retraining: the film's factors are solved
/// from its first ratings with every user parameter fixed — the item half-step of the fit, the
/// mirror of user fold-in — and the film is then scored for any user on the scale of
/// ``RecommenderModel/scores(forUser:)``.
///
/// ```swift
/// let model = try ImplicitALS().fit(train)
/// let ratings = ItemRatings([(user: 3, value: 5), (user: 17, value: 4)], userCount: model.users.count)
/// if let film = model.foldInItem(ratings: ratings) {
///   let score = model.score(film, forUser: 3)      // comparable with model.scores(forUser: 3)
/// }
/// ```
public protocol ItemFoldIn: RecommenderModel {
  /// The number of latent factors `k` (the length of ``FoldedItem/factors``).
  var factorCount: Int { get }

  /// The folded film, or `nil` when `ratings` is empty (no rating from a known user) or the
  /// solve fails (not positive definite, not finite). Runs on the calling thread (`SerialBLAS`).
  func foldInItem(ratings: ItemRatings) -> FoldedItem?

  /// The folded film's score for user index `user`, as ``RecommenderModel/scores(forUser:)``
  /// would give it were the film one of the model's items.
  ///
  /// - Precondition: `0 ≤ user < users.count` (checked) and `item.factors.count` is the model's
  ///   factor count (checked).
  func score(_ item: FoldedItem, forUser user: Int) -> Float

  /// The folded film's score for a user described by `ratings` (folded in as
  /// ``RecommenderModel/scores(forRatings:)`` folds them), or for the unknown user when they are
  /// empty or the user fold-in fails, on the scale of ``RecommenderModel/scoresForUnknownUser()``.
  ///
  /// - Precondition: `item.factors.count` is the model's factor count (checked).
  func score(_ item: FoldedItem, forRatings ratings: UserRatings) -> Float
}

extension ItemFoldIn {
  /// ``foldInItem(ratings:)`` from `(user index, value)` pairs: indices outside the users and
  /// non-finite values are ignored (``ItemRatings/init(_:userCount:)``); `nil` when none is left.
  public func foldInItem(ratings: [(user: Int, value: Float)]) -> FoldedItem? {
    foldInItem(ratings: ItemRatings(ratings, userCount: users.count))
  }
}

/// Shared arithmetic of the item fold-ins.
enum ItemFoldInMath {
  /// `base + Σ a[f]·b[f]` in `Double`, as `Float`.
  static func dot(_ a: ArraySlice<Float>, _ b: [Float], base: Float) -> Float {
    var s = Double(base)
    for (x, y) in zip(a, b) { s += Double(x) * Double(y) }
    return Float(s)
  }

  /// Checks that a folded film has `k` factors.
  static func requireShape(_ item: FoldedItem, factors k: Int) {
    precondition(
      item.factors.count == k,
      "a folded film of \(item.factors.count) factors for a model of \(k)")
  }
}
