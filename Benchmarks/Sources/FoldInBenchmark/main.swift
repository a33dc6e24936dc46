// Fold-in benchmark (issue 11): how close a user folded in from their ratings (item side fixed,
// `scores(forRatings:)`) comes to the same user fitted with the model, on MovieLens 100k u1.
// Protocol: the 100 test users (users with a u1.test rating) with the most u1.base ratings (ties:
// lower user id) are removed from
// u1.base; every model is fitted on the full u1.base ("fitted") and on the rest ("reduced"); each
// removed user is folded into the reduced model from their u1.base ratings. On those users'
// u1.test ratings:
//   RMSE (rating models): scores clipped to the scale, for both the fitted user (scores(forUser:))
//        and the folded-in one; test ratings of items the reduced model does not know are left out
//        of both.
//   NDCG@10 (every model): relevant = every u1.test item of the user; candidates = the items the
//        reduced model knows (seen in its training), minus the user's u1.base items — the same
//        candidates for both; ideal DCG over min(10, |relevant|).
// Gap = (folded − fitted) / fitted. A diagnostic column folds the same users into the FULL model
// (fitted with them) from their u1.base ratings: the error of the fold-in itself, without the
// loss of their ratings from the item side ("self" figures and gaps). Another ("rest", rating
// models) scores every OTHER u1.test user, fitted in both models: what the reduced model's item
// side loses for users whose own ratings all stayed ("rmse_gap_rest").
// Prints one JSON object per model, then a Markdown table.
// Options:
//   --models a,b,…   registry names (default: every AlgorithmRegistry name)
//   --removed N      users removed and folded in (default 100)
//   --set k=v,…      hyper-parameters for every model (AlgorithmRegistry names; numbers only)
//   --seeds a,b,…    fit seeds; with several, each seed's gaps and their mean are printed (default 0)
//   --data DIR       the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)
// Run: swift run -c release --package-path Benchmarks aflix-bench-foldin [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var models = AlgorithmRegistry.names
  var removed = 100
  var seeds: [UInt64] = [0]
  var hyperparameters: [String: HyperparameterValue] = [:]
  var data = defaultDataFolder()

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--models": models = (it.next() ?? "").split(separator: ",").map(String.init)
      case "--removed": removed = Int(it.next() ?? "") ?? removed
      case "--set":
        for pair in (it.next() ?? "").split(separator: ",") {
          let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
          guard parts.count == 2 else { continue }
          hyperparameters[parts[0]] =
            Int(parts[1]).map { .integer($0) } ?? Double(parts[1]).map { .number($0) }
            ?? .text(parts[1])
        }
      case "--seeds": seeds = (it.next() ?? "").split(separator: ",").compactMap { UInt64($0) }
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      default:
        exitWithUsage(
          "usage: aflix-bench-foldin [--models a,b,…] [--removed N] [--set k=v,…] [--seeds a,b,…] [--data DIR]",
          for: a)
      }
    }
  }
}

/// One user's evaluation material, by external ids.
struct Held {
  var id: EntityID
  var train: [(item: EntityID, value: Float)]
  var test: [(item: EntityID, value: Float)]
}

/// Squared errors and NDCG of one model over the held users.
struct Figures {
  var squaredError = 0.0
  var ratings = 0
  var ndcg = 0.0
  var users = 0
  var rmse: Double { (squaredError / Double(max(1, ratings))).squareRoot() }
  var meanNDCG: Double { ndcg / Double(max(1, users)) }
}

/// NDCG@k of `scores` (indices of `model`) for one user.
func ndcg(
  scores: [Float], model: some RecommenderModel, candidates: Set<EntityID>, held: Held, k: Int
) -> Double? {
  let relevant = Set(held.test.map(\.item))
  guard !relevant.isEmpty else { return nil }
  let rated = Set(held.train.map(\.item))
  var values = scores
  for i in values.indices {
    let id = model.items.id(at: i)
    if !candidates.contains(id) || rated.contains(id) { values[i] = .nan }
  }
  let top = TopItems.select(values, count: k)
  var dcg = 0.0
  for (rank, i) in top.enumerated() where relevant.contains(model.items.id(at: i)) {
    dcg += 1 / log2(Double(rank + 2))
  }
  let ideal = (1...min(k, relevant.count)).reduce(0.0) { $0 + 1 / log2(Double($1 + 1)) }
  return dcg / ideal
}

