/// Where a model's training ratings came from — the original's "TMDB training, AFlix validation":
/// a synthetic world, real users, or both — and the K values it was built with. Kept in the
/// model's ``FitRecord`` and so in its file.
public struct ModelProvenance: Sendable, Hashable, Codable {
  /// The origin of the training ratings.
  public enum Source: String, Sendable, Hashable, Codable, CaseIterable {
    /// A synthetic world only (AFlixSynth).
    case world
    /// Real users' ratings only.
    case real
    /// A world with real users folded in or fitted along.
    case hybrid
  }

  /// The origin of the training ratings.
  public var source: Source
  /// The number of latent factors (K of the SVD / factorisation), when the model has factors.
  public var factorCount: Int?
  /// The number of user or film clusters (K of K-means), when clusters were built.
  public var clusterCount: Int?
  /// A short free-form note: the world's seed and size, the cohort's files.
  public var note: String?

  /// Creates a provenance record.
  public init(
    source: Source, factorCount: Int? = nil, clusterCount: Int? = nil, note: String? = nil
  ) {
    self.source = source
    self.factorCount = factorCount
    self.clusterCount = clusterCount
    self.note = note
  }
}
