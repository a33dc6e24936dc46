// New films without retraining (issue 12): MovieLens 100k predefined fold (u1 by default).
// 50 films (seeded choice among the films with ≥ 30 ratings in u1.base) are held out of training
// entirely; ials, mf-als and the hybrid (`Hybrid(catalog:collaborative: ImplicitALS())`) are fitted
// on the rest. Each held-out film is then added from its first k ratings in u1.base by timestamp
// (ties by user id), k ∈ {0, 1, 5, 20}: folded in (`ItemFoldIn`, `HybridModel.placeNewFilm`)
// vs refitted on the rest plus those k ratings of every held-out film (the same information);
// "full" rows refit on the whole u1.base (every rating of the held-out films) for reference.
// Measured on the held-out films' u1.test ratings from users the models know:
//   - mf-als: RMSE of the predictions (clipped to 1…5; a film without factors predicts μ + bᵤ,
//     the model's unknown-item fallback, in both variants).
//   - ials and hybrid: for every u1.test rating ≥ 4 of a held-out film (a relevant user), the
//     film's percentile rank among the user's candidates — the model's films the user did not
//     rate in training, other held-out films left out, plus the film — (0 = top; ties count
//     half) and the hit rate at 10. A refit at k = 0 does not know the film: no figure.
// Prints one JSON object per line ({model, k, variant, rmse | mean_percentile_rank, hit_rate_at_10,
// ratings | pairs, fit_seconds}), then request latencies (top 10 of the hybrid with the held-out
// films of the last k merged in, and without) and fold-in latencies ({ials_fold_in_ms_p50, …}).
// Options:
//   --fold 1…5       the predefined fold (default 1)
//   --films N        held-out films (default 50)
//   --seed S         the seed of the choice (default 42)
//   --ks 0,1,5,20    the numbers of first ratings
//   --data DIR       the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)
// Run: swift run -c release --package-path Benchmarks aflix-bench-newfilm [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var fold = 1
  var films = 50
  var seed: UInt64 = 42
  var ks = [0, 1, 5, 20]
  var data = defaultDataFolder()

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--fold": fold = Int(it.next() ?? "") ?? 1
      case "--films": films = Int(it.next() ?? "") ?? 50
      case "--seed": seed = UInt64(it.next() ?? "") ?? 42
      case "--ks": ks = (it.next() ?? "").split(separator: ",").compactMap { Int($0) }
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      default:
        exitWithUsage(
          "usage: aflix-bench-newfilm [--fold 1…5] [--films N] [--seed S] [--ks 0,1,5,20] "
            + "[--data DIR]", for: a)
      }
    }
  }
}

/// The held-out films: a seeded Fisher–Yates choice among the films with ≥ 30 training ratings.
func chooseFilms(_ train: RatingsDataset, count: Int, seed: UInt64) -> [EntityID] {
  let degrees = train.itemDegrees()
  var pool = (0..<train.itemCount).filter { degrees[$0] >= 30 }.map { train.items.id(at: $0) }
  var rng = SeededGenerator(seed: seed)
  for i in stride(from: pool.count - 1, to: 0, by: -1) {
    pool.swapAt(i, Int(rng.next() % UInt64(i + 1)))
  }
  return Array(pool.prefix(count))
}

/// The rank statistics of one variant.
struct RankStats {
  var percentiles: [Double] = []
  var hits = 0

  /// Adds the rank of `score` among `candidates` (film itself not included in them).
  mutating func add(score: Float, candidates: [Float]) {
    var above = 0.0
    for c in candidates where c.isFinite {
      if c > score { above += 1 } else if c == score { above += 0.5 }
    }
    let total = Double(candidates.count + 1)
    percentiles.append(above / total)
    if above < 10 { hits += 1 }
  }

  var mean: Double {
    percentiles.isEmpty ? .nan : percentiles.reduce(0, +) / Double(percentiles.count)
  }
  var hitRate: Double { percentiles.isEmpty ? .nan : Double(hits) / Double(percentiles.count) }
}

