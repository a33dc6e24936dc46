import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixRecommend

/// Content models save and load bit-identically through the model file, and tampered files are
/// refused with typed errors naming the field.
@Suite("Content model files")
struct ContentPersistenceTests {
  static func model() throws -> ContentModel {
    try ContentFixtures.randomModel().model
  }

  /// The error loading `archive` (through its bytes and the registry) throws, or nil.
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

  /// `archive` with array `name` replaced by `payload`.
  static func replacing(
    _ archive: ModelArchive, _ name: String, with payload: ModelArchive.Payload
  ) throws -> ModelArchive {
    var copy = archive
    let k = try #require(copy.arrays.firstIndex { $0.name == name })
    copy.arrays[k].payload = payload
    return copy
  }

  /// `archive` with its metadata's `features` object edited.
  static func editingFeatures(
    _ archive: ModelArchive, _ edit: (inout [String: Any]) -> Void
  ) throws -> ModelArchive {
    var object = try #require(
      try JSONSerialization.jsonObject(with: archive.metadata) as? [String: Any])
    var features = try #require(object["features"] as? [String: Any])
    edit(&features)
    object["features"] = features
    var copy = archive
    copy.metadata = try JSONSerialization.data(withJSONObject: object)
    return copy
  }

  @Test func roundTripIsBitIdentical() throws {
    let model = try Self.model()
    let bytes = try model.archive().encoded()
    let loaded = try ContentModel(archive: ModelArchive(decoding: bytes))
    #expect(loaded == model)
    #expect(try loaded.archive().encoded() == bytes)
    for u in 0..<model.users.count {
      #expect(
        loaded.scores(forUser: u).map(\.bitPattern) == model.scores(forUser: u).map(\.bitPattern))
    }
    #expect(loaded.scoresForUnknownUser() == model.scoresForUnknownUser())
    // Through a file and the registry, as `any RecommenderModel`.
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("content-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("content.aflix")
    try model.save(to: url)
    let any = try ModelRegistry.load(from: url)
    let typed = try #require(any as? ContentModel)
    #expect(typed == model)
    #expect(ModelRegistry.kinds.contains(ContentModel.archiveKind))
    #expect(try ContentModel.load(from: url) == model)
  }

  /// NaN, ±∞ and absurd magnitudes in every Float32 array are refused, naming field and entry.
  @Test func nonFiniteValuesAreRefused() throws {
    let archive = try Self.model().archive()
    for name in ["ratings", "features.values", "features.traitWeights"] {
      guard case .float32(let values) = try archive.payload(named: name) else {
        Issue.record("\(name) is not Float32")
        continue
      }
      let k = values.count / 2
      for bad: Float in [.nan, .infinity, -.infinity, 1e30] {
        var patched = values
        patched[k] = bad
        let error = try #require(
          Self.loadError(try Self.replacing(archive, name, with: .float32(patched))))
        #expect(error.kind == .invalidValue, "\(name): \(error)")
        #expect(error.message.contains("field '\(name)' entry \(k) is \(bad)"), "\(error)")
      }
    }
  }

  /// Consistent bytes with values no fit produces: a row not of unit norm, a negative weight,
  /// a trait index out of range or repeated in a row, broken offsets, an unsorted or repeated
  /// vocabulary, invalid options, missing arrays.
  @Test func inconsistentFeaturesAreRefused() throws {
    let archive = try Self.model().archive()
    guard case .float32(let values) = try archive.payload(named: "features.values"),
      case .int32(let traits) = try archive.payload(named: "features.traits"),
      case .int64(let offsets) = try archive.payload(named: "features.offsets"),
      case .float32(let weights) = try archive.payload(named: "features.traitWeights")
    else {
      Issue.record("unexpected array types")
      return
    }
    var halved = values
    halved[0] /= 2
    var negative = weights
    negative[1] = -negative[1]
    var outOfRange = traits
    outOfRange[2] = Int32(weights.count)
    // The first row with two traits gets its second trait repeated.
    let row = try #require((0..<(offsets.count - 1)).first { offsets[$0 + 1] - offsets[$0] >= 2 })
    var repeated = traits
    repeated[Int(offsets[row]) + 1] = repeated[Int(offsets[row])]
    var decreasing = offsets
    decreasing[1] = decreasing[2] + 1
    let cases: [(ModelArchive, ModelFileError.Kind, String)] = [
      (
        try Self.replacing(archive, "features.values", with: .float32(halved)), .invalidValue,
        "norm"
      ),
      (
        try Self.replacing(archive, "features.traitWeights", with: .float32(negative)),
        .invalidValue, "weight"
      ),
      (
        try Self.replacing(archive, "features.traits", with: .int32(outOfRange)), .invalidValue,
        "features.traits"
      ),
      (
        try Self.replacing(archive, "features.traits", with: .int32(repeated)), .invalidValue,
        "features"
      ),
      (
        try Self.replacing(archive, "features.offsets", with: .int64(decreasing)), .invalidValue,
        "features.offsets"
      ),
      (
        try Self.replacing(archive, "features.offsets", with: .int64(Array(offsets.dropLast()))),
        .corrupted, "features.offsets"
      ),
      (
        try Self.replacing(archive, "features.traits", with: .float32([])), .corrupted,
        "element types"
      ),
      (
        try Self.editingFeatures(archive) { f in
          var names = f["traits"] as! [String]
          names.swapAt(0, 1)
          f["traits"] = names
        }, .invalidValue, "trait"
      ),
      (
        try Self.editingFeatures(archive) { f in
          var names = f["traits"] as! [String]
          names[1] = names[0]
          f["traits"] = names
        }, .invalidValue, "trait"
      ),
      (
        try Self.editingFeatures(archive) { f in
          var options = f["options"] as! [String: Any]
          options["genres"] = -1
          f["options"] = options
        }, .invalidValue, "genre weight"
      ),
      (
        try Self.editingFeatures(archive) { f in f["catalogItemCount"] = 1_000 }, .invalidValue,
        "catalogItemCount"
      ),
    ]
    for (patched, kind, mention) in cases {
      let error = try #require(Self.loadError(patched), "\(mention)")
      #expect(error.kind == kind, "\(mention): \(error)")
      #expect(error.message.contains(mention), "\(mention): \(error)")
    }
    for name in ["features.values", "ratings", "history.offsets", "history.items"] {
      var copy = archive
      copy.arrays.removeAll { $0.name == name }
      let error = try #require(Self.loadError(copy), "without \(name)")
      #expect(error.kind == .corrupted, "\(name): \(error)")
    }
  }

  /// A changed byte is a checksum mismatch; the same change resealed is refused by value.
  @Test func aChangedByteIsCaught() throws {
    let model = try Self.model()
    var bytes = [UInt8](try model.archive().encoded())
    // The last Float32 of the file is the last trait weight: make it NaN.
    let offset = bytes.count - 8 - 4
    for (j, b) in withUnsafeBytes(of: Float.nan.bitPattern.littleEndian, Array.init).enumerated() {
      bytes[offset + j] = b
    }
    let unsealed = #expect(throws: ModelFileError.self) {
      try ModelArchive(decoding: Data(bytes))
    }
    #expect(unsealed?.kind == .checksumMismatch)
    let resealed = try ModelArchive(decoding: ModelArchive.resealed(bytes))
    let error = try #require(Self.loadError(resealed))
    #expect(error.kind == .invalidValue)
    #expect(error.message.contains("features.traitWeights"))
  }
}
