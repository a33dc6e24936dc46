/// A train/test pair over one id space: both datasets share the parent's ``RatingsDataset/users``
/// and ``RatingsDataset/items`` maps, so user and item indices agree between them.
public struct DatasetSplit: Sendable {
  /// The split's name: the protocol's keyword (`"holdout"`, `"user-holdout"`, `"stratified"`,
  /// `"last"`), `"fold1"` … `"foldK"` for k-fold, `"u1"` … `"u5"` for MovieLens' predefined ones.
  public var name: String
  /// The ratings to fit on.
  public var train: RatingsDataset
  /// The held-out ratings.
  public var test: RatingsDataset

  /// Creates a split.
  public init(name: String, train: RatingsDataset, test: RatingsDataset) {
    self.name = name
    self.train = train
    self.test = test
  }
}
