import AFlixRecommend
import Foundation

/// What an optimisation chose and every candidate's figures; saved as JSON so that a service keeps
/// its K values between restarts.
///
/// ```swift
/// let result = try KOptimizer().run(ratings)
/// try result.save(to: url)
/// let kept = try OptimizationResult.load(from: url)   // kept.kSVD, kept.kCluster
/// ```
public struct OptimizationResult: Sendable, Hashable, Codable {
  /// The K-SVD strategy's name.
  public var strategy: String
  /// Users of the data.
  public var users: Int
  /// Items of the data.
  public var items: Int
  /// Ratings of the data.
  public var ratings: Int
  /// The share of cells rated.
  public var density: Double
  /// The seed of the run.
  public var seed: UInt64
  /// The chosen number of latent factors.
  public var kSVD: Int
  /// The chosen number of user segments.
  public var kCluster: Int
  /// Every K-SVD candidate's figures, in ascending K.
  public var kSVDCandidates: [KSVDCandidate]
  /// Every K-cluster candidate's figures, in ascending K.
  public var kClusterCandidates: [KClusterCandidate]
  /// Seconds of the shared decomposition at the largest K.
  public var decompositionSeconds: Double
  /// Seconds of the whole run.
  public var seconds: Double

  /// Creates a result from its parts.
  public init(
    strategy: String, users: Int, items: Int, ratings: Int, density: Double, seed: UInt64,
    kSVD: Int, kCluster: Int, kSVDCandidates: [KSVDCandidate],
    kClusterCandidates: [KClusterCandidate], decompositionSeconds: Double, seconds: Double
  ) {
    self.strategy = strategy
    self.users = users
    self.items = items
    self.ratings = ratings
    self.density = density
    self.seed = seed
    self.kSVD = kSVD
    self.kCluster = kCluster
    self.kSVDCandidates = kSVDCandidates
    self.kClusterCandidates = kClusterCandidates
    self.decompositionSeconds = decompositionSeconds
    self.seconds = seconds
  }

  enum CodingKeys: String, CodingKey {
    case strategy, users, items, ratings, density, seed
    case kSVD = "k_svd"
    case kCluster = "k_cluster"
    case kSVDCandidates = "k_svd_candidates"
    case kClusterCandidates = "k_cluster_candidates"
    case decompositionSeconds = "decomposition_seconds"
    case seconds
  }

  /// The chosen K-SVD as `algorithm`'s factor count (`rank` for `svd`, `factors` for the other
  /// factor models of the registry), for `AlgorithmRegistry.algorithm(named:hyperparameters:seed:)`:
  /// the next training uses the chosen K.
  ///
  /// - Throws: ``OptimizeError`` `.invalidArgument` for an algorithm without a factor count, and
  ///   the registry's error for an unknown name.
  public func hyperparameters(for algorithm: String) throws -> [String: HyperparameterValue] {
    guard let parameter = try FactorCountSearch.factorParameter(of: algorithm) else {
      throw OptimizeError(.invalidArgument, "algorithm '\(algorithm)' has no factor count")
    }
    return [parameter: .integer(kSVD)]
  }

  /// The result as JSON (snake_case keys, sorted).
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    // A candidate a strategy could not score carries NaN or infinity: written as strings.
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(self)
  }

  /// Writes ``json()`` to `url` atomically (a reader never sees half a file).
  public func save(to url: URL) throws {
    try json().write(to: url, options: .atomic)
  }

  /// The result saved at `url`.
  ///
  /// - Throws: ``OptimizeError`` `.invalidArgument` naming the file when it is not a saved
  ///   result (or its K values are not among its candidates), or the file system's error.
  public static func load(from url: URL) throws -> OptimizationResult {
    let data = try Data(contentsOf: url)
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let result: OptimizationResult
    do {
      result = try decoder.decode(OptimizationResult.self, from: data)
    } catch {
      throw OptimizeError(
        .invalidArgument, "\(url.path) is not a saved optimisation result: \(error)")
    }
    guard result.kSVDCandidates.contains(where: { $0.k == result.kSVD }),
      result.kClusterCandidates.contains(where: { $0.k == result.kCluster })
    else {
      throw OptimizeError(
        .invalidArgument,
        "\(url.path): the chosen K-SVD \(result.kSVD) or K-cluster \(result.kCluster) is not "
          + "among its candidates")
    }
    return result
  }
}
