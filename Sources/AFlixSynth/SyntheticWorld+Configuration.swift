import AFlixData
import Foundation

extension SyntheticWorld {
  /// The largest `world.json` read: 64 MiB (a generated world's is a few kilobytes; a provided
  /// catalog is stored in `movies.csv`, not here).
  public static let maximumDescriptionBytes = 64 << 20

  /// The configuration in `directory/world.json`, without reading the world's other files — for
  /// example to read a `ratings.csv` that ``WorldWriter`` wrote with the world's rating scale.
  ///
  /// - Throws: ``SynthError`` `.invalidFile` when the file cannot be read (missing, not a
  ///   regular file, larger than ``maximumDescriptionBytes``), is not valid JSON (with the line
  ///   and column), does not decode (naming the field), or its configuration is invalid.
  public static func configuration(in directory: URL) throws -> WorldConfiguration {
    try worldFile(in: directory).configuration
  }

  /// `directory/world.json`, size-checked, syntax-checked (a syntax error gives its line and
  /// column), decoded (a field of the wrong type is named by its path) and validated.
  static func worldFile(in directory: URL) throws -> WorldFile {
    let url = directory.appendingPathComponent("world.json")
    func invalid(_ message: String) -> SynthError {
      SynthError(.invalidFile, parameter: "world.json", message: message)
    }
    do {
      try FileAccess.requireReadableFile(url)
    } catch let error as DataError {
      throw invalid(error.message)
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    guard size <= maximumDescriptionBytes else {
      throw invalid(
        "\(url.path) holds \(size) bytes, more than a world description can "
          + "(\(maximumDescriptionBytes) bytes)")
    }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw invalid(FileAccess.error(error, path: url.path, action: "read").message)
    }
    if let syntax = JSONSyntax.check(data, file: "world.json") {
      throw invalid(syntax.message)
    }
    let file: WorldFile
    do {
      file = try JSONDecoder().decode(WorldFile.self, from: data)
    } catch {
      throw invalid(JSONSyntax.describe(error))
    }
    try file.configuration.validate()
    return file
  }
}
