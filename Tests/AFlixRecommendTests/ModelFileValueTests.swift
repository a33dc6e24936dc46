import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixRecommend

/// Files whose bytes are consistent (checksums recomputed) but whose values are not sane are
/// refused on loading, naming the file, the field and the entry: they used to load and then
/// predict NaN (#10).
@Suite("Model file values")
struct ModelFileValueTests {
  /// Every Float32 array of every model kind refuses NaN, ±∞ and absurd magnitudes, naming the
  /// array (as stored, `m0.` for a blend member) and the entry.
  @Test func everyFloatArrayRefusesNonFiniteValues() throws {
    var checked = 0
    for model in ModelFiles.all {
      let archive = try model.archive()
      #expect(ModelFiles.loadError(archive) == nil, "\(archive.kind) loads as saved")
      for (name, payload) in archive.arrays {
        guard case .float32(let values) = payload, !values.isEmpty else { continue }
        let k = values.count / 2
        for bad: Float in [.nan, .infinity, -.infinity, 1e30] {
          let patched = try ModelFiles.settingFloat(archive, name, index: k, to: bad)
          let error = try #require(ModelFiles.loadError(patched), "\(archive.kind) \(name)")
          #expect(error.kind == .invalidValue, "\(archive.kind) \(name): \(error)")
          #expect(
            error.message.contains("field '\(name)' entry \(k) is \(bad)"),
            "\(archive.kind) \(name): \(error)")
          checked += 1
        }
      }
    }
    // Baseline 2, MF 4, SVD 7, kNN 2 × 4, EASE 1, iALS 2, BPR 3, blend 2 + 4 arrays.
    #expect(checked == 4 * 33)
  }

  /// The reproducer: a NaN patched into the file's bytes and both checksums recomputed.
  @Test func aPatchedAndResealedFileNamesFileFieldAndEntry() throws {
    let folder = try ModelFiles.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("model.aflix")
    let model = try ModelFiles.model(BiasedMFModel.archiveKind)
    let original = [UInt8](try model.archive().encoded())
    #expect(ModelArchive.resealed(original) == Data(original))
    // itemFactors is the last array: its entry 17 sits 4 · (count − 17) bytes before the
    // trailing checksum.
    let count = (model as? BiasedMFModel)?.itemFactors.elements.count ?? 0
    #expect(count > 17)
    var bytes = original
    let offset = bytes.count - 8 - 4 * (count - 17)
    for (j, b) in withUnsafeBytes(of: Float.nan.bitPattern.littleEndian, Array.init).enumerated() {
      bytes[offset + j] = b
    }
    try Data(bytes).write(to: url)
    let unsealed = try #require(throws: ModelFileError.self) {
      _ = try ModelRegistry.load(from: url)
    }
    #expect(unsealed.kind == .checksumMismatch)
    try ModelArchive.resealed(bytes).write(to: url)
    for load in [
      { _ = try ModelRegistry.load(from: url) }, { _ = try BiasedMFModel.load(from: url) },
    ] {
      let error = try #require(throws: ModelFileError.self) { try load() }
      #expect(error.kind == .invalidValue)
      #expect(error.file == "model.aflix")
      #expect(
        error.description == "model.aflix: invalidValue: field 'itemFactors' entry 17 is nan",
        "\(error)")
    }
  }

  /// A global mean of −1 or 1e12 on a 1–5 scale is refused by every kind that stores one.
  @Test(arguments: [Float(-1), 1e12])
  func globalMeansOutsideTheScaleAreRefused(mean: Float) throws {
    let kinds = [
      BaselineModel.archiveKind, BiasedMFModel.archiveKind, TruncatedSVDModel.archiveKind,
      KNNBaselineModel.archiveKind,
    ]
    for kind in kinds {
      let archive = try ModelFiles.editingMetadata(try ModelFiles.model(kind).archive()) {
        $0["globalMean"] = Double(mean)
      }
      let error = try #require(ModelFiles.loadError(archive), "\(kind)")
      #expect(error.kind == .invalidValue, "\(kind): \(error)")
      #expect(error.message.contains("field 'globalMean' is \(mean)"), "\(kind): \(error)")
    }
  }

  /// A scale with crossed bounds, equal bounds or a step ≤ 0 is refused.
  @Test func invalidScalesAreRefused() throws {
    let archive = try ModelFiles.model(BaselineModel.archiveKind).archive()
    let scales: [[String: Any]] = [
      ["minimum": 5, "maximum": 1, "step": 1], ["minimum": 3, "maximum": 3],
      ["minimum": 1, "maximum": 5, "step": 0], ["minimum": 1, "maximum": 5, "step": -0.5],
    ]
    for scale in scales {
      let bad = try ModelFiles.editingMetadata(archive) { $0["scale"] = scale }
      let error = try #require(ModelFiles.loadError(bad), "\(scale)")
      #expect(error.kind == .invalidValue && error.message.contains("'scale'"), "\(error)")
    }
  }

  /// Factor counts: a count that disagrees with the arrays is a shape mismatch; 0 or 2⁴⁰ is out
  /// of limits (refused before any shape arithmetic).
  @Test func factorCountsAreCheckedAgainstShapesAndLimits() throws {
    for kind in [BiasedMFModel.archiveKind, ImplicitALSModel.archiveKind, BPRModel.archiveKind] {
      let archive = try ModelFiles.model(kind).archive()
      let mismatch = try ModelFiles.editingMetadata(archive) { $0["factors"] = 5 }
      let shape = try #require(ModelFiles.loadError(mismatch), "\(kind)")
      #expect(shape.kind == .corrupted && shape.message.contains("Factors'"), "\(shape)")
      for factors in [0, 1 << 40] {
        let bad = try ModelFiles.editingMetadata(archive) { $0["factors"] = factors }
        let error = try #require(ModelFiles.loadError(bad), "\(kind) \(factors)")
        #expect(
          error.kind == .invalidValue && error.message.contains("field 'factors' is \(factors)"),
          "\(error)")
      }
    }
    let svd = try ModelFiles.editingMetadata(
      try ModelFiles.model(TruncatedSVDModel.archiveKind).archive()
    ) { $0["rank"] = -3 }
    #expect(ModelFiles.loadError(svd)?.kind == .invalidValue)
  }

  /// Id maps: a repeated id is an invalid value naming the map; a map shorter than the arrays is
  /// a shape mismatch.
  @Test func idMapsAreCheckedForRepeatsAndShape() throws {
    let archive = try ModelFiles.model(BaselineModel.archiveKind).archive()
    let repeated = try ModelFiles.editingMetadata(archive) {
      var users = try #require($0["users"] as? [Any])
      users[1] = users[0]
      $0["users"] = users
    }
    let error = try #require(ModelFiles.loadError(repeated))
    #expect(error.kind == .invalidValue && error.message.contains("'users'"), "\(error)")
    let short = try ModelFiles.editingMetadata(archive) {
      $0["items"] = Array(try #require($0["items"] as? [Any]).dropLast())
    }
    let shape = try #require(ModelFiles.loadError(short))
    #expect(shape.kind == .corrupted && shape.message.contains("itemBias"), "\(shape)")
  }
}
