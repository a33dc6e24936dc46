import AFlixData
import Foundation
import Testing

@testable import AFlixRecommend

/// Indices, counts and lengths read from a model file are checked against what they index
/// before they are used or allocated (#10).
@Suite("Model file bounds")
struct ModelFileBoundsTests {
  /// `archive` with element `index` of its Int32 array `name` set to `value`.
  static func settingIndex(
    _ archive: ModelArchive, _ name: String, index: Int, to value: Int32
  ) throws -> ModelArchive {
    var copy = archive
    let position = try #require(copy.arrays.firstIndex { $0.name == name })
    guard case .int32(var values) = copy.arrays[position].payload else {
      throw ModelFileError(.corrupted, "\(name) is not Int32")
    }
    values[index] = value
    copy.arrays[position].payload = .int32(values)
    return copy
  }

  /// A kNN neighbour index outside the neighbours' count (either orientation), or an EASE
  /// interaction outside the items, is an invalid value naming array and entry.
  @Test func neighbourAndInteractionIndicesAreInRange() throws {
    let itemKNN = try #require(ModelFiles.all[3] as? KNNBaselineModel)
    let userKNN = try #require(ModelFiles.all[4] as? KNNBaselineModel)
    let ease = try #require(try ModelFiles.model(EASEModel.archiveKind) as? EASEModel)
    #expect(itemKNN.itemBased && !userKNN.itemBased)
    let cases: [(model: any PersistableModel, array: String, bound: Int)] = [
      (itemKNN, "ratingIndices", itemKNN.items.count),
      (userKNN, "ratingIndices", userKNN.users.count),
      (ease, "interactionItems", ease.items.count),
    ]
    for (model, array, bound) in cases {
      #expect(bound > 0)
      let archive = try model.archive()
      for bad in [Int32(bound), -1, .max] {
        let patched = try Self.settingIndex(archive, array, index: 3, to: bad)
        let error = try #require(ModelFiles.loadError(patched), "\(array) \(bad)")
        #expect(error.kind == .invalidValue, "\(error)")
        #expect(
          error.message.contains("field '\(array)' entry 3 is \(bad), outside 0..<\(bound)"),
          "\(error)")
      }
    }
  }

  /// kNN's `k` is bounded (each prediction allocates a heap of `k`), its minimum within `0…k`;
  /// CSR offsets must run from 0 to the number of entries without decreasing.
  @Test func knnCountsAndOffsetsAreChecked() throws {
    let archive = try ModelFiles.model(KNNBaselineModel.archiveKind).archive()
    for (key, value) in [("neighbours", Int.max), ("neighbours", 0), ("minimumNeighbours", 500)] {
      let bad = try ModelFiles.editingMetadata(archive) { $0[key] = value }
      let error = try #require(ModelFiles.loadError(bad), "\(key) \(value)")
      #expect(error.kind == .invalidValue && error.message.contains("'\(key)'"), "\(error)")
    }
    var decreasing = archive
    let position = try #require(decreasing.arrays.firstIndex { $0.name == "ratingOffsets" })
    guard case .int64(var offsets) = decreasing.arrays[position].payload else {
      Issue.record("ratingOffsets is not Int64")
      return
    }
    offsets[2] = offsets[1] - 1
    decreasing.arrays[position].payload = .int64(offsets)
    let error = try #require(ModelFiles.loadError(decreasing))
    #expect(error.kind == .invalidValue && error.message.contains("'ratingOffsets'"), "\(error)")
  }

  /// A blend's weights and intercept are finite and sane, and a bad value inside a member is
  /// named with the member and the array as stored (`m1.…`).
  @Test func blendWeightsAndMembersAreChecked() throws {
    let archive = try ModelFiles.model(BlendModel.archiveKind).archive()
    let weights = try ModelFiles.editingMetadata(archive) {
      var w = try #require($0["weights"] as? [Double])
      w[1] = 1e30
      $0["weights"] = w
    }
    let error = try #require(ModelFiles.loadError(weights))
    #expect(error.kind == .invalidValue && error.message.contains("field 'weights' entry 1"))
    let intercept = try ModelFiles.editingMetadata(archive) { $0["intercept"] = 1e20 }
    #expect(ModelFiles.loadError(intercept)?.message.contains("'intercept'") == true)
    // Member 0's nested metadata (base64 JSON) with a mean outside the scale.
    let member = try ModelFiles.editingMetadata(archive) {
      var nested = try #require($0["memberMetadata"] as? [String])
      let data = try #require(Data(base64Encoded: nested[0]))
      var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      object["globalMean"] = -1
      nested[0] = try JSONSerialization.data(withJSONObject: object).base64EncodedString()
      $0["memberMetadata"] = nested
    }
    let nested = try #require(ModelFiles.loadError(member))
    #expect(nested.kind == .invalidValue, "\(nested)")
    #expect(nested.message.contains("blend member 0") && nested.message.contains("'globalMean'"))
  }

  /// EASE's λ and popularity counts are checked.
  @Test func easeRegularizationAndPopularityCountsAreChecked() throws {
    let ease = try ModelFiles.editingMetadata(
      try ModelFiles.model(EASEModel.archiveKind).archive()
    ) { $0["regularization"] = -1 }
    #expect(ModelFiles.loadError(ease)?.kind == .invalidValue)
    var popularity = try ModelFiles.model(PopularityModel.archiveKind).archive()
    let slot = try #require(popularity.arrays.firstIndex { $0.name == "counts" })
    guard case .int64(var counts) = popularity.arrays[slot].payload else {
      Issue.record("counts is not Int64")
      return
    }
    counts[4] = -7
    popularity.arrays[slot].payload = .int64(counts)
    let error = try #require(ModelFiles.loadError(popularity))
    #expect(error.kind == .invalidValue && error.message.contains("field 'counts' entry 4 is -7"))
  }

  /// Sets the 8 little-endian bytes at `offset` to `value`.
  static func put(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
    for k in 0..<8 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
  }

  /// A resealed file whose lengths claim 2⁶⁰ elements, UInt64.max bytes of metadata or a 4 GiB
  /// name is refused as truncated or too long before anything of that size is allocated (an
  /// allocation of 2⁶² bytes would crash the test process).
  @Test func hugeDeclaredCountsAreCheckedBeforeAllocating() throws {
    for (type, payload) in [(1, ModelArchive.Payload.float32([])), (4, .int64([]))] {
      let archive = ModelArchive(
        kind: "baseline", metadata: Data("{}".utf8), arrays: [("x", payload)])
      let bytes = [UInt8](archive.encoded())
      // The empty array's element count is the 8 bytes before the trailing checksum.
      for claimed: UInt64 in [1 << 60, 1 << 61, .max] {
        var patched = bytes
        Self.put(claimed, at: patched.count - 16, in: &patched)
        let error = try #require(throws: ModelFileError.self, "type \(type), \(claimed)") {
          _ = try ModelArchive(decoding: ModelArchive.resealed(patched))
        }
        #expect(error.kind == .truncated || error.kind == .corrupted, "\(error)")
        #expect(error.message.contains("array 'x'"), "\(error)")
      }
    }
    // The metadata length follows the 28-byte header and the kind (4 + 8 bytes).
    var metadata = [UInt8](ModelArchive(kind: "baseline", metadata: Data("{}".utf8)).encoded())
    Self.put(.max, at: 28 + 4 + 8, in: &metadata)
    let long = try #require(throws: ModelFileError.self) {
      _ = try ModelArchive(decoding: ModelArchive.resealed(metadata))
    }
    #expect(long.kind == .truncated && long.message.contains("metadata"), "\(long)")
    // An array name claiming 2³² − 1 bytes.
    var name = [UInt8](
      ModelArchive(kind: "b", metadata: Data(), arrays: [("x", .float32([]))]).encoded())
    let nameOffset = 28 + 4 + 1 + 8 + 4
    for k in 0..<4 { name[nameOffset + k] = 0xFF }
    let error = try #require(throws: ModelFileError.self) {
      _ = try ModelArchive(decoding: ModelArchive.resealed(name))
    }
    #expect(error.kind == .truncated && error.message.contains("array name"), "\(error)")
  }
}
