import AFlixData
import Foundation
import Testing

@testable import AFlixRecommend

/// Every error loading a model file names the file, whichever check refuses it (#10).
@Suite("Model file errors name the file")
struct ModelFileNamingTests {
  @Test func everyLoadErrorNamesTheFile() throws {
    let folder = try ModelFiles.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try ModelFiles.model(BaselineModel.archiveKind)
    let good = [UInt8](try model.archive().encoded())
    var checksum = good
    checksum[good.count / 2] ^= 0x5A
    var version = good
    version[8] = 9
    var shape = try model.archive()
    shape.arrays[0].payload = .float32([1, 2])
    let mean = try ModelFiles.editingMetadata(try model.archive()) { $0["globalMean"] = -1 }
    var unknownKind = try model.archive()
    unknownKind.kind = "no-such-kind"
    let cases: [(bytes: Data, kind: ModelFileError.Kind)] = [
      (Data("userId,movieId\n".utf8), .notAModelFile),
      (Data(version), .unsupportedVersion),
      (Data(good.dropLast(3)), .truncated),
      (Data(checksum), .checksumMismatch),
      (shape.encoded(), .corrupted),
      (mean.encoded(), .invalidValue),
      (unknownKind.encoded(), .wrongKind),
    ]
    for (k, (bytes, kind)) in cases.enumerated() {
      let url = folder.appendingPathComponent("case\(k).aflix")
      try bytes.write(to: url)
      let error = try #require(throws: ModelFileError.self, "\(kind)") {
        _ = try ModelRegistry.load(from: url)
      }
      #expect(error.kind == kind, "\(error)")
      #expect(error.file == "case\(k).aflix" && error.description.hasPrefix("case\(k).aflix: "))
      if kind != .wrongKind {
        let typed = try #require(throws: ModelFileError.self) {
          _ = try BaselineModel.load(from: url)
        }
        #expect(typed.kind == kind && typed.file == "case\(k).aflix", "\(typed)")
      }
    }
    let missing = try #require(throws: ModelFileError.self) {
      _ = try ModelRegistry.load(from: folder.appendingPathComponent("none.aflix"))
    }
    #expect(missing.kind == .ioFailure && missing.fileSystemKind == .fileNotFound)
    #expect(missing.description.hasPrefix("none.aflix: "))
  }

  /// Names and kinds read from a file are printed with control characters escaped.
  @Test func controlCharactersFromTheFileAreEscaped() throws {
    var archive = try ModelFiles.model(BaselineModel.archiveKind).archive()
    archive.kind = "evil\u{1B}[2J"
    let error = try #require(throws: ModelFileError.self) {
      _ = try ModelRegistry.model(from: ModelArchive(decoding: archive.encoded()))
    }
    #expect(!error.description.contains("\u{1B}") && error.description.contains("\\u{1B}"))
  }
}
