import AFlix
import ArgumentParser
import Foundation
import _AFlixSupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `aflix demo`: the engine at a glance on an embedded default — a synthetic world, the K search
/// shown live, the hybrid trained at the chosen K, user segments, and recommendations with
/// explanations for a known user, a brand-new one, and the same newcomer after three ratings.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "The engine at a glance: world, K search, hybrid, segments, cold start.",
    discussion: """
      With no arguments and no network: generates the default synthetic world (10,000 users × \
      400 films, seeded), chooses K-SVD and K-cluster by the validation strategy (shown live), \
      trains the hybrid (truncated SVD at the chosen K + content + popularity strata), segments \
      the users, and recommends with explanations for (a) an existing user, (b) a brand-new \
      user, (c) the same new user after rating three films. Prints the time and peak memory.

      Example: aflix demo            (or: aflix demo --data ml-100k)
      """)

  @Option(help: "A dataset folder or file instead of the synthetic world (e.g. MovieLens 100k).")
  var data: String?

  @Option(parsing: .unconditional, help: "Users of the synthetic world (100–100,000).")
  var users = 10_000

  @Option(help: "Seed of the world, the search and the fits.")
  var seed: UInt64 = 42

  @OptionGroup var dataset: DatasetOptions

  @OptionGroup var common: CommonOptions

  func validate() throws {
    try CountOption.check(users, "--users", minimum: 100, maximum: 100_000)
  }

  func run() async throws {
    common.applyThreads()
    var summary = DemoSummary()
    let clock = ContinuousClock()
    let start = clock.now
    // 1. The data.
    let ratings: RatingsDataset
    let catalog: Catalog?
    if let data {
      let (loaded, world) = try dataset.load(path: data)
      guard let r = loaded.ratings, r.ratingCount > 0 else {
        throw CommandError("\(data) holds no ratings")
      }
      ratings = r
      catalog = world?.catalog ?? loaded.catalog
      say("1. Data: \(data)")
    } else {
      let world = try SyntheticWorld.generate(WorldConfiguration(users: users), seed: seed)
      (ratings, catalog) = (world.ratings, world.catalog)
      say(
        "1. A synthetic world (seed \(seed)): users with known tastes rate films by the documented formula"
      )
    }
    say(
      "   \(ratings.userCount) users × \(ratings.itemCount) films, \(ratings.ratingCount) ratings "
        + String(format: "(density %.3f)", ratings.density))

    // 2. The K search, live.
    say(
      "\n2. Choosing K (validation strategy: held-out RMSE over 3 folds, one-standard-error rule)")
    let optimizer = KOptimizer(
      strategy: ValidationStrategy(), seed: seed, restarts: 3, exactSilhouetteLimit: 2_000)
    var display = OptimizeDisplay(bar: common.showsProgress)
    // On this thread: the memory the world's generation freed serves the search (another thread
    // would draw from a malloc arena of its own).
    let result = try optimizer.run(
      ratings,
      emit: { event in
        switch event {
        case .status, .phase, .kSVDResult, .kClusterResult, .kSVDOptimal, .kClusterOptimal, .error:
          if !common.json { display.show(event) }
        default: break
        }
      })
    let chosen = (kSVD: result.kSVD, kCluster: result.kCluster)
    (summary.kSVD, summary.kCluster) = chosen
    (summary.users, summary.films, summary.ratings) = (
      ratings.userCount, ratings.itemCount, ratings.ratingCount
    )
    display.finish()

    // 3. The hybrid at the chosen K.
    let fitStart = clock.now
    let collaborative = TruncatedSVDRecommender(rank: chosen.kSVD, seed: seed)
    let hybrid =
      try
      (catalog.map { Hybrid(catalog: $0, collaborative: collaborative) }
      ?? Hybrid(collaborative: collaborative)).fit(ratings)
    say(
      "\n3. Trained the hybrid: truncated SVD at K = \(chosen.kSVD)"
        + (catalog == nil ? "" : " + content + popularity strata")
        + String(format: " in %.2f s", (clock.now - fitStart).inSeconds))

    // 4. Segments at the chosen K-cluster.
    summary.segments = try printSegments(
      hybrid, ratings: ratings, catalog: catalog, k: chosen.kCluster)

    // 5. Cold start at a glance.
    let known = ratings.users.id(at: 0)
    say("\n5. Recommendations with explanations")
    summary.lists.append(
      try show(
        hybrid.recommend(user: known, HybridRequest(count: 5, explain: true)),
        "(a) existing user \(known)", case: "existing_user"))
    summary.lists.append(
      try show(
        hybrid.recommend(forRatings: [], HybridRequest(count: 5, explain: true)),
        "(b) a brand-new user, no history", case: "new_user"))
    // Three films the newcomer loves: the known user's three favourites.
    let (items, values) = ratings.ratings(ofUser: 0)
    let favourites = zip(items, values).sorted { $0.1 > $1.1 }.prefix(3).map {
      (item: ratings.items.id(at: Int($0.0)), value: Float(5))
    }
    let titles = favourites.map { catalog?.movie(withID: $0.item)?.title ?? "\($0.item)" }
    summary.lists.append(
      try show(
        hybrid.recommend(forRatings: favourites, HybridRequest(count: 5, explain: true)),
        "(c) the same new user after rating 5★: \(titles.joined(separator: ", "))",
        case: "new_user_after_three_ratings"))

    // 6. Cost.
    var usage = rusage()
    #if canImport(Glibc)
      getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
      getrusage(RUSAGE_SELF, &usage)
    #endif
    (summary.seconds, summary.peakMB) = (
      (clock.now - start).inSeconds, Double(usage.ru_maxrss) / 1024
    )
    say(String(format: "\nDone in %.2f s, peak memory %.1f MB.", summary.seconds, summary.peakMB))
    if common.json { print(try summary.json()) }
  }

  /// Prints `line` unless the output is JSON.
  func say(_ line: String) {
    if !common.json { print(line) }
  }

  /// Prints the segments of K-means at `k` on the hybrid's user factors (its truncated SVD at the
  /// chosen K, each row scaled to length 1).
  func printSegments(_ hybrid: HybridModel, ratings: RatingsDataset, catalog: Catalog?, k: Int)
    throws -> [DemoSummary.Segment]
  {
    guard let svd = hybrid.collaborative as? TruncatedSVDModel else { return [] }
    let profiles = try FactorSegments(
      svd, k: k, ratings: ratings, catalog: catalog, seed: seed, films: 2
    ).profiles
    say("\n4. \(k) user segments (K-means on the users' factors)")
    for p in profiles {
      say(String(format: "   %@: %d users (%.0f %%)", p.label, p.size, 100 * p.share))
    }
    return profiles.map { DemoSummary.Segment(label: $0.label, users: $0.size) }
  }

  /// Prints one list with its explanations and returns it for the JSON summary.
  func show(_ list: HybridRecommendations, _ heading: String, case name: String)
    -> DemoSummary.List
  {
    let served = list.source == .model ? "the hybrid" : "popularity (nothing known yet)"
    say("   \(heading) — served by \(served):")
    for (rank, r) in list.items.enumerated() {
      let title = r.title ?? "\(r.item)"
      say("     \(rank + 1). \(title)")
      if let why = r.explanation?.summary { say("        \(why)") }
    }
    return DemoSummary.List(
      case: name, servedBy: list.source == .model ? "hybrid" : "popularity",
      items: list.items.map {
        .init(movieID: $0.item.description, title: $0.title, explanation: $0.explanation?.summary)
      })
  }
}

/// What `aflix demo --json` prints: one object with the data, the chosen K values, the segments,
/// the three recommendation lists and the cost.
struct DemoSummary: Encodable {
  /// A segment's label and size.
  struct Segment: Encodable {
    var label: String
    var users: Int
  }

  /// One recommendation list.
  struct List: Encodable {
    /// `existing_user`, `new_user` or `new_user_after_three_ratings`.
    var `case`: String
    /// `hybrid` or `popularity`.
    var servedBy: String
    var items: [Item]
  }

  /// One recommended film.
  struct Item: Encodable {
    var movieID: String
    var title: String?
    var explanation: String?
  }

  var users = 0
  var films = 0
  var ratings = 0
  var kSVD = 0
  var kCluster = 0
  var segments: [Segment] = []
  var lists: [List] = []
  var seconds = 0.0
  var peakMB = 0.0

  /// One JSON object, snake_case keys.
  func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }
}
