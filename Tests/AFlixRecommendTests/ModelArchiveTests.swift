import AFlixData
import Foundation
import Testing

@testable import AFlixRecommend

@Suite("Model files")
struct ModelArchiveTests {
  static func model() throws -> BaselineModel {
    let data = try RatingsDataset(
      ratings: [
        Rating(user: 1, item: "a", value: 4), Rating(user: 1, item: "b", value: 2),
        Rating(user: 2, item: "a", value: 5), Rating(user: 3, item: "c", value: 1),
      ], scale: .oneToFive)
    return try Baseline().fit(data)
  }

  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-model-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func roundTripGivesIdenticalPredictions() throws {
    let model = try Self.model()
    let url = try Self.folder().appendingPathComponent("model.aflix")
    try model.save(to: url)
    let loaded = try BaselineModel.load(from: url)
    #expect(loaded == model)
    for u in 0..<model.users.count {
      for i in 0..<model.items.count {
        #expect(loaded.predict(user: u, item: i) == model.predict(user: u, item: i))
      }
    }
    // Saving is deterministic: the same model gives the same bytes.
    #expect(try model.archive().encoded() == loaded.archive().encoded())
  }

  @Test func everyFlippedByteIsDetected() throws {
    let bytes = [UInt8](try Self.model().archive().encoded())
    for position in bytes.indices {
      var damaged = bytes
      damaged[position] ^= 0x5A
      let error = try #require(throws: ModelFileError.self, "byte \(position)") {
        _ = try ModelArchive(decoding: Data(damaged), expectingKind: "baseline")
      }
      // The header's own checksum guards the lengths: a changed byte is never "truncated".
      let expected: ModelFileError.Kind =
        position < 8 ? .notAModelFile : position < 12 ? .unsupportedVersion : .checksumMismatch
      #expect(error.kind == expected, "byte \(position): \(error)")
    }
  }

  @Test func everyTruncationIsDetected() throws {
    let bytes = [UInt8](try Self.model().archive().encoded())
    for length in 0..<bytes.count {
      let error = try #require(throws: ModelFileError.self, "length \(length)") {
        _ = try ModelArchive(decoding: Data(bytes[0..<length]))
      }
      // Shorter than the magic: not recognisably a model file; from the version on: truncated.
      let expected: ModelFileError.Kind = length < 8 ? .notAModelFile : .truncated
      #expect(error.kind == expected, "length \(length): \(error)")
    }
    // Past the header, the message says how much is missing.
    let short = try #require(throws: ModelFileError.self) {
      _ = try ModelArchive(decoding: Data(bytes[0..<(bytes.count - 20)]))
    }
    #expect(short.kind == .truncated && short.message.contains("20 bytes early"))
    // Bytes appended after the declared end are not silently ignored.
    let long = try #require(throws: ModelFileError.self) {
      _ = try ModelArchive(decoding: Data(bytes + [0]))
    }
    #expect(long.kind == .corrupted && long.message.contains("1 unexpected byte"))
  }

  /// FNV-1a 64, written here from its definition (independent of the library's).
  static func fnv1a(_ bytes: some Collection<UInt8>) -> UInt64 {
    bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
  }

  @Test func aHeaderDeclaringAHugeLengthIsTruncatedNotACrash() throws {
    var bytes = [UInt8](try Self.model().archive().encoded())
    // A valid header (its checksum recomputed) that declares 2⁶⁰ bytes.
    let huge: UInt64 = 1 << 60
    for k in 0..<8 { bytes[12 + k] = UInt8(truncatingIfNeeded: huge >> (8 * k)) }
    let sum = Self.fnv1a(bytes[0..<20])
    for k in 0..<8 { bytes[20 + k] = UInt8(truncatingIfNeeded: sum >> (8 * k)) }
    let error = try #require(throws: ModelFileError.self) {
      _ = try ModelArchive(decoding: Data(bytes))
    }
    #expect(error.kind == .truncated && error.message.contains("\(huge)"))
    // The library's header checksum is FNV-1a over the first 20 bytes, as documented.
    let original = [UInt8](try Self.model().archive().encoded())
    let stored = (0..<8).reduce(UInt64(0)) { $0 | UInt64(original[20 + $1]) << (8 * $1) }
    #expect(stored == Self.fnv1a(original[0..<20]))
  }

  @Test func wrongVersionAndWrongKindAreNamed() throws {
    var archive = try Self.model().archive()
    var bytes = [UInt8](archive.encoded())
    bytes[8] = 3  // version 3
    let version = try #require(throws: ModelFileError.self) {
      _ = try ModelArchive(decoding: Data(bytes))
    }
    #expect(version.kind == .unsupportedVersion && version.message.contains("3"))
    archive.kind = "mf-als"
    let wrong = try #require(throws: ModelFileError.self) {
      _ = try ModelArchive(decoding: archive.encoded(), expectingKind: "baseline")
    }
    #expect(wrong.kind == .wrongKind && wrong.message.contains("mf-als"))
    let notModel = try #require(throws: ModelFileError.self) {
      _ = try ModelArchive(decoding: Data("userId,movieId,rating\n".utf8))
    }
    #expect(notModel.kind == .notAModelFile)
  }

  @Test func inconsistentContentsAreCorruptedNotCrashes() throws {
    let model = try Self.model()
    var archive = try model.archive()
    archive.arrays[0] = ("userBias", .float32([1, 2]))  // 3 users
    let error = try #require(throws: ModelFileError.self) {
      _ = try BaselineModel(archive: ModelArchive(decoding: archive.encoded()))
    }
    #expect(error.kind == .corrupted && error.message.contains("userBias"))
    let noMetadata = ModelArchive(kind: "baseline", metadata: Data("{}".utf8), arrays: [])
    #expect(throws: ModelFileError.self) { _ = try BaselineModel(archive: noMetadata) }
  }

  @Test func anInterruptedSaveLeavesThePreviousFile() throws {
    let folder = try Self.folder()
    let url = folder.appendingPathComponent("model.aflix")
    let first = try Self.model()
    try first.save(to: url)
    let before = try Data(contentsOf: url)
    struct Interrupted: Error {}
    let other = ModelArchive(kind: "baseline", metadata: Data("{}".utf8))
    #expect(throws: (any Error).self) {
      try ModelArchive.atomicWrite(other.encoded(), to: url) { throw Interrupted() }
    }
    #expect(try Data(contentsOf: url) == before)
    // No temporary file is left behind.
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(left == ["model.aflix"])
    // Loading a missing file is an I/O error naming it.
    let missing = try #require(throws: ModelFileError.self) {
      _ = try BaselineModel.load(from: folder.appendingPathComponent("none.aflix"))
    }
    #expect(missing.kind == .ioFailure && missing.description.contains("none.aflix"))
  }
}

