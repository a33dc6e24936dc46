import AFlixData
import AFlixLinalg

/// The content-based recommender: "if you liked these films you will like films with the same
/// traits". Item features come from a catalog (``ItemFeatures``: genres, cast, director, decade,
/// keywords or tags, IDF-weighted, rows L2-normalised); a user's profile is the rating-weighted,
/// mean-centred centroid of the rows of the films they rated (``ProfileWeighting``); an item's
/// score is the cosine between the profile and its row.
///
/// ```swift
/// let catalog = try DatasetLoader.load(path: "ml-100k").catalog!
/// let model = try ContentBased(catalog: catalog).fit(train)
/// let top = model.recommend(user: 42, count: 10)
/// let newcomer = model.recommend(forRatings: [50: 5, 172: 4], count: 10)   // fold-in
/// let alike = model.similarItems(to: 50, count: 5)
/// ```
///
/// On MovieLens 100k content alone ranks far below popularity: a weak
/// signal, meant for a hybrid and for films without ratings. Raw-rating and uniform profile
/// weights scored above mean-centring on the test fold, which is not a tuning, so the default
/// stays the mean-centred centroid. MovieLens 100k has no cast, director or tags, so those
/// families are untested by it. The figures: <doc:HybridRecommender>.
public struct ContentBased: RecommenderAlgorithm, Encodable {
  /// The films' metadata the features are built from (not part of the ``fitRecord``).
  public var catalog: Catalog
  /// Which trait families count and how they are weighted.
  public var features: ItemFeatures.Options
  /// How a user's ratings weigh their films in the profile; ``ProfileWeighting/meanCentred`` by
  /// default.
  public var profileWeighting: ProfileWeighting

  private enum CodingKeys: String, CodingKey {
    case features
    case profileWeighting
  }

  /// Creates a configuration.
  public init(
    catalog: Catalog, features: ItemFeatures.Options = ItemFeatures.Options(),
    profileWeighting: ProfileWeighting = .meanCentred
  ) {
    self.catalog = catalog
    self.features = features
    self.profileWeighting = profileWeighting
  }

  /// `"content"`.
  public var name: String { "content" }

  /// Encodes the hyper-parameters (``features`` and ``profileWeighting``), not the catalog.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(features, forKey: .features)
    try c.encode(profileWeighting, forKey: .profileWeighting)
  }

  /// Checks the feature options (``ItemFeatures/Options/validate()``).
  ///
  /// - Throws: ``RecommendError`` `.invalidHyperparameter`.
  public func validateHyperparameters() throws {
    try features.validate()
  }

  /// Builds the features of `data`'s items and keeps its ratings for the users' profiles.
  ///
  /// - Throws: ``RecommendError`` `.emptyTrainingData` for a dataset with no rating,
  ///   `.invalidHyperparameter` for invalid options, `.invalidArgument` when no item of `data`
  ///   has a trait in the catalog (a catalog of other films, or every family turned off): such a
  ///   model would score everything 0.
  /// - Complexity: O(traits of the items + Σ per-user profile sizes).
  public func fit(_ data: RatingsDataset) throws -> ContentModel {
    try FactorValidation.requireRatings(data, model: "the content-based model")
    let features = try ItemFeatures(items: data.items, catalog: catalog, options: features)
    guard features.matrix.nonzeroCount > 0 else {
      throw RecommendError(
        .invalidArgument,
        "none of the \(data.itemCount) items has a content trait: the catalog holds "
          + "\(features.catalogItemCount) of them (matched by id) and the enabled families give "
          + "them no trait shared by \(self.features.minimumItemCount) films")
    }
    var model = ContentModel(
      users: data.users, features: features, ratings: data.userItemMatrix,
      profileWeighting: profileWeighting)
    model.fitRecord = fitRecord
    return model
  }
}
