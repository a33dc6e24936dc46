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
    help: "The rating scale as MIN:MAX or MIN:MAX:STEP (default: the format's).")
  var scale: String?

  @Option(
    parsing: .unconditional,
    help: "Threads for BLAS and AFlix's own loops (1–1024; default: all cores).")
  var threads: Int?

  func validate() throws {
    if let scale { _ = try Self.parseScale(scale) }
    if let threads {
      try CountOption.check(
        threads, "--threads", minimum: 1, maximum: Parallelism.maximumThreadLimit)
    }
  }

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
    var options = try loadOptions()
    if scale == nil, let written = try Self.worldScale(besideFile: url) { options.scale = written }
    do {
      return (try DatasetLoader.load(path: path, format: format, options: options), nil)
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

  func applyThreads() {
    guard let threads else { return }
    BLAS.threadCount = threads
    Parallelism.maximumThreadCount = threads
  }

  /// `MIN:MAX` or `MIN:MAX:STEP`: finite numbers within `Float`'s range, `MIN < MAX`, a positive
  /// step, and at most ``maximumScaleSteps`` steps from `MIN` to `MAX`.
  static func parseScale(_ text: String) throws -> RatingScale {
    func fail(_ reason: String) -> ValidationError {
      ValidationError("--scale '\(text)': \(reason) (expected MIN:MAX or MIN:MAX:STEP)")
    }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3 else { throw fail("expected 2 or 3 numbers") }
    var values: [Float] = []
    for (name, part) in zip(["MIN", "MAX", "STEP"], parts) {
      guard let number = Double(part.trimmingCharacters(in: .whitespaces)) else {
        throw fail("\(name) '\(part)' is not a number")
      }
      guard number.isFinite else { throw fail("\(name) \(part) is not finite") }
      guard abs(number) <= Double(Float.greatestFiniteMagnitude) else {
        throw fail(
          "\(name) \(part) is beyond the largest rating AFlix stores (±3.4e38, 32-bit floats)")
      }
      values.append(Float(number))
    }
    let (lo, hi) = (values[0], values[1])
    guard lo < hi else { throw fail("MIN must be below MAX") }
    guard (hi - lo).isFinite else { throw fail("MAX − MIN overflows 32-bit floats") }
    var step: Float?
    if values.count == 3 {
      let s = values[2]
      guard s > 0 else { throw fail("STEP must be positive") }
      guard Double(hi - lo) / Double(s) <= Double(maximumScaleSteps) else {
        throw fail("more than \(maximumScaleSteps) steps from MIN to MAX")
      }
      let steps = Double(hi - lo) / Double(s)
      guard abs(steps - steps.rounded()) <= 1e-4 * max(1, steps) else {
        throw fail("MAX is not a whole number of STEPs above MIN")
      }
      step = s
    }
    return RatingScale(minimum: lo, maximum: hi, step: step)
  }

  /// The most steps a stepped scale may have: 1,000,000.
  static let maximumScaleSteps = 1_000_000
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