@Suite("Factor model files")
struct FactorModelFileTests {
  @Test func factorModelsRoundTripWithIdenticalScores() throws {
    let (train, _) = try FactorTestData.noisyLowRank(users: 40, items: 30)
    let folder = try ModelArchiveTests.folder()
    let mf = try BiasedMF(factors: 4, epochs: 3, seed: 1).fit(train)
    try mf.save(to: folder.appendingPathComponent("mf.aflix"))
    let mfBack = try BiasedMFModel.load(from: folder.appendingPathComponent("mf.aflix"))
    #expect(mfBack == mf)
    #expect(mfBack.scores(forUser: 3) == mf.scores(forUser: 3))
    let svd = try TruncatedSVDRecommender(rank: 3, seed: 2).fit(train)
    try svd.save(to: folder.appendingPathComponent("svd.aflix"))
    let svdBack = try TruncatedSVDModel.load(from: folder.appendingPathComponent("svd.aflix"))
    #expect(svdBack == svd)
    #expect(svdBack.predict(user: 1, item: 2) == svd.predict(user: 1, item: 2))
    // A file of one kind does not load as another.
    let wrong = try #require(throws: ModelFileError.self) {
      _ = try BiasedMFModel.load(from: folder.appendingPathComponent("svd.aflix"))
    }
    #expect(wrong.kind == .wrongKind)
  }
}
