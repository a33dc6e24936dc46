import AFlixData
import AFlixSynth
import Foundation
import Testing

/// A world folder's `world.json`: syntax errors give a line and column, fields of the wrong type
/// are named by path, and the configuration alone can be read (issue #10).
@Suite("world.json errors")
struct WorldDescriptionTests {
  static func folder(with json: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-world-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try Data(json.utf8).write(to: url.appendingPathComponent("world.json"))
    return url
  }

  static func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return ""
    } catch {
      return "\(error)"
    }
  }

  @Test func aSyntaxErrorNamesItsLineAndColumn() throws {
    let url = try Self.folder(with: "{\n  \"format\": 1,\n  \"seed\": 3,,\n}\n")
    for text in [
      Self.message { _ = try SyntheticWorld.configuration(in: url) },
      Self.message { _ = try SyntheticWorld.load(from: url) },
    ] {
      #expect(text.contains("world.json: not valid JSON: line 3, column 13"), "\(text)")
    }
  }

  @Test func aFieldOfTheWrongTypeIsNamed() throws {
    let url = try Self.folder(with: "{\"format\": 1, \"seed\": \"three\", \"configuration\": {}}")
    let text = Self.message { _ = try SyntheticWorld.configuration(in: url) }
    #expect(text.contains("field 'seed'"), "\(text)")
    #expect(!text.contains("CodingKeys"), "\(text)")
  }

  @Test func aMissingOrSpecialFileIsATypedError() throws {
    let url = try Self.folder(with: "{}")
    try FileManager.default.removeItem(at: url.appendingPathComponent("world.json"))
    try FileManager.default.createDirectory(
      at: url.appendingPathComponent("world.json"), withIntermediateDirectories: false)
    let text = Self.message { _ = try SyntheticWorld.configuration(in: url) }
    #expect(text.contains("a folder"), "\(text)")
  }

  @Test func controlCharactersInDataErrorsAreEscaped() {
    let error = DataError(.fileNotFound, file: "a\u{1B}[2Jb", message: "no such file: a\u{1B}[2Jb")
    #expect(!error.description.contains("\u{1B}"))
    #expect(error.description.contains("a\\u{1B}[2Jb"))
  }
}
