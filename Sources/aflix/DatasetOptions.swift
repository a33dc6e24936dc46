import AFlix
import ArgumentParser
import Foundation

/// Options every command that reads a dataset shares.
struct DatasetOptions: ParsableArguments {
  @Option(help: "The format, instead of detecting it: ml100k, mlcsv, mldat, tmdb or csv.")
  var format: DatasetFormat?

  @Flag(help: "Skip malformed lines (each is counted and reported) instead of stopping.")
  var lenient = false

  @Option(help: "Duplicate (user, item) ratings: error, sum, keep-last or mean.")
  var duplicates: DuplicatePolicy = .error

  @Option(
    parsing: .unconditional,
    help: "The rating scale as MIN:MAX or MIN:MAX:STEP (default: the format's).",
    transform: RatingScale.parse)
  var scale: RatingScale?

  /// Loads `path`: a folder written by `aflix synth` (it holds `world.json`) through
  /// `SyntheticWorld.load(from:)`, so its continuous scale and ground truth come along; a file
  /// `aflix synth` wrote (a `world.json` beside it) with the world's rating scale unless
  /// `--scale` is given; anything else through `DatasetLoader`. A rating outside the format's
  /// default scale gets a hint.
  func load(path: String) throws -> (dataset: LoadedDataset, world: SyntheticWorld?) {
    let path = try DatasetReference.resolve(path)  // a fetched dataset's name: its folder
    let url = URL(fileURLWithPath: path)
    let worldFile = url.appendingPathComponent("world.json").path
    if format == nil, try FileAccess.kind(atPath: url.path) == .directory,
      try FileAccess.exists(atPath: worldFile)
    {
      // A world is read as it was written: its own scale, strict, no duplicates.
      let ignored = [
        lenient ? "--lenient" : nil, scale.map { _ in "--scale" },
        duplicates != .error ? "--duplicates" : nil,
      ].compactMap { $0 }
      guard ignored.isEmpty else {
        throw CommandError(
          "\(ignored.joined(separator: ", ")) does not apply to a world folder (\(path) holds "
            + "world.json, read as written); give \(url.appendingPathComponent("ratings.csv").path) "
            + "to load its ratings file with these options")
      }
      let world = try SyntheticWorld.load(from: url)
      let loaded = LoadedDataset(
        ratings: world.ratings, catalog: world.catalog,
        report: LoadReport(linesRead: world.ratings.ratingCount), format: .movieLensCSV,
        source: path)
      return (loaded, world)
    }
    var options = loadOptions()
    if scale == nil, let written = try Self.worldScale(besideFile: url) { options.scale = written }
    do {
      return (try DatasetLoader.load(path: path, format: format, options: options), nil)
    } catch let error as DataError where error.kind == .outOfScale && scale == nil {
      throw CommandError(
        "\(error)\n(the format's default scale applies; declare another with --scale MIN:MAX or "
          + "MIN:MAX:STEP, e.g. --scale 0.5:5 for continuous ratings)")
    }
  }

  func loadOptions() -> LoadOptions {
    var options = LoadOptions(
      strictness: lenient ? .lenient : .strict, duplicates: duplicates)
    if let scale { options.scale = scale }
    return options
  }

  /// The rating scale of the world `aflix synth` wrote beside `file` (its `world.json`), or `nil`
  /// when `file` is not such a file.
  ///
  /// - Throws: the world description's error when a `world.json` is there but cannot be used
  ///   (broken JSON, a link loop): it is not hidden behind a scale hint.
  static func worldScale(besideFile file: URL) throws -> RatingScale? {
    guard ["ratings.csv", "truth.csv"].contains(file.lastPathComponent),
      try FileAccess.kind(atPath: file.path) == .regularFile
    else { return nil }
    let folder = file.deletingLastPathComponent()
    guard try FileAccess.exists(atPath: folder.appendingPathComponent("world.json").path) else {
      return nil
    }
    return try SyntheticWorld.configuration(in: folder).ratingScale
  }

}

extension DatasetFormat: ExpressibleByArgument {}

extension DuplicatePolicy: ExpressibleByArgument {
  /// Parses `error`, `sum`, `keep-last` (or `keepLast`) and `mean`.
  public init?(argument: String) {
    switch argument {
    case "error": self = .error
    case "sum": self = .sum
    case "keep-last", "keepLast": self = .keepLast
    case "mean": self = .mean
    default: return nil
    }
  }
}

/// An error the command line reports as it is, with a hint added to a library error.
struct CommandError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
