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

  @Option(help: "The rating scale as MIN:MAX or MIN:MAX:STEP (default: the format's).")
  var scale: String?

  @Option(help: "Threads for BLAS and AFlix's own loops (default: all cores).")
  var threads: Int?

  func validate() throws {
    if let scale { _ = try Self.parseScale(scale) }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
  }

  /// Loads `path`: a folder written by `aflix synth` (it holds `world.json`) through
  /// `SyntheticWorld.load(from:)`, so its continuous scale and ground truth come along; anything
  /// else through `DatasetLoader`. A rating outside the format's default scale gets a hint.
  func load(path: String) throws -> (dataset: LoadedDataset, world: SyntheticWorld?) {
    let url = URL(fileURLWithPath: path)
    let worldFile = url.appendingPathComponent("world.json").path
    if format == nil, FileManager.default.fileExists(atPath: worldFile) {
      let world = try SyntheticWorld.load(from: url)
      let loaded = LoadedDataset(
        ratings: world.ratings, catalog: world.catalog,
        report: LoadReport(linesRead: world.ratings.ratingCount), format: .movieLensCSV,
        source: path)
      return (loaded, world)
    }
    do {
      return (try DatasetLoader.load(path: path, format: format, options: try loadOptions()), nil)
    } catch let error as DataError where error.kind == .outOfScale && scale == nil {
      throw CommandError(
        "\(error)\n(the format's default scale applies; declare another with --scale MIN:MAX or "
          + "MIN:MAX:STEP, e.g. --scale 0.5:5 for continuous ratings)")
    }
  }

  func loadOptions() throws -> LoadOptions {
    var options = LoadOptions(
      strictness: lenient ? .lenient : .strict, duplicates: duplicates)
    if let scale { options.scale = try Self.parseScale(scale) }
    return options
  }

  func applyThreads() {
    guard let threads else { return }
    BLAS.threadCount = threads
    Parallelism.maximumThreadCount = threads
  }

  static func parseScale(_ text: String) throws -> RatingScale {
    let parts = text.split(separator: ":").map { Float($0) }
    guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0?.isFinite == true }),
      let lo = parts[0], let hi = parts[1], lo < hi
    else {
      throw ValidationError("--scale must be MIN:MAX or MIN:MAX:STEP with MIN < MAX, got '\(text)'")
    }
    let step = parts.count == 3 ? parts[2] : nil
    if let step, step <= 0 { throw ValidationError("--scale step must be positive, got '\(text)'") }
    return RatingScale(minimum: lo, maximum: hi, step: step)
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
