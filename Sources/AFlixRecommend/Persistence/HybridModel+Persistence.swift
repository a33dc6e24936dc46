import AFlixData
import Foundation

extension HybridModel {
  /// `"hybrid"`.
  public static let archiveKind = "hybrid"

  private struct Metadata: Codable {
    var fit: FitRecord?
    var weights: HybridWeights
    var hasContent: Bool
    var kinds: [String]
    var memberMetadata: [Data]
    var films: [Movie]?
    var segments: TasteSegments?
  }

  /// The weights and each scorer's archive (collaborative, then content when present, then
  /// popularity; metadata nested, arrays prefixed `sJ.`), the history once.
  ///
  /// - Throws: ``ModelFileError`` `.corrupted` when a scorer cannot be saved.
  public func archive() throws -> ModelArchive {
    let scorers = [collaborative] + (content.map { [$0] } ?? []) + [popularity]
    // Scorers keep their histories: EASE and the strata score known users from them.
    let (kinds, nested, arrays) = try ModelArchive.nestedParts(
      of: scorers, prefix: "s", keepingHistory: true)
    return ModelArchive(
      kind: Self.archiveKind,
      metadata: try encodeMetadata(
        Metadata(
          fit: fitRecord, weights: weights, hasContent: content != nil, kinds: kinds,
          memberMetadata: nested, films: catalog?.movies, segments: segments)),
      arrays: history.archiveArrays + arrays)
  }

  /// Rebuilds every scorer from its nested archive, each checked as its own kind is, then checks
  /// that they share users and items and that the weights are valid.
  public init(archive: ModelArchive) throws {
    let m = try archive.decodeMetadata(Metadata.self)
    let count = m.hasContent ? 3 : 2
    guard m.kinds.count == count, m.memberMetadata.count == count else {
      throw ModelFileError(.corrupted, "the hybrid's scorer lists disagree in length")
    }
    let labels =
      m.hasContent ? ["collaborative", "content", "popularity"] : ["collaborative", "popularity"]
    var scorers: [any RecommenderModel] = []
    for j in 0..<count {
      scorers.append(
        try archive.nestedMember(
          j, kind: m.kinds[j], metadata: m.memberMetadata[j], prefix: "s", owner: "hybrid",
          label: labels[j]))
    }
    do {
      try self.init(
        collaborative: scorers[0], content: m.hasContent ? scorers[1] : nil,
        popularity: scorers[count - 1], weights: m.weights,
        catalog: try m.films.map { try Catalog(movies: $0) }, segments: m.segments)
    } catch let error as RecommendError {
      throw ModelFileError(.corrupted, error.message)
    } catch let error as DataError {
      throw ModelFileError(.corrupted, "the hybrid's films: \(error)")
    }
    fitRecord = m.fit
    history = try archive.history(users: users.count, items: items.count)
  }
}
