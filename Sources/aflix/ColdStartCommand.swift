import AFlix
import ArgumentParser
import Foundation

/// `aflix coldstart`: how the hybrid serves users it never saw who have rated only n films, by the
/// protocol of `../shared/anchors/coldstart_eval.py`.
struct ColdStartCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "coldstart",
    abstract: "Cold-start NDCG@10 of the hybrid for users with 0, 1, 3, … known ratings.",
    discussion: """
      The protocol of coldstart_eval.py: test users (a held-out rating ≥ --relevant on a training \
      film) in --groups groups by position in id order; each group is scored by models fitted \
      without it; each user keeps their first n training ratings by timestamp. Reports the \
      hybrid, popularity (rating counts, and the popularity strata; popularity_ndcg_at_10 is the \
      better of the two) and the hybrid's collaborative model alone.

      Example: aflix coldstart ml-100k --n 0,1,3,5,10 --json
      """)

  @Argument(help: "The MovieLens 100k folder (with u1.base … u5.test).")
  var dataset: String

  @Option(help: "The fold: u1 … u5.", transform: FoldSelection.oneFold)
  var folds = FoldSelection.firstFold

  @Option(
    name: .customLong("n"), help: "Kept-rating counts, separated by commas.",
    transform: KeptCounts.parse)
  var counts = KeptCounts(values: [0, 1, 3, 5, 10])

  @Option(parsing: .unconditional, help: "Relevant held-out ratings: this value and above.")
  var relevant: Float = 4

  @Option(parsing: .unconditional, help: "User groups (models fitted per scorer), 1 or more.")
  var groups = 5

  @OptionGroup var data: DatasetOptions

  @OptionGroup var common: CommonOptions

  func validate() throws {
    try CountOption.check(groups, "--groups", minimum: 1, maximum: 1000)
    guard relevant.isFinite else { throw ValidationError("--relevant must be finite") }
  }

  func run() throws {
    common.applyThreads()
    let folder = URL(fileURLWithPath: try DatasetReference.resolve(dataset))
    let split = try MovieLens100KLoader.loadPredefinedSplit(
      folder: folder, fold: folds.folds[0], options: data.loadOptions())
    let item = folder.appendingPathComponent("u.item")
    let catalog =
      try FileAccess.exists(atPath: item.path)
      ? try DatasetLoader.load(path: item.path).catalog : nil
    let hybrid = catalog.map { Hybrid(catalog: $0) } ?? Hybrid()
    let strata = PopularityStrataAlgorithm(catalog: catalog)
    let collaborative = hybrid.collaborative
    // Every scorer is fitted once per group: a bar counts the fits.
    let bar = ProgressBar("cold start", enabled: common.showsProgress)
    let fits = groups * 4
    func counted(
      _ name: String, _ fit: @escaping @Sendable (RatingsDataset) throws -> any RecommenderModel
    )
      -> ColdStartScorer
    {
      ColdStartScorer(name: name) { data in
        defer { bar.advance(of: fits, note: "fits") }
        return try fit(data)
      }
    }
    let rows = try ColdStartEvaluation(
      counts: counts.values, relevance: .atLeast(relevant), groups: groups
    ).run(
      train: split.train, test: split.test,
      scorers: [
        counted("hybrid") { try hybrid.fit($0) },
        counted("popularity") { try PopularityAlgorithm().fit($0) },
        counted("strata") { try strata.fit($0) },
        counted("collaborative") { try collaborative.fit($0) },
      ])
    bar.clear()
    // The same hybrid with every training rating of every user: the figure cold start aims at.
    let full = RankingReport(
      of: try hybrid.fit(split.train), train: split.train, test: split.test, k: 10,
      relevance: .atLeast(relevant)
    ).ndcg
    if common.json {
      let objects = rows.map { row -> [String: Any] in
        [
          "full_history_ndcg_at_10": full,
          "n": row.n, "users": row.users, "ndcg_at_10": row.ndcg["hybrid"] ?? 0,
          "popularity_ndcg_at_10": max(row.ndcg["popularity"] ?? 0, row.ndcg["strata"] ?? 0),
          "counts_ndcg_at_10": row.ndcg["popularity"] ?? 0,
          "strata_ndcg_at_10": row.ndcg["strata"] ?? 0,
          "collaborative_ndcg_at_10": row.ndcg["collaborative"] ?? 0,
          "collaborative": collaborative.name,
        ]
      }
      let bytes = try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys])
      print(String(decoding: bytes, as: UTF8.self))
      return
    }
    print("Cold start on \(folds) (NDCG@10, relevant ≥ \(relevant), \(groups) groups):")
    print("  n  users  hybrid  counts  strata  \(collaborative.name)")
    defer { print(String(format: "full history (every training rating, known users): %.4f", full)) }
    for row in rows {
      print(
        String(
          format: "%3d  %5d  %.4f  %.4f  %.4f  %.4f", row.n, row.users, row.ndcg["hybrid"] ?? 0,
          row.ndcg["popularity"] ?? 0, row.ndcg["strata"] ?? 0, row.ndcg["collaborative"] ?? 0))
    }
  }
}
