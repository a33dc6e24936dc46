/// One entry of a ranked candidate list handed to ``DiversityReranking``: an item index of the
/// model and its score (higher is better).
public struct RerankCandidate: Sendable, Hashable, Codable {
  /// The item's index in the model's ``RecommenderModel/items`` (and in ``ItemGenreSets``).
  public var item: Int
  /// The item's score; the list is ranked best first by it.
  public var score: Float

  /// Creates a candidate.
  public init(item: Int, score: Float) {
    self.item = item
    self.score = score
  }
}
