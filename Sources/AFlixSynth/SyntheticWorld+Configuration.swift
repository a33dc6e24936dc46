import AFlixData
import Foundation

extension SyntheticWorld {
  /// The largest `world.json` read: 64 MiB (a generated world's is a few kilobytes; a provided
  /// catalog is stored in `movies.csv`, not here).
  public static let maximumDescriptionBytes = 64 << 20

  /// The configuration in `directory/world.json`, without reading the world's other files — for
  /// example to read a `ratings.csv` that ``WorldWriter`` wrote with the world's rating scale.
  ///
  /// - Throws: `DataError` when the file cannot be read (missing, not a regular file, larger than
  ///   ``maximumDescriptionBytes``); ``SynthError`` `.invalidFile` when it does not decode or
  ///   its configuration is invalid.
  public static func configuration(in directory: URL) throws -> WorldConfiguration {
    let url = directory.appendingPathComponent("world.json")
    try FileAccess.requireReadableFile(url)
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    guard size <= maximumDescriptionBytes else {
      throw SynthError(
        .invalidFile, parameter: "world.json",
        message: "\(url.path) holds \(size) bytes, more than a world description can "
          + "(\(maximumDescriptionBytes) bytes)")
    }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw FileAccess.error(error, path: url.path, action: "read")
    }
    let file: WorldFile
    do {
      file = try JSONDecoder().decode(WorldFile.self, from: data)
    } catch {
      throw SynthError(.invalidFile, parameter: "world.json", message: "\(error)")
    }
    try file.configuration.validate()
    return file.configuration
  }
}
