// Content-based scorer benchmark (issue 12): MovieLens 100k predefined fold (u1 by default),
// `u1.base` fitted, `u1.test` ratings ≥ 4 relevant, training items excluded, items seen in
// training the candidates, k = 10 (RankingReport, the anchors' definitions). Prints one JSON
// object per line per variant: {variant, ndcg_at_10, precision_at_10, recall_at_10, map_at_10,
// hit_rate, coverage, intra_list_diversity, users, traits, fit_seconds, evaluate_seconds}.
// MovieLens 100k has genres and release dates only (no cast, director or tags), so the variants
// are genre and decade settings; "popularity" is printed for reference.
// Options:
//   --variants V;V…   `name[:key=value,…]` with name content|popularity and keys genres=,
//                     decade=, weighting=none|tfidf|bm25, profile=meanCentred|rating|uniform,
//                     min= (minimumItemCount). Default: genres only and genres + decade at the
//                     default settings, then the weighting, profile and decade-weight variants.
//   --fold 1…5        the predefined fold (default 1)
//   --data DIR        the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)
//   --latency N       instead: request latency on a synthetic catalog of N films (genres, a
//                     decade, 5 cast members of 20,000, a director of 5,000, 3 keywords of
//                     2,000; seeded), 2,000 users of 50 ratings; prints {items, traits,
//                     stored_values, fit_seconds, fold_in_p50_ms, fold_in_p99_ms,
//                     similar_p50_ms, similar_p99_ms}: 1,000 single-threaded
//                     `scores(forRatings:)` requests of 50 ratings and `similarities(toItem:)`.
// Run: swift run -c release --package-path Benchmarks aflix-bench-content [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var variants = [
    "content:decade=0", "content", "popularity",
    "content:decade=0,weighting=none", "content:decade=0,weighting=tfidf",
    "content:decade=0,profile=rating", "content:decade=0,profile=uniform",
    "content:decade=0.5", "content:decade=2", "content:weighting=tfidf",
    "content:profile=uniform", "content:profile=rating", "content:min=1",
  ].joined(separator: ";")
  var fold = 1
  var data = defaultDataFolder()
  var latencyItems: Int?

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--variants": variants = it.next() ?? variants
      case "--fold": fold = Int(it.next() ?? "") ?? 1
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      case "--latency": latencyItems = Int(it.next() ?? "") ?? 50_000
      default:
        exitWithUsage(
          "usage: aflix-bench-content [--variants 'content:k=v,…;…'] [--fold 1…5] [--data DIR]",
          for: a)
      }
    }
  }
}

/// The content configuration a specification names (genres on; other families off unless
/// given, as MovieLens 100k has none of them).
func contentAlgorithm(_ spec: ModelSpec, catalog: Catalog) throws -> ContentBased {
  var features = ItemFeatures.Options()
  features.cast = 0
  features.director = 0
  features.keywords = 0
  features.genres = spec.double("genres", features.genres)
  features.decade = spec.double("decade", features.decade)
  features.minimumItemCount = spec.int("min", features.minimumItemCount)
  if let w = spec.params["weighting"] {
    guard let weighting = ItemFeatures.Weighting(rawValue: w) else {
      throw RecommendError(.invalidHyperparameter, "unknown weighting \(w)")
    }
    features.weighting = weighting
  }
  var profile = ProfileWeighting.meanCentred
  if let p = spec.params["profile"] {
    guard let value = ProfileWeighting(rawValue: p) else {
      throw RecommendError(.invalidHyperparameter, "unknown profile weighting \(p)")
    }
    profile = value
  }
  return ContentBased(catalog: catalog, features: features, profileWeighting: profile)
}