let options = Options(arguments: CommandLine.arguments)
do {
  let folder = options.data.appendingPathComponent("ml-100k")
  let split = try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: options.fold)
  guard let catalog = try MovieLens100KLoader.load(folder: folder).catalog else {
    throw RecommendError(.invalidArgument, "\(folder.path) has no u.item")
  }
  let held = chooseFilms(split.train, count: options.films, seed: options.seed)
  let heldSet = Set(held)
  let all = split.train.allRatings()
  let rest = all.filter { !heldSet.contains($0.item) }
  // Each held-out film's training ratings, oldest first (ties by user id).
  var byFilm: [EntityID: [Rating]] = [:]
  for r in all where heldSet.contains(r.item) { byFilm[r.item, default: []].append(r) }
  for (id, list) in byFilm {
    byFilm[id] = list.sorted {
      ($0.timestamp ?? 0, $0.user.description) < ($1.timestamp ?? 0, $1.user.description)
    }
  }
  let tests = split.test.allRatings().filter { heldSet.contains($0.item) }
  let relevant = tests.filter { $0.value >= 4 }
  let movies = Dictionary(uniqueKeysWithValues: catalog.movies.map { ($0.id, $0) })
  let als = ImplicitALS()
  let mf = BiasedALS()
  let hybridAlgorithm = Hybrid(catalog: catalog, collaborative: ImplicitALS())
  var rows: [[String: Any]] = []
  func emit(_ row: [String: Any]) {
    rows.append(row)
    print(json(row))
    fflush(nil)
  }

  /// The candidates' scores of user `u` in `model` (training films and other held-out films
  /// left out).
  func candidates(_ scores: [Float], model: some RecommenderModel, user u: Int, film: EntityID?)
    -> [Float]
  {
    var out = scores
    for i in model.history.items(ofUser: u) { out[Int(i)] = .nan }
    for id in held where id != film {
      if let i = model.items.index(of: id) { out[i] = .nan }
    }
    if let film, let i = model.items.index(of: film) { out[i] = .nan }
    return out.filter { !$0.isNaN }
  }

  // Base models: fitted without the held-out films.
  let base = try RatingsDataset(ratings: rest, scale: split.train.scale)
  let (alsBase, alsSeconds) = try clockTime { try als.fit(base) }
  let (mfBase, mfSeconds) = try clockTime { try mf.fit(base) }
  let (hybridBase, hybridSeconds) = try clockTime { try hybridAlgorithm.fit(base) }
  let cache = hybridBase.newFilmCache()
  let alsGram = alsBase.userGram()
  var timesCached: [Double] = []
  var timesPerCall: [Double] = []
  var timesMF: [Double] = []
  var timesPlace: [Double] = []
  var lastPlaced: [NewFilm] = []

  for k in options.ks {
    let kept = held.flatMap { Array((byFilm[$0] ?? []).prefix(k)) }
    // Folded variants.
    var mfErrors: [Double] = []
    var alsStats = RankStats()
    var hybridStats = RankStats()
    // The hybrid's folded films scored with several content priors (the default first).
    let priors = [NewFilm.measuredContentPrior, 0, 5, 20, 40]
    var priorStats = [RankStats](repeating: RankStats(), count: priors.count)
    var foldedALS: [EntityID: FoldedItem] = [:]
    var foldedMF: [EntityID: FoldedItem] = [:]
    var placed: [EntityID: NewFilm] = [:]
    for id in held {
      let first = Array((byFilm[id] ?? []).prefix(k))
      let alsRatings = ItemRatings(
        first.compactMap { r in alsBase.users.index(of: r.user).map { (user: $0, value: r.value) }
        },
        userCount: alsBase.users.count)
      let (cached, t1) = clockTime { alsBase.foldedItemFactors(alsRatings, userGram: alsGram) }
      let (_, t2) = clockTime { alsBase.foldedItemFactors(alsRatings) }
      if let cached {
        foldedALS[id] = FoldedItem(factors: cached, bias: 0, ratingCount: alsRatings.count)
      }
      let mfRatings = ItemRatings(
        first.compactMap { r in mfBase.users.index(of: r.user).map { (user: $0, value: r.value) } },
        userCount: mfBase.users.count)
      let (m, t3) = clockTime { mfBase.foldInItem(ratings: mfRatings) }
      foldedMF[id] = m
      let movie = movies[id] ?? Movie(id: id, title: "")
      let (p, t4) = try clockTime {
        try hybridBase.placeNewFilm(
          movie, ratings: first.map { (user: $0.user, value: $0.value) }, cache: cache)
      }
      placed[id] = p
      if k > 0 {
        timesCached.append(t1 * 1000)
        timesPerCall.append(t2 * 1000)
        timesMF.append(t3 * 1000)
      }
      timesPlace.append(t4 * 1000)
    }
    lastPlaced = held.compactMap { placed[$0] }
    for r in tests {
      guard let u = mfBase.users.index(of: r.user) else { continue }
      let prediction =
        foldedMF[r.item].map { mfBase.score($0, forUser: u) }
        ?? (mfBase.globalMean + mfBase.userBias[u])
      let clipped = min(5, max(1, Double(prediction)))
      mfErrors.append((clipped - Double(r.value)) * (clipped - Double(r.value)))
    }
    for r in relevant {
      if let u = alsBase.users.index(of: r.user), let f = foldedALS[r.item] {
        alsStats.add(
          score: alsBase.score(f, forUser: u),
          candidates: candidates(alsBase.scores(forUser: u), model: alsBase, user: u, film: nil))
      }
      if let u = hybridBase.users.index(of: r.user), let film = placed[r.item] {
        let list = candidates(hybridBase.scores(forUser: u), model: hybridBase, user: u, film: nil)
        hybridStats.add(
          score: hybridBase.score(film, forUser: r.user).total, candidates: list)
        for (p, n0) in priors.enumerated() where k > 0 {
          priorStats[p].add(
            score: hybridBase.score(film, forUser: r.user, contentPrior: n0).total,
            candidates: list)
        }
      }
    }
    for (p, n0) in priors.enumerated().dropFirst() where k > 0 {
      emit([
        "model": "hybrid", "k": k, "variant": "folded, content prior \(Int(n0))",
        "mean_percentile_rank": priorStats[p].mean, "hit_rate_at_10": priorStats[p].hitRate,
        "pairs": priorStats[p].percentiles.count, "fit_seconds": hybridSeconds,
      ])
    }
    let rmse = (mfErrors.reduce(0, +) / Double(mfErrors.count)).squareRoot()
    emit([
      "model": "mf-als", "k": k, "variant": "folded", "rmse": rmse, "ratings": mfErrors.count,
      "fit_seconds": mfSeconds,
    ])
    if k > 0 {
      emit([
        "model": "ials", "k": k, "variant": "folded", "mean_percentile_rank": alsStats.mean,
        "hit_rate_at_10": alsStats.hitRate, "pairs": alsStats.percentiles.count,
        "fit_seconds": alsSeconds,
      ])
    }
    emit([
      "model": "hybrid", "k": k,
      "variant": k == 0 ? "content" : "folded, content prior \(Int(NewFilm.measuredContentPrior))",
      "mean_percentile_rank": hybridStats.mean, "hit_rate_at_10": hybridStats.hitRate,
      "pairs": hybridStats.percentiles.count, "fit_seconds": hybridSeconds,
    ])
    // Refitted variants: the rest plus the same k first ratings (k = 0 is the base model).
    guard k > 0 else { continue }
    try refit(kept: kept, k: "\(k)")
  }
  try refit(kept: held.flatMap { byFilm[$0] ?? [] }, k: "full")

  /// Refits the three models on the rest plus `kept` and measures them as above.
  func refit(kept: [Rating], k: String) throws {
    let data = try RatingsDataset(ratings: rest + kept, scale: split.train.scale)
    let (alsModel, t1) = try clockTime { try als.fit(data) }
    let (mfModel, t2) = try clockTime { try mf.fit(data) }
    let (hybridModel, t3) = try clockTime { try hybridAlgorithm.fit(data) }
    var errors: [Double] = []
    for r in tests {
      guard mfModel.users.index(of: r.user) != nil else { continue }
      let p = Double(mfModel.predict(userID: r.user, itemID: r.item).value)
      errors.append((p - Double(r.value)) * (p - Double(r.value)))
    }
    var alsStats = RankStats()
    var hybridStats = RankStats()
    for r in relevant {
      if let u = alsModel.users.index(of: r.user), let i = alsModel.items.index(of: r.item) {
        let scores = alsModel.scores(forUser: u)
        alsStats.add(
          score: scores[i],
          candidates: candidates(scores, model: alsModel, user: u, film: r.item))
      }
      if let u = hybridModel.users.index(of: r.user), let i = hybridModel.items.index(of: r.item) {
        let scores = hybridModel.scores(forUser: u)
        hybridStats.add(
          score: scores[i],
          candidates: candidates(scores, model: hybridModel, user: u, film: r.item))
      }
    }
    let kValue: Any = Int(k) ?? k
    emit([
      "model": "mf-als", "k": kValue, "variant": "refit",
      "rmse": (errors.reduce(0, +) / Double(errors.count)).squareRoot(), "ratings": errors.count,
      "fit_seconds": t2,
    ])
    emit([
      "model": "ials", "k": kValue, "variant": "refit", "mean_percentile_rank": alsStats.mean,
      "hit_rate_at_10": alsStats.hitRate, "pairs": alsStats.percentiles.count, "fit_seconds": t1,
    ])
    emit([
      "model": "hybrid", "k": kValue, "variant": "refit",
      "mean_percentile_rank": hybridStats.mean, "hit_rate_at_10": hybridStats.hitRate,
      "pairs": hybridStats.percentiles.count, "fit_seconds": t3,
    ])
  }

  func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? .nan : s[min(s.count - 1, Int(Double(s.count) * p))]
  }
  // Request latency: the hybrid's top 10 with the 50 new films merged in vs with none.
  var timesMerged: [Double] = []
  var timesPlain: [Double] = []
  var sink = 0
  for u in 0..<min(400, hybridBase.users.count) {
    let id = hybridBase.users.id(at: u)
    let (a, t1) = clockTime { hybridBase.recommend(user: id, count: 10, including: lastPlaced) }
    let (b, t2) = clockTime { hybridBase.recommend(user: id, count: 10, including: []) }
    sink += a.items.count + b.items.count
    timesMerged.append(t1 * 1000)
    timesPlain.append(t2 * 1000)
  }
  emit([
    "recommend_with_new_films_ms_p50": percentile(timesMerged, 0.5),
    "recommend_with_new_films_ms_p99": percentile(timesMerged, 0.99),
    "recommend_without_ms_p50": percentile(timesPlain, 0.5),
    "recommend_without_ms_p99": percentile(timesPlain, 0.99),
    "new_films": lastPlaced.count, "checksum": sink,
  ])
  emit([
    "held_out_films": held.count, "test_ratings": tests.count, "relevant_pairs": relevant.count,
    "ials_fold_in_ms_p50": percentile(timesCached, 0.5),
    "ials_fold_in_ms_p99": percentile(timesCached, 0.99),
    "ials_fold_in_per_call_gram_ms_p50": percentile(timesPerCall, 0.5),
    "mf_als_fold_in_ms_p50": percentile(timesMF, 0.5),
    "hybrid_place_ms_p50": percentile(timesPlace, 0.5),
    "hybrid_place_ms_p99": percentile(timesPlace, 0.99),
  ])
} catch {
  FileHandle.standardError.write(Data("aflix-bench-newfilm: \(error)\n".utf8))
  exit(1)
}
