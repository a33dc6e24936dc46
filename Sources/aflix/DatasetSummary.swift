import AFlix
import Foundation

/// What `aflix info` reports, printed as text or as one JSON object with snake_case keys.
struct DatasetSummary: Codable {
  /// A histogram bin: one rating value (`upper` nil), or for continuous ratings the half-open
  /// interval `[value, upper)` (the last bin closed).
  struct HistogramBin: Codable {
    var value: Float
    var upper: Float?
    var count: Int
  }

  /// The most bins a continuous histogram has.
  static let maximumBins = 40

  /// One bin per distinct value when there are at most 20 of them, else 0.5-wide bins over the
  /// scale (continuous ratings would otherwise give one bin per rating). When the scale is too
  /// wide for ``maximumBins`` such bins (`--scale 0:1e12`), at most that many equal bins span the
  /// ratings actually seen: the bin count never follows the scale's width.
  static func histogram(of ratings: RatingsDataset) -> [HistogramBin] {
    let distinct = ratings.histogram()
    guard distinct.count > 20 else {
      return distinct.map { HistogramBin(value: $0.value, upper: nil, count: $0.count) }
    }
    var lo = Double(ratings.scale.minimum)
    var hi = Double(ratings.scale.maximum)
    var width = 0.5
    if (hi - lo) / width > Double(maximumBins) {
      lo = Double(distinct.map(\.value).min()!)
      hi = Double(distinct.map(\.value).max()!)
      width = max(0.5, (hi - lo) / Double(maximumBins))
    }
    let binCount = max(1, min(maximumBins, Int(((hi - lo) / width).rounded(.up))))
    var counts = [Int](repeating: 0, count: binCount)
    for (value, count) in distinct {
      let position = ((Double(value) - lo) / width).rounded(.down)
      counts[Int(min(Double(binCount - 1), max(0, position)))] += count
    }
    return counts.enumerated().map { b, count in
      HistogramBin(
        value: Float(lo + Double(b) * width), upper: Float(min(hi, lo + Double(b + 1) * width)),
        count: count)
    }
  }

  struct Spectrum: Codable {
    var centering: String
    var method: String
    var singularValues: [Double]
    var explainedVarianceRatio: [Double]
    var cumulativeExplainedVariance: [Double]
    var seconds: Double
  }

  struct CatalogSummary: Codable {
    var movies: Int
    var genres: [String]
    var yearMin: Int?
    var yearMax: Int?
  }

  var source: String
  var format: String
  var users: Int?
  var items: Int?
  var ratings: Int?
  var density: Double?
  var globalMean: Double?
  var ratingScale: String?
  var hasTimestamps: Bool?
  var histogram: [HistogramBin]?
  var svd: Spectrum?
  var catalog: CatalogSummary?
  /// For a synthetic world: RMSE of all ratings against their noiseless expectations.
  var oracleRMSE: Double?
  var skippedLines: Int
  var skippedExamples: [String]
  var loadSeconds: Double
  /// What was clamped or noticed (`--top` above what the data allows).
  var warnings: [String] = []
  var blasCore = BLAS.coreName
  var blasThreads = BLAS.threadCount
  var aflixThreads = Parallelism.maximumThreadCount

  func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  func text() -> String {
    var lines = ["source   \(source) (\(format)), loaded in \(Self.ms(loadSeconds))"]
    if let users, let items, let ratings, let density, let globalMean {
      lines.append("users    \(users)")
      lines.append("items    \(items)")
      lines.append("ratings  \(ratings)  (density \(Self.fixed(density * 100, 3)) %)")
      lines.append("mean     \(Self.fixed(globalMean, 4))  scale \(ratingScale ?? "?")")
    }
    if let histogram, !histogram.isEmpty {
      lines.append("histogram")
      let top = histogram.map(\.count).max() ?? 1
      for bin in histogram {
        let bar = String(repeating: "#", count: max(1, bin.count * 40 / max(1, top)))
        let label = bin.upper.map { "\(bin.value)–\($0)" } ?? String(bin.value)
        lines.append("  \(Self.pad(label, 9)) \(Self.pad(String(bin.count), 9)) \(bar)")
      }
    }
    if let svd {
      lines.append(
        "top singular values (\(svd.method), centring \(svd.centering), \(Self.ms(svd.seconds)))")
      lines.append("   k         sigma   explained   cumulative")
      for (t, sigma) in svd.singularValues.enumerated() {
        lines.append(
          "  \(Self.pad(String(t + 1), 2)) \(Self.pad(Self.fixed(sigma, 4), 13)) "
            + "\(Self.pad(Self.fixed(svd.explainedVarianceRatio[t], 4), 11)) "
            + "\(Self.pad(Self.fixed(svd.cumulativeExplainedVariance[t], 4), 12))")
      }
    }
    if let oracleRMSE {
      lines.append(
        "oracle   RMSE \(Self.fixed(oracleRMSE, 4)) against the world's noiseless ratings")
    }
    if let catalog {
      let years = catalog.yearMin.map { "\($0)–\(catalog.yearMax ?? $0)" } ?? "unknown"
      lines.append(
        "catalog  \(catalog.movies) movies, \(catalog.genres.count) genres, years \(years)")
    }
    if skippedLines > 0 {
      lines.append("skipped  \(skippedLines) malformed lines, e.g.:")
      lines.append(contentsOf: skippedExamples.map { "  \($0)" })
    }
    return lines.joined(separator: "\n")
  }

  static func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
  static func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
  static func pad(_ s: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - s.count)) + s
  }
}
