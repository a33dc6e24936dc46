import AFlixData
import Foundation
import Testing

@testable import AFlixRecommend

/// Fitted models of every kind a file can hold, and helpers that edit their archives (arrays,
/// metadata, raw bytes with the checksums recomputed) into files that are consistent byte-wise
/// but hold values no fit produces.
enum ModelFiles {
  /// One small fitted model per kind (seeded), fitted once.
  static let all: [any PersistableModel] = {
    do {
      let (train, _) = try FactorTestData.noisyLowRank(users: 30, items: 20)
      return [
        try Baseline().fit(train),
        try BiasedMF(factors: 4, epochs: 3, seed: 1).fit(train),
        try TruncatedSVDRecommender(rank: 3, seed: 2).fit(train),
        try KNNBaseline().fit(train),
        try KNNBaseline(shrinkage: 1, itemBased: false).fit(train),
        try EASE(regularization: 10).fit(train),
        try ImplicitALS(factors: 4, iterations: 3).fit(train),
        try BPR(factors: 4, epochs: 3).fit(train),
        try Blend(members: [Baseline(), BiasedMF(factors: 3, epochs: 5, seed: 2)], seed: 4)
          .fit(train),
        try PopularityAlgorithm().fit(train),
      ]
    } catch {
      fatalError("fitting the fixture models failed: \(error)")
    }
  }()

  /// The fixture of kind `kind` (the first one).
  static func model(_ kind: String) throws -> any PersistableModel {
    try #require(all.first { type(of: $0).archiveKind == kind })
  }

  /// The error loading `archive` (through its encoded bytes) throws, or nil when it loads.
  static func loadError(_ archive: ModelArchive) -> ModelFileError? {
    do {
      _ = try ModelRegistry.model(from: ModelArchive(decoding: archive.encoded()))
      return nil
    } catch let error as ModelFileError {
      return error
    } catch {
      Issue.record("not a ModelFileError: \(error)")
      return nil
    }
  }

  /// `archive` with its metadata JSON edited.
  static func editingMetadata(
    _ archive: ModelArchive, _ edit: (inout [String: Any]) throws -> Void
  ) throws -> ModelArchive {
    var object = try #require(
      try JSONSerialization.jsonObject(with: archive.metadata) as? [String: Any])
    try edit(&object)
    var copy = archive
    copy.metadata = try JSONSerialization.data(withJSONObject: object)
    return copy
  }

  /// `archive` with element `index` of its Float32 array `name` set to `value`.
  static func settingFloat(
    _ archive: ModelArchive, _ name: String, index: Int, to value: Float
  ) throws -> ModelArchive {
    var copy = archive
    let position = try #require(copy.arrays.firstIndex { $0.name == name })
    guard case .float32(var values) = copy.arrays[position].payload else {
      throw ModelFileError(.corrupted, "\(name) is not Float32")
    }
    values[index] = value
    copy.arrays[position].payload = .float32(values)
    return copy
  }

  /// A new empty temporary folder.
  static func folder() throws -> URL {
    try ModelArchiveTests.folder()
  }
}
