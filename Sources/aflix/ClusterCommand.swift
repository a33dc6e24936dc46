import AFlix
import ArgumentParser
import Foundation
import _AFlixSupport

/// `aflix cluster`: factorises a dataset (truncated SVD), clusters the user factors with K-means
/// and describes each segment.
struct ClusterCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cluster",
    abstract: "Segment users: truncated SVD, K-means on the user factors, readable profiles.",
    discussion: """
      User factors are U·Σ of a rank-F randomized truncated SVD of the ratings (observed per-user
      centring by default), each row scaled to length 1 (--rows unit: K-means then compares
      directions of taste, which recovers the archetype world's segments best). K-means (k-means++, --restarts runs, the lowest inertia kept) clusters
      them; each segment is described by its size, mean rating, activity, the films most
      over-represented among its high ratings (lift) and its dominant genres. --k A...B sweeps k
      and marks the best by the original composite 0.5·silhouette + 0.3·balance + 0.2/k. The
      silhouette is exact up to 20,000 users, else a seeded sample (--silhouette-sample). A folder
      written by `aflix synth --archetypes` adds the adjusted Rand index and NMI against the
      ground-truth segments.

      Example: aflix cluster ml-100k --k 2...8 --factors 20
      """
  )

  @Argument(help: "A dataset folder or file (see `aflix --help`).")
  var path: String

  @OptionGroup var dataset: DatasetOptions

  @Option(
    parsing: .unconditional,
    help:
      "Clusters: one value or a sweep (2...8); k above the users is clamped (a warning). Default 5, or --optimized's K-cluster.",
    transform: CountRange.parse)
  var k: CountRange?

  @Option(
    parsing: .unconditional,
    help:
      "Rank of the truncated SVD (user factors); at most min(users, items) − 1 is used. Default 16, or --optimized's K-SVD."
  )
  var factors: Int?

  @Option(
    help: ArgumentHelp(
      "A result `aflix optimize --save` wrote: its K-cluster and K-SVD are --k and --factors unless those are given.",
      valueName: "file"))
  var optimized: String?

  @Option(
    help: "Points clustered: unit (U·Σ rows scaled to length 1: cosine K-means) or raw (U·Σ).")
  var rows: RowChoice = .unit

  @Option(help: "Centring before the SVD: none, global, user or item (observed entries only).")
  var center: CenterChoice = .user

  @Option(help: "Seed of the SVD and of K-means.")
  var seed: UInt64 = 0

  @Option(parsing: .unconditional, help: "K-means restarts, 1–10000 (the lowest inertia wins).")
  var restarts = 10

  @Option(
    parsing: .unconditional,
    help: "Points in the sampled silhouette used above 20,000 users (2–20000).")
  var silhouetteSample = 10_000

  @Option(parsing: .unconditional, help: "Films and genres listed per segment.")
  var top = 5

  @Option(help: "Write userId,segment for every user to this CSV file.")
  var labelsOut: String?

  @OptionGroup var common: CommonOptions

  mutating func validate() throws {
    if let factors, factors < 1 {
      throw ValidationError("--factors must be at least 1, got \(factors)")
    }
    try CountOption.check(restarts, "--restarts", minimum: 1, maximum: KMeans.maximumRestarts)
    try CountOption.check(
      silhouetteSample, "--silhouette-sample", minimum: 2, maximum: Self.maximumSilhouetteSample)
    guard top >= 0 else { throw ValidationError("--top must be ≥ 0, got \(top)") }
  }

  /// The largest `--silhouette-sample`: 20,000 points (the sampled silhouette costs O(s² · d);
  /// datasets up to 20,000 users get the exact one).
  static let maximumSilhouetteSample = 20_000

  /// The k values the data allows (k ≤ users), with a warning when some were dropped.
  static func feasible(
    _ ks: ClosedRange<Int>, users: Int, warnings: inout CommandWarnings
  ) throws -> ClosedRange<Int> {
    guard ks.lowerBound <= users else {
      throw CommandError(
        "--k \(ks.lowerBound == ks.upperBound ? "\(ks.lowerBound)" : "\(ks.lowerBound)...\(ks.upperBound)") "
          + "asks for more clusters than the \(users) users: k must be at most \(users)")
    }
    guard ks.upperBound > users else { return ks }
    warnings.add(
      "--k \(ks.lowerBound)...\(ks.upperBound) clamped to \(ks.lowerBound)...\(users): "
        + "there are only \(users) users to cluster")
    return ks.lowerBound...users
  }

  func run() throws {
    common.applyThreads()
    var warnings = CommandWarnings()
    let clock = ContinuousClock()
    let (loaded, world) = try dataset.load(path: path)
    guard let ratings = loaded.ratings, ratings.ratingCount > 0 else {
      throw CommandError("\(path) holds no ratings to cluster")
    }
    let narrow = min(ratings.userCount, ratings.itemCount)
    guard narrow >= 2 else {
      throw CommandError("\(ratings.userCount) users × \(ratings.itemCount) items: too small")
    }
    let kept = try optimized.map { try OptimizationResult.load(from: URL(fileURLWithPath: $0)) }
    let factors = self.factors ?? kept?.kSVD ?? 16
    let k = self.k?.range ?? kept.map { $0.kCluster...$0.kCluster } ?? 5...5
    let rank = min(factors, narrow - 1)
    if rank < factors {
      warnings.add(
        "--factors \(factors) clamped to \(rank) = min(users, items) − 1: the SVD's rank is "
          + "bounded by the data")
    }
    let svdStart = clock.now
    let svd = try ratings.userItemMatrix(as: Double.self).truncatedSVD(
      rank: rank, centering: center.centering, method: .randomized(.init(seed: seed)))
    let scaled = SegmentationFeatures.scaledFactors(svd.u, svd.singularValues)
    let userFactors = rows == .unit ? SegmentationFeatures.unitRows(scaled) : scaled
    let svdSeconds = (clock.now - svdStart).inSeconds

    let users = ratings.userCount
    let ks = try Self.feasible(k, users: users, warnings: &warnings)
    let clusterStart = clock.now
    var sweep: [ClusterReport.Candidate] = []
    var fits: [Int: KMeansResult] = [:]
    let sampled = users > 20_000
    if sampled && silhouetteSample > users {
      warnings.add("--silhouette-sample \(silhouetteSample) clamped to the \(users) users")
    }
    let bar = ProgressBar("K-means", enabled: common.showsProgress)
    for (done, count) in ks.enumerated() {
      bar.update(step: done, of: ks.count, note: "k = \(count)")
      fits[count] = try KMeans(clusterCount: count, restarts: restarts, seed: seed).fit(userFactors)
    }
    bar.clear()
    Self.warnAboutEmptyClusters(fits, points: userFactors, warnings: &warnings)
    // Exact silhouettes of every fit from one pass over the pairwise distances (a labelling with
    // one cluster, or as many as users, has none); sampled ones above 20,000 users.
    let counts = Array(ks)
    let scorable = counts.filter { count in
      let distinct = Set(fits[count]!.labels).count
      return distinct >= 2 && distinct <= users - 1
    }
    var silhouettes: [Int: Double] = [:]
    if sampled {
      for count in scorable {
        do {
          silhouettes[count] = try ClusterMetrics.sampledSilhouetteScore(
            userFactors, labels: fits[count]!.labels, sampleSize: min(silhouetteSample, users),
            seed: seed)
        } catch let error as ClusterError where error.kind == .invalidLabelCount {
          continue  // the sample holds a single cluster
        }
      }
    } else {
      let scores = try ClusterMetrics.silhouetteScores(
        userFactors, labelings: scorable.map { fits[$0]!.labels })
      for (count, score) in zip(scorable, scores) { silhouettes[count] = score }
    }
    for count in counts {
      let fit = fits[count]!
      let silhouette = silhouettes[count]
      let balance = ClusterMetrics.balance(sizes: fit.clusterSizes)
      sweep.append(
        .init(
          k: count, silhouette: silhouette, balance: balance, inertia: fit.inertia,
          compositeScore: silhouette.map { 0.5 * $0 + 0.3 * balance + 0.2 / Double(count) },
          isBest: false))
    }
    var best = 0
    for (index, candidate) in sweep.enumerated() {
      if let score = candidate.compositeScore, score > (sweep[best].compositeScore ?? -.infinity) {
        best = index
      }
    }
    sweep[best].isBest = true
    let chosen = sweep[best].k
    let fit = fits[chosen]!
    let clusterSeconds = (clock.now - clusterStart).inSeconds

    if top > ratings.itemCount {
      warnings.add("--top \(top) clamped to the \(ratings.itemCount) items")
    }
    let profiles = try SegmentProfile.profiles(
      labels: fit.labels, clusterCount: chosen, ratings: ratings, catalog: loaded.catalog,
      options: .init(filmCount: min(top, ratings.itemCount), genreCount: min(top, 1_000)))
    var report = ClusterReport(
      source: loaded.source, users: users, items: ratings.itemCount,
      ratings: ratings.ratingCount, factors: rank, centering: center.rawValue,
      rows: rows.rawValue, seed: seed,
      restarts: restarts, k: chosen, sweep: sweep, segments: profiles,
      silhouette: sweep[best].silhouette, silhouetteSampleSize: sampled ? silhouetteSample : nil,
      balance: sweep[best].balance, inertia: fit.inertia, iterations: fit.iterations,
      svdSeconds: svdSeconds, clusterSeconds: clusterSeconds, warnings: warnings.messages)
    if chosen >= 2, chosen < users {
      report.calinskiHarabasz = try? ClusterMetrics.calinskiHarabasz(
        userFactors, labels: fit.labels)
      report.daviesBouldin = try? ClusterMetrics.daviesBouldin(userFactors, labels: fit.labels)
    }
    if let world, world.profiles.count == users,
      case let truth = world.profiles.compactMap(\.segment), truth.count == users
    {
      report.adjustedRandIndex = ClusterMetrics.adjustedRandIndex(fit.labels, truth)
      report.normalizedMutualInformation = ClusterMetrics.normalizedMutualInformation(
        fit.labels, truth)
    }
    if let labelsOut {
      var text = "userId,segment\n"
      for (u, label) in fit.labels.enumerated() {
        text += "\(ratings.users.id(at: u)),\(label)\n"
      }
      try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: labelsOut))
    }
    warnings.printToStandardError()
    print(common.json ? try report.json() : report.text())
  }

  /// Adds a warning for each fit with empty clusters: the degenerate case of fewer distinct user
  /// points than k (identical ratings, one rating per user), where no repair can fill them.
  static func warnAboutEmptyClusters(
    _ fits: [Int: KMeansResult], points: Matrix<Double>, warnings: inout CommandWarnings
  ) {
    let degenerate = fits.keys.sorted().filter { fits[$0]!.emptyClusterCount > 0 }
    guard !degenerate.isEmpty else { return }
    var distinct = Set<[Double]>()
    for r in 0..<points.rows {
      distinct.insert(Array(points.elements[(r * points.columns)..<((r + 1) * points.columns)]))
      if distinct.count > degenerate.last! { break }
    }
    for count in degenerate {
      let empty = fits[count]!.emptyClusterCount
      warnings.add(
        "k = \(count): \(empty) of \(count) clusters are empty: the \(points.rows) users have only "
          + "\(distinct.count) distinct factor rows (fewer than k), so no repair can fill them; "
          + "use k ≤ \(distinct.count)")
    }
  }
}

