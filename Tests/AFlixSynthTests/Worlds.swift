import AFlixData
import AFlixLinalg
import AFlixSynth
import Foundation

/// Worlds shared by the tests (generated once, lazily and thread-safely).
enum Worlds {
  /// The default world: 10,000 users × 400 films, continuous ratings.
  static let standard: SyntheticWorld = try! SyntheticWorld.generate(seed: 42)

  /// 10,000 users drawn from the original's five archetypes, half stars.
  static let archetypes: SyntheticWorld = {
    var configuration = WorldConfiguration()
    configuration.archetypes = Archetype.original
    configuration.rounding = .halfStars
    return try! SyntheticWorld.generate(configuration, seed: 7)
  }()

  /// Mean and sample standard deviation.
  static func moments(_ xs: [Double]) -> (mean: Double, sd: Double) {
    let mean = xs.reduce(0, +) / Double(xs.count)
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)
    return (mean, variance.squareRoot())
  }

  /// A new empty temporary folder.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "aflix-synth-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
