import AFlix
import Foundation
import Hummingbird
import Synchronization

extension API {
  struct Evaluation: Encodable {
    var modelGeneration: Int
    var heldOutRmse: Double
    var heldOutMae: Double
    var testFraction: Double
    var trainedRatingCount: Int
    var trainedAt: Date
  }

  /// The accuracy measured at training on the held-out 10%: 503 before a model serves.
  func evaluation() throws -> Response {
    guard let info = service.trainingInfo, service.engine != nil else { throw notReady }
    return JSON.response(
      Evaluation(
        modelGeneration: service.modelGeneration, heldOutRmse: info.heldOutRMSE,
        heldOutMae: info.heldOutMAE, testFraction: 0.1, trainedRatingCount: info.ratingCount,
        trainedAt: info.trainedAt))
  }

  struct Segment: Encodable {
    var segment: Int
    var label: String
    var size: Int
    var share: Double
    var meanRating: Double?
    var topGenres: [String]
  }

  var noFactors: APIError {
    APIError(
      .unprocessableContent, code: "no_user_factors", "too few users or films to cluster")
  }

  struct Clustering: Encodable {
    var k: Int
    var userCount: Int
    var factorCount: Int
    var modelGeneration: Int
    var segments: [Segment]
  }

  /// The user factors of the collaborative model of `engine`, if it has any.
  static func userFactors(of engine: RecommendationEngine) -> Matrix<Float>? {
    let model = (engine.model as? HybridModel)?.collaborative ?? engine.model
    switch model {
    case let model as TruncatedSVDModel: return model.userFactors
    case let model as BiasedMFModel: return model.userFactors
    case let model as ImplicitALSModel: return model.userFactors
    case let model as BPRModel: return model.userFactors
    default: return nil
    }
  }

  /// The users' segments: K-means (`k` from the query, 2…20; by default the service's K-cluster,
  /// ``ServingTuning/clusterCount``, 5 until a re-optimisation sets it) on the served model's
  /// user factors scaled to unit length (a truncated SVD of the fitted ratings at the service's
  /// K-SVD, ``ServingTuning/svdRank``, when the collaborative model has none, as EASE), each
  /// segment's readable label and size.
  func clustering(request: Request) async throws -> Response {
    var k = min(20, service.tuning.clusterCount)
    if let text = request.uri.queryParameters.get("k") {
      guard let value = Int(text), (2...20).contains(value) else {
        throw APIError(.badRequest, code: "invalid_k", "k must be an integer in 2…20")
      }
      k = value
    }
    guard let (engine, generation) = service.serving, let data = service.fittedRatings else {
      throw notReady
    }
    // One computation per model and k: the route is public, and its work is seconds on a large
    // dataset.
    if let body = clusterings.body(generation: generation, k: k) {
      return JSON.response(data: body)
    }
    let catalog = service.catalog
    let decomposition = service.decomposition
    let svdRank = service.tuning.svdRank
    let noFactors = noFactors
    let clusterCount = k
    // A decomposition and K-means over every user: seconds on a large dataset, so off Swift's
    // cooperative pool, which keeps serving other requests meanwhile.
    let (shape, profiles) = try await OffPool.run {
      () throws -> ((rows: Int, columns: Int), [SegmentProfile]) in
      let factors: Matrix<Float>
      if let own = Self.userFactors(of: engine), own.rows == data.userCount {
        factors = own
      } else if let decomposition, decomposition.userFactors.rows == data.userCount {
        factors = decomposition.userFactors
      } else {
        let rank = min(svdRank, min(data.userCount, data.itemCount) - 1)
        guard rank >= 1 else { throw noFactors }
        factors = try TruncatedSVDRecommender(rank: rank, seed: 0).fit(data).userFactors
      }
      guard factors.rows > clusterCount else { throw noFactors }
      let points = SegmentationFeatures.unitRows(
        Matrix(
          rows: factors.rows, columns: factors.columns,
          elements: factors.elements.map { Double($0) }))
      let labels = try KMeans(clusterCount: clusterCount, restarts: 3, seed: 0).fit(points).labels
      let profiles = try SegmentProfile.profiles(
        labels: labels, clusterCount: clusterCount, ratings: data, catalog: catalog,
        options: .init(filmCount: 3, genreCount: 3))
      return ((factors.rows, factors.columns), profiles)
    }
    let body = try JSON.encoder().encode(
      Clustering(
        k: k, userCount: shape.rows, factorCount: shape.columns, modelGeneration: generation,
        segments: profiles.map {
          Segment(
            segment: $0.segment, label: $0.label, size: $0.size, share: $0.share,
            meanRating: $0.meanRating, topGenres: $0.genres.map(\.name))
        }))
    clusterings.store(body, generation: generation, k: k)
    return JSON.response(data: body)
  }

}

/// The clustering responses of the served model, by k: computed once per model.
final class ClusteringCache: Sendable {
  private let entries = Mutex<(generation: Int, bodies: [Int: Data])>((0, [:]))

  /// The response for `k` made by model `generation`, if kept.
  func body(generation: Int, k: Int) -> Data? {
    entries.withLock { $0.generation == generation ? $0.bodies[k] : nil }
  }

  /// Keeps `body` for `k`; a newer model's response drops the older model's.
  func store(_ body: Data, generation: Int, k: Int) {
    entries.withLock { entries in
      if entries.generation < generation { entries = (generation, [:]) }
      if entries.generation == generation { entries.bodies[k] = body }
    }
  }
}