/// The points `aflix cluster` clusters.
enum RowChoice: String, ExpressibleByArgument, CaseIterable {
  case unit, raw
}

/// What `aflix cluster` reports, as text or as one JSON object with snake_case keys.
struct ClusterReport: Codable {
  struct Candidate: Codable {
    var k: Int
    var silhouette: Double?
    var balance: Double
    var inertia: Double
    var compositeScore: Double?
    var isBest: Bool
  }

  var source: String
  var users: Int
  var items: Int
  var ratings: Int
  var factors: Int
  var centering: String
  var rows: String
  var seed: UInt64
  var restarts: Int
  var k: Int
  var sweep: [Candidate]
  var segments: [SegmentProfile]
  var silhouette: Double?
  var silhouetteSampleSize: Int?
  var balance: Double
  var inertia: Double
  var iterations: Int
  var calinskiHarabasz: Double?
  var daviesBouldin: Double?
  var adjustedRandIndex: Double?
  var normalizedMutualInformation: Double?
  var svdSeconds: Double
  var clusterSeconds: Double
  var warnings: [String] = []
  var blasThreads = BLAS.threadCount
  var aflixThreads = Parallelism.maximumThreadCount

  func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  func text() -> String {
    let f = DatasetSummary.fixed
    let pad = DatasetSummary.pad
    let optional = { (x: Double?, digits: Int) in x.map { f($0, digits) } ?? "–" }
    var lines = [
      "source   \(source): \(users) users × \(items) items, \(ratings) ratings",
      "factors  \(factors) (U·Σ\(rows == "unit" ? " rows scaled to length 1" : ""), centring "
        + "\(centering)), SVD \(DatasetSummary.ms(svdSeconds)); "
        + "K-means \(restarts) restarts, seed \(seed), \(DatasetSummary.ms(clusterSeconds))",
    ]
    if sweep.count > 1 {
      lines.append("   k  silhouette  balance        inertia  composite")
      for c in sweep {
        lines.append(
          "  \(pad(String(c.k), 2)) \(pad(optional(c.silhouette, 4), 11)) "
            + "\(pad(f(c.balance, 4), 8)) \(pad(f(c.inertia, 2), 14)) "
            + "\(pad(optional(c.compositeScore, 4), 10))\(c.isBest ? "  ← best" : "")")
      }
    }
    let sampleNote = silhouetteSampleSize.map { " (sample of \($0))" } ?? ""
    lines.append(
      "k = \(k): silhouette \(optional(silhouette, 4))\(sampleNote), balance \(f(balance, 4)), "
        + "inertia \(f(inertia, 2)), \(iterations) iterations")
    if let calinskiHarabasz, let daviesBouldin {
      lines.append(
        "         Calinski–Harabasz \(f(calinskiHarabasz, 2)), Davies–Bouldin "
          + "\(f(daviesBouldin, 4))")
    }
    if let adjustedRandIndex, let normalizedMutualInformation {
      lines.append(
        "truth    ARI \(f(adjustedRandIndex, 4)), NMI \(f(normalizedMutualInformation, 4)) "
          + "against the world's segments")
    }
    for s in segments {
      lines.append("")
      lines.append(
        "segment \(s.segment)  \(s.label)  \(s.size) users (\(f(s.share * 100, 1)) %), "
          + "mean rating \(optional(s.meanRating, 2)), \(f(s.activity, 1)) ratings/user")
      if !s.genres.isEmpty {
        let genres = s.genres.map { "\($0.name) ×\(f($0.lift, 2))" }.joined(separator: ", ")
        lines.append("  genres  \(genres)")
      }
      for film in s.films {
        lines.append(
          "  film    ×\(f(film.lift, 2))  \(film.title ?? film.id.description) "
            + "(\(film.highRatings) high ratings)")
      }
    }
    return lines.joined(separator: "\n")
  }
}