/// Times `scores(forRatings:)` and `similarities(toItem:)` on a synthetic catalog of `n` films.
func measureLatency(items n: Int) throws {
  var rng = SeededGenerator(seed: 42)
  func pick(_ k: Int) -> Int { Int(rng.next() % UInt64(k)) }
  let genres = Genre.tmdb
  var movies: [Movie] = []
  movies.reserveCapacity(n)
  for f in 0..<n {
    movies.append(
      Movie(
        id: .int(f), title: "Film \(f)",
        genres: (0..<(1 + pick(3))).map { _ in genres[pick(genres.count)] },
        year: 1920 + pick(100), cast: (0..<5).map { _ in "Actor \(pick(20_000))" },
        director: "Director \(pick(5_000))",
        keywords: (0..<3).map { _ in "keyword \(pick(2_000))" }))
  }
  let catalog = try Catalog(movies: movies)
  var ratings: [Rating] = []
  for u in 0..<2_000 {
    var seen = Set<Int>()
    while seen.count < 50 { seen.insert(pick(n)) }
    for i in seen {
      ratings.append(Rating(user: .int(u), item: .int(i), value: Float(1 + pick(5))))
    }
  }
  let data = try RatingsDataset(ratings: ratings, scale: .oneToFive)
  let (model, fitSeconds) = try clockTime { try ContentBased(catalog: catalog).fit(data) }
  var foldIn: [Double] = []
  var similar: [Double] = []
  var sink: Float = 0
  for r in 0..<1_000 {
    let (items, values) = data.ratings(ofUser: r % data.userCount)
    let request = UserRatings(
      zip(items, values).map { (item: Int($0), value: $1) }, itemCount: data.itemCount)
    let (s, t) = clockTime { model.scores(forRatings: request) }
    sink += s.values[r % s.values.count]
    foldIn.append(t * 1_000)
    let (v, u) = clockTime { model.similarities(toItem: r * 37 % data.itemCount) }
    sink += v?[0] ?? 0
    similar.append(u * 1_000)
  }
  func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s[min(s.count - 1, Int(Double(s.count) * p))]
  }
  print(
    json([
      "items": data.itemCount, "traits": model.features.traitCount,
      "stored_values": model.features.matrix.nonzeroCount, "fit_seconds": fitSeconds,
      "fold_in_p50_ms": percentile(foldIn, 0.5), "fold_in_p99_ms": percentile(foldIn, 0.99),
      "similar_p50_ms": percentile(similar, 0.5), "similar_p99_ms": percentile(similar, 0.99),
      "checksum": Double(sink),
    ]))
}

let options = Options(arguments: CommandLine.arguments)
if let n = options.latencyItems {
  do {
    try measureLatency(items: n)
    exit(0)
  } catch {
    FileHandle.standardError.write(Data("aflix-bench-content: \(error)\n".utf8))
    exit(1)
  }
}
do {
  let folder = options.data.appendingPathComponent("ml-100k")
  let split = try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: options.fold)
  guard let catalog = try MovieLens100KLoader.load(folder: folder).catalog else {
    throw RecommendError(.invalidArgument, "\(folder.path) has no u.item")
  }
  for text in options.variants.split(separator: ";").map(String.init) {
    let spec = ModelSpec(text)
    let model: any RecommenderModel
    let fitSeconds: Double
    var traits = 0
    switch spec.name {
    case "content":
      let algorithm = try contentAlgorithm(spec, catalog: catalog)
      let (m, t) = try clockTime { try algorithm.fit(split.train) }
      model = m
      fitSeconds = t
      traits = m.features.traitCount
    case "popularity":
      (model, fitSeconds) = try clockTime { try PopularityAlgorithm().fit(split.train) }
    default:
      throw RecommendError(.invalidHyperparameter, "unknown variant \(spec.name)")
    }
    func evaluate(_ m: some RecommenderModel) -> RankingReport {
      RankingReport(
        of: m, train: split.train, test: split.test, k: 10, relevance: .atLeast(4),
        catalog: catalog)
    }
    let (r, evaluateSeconds) = clockTime { evaluate(model) }
    print(
      json([
        "variant": text, "fold": "u\(options.fold)", "ndcg_at_10": r.ndcg,
        "precision_at_10": r.precision, "recall_at_10": r.recall, "map_at_10": r.map,
        "hit_rate": r.hitRate, "coverage": r.coverage,
        "intra_list_diversity": r.intraListDiversity ?? 0, "users": r.users, "traits": traits,
        "fit_seconds": fitSeconds, "evaluate_seconds": evaluateSeconds,
      ]))
    fflush(nil)
  }
} catch {
  FileHandle.standardError.write(Data("aflix-bench-content: \(error)\n".utf8))
  exit(1)
}
