import AFlix
import ArgumentParser
import Foundation
import _AFlixSupport

/// `aflix info`: counts, density, rating histogram and leading singular values of a dataset.
struct InfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "info",
    abstract: "Describe a dataset: counts, histogram and top singular values.",
    discussion: """
      Without PATH, describes a small built-in sample dataset (generated, seeded).

      Example: aflix info ../shared/data/ml-100k --center user --json
      """
  )

  @Argument(help: "A dataset folder or file (see `aflix --help`). Omit for the built-in sample.")
  var path: String?

  @OptionGroup var dataset: DatasetOptions

  @Option(
    parsing: .unconditional,
    help: "How many singular values to report (at most min(users, items) − 1 are computed).")
  var top = 10

  @Option(help: "Centring before the SVD: none, global, user or item (observed entries only).")
  var center: CenterChoice = .none

  @Option(help: "Seed of the randomized SVD.")
  var seed: UInt64 = 0

  @OptionGroup var common: CommonOptions

  mutating func validate() throws {
    guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
  }

  func run() throws {
    common.applyThreads()
    let clock = ContinuousClock()
    let start = clock.now
    let loaded: LoadedDataset
    var world: SyntheticWorld?
    if let path {
      (loaded, world) = try dataset.load(path: path)
    } else {
      loaded = try SampleDataset.loaded()
    }
    let loadSeconds = (clock.now - start).inSeconds
    var summary = DatasetSummary(
      source: loaded.source, format: world == nil ? loaded.format.rawValue : "synth",
      skippedLines: loaded.report.skippedLines, skippedExamples: loaded.report.examples,
      loadSeconds: loadSeconds)
    if let ratings = loaded.ratings {
      summary.users = ratings.userCount
      summary.items = ratings.itemCount
      summary.ratings = ratings.ratingCount
      summary.density = ratings.density
      summary.globalMean = ratings.globalMean
      summary.ratingScale = ratings.scale.description
      summary.hasTimestamps = ratings.hasTimestamps
      summary.histogram = DatasetSummary.histogram(of: ratings)
      summary.svd = try spectrum(of: ratings, clock: clock)
      let narrow = min(ratings.userCount, ratings.itemCount)
      if let svd = summary.svd, svd.singularValues.count < top {
        summary.warnings.append(
          "--top \(top) clamped to \(svd.singularValues.count) = min(users, items) − 1 = "
            + "\(narrow - 1): the data bounds the singular values a truncated SVD finds")
      }
      summary.oracleRMSE = try world?.oracleRMSE(on: ratings)
    }
    if let catalog = loaded.catalog {
      let years = catalog.movies.compactMap(\.year)
      summary.catalog = .init(
        movies: catalog.count, genres: catalog.genres.map(\.name), yearMin: years.min(),
        yearMax: years.max())
    }
    for warning in summary.warnings {
      FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
    }
    print(common.json ? try summary.json() : summary.text())
  }

  private func spectrum(
    of ratings: RatingsDataset, clock: ContinuousClock
  ) throws -> DatasetSummary.Spectrum? {
    let narrow = min(ratings.userCount, ratings.itemCount)
    guard narrow >= 2, ratings.ratingCount > 0 else { return nil }
    let k = min(top, narrow - 1)
    let matrix = ratings.userItemMatrix(as: Double.self)
    let start = clock.now
    let svd = try matrix.truncatedSVD(
      rank: k, centering: center.centering, method: .randomized(.init(seed: seed)))
    return .init(
      centering: center.rawValue, method: "randomized",
      singularValues: svd.singularValues,
      explainedVarianceRatio: svd.explainedVarianceRatio,
      cumulativeExplainedVariance: svd.cumulativeExplainedVariance,
      seconds: (clock.now - start).inSeconds)
  }
}

/// The `--center` choices of `aflix info`.
enum CenterChoice: String, ExpressibleByArgument, CaseIterable {
  case none, global, user, item

  var centering: Centering {
    switch self {
    case .none: return .none
    case .global: return .observedEntries(.global)
    case .user: return .observedEntries(.perRow)
    case .item: return .observedEntries(.perColumn)
    }
  }
}
