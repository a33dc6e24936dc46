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

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--variants": variants = it.next() ?? variants
      case "--fold": fold = Int(it.next() ?? "") ?? 1
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
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

let options = Options(arguments: CommandLine.arguments)
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