/// Adds one user's figures for `scores` (indices of `model`).
func accumulate(
  _ figures: inout Figures, scores: [Float], model: some RecommenderModel, scale: RatingScale,
  rating: Bool, candidates: Set<EntityID>, held: Held
) {
  if rating {
    for (item, value) in held.test where candidates.contains(item) {
      guard let i = model.items.index(of: item) else { continue }
      let e = Double(scale.clamp(scores[i])) - Double(value)
      figures.squaredError += e * e
      figures.ratings += 1
    }
  }
  if let n = ndcg(scores: scores, model: model, candidates: candidates, held: held, k: 10) {
    figures.ndcg += n
    figures.users += 1
  }
}

func pairs(_ data: RatingsDataset, user u: Int) -> [(item: EntityID, value: Float)] {
  let (items, values) = data.ratings(ofUser: u)
  return zip(items, values).map { (data.items.id(at: Int($0)), $1) }
}

let options = Options(arguments: CommandLine.arguments)
do {
  let split = try MovieLens100KLoader.loadPredefinedSplit(
    folder: options.data.appendingPathComponent("ml-100k"), fold: 1)
  let base = split.train
  let test = split.test
  let degrees = base.userDegrees()
  let testDegrees = test.userDegrees()
  let order = (0..<base.userCount).filter { u in
    test.users.index(of: base.users.id(at: u)).map { testDegrees[$0] > 0 } ?? false
  }.sorted {
    degrees[$0] != degrees[$1]
      ? degrees[$0] > degrees[$1] : base.users.id(at: $0) < base.users.id(at: $1)
  }
  let removedIndices = Array(order.prefix(options.removed))
  let removedIDs = Set(removedIndices.map { base.users.id(at: $0) })
  let reduced = try RatingsDataset(
    ratings: base.allRatings().filter { !removedIDs.contains($0.user) }, scale: base.scale)
  let held = removedIndices.map { u -> Held in
    let id = base.users.id(at: u)
    let testPairs = test.users.index(of: id).map { pairs(test, user: $0) } ?? []
    return Held(id: id, train: pairs(base, user: u), test: testPairs)
  }
  let candidates = Set((0..<reduced.itemCount).map { reduced.items.id(at: $0) })
  // Every other test user: in both models, with all their training ratings.
  let rest = (0..<test.userCount).compactMap {
    t -> (id: EntityID, test: [(item: EntityID, value: Float)])? in
    let id = test.users.id(at: t)
    guard !removedIDs.contains(id) else { return nil }
    return (id, pairs(test, user: t))
  }
  /// The RMSE of `model`'s fitted users of `rest` on their test ratings (clipped, candidates only).
  func restRMSE(_ model: any RecommenderModel) -> Double {
    var squared = 0.0
    var count = 0
    for r in rest {
      guard let u = model.users.index(of: r.id) else { continue }
      let scores = model.scores(forUser: u)
      for (item, value) in r.test where candidates.contains(item) {
        guard let i = model.items.index(of: item) else { continue }
        let e = Double(base.scale.clamp(scores[i])) - Double(value)
        squared += e * e
        count += 1
      }
    }
    return (squared / Double(max(1, count))).squareRoot()
  }
  emit([
    "protocol": "ml-100k u1", "removed_users": held.count,
    "removed_base_ratings": held.reduce(0) { $0 + $1.train.count },
    "removed_test_ratings": held.reduce(0) { $0 + $1.test.count },
    "reduced_ratings": reduced.ratingCount, "reduced_items": reduced.itemCount,
    "base_items": base.itemCount,
  ])
  var rows: [String] = []
  var gaps: [String: [(rmse: Double?, ndcg: Double)]] = [:]
  for (name, seed) in options.models.flatMap({ n in options.seeds.map { (n, $0) } }) {
    let label = options.seeds.count > 1 ? "\(name) (seed \(seed))" : name
    let algorithm = try AlgorithmRegistry.algorithm(
      named: name, hyperparameters: options.hyperparameters, seed: seed)
    let rating = algorithm.predictsRatings
    let (full, fitFull) = try clockTime { try algorithm.fit(base) as any RecommenderModel }
    let (small, fitSmall) = try clockTime { try algorithm.fit(reduced) as any RecommenderModel }
    var fitted = Figures()
    var folded = Figures()
    var selfFolded = Figures()
    var foldSeconds = 0.0
    var ignored = 0
    var fallbacks = 0
    for h in held {
      guard let u = full.users.index(of: h.id) else { continue }
      accumulate(
        &fitted, scores: full.scores(forUser: u), model: full, scale: base.scale, rating: rating,
        candidates: candidates, held: h)
      accumulate(
        &selfFolded, scores: full.scores(forRatings: full.userRatings(h.train).ratings).values,
        model: full, scale: base.scale, rating: rating, candidates: candidates, held: h)
      let (known, unknown) = small.userRatings(h.train)
      ignored += unknown.count
      let (scores, t) = clockTime { small.scores(forRatings: known) }
      foldSeconds += t
      if scores.source != .model { fallbacks += 1 }
      accumulate(
        &folded, scores: scores.values, model: small, scale: base.scale, rating: rating,
        candidates: candidates, held: h)
    }
    var line: [String: Any] = [
      "model": name, "seed": seed, "ndcg_at_10_fitted": fitted.meanNDCG,
      "ndcg_at_10_folded": folded.meanNDCG,
      "ndcg_gap": (folded.meanNDCG - fitted.meanNDCG) / fitted.meanNDCG,
      "ndcg_at_10_self": selfFolded.meanNDCG,
      "ndcg_gap_self": (selfFolded.meanNDCG - fitted.meanNDCG) / fitted.meanNDCG,
      "users": folded.users, "ignored_items": ignored, "fallbacks": fallbacks,
      "fit_seconds_full": fitFull, "fit_seconds_reduced": fitSmall,
      "fold_in_ms_per_user": 1000 * foldSeconds / Double(max(1, held.count)),
    ]
    var rmseText = "—"
    if rating {
      line["rmse_fitted"] = fitted.rmse
      line["rmse_folded"] = folded.rmse
      line["rmse_gap"] = (folded.rmse - fitted.rmse) / fitted.rmse
      line["rmse_self"] = selfFolded.rmse
      line["rmse_gap_self"] = (selfFolded.rmse - fitted.rmse) / fitted.rmse
      line["test_ratings"] = folded.ratings
      let (restFull, restReduced) = (restRMSE(full), restRMSE(small))
      line["rmse_rest_fitted"] = restFull
      line["rmse_rest_reduced"] = restReduced
      line["rmse_gap_rest"] = (restReduced - restFull) / restFull
      rmseText = String(
        format: "%.4f | %.4f | %+.2f %% | %+.2f %%", fitted.rmse, folded.rmse,
        100 * (folded.rmse - fitted.rmse) / fitted.rmse,
        100 * (selfFolded.rmse - fitted.rmse) / fitted.rmse)
    } else {
      rmseText = "— | — | — | —"
    }
    emit(line)
    fflush(nil)
    gaps[name, default: []].append(
      (
        rating ? (folded.rmse - fitted.rmse) / fitted.rmse : nil,
        (folded.meanNDCG - fitted.meanNDCG) / fitted.meanNDCG
      ))
    rows.append(
      "| \(label) | \(rmseText) | "
        + String(
          format: "%.4f | %.4f | %+.2f %% | %+.2f %% | %.2f |", fitted.meanNDCG, folded.meanNDCG,
          100 * (folded.meanNDCG - fitted.meanNDCG) / fitted.meanNDCG,
          100 * (selfFolded.meanNDCG - fitted.meanNDCG) / fitted.meanNDCG,
          1000 * foldSeconds / Double(max(1, held.count))))
  }
  print(
    "\n| model | RMSE fitted | RMSE folded | gap | gap (self) | NDCG@10 fitted | NDCG@10 folded "
      + "| gap | gap (self) | fold-in ms/user |")
  print("|---|---|---|---|---|---|---|---|---|---|")
  for row in rows { print(row) }
  if options.seeds.count > 1 {
    print("\n| model | mean RMSE gap | mean NDCG@10 gap | seeds |")
    print("|---|---|---|---|")
    for name in options.models {
      let g = gaps[name] ?? []
      let rmse = g.compactMap(\.rmse)
      let rmseText =
        rmse.isEmpty
        ? "—" : String(format: "%+.2f %%", 100 * rmse.reduce(0, +) / Double(rmse.count))
      let ndcgMean = 100 * g.map(\.ndcg).reduce(0, +) / Double(max(1, g.count))
      print("| \(name) | \(rmseText) | \(String(format: "%+.2f %%", ndcgMean)) | \(g.count) |")
    }
  }
} catch {
  FileHandle.standardError.write(Data("aflix-bench-foldin: \(error)\n".utf8))
  exit(1)
}
