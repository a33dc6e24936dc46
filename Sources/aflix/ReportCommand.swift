import AFlix
import ArgumentParser
import Foundation
import _AFlixSupport

/// `aflix report DATASET --out report.html`: one self-contained HTML page of the engine's view of
/// a dataset — the K search's curves, the user segments (a 2-D map and their profiles), the
/// rating distribution and an accuracy table — each chart an inline SVG.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write one self-contained HTML report: K curves, segments, ratings, accuracy.",
    discussion: """
      Runs the K search (validation strategy), fits the truncated SVD at the chosen K, clusters \
      the users at the chosen K-cluster, and writes K-SVD curves (validation RMSE, explained \
      variance, composite; chosen K marked), K-cluster curves (silhouette, balance, composite), \
      the users' factors on their first two principal components coloured by segment, the \
      segment profiles, the rating distribution and the accuracy of three models on a seeded \
      20 % hold-out. Every chart is an inline <svg>; no script, font or file from elsewhere.

      Example: aflix report ml-100k --out report.html
      """)

  @Argument(help: "A dataset folder or file (see `aflix --help`).")
  var path: String

  @OptionGroup var dataset: DatasetOptions

  @Option(help: "The HTML file to write (replaced atomically).")
  var out: String

  @Option(help: "Seed of the search, the fits and the hold-out.")
  var seed: UInt64 = 0

  @OptionGroup var common: CommonOptions

  func run() throws {
    common.applyThreads()
    try FileAccess.requireWritableDestination(URL(fileURLWithPath: out))
    let (loaded, world) = try dataset.load(path: path)
    guard let ratings = loaded.ratings, ratings.ratingCount > 0 else {
      throw CommandError("\(path) holds no ratings to report on")
    }
    let catalog = world?.catalog ?? loaded.catalog
    let bar = ProgressBar("choosing K", enabled: common.showsProgress)
    let result = try KOptimizer(
      strategy: ValidationStrategy(), seed: seed, restarts: 3, exactSilhouetteLimit: 2_000
    ).run(ratings, emit: { event in bar.update(event.progress / 100) })
    bar.clear()
    let svd = try TruncatedSVDRecommender(rank: result.kSVD, seed: seed).fit(ratings)
    let segments = try FactorSegments(
      svd, k: result.kCluster, ratings: ratings, catalog: catalog, seed: seed, films: 3)
    var html = Self.header(title: "AFlix report: \(loaded.source)")
    html += "<p>\(ratings.userCount) users × \(ratings.itemCount) items, \(ratings.ratingCount) "
    html += String(format: "ratings (density %.4f). ", ratings.density)
    html += "Chosen K-SVD \(result.kSVD) and K-cluster \(result.kCluster) (validation strategy: "
    html += "held-out RMSE over 3 folds, one-standard-error rule; clusters by 0.5·silhouette + "
    html += "0.3·balance + 0.2/k).</p>\n"
    let ks = result.kSVDCandidates.map(\.k)
    if result.kSVD == ks.min() || result.kSVD == ks.max() {
      html += "<p>The chosen K-SVD is at the edge of the candidates (\(ks.min()!)…\(ks.max()!)): "
      html += "the best K may lie beyond it; try <code>aflix optimize --svd</code> with a wider "
      html += "range.</p>\n"
    }
    html += "<h2>Choosing K-SVD</h2>\n<div class=\"row\">\n"
    let svdCurves: [(String, String, (KSVDCandidate) -> Double?)] = [
      ("Validation RMSE", "RMSE", { $0.validationRMSE }),
      ("Explained variance", "Σσ² / ‖R‖²", { $0.explainedVariance }),
      ("Composite score (validation: the RMSE)", "score", { $0.compositeScore }),
    ]
    for (title, yLabel, value) in svdCurves {
      html += Self.curve(
        title, "K", yLabel, result.kSVDCandidates.map { ($0.k, value($0)) }, chosen: result.kSVD)
    }
    html += "</div>\n<h2>Choosing K-cluster</h2>\n<div class=\"row\">\n"
    let clusterCurves: [(String, String, (KClusterCandidate) -> Double?)] = [
      ("Silhouette", "silhouette", { $0.silhouetteScore }),
      ("Balance", "1 − sd/mean of sizes", { $0.balance }),
      ("Composite", "score", { $0.compositeScore }),
    ]
    for (title, yLabel, value) in clusterCurves {
      html += Self.curve(
        title, "k", yLabel, result.kClusterCandidates.map { ($0.k, value($0)) },
        chosen: result.kCluster)
    }
    html += "</div>\n<h2>User segments</h2>\n<div class=\"row\">\n"
    html += try Self.segmentMap(
      segments.points, labels: segments.labels, names: segments.profiles.map(\.label))
    html += Self.ratingDistribution(ratings)
    html += "</div>\n" + Self.segmentTable(segments.profiles)
    html += "<h2>Accuracy</h2>\n" + (try Self.accuracyTable(ratings, kSVD: result.kSVD, seed: seed))
    html += "</body></html>\n"
    try AtomicFile.write(Data(html.utf8), to: URL(fileURLWithPath: out))
    if common.json {
      try JSONOutput.print([
        "out": out, "bytes": html.utf8.count, "k_svd": result.kSVD, "k_cluster": result.kCluster,
      ])
    } else {
      print("wrote \(out) (\(html.utf8.count / 1024) KB)")
    }
  }

  /// A line of `(k, value)` with the chosen k marked; values that are absent or not finite are
  /// left out.
  static func curve(
    _ title: String, _ xLabel: String, _ yLabel: String, _ values: [(Int, Double?)], chosen: Int
  ) -> String {
    SVGChart.line(
      title: title, xLabel: xLabel, yLabel: yLabel,
      points: values.compactMap { k, v in v.flatMap { $0.isFinite ? (Double(k), $0) : nil } },
      marked: Double(chosen))
  }

  static func header(title: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>\(SVGChart.escape(title))</title>
    <style>
    body { font-family: sans-serif; margin: 24px; color: #222; }
    .row { display: flex; flex-wrap: wrap; gap: 16px; }
    table { border-collapse: collapse; margin: 8px 0 24px; }
    td, th { border: 1px solid #ccc; padding: 4px 8px; text-align: left; }
    th { background: #f4f4f4; }
    </style></head><body>
    <h1>\(SVGChart.escape(title))</h1>

    """
  }

  /// The users' factors on their first two principal components, coloured by segment (at most
  /// 3,000 users drawn, every segment's label at its centroid).
  static func segmentMap(_ factors: Matrix<Double>, labels: [Int], names: [String]) throws -> String
  {
    var coordinates: [(Double, Double)]
    if factors.columns >= 3 {
      let pca = try factors.truncatedSVD(rank: 2, centering: .allEntries(.perColumn))
      coordinates = (0..<factors.rows).map {
        (pca.u[$0, 0] * pca.singularValues[0], pca.u[$0, 1] * pca.singularValues[1])
      }
    } else {
      coordinates = (0..<factors.rows).map {
        (factors[$0, 0], factors.columns > 1 ? factors[$0, 1] : 0)
      }
    }
    let step = max(1, factors.rows / 3_000)
    let points = stride(from: 0, to: factors.rows, by: step).map {
      (x: coordinates[$0].0, y: coordinates[$0].1, group: labels[$0])
    }
    return SVGChart.scatter(
      title: "Users by segment (PCA of their factors)", points: points, labels: names)
  }

  /// A bar per rating value (or per tenth of the scale for continuous ratings).
  static func ratingDistribution(_ ratings: RatingsDataset) -> String {
    var counts: [Float: Int] = [:]
    for u in 0..<ratings.userCount {
      for v in ratings.ratings(ofUser: u).values { counts[v, default: 0] += 1 }
    }
    var bars: [(String, Double)]
    if counts.count <= 12 {
      bars = counts.keys.sorted().map { (String(format: "%g", $0), Double(counts[$0]!)) }
    } else {
      let (lo, hi) = (ratings.scale.minimum, ratings.scale.maximum)
      var bins = [Double](repeating: 0, count: 10)
      for (v, n) in counts {
        let b = min(9, max(0, Int((v - lo) / max(hi - lo, 1e-6) * 10)))
        bins[b] += Double(n)
      }
      bars = bins.enumerated().map {
        (String(format: "%.1f", lo + (hi - lo) * Float($0.offset) / 10), $0.element)
      }
    }
    return SVGChart.bars(
      title: "Rating distribution", xLabel: "rating", yLabel: "ratings", bars: bars)
  }

  static func segmentTable(_ profiles: [SegmentProfile]) -> String {
    var s = "<table><tr><th>segment</th><th>users</th><th>share</th><th>mean rating</th>"
    s += "<th>most over-represented films</th></tr>\n"
    for p in profiles {
      let films = p.films.map { SVGChart.escape($0.title ?? "\($0.id)") }.joined(separator: "; ")
      s += "<tr><td>\(SVGChart.escape(p.label))</td><td>\(p.size)</td>"
      s += String(
        format: "<td>%.1f %%</td><td>%@</td>", 100 * p.share,
        p.meanRating.map { String(format: "%.2f", $0) } ?? "—")
      s += "<td>\(films)</td></tr>\n"
    }
    return s + "</table>\n"
  }

  /// RMSE and MAE of three models on a seeded 20 % hold-out.
  static func accuracyTable(_ ratings: RatingsDataset, kSVD: Int, seed: UInt64) throws -> String {
    let split = try ratings.split(.holdout(testFraction: 0.2), seed: seed)[0]
    let models: [(String, any RatingPredictor)] = [
      ("baseline (biases)", try Baseline().fit(split.train)),
      (
        "truncated SVD, K = \(kSVD)",
        try TruncatedSVDRecommender(rank: kSVD, seed: seed).fit(split.train)
      ),
      ("biased MF (SGD)", try BiasedMF(seed: seed).fit(split.train)),
    ]
    var s = "<p>Fitted on a seeded 80 % of the ratings, scored on the other 20 %.</p>\n"
    s += "<table><tr><th>model</th><th>RMSE</th><th>MAE</th></tr>\n"
    for (name, model) in models {
      let report = AccuracyReport(of: model, on: split.test)
      s += String(
        format: "<tr><td>%@</td><td>%.4f</td><td>%.4f</td></tr>\n", SVGChart.escape(name),
        report.rmse, report.mae)
    }
    return s + "</table>\n"
  }
}
