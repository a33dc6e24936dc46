// Diversity re-ranking benchmark (issue 12): NDCG@10 and mean intra-list diversity of top-10
// lists with re-ranking off, by the original rule, and by MMR at several λ, on MovieLens 100k's
// u1 split (fit on u1.base; relevant = u1.test ratings ≥ 4; candidates = items seen in training
// that the user did not rate in training, as RankingReport). Intra-list diversity is the mean
// over pairs of 1 − Jaccard(genre sets), averaged over users (lists of ≥ 2 items).
// Prints one JSON object per line: {model, diversity, users, ndcg_at_10, intra_list_diversity,
// ndcg_change (relative to off), rerank_us_p50, rerank_us_p99}, after a line counting the lists
// the original rule alone leaves short of N (backfilled) and a check line comparing the "off"
// NDCG and diversity with RankingReport's.
// Options:
//   --models ease,ials              algorithms of AlgorithmRegistry, default tuned settings, or
//                                   hybrid (the full hybrid of the catalog)
//   --diversity off,original,mmr:0.9,mmr:0.7,mmr:0.5
//   --n 10                          list length N (candidate pool 2N)
//   --data DIR                      the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)
// Run: swift run -c release --package-path Benchmarks aflix-bench-diversity [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var models = ["ease", "ials"]
  var diversity = ["off", "original", "mmr:0.9", "mmr:0.7", "mmr:0.5"]
  var n = 10
  var data = defaultDataFolder()

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--models": models = (it.next() ?? "").split(separator: ",").map(String.init)
      case "--diversity": diversity = (it.next() ?? "").split(separator: ",").map(String.init)
      case "--n": n = Int(it.next() ?? "") ?? n
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      default:
        exitWithUsage(
          "usage: aflix-bench-diversity [--models ease,ials] "
            + "[--diversity off,original,mmr:0.7] [--n 10] [--data DIR]", for: a)
      }
    }
  }
}

let options = Options(arguments: CommandLine.arguments)

do {
  let folder = options.data.appendingPathComponent("ml-100k")
  let split = try MovieLens100KLoader.loadPredefinedSplit(folder: folder, fold: 1)
  guard let catalog = try MovieLens100KLoader.load(folder: folder).catalog else {
    throw RecommendError(.invalidArgument, "\(folder.path) has no u.item")
  }
  let rerankings = try options.diversity.map { try DiversityReranking(parsing: $0) }
  let n = options.n
  for name in options.models {
    // "hybrid": the full hybrid of the catalog (EASE + content + popularity strata).
    let model =
      name == "hybrid"
      ? try Hybrid(catalog: catalog).fit(split.train) as any RecommenderModel
      : try AlgorithmRegistry.algorithm(named: name).fit(split.train)
    let items = model.items
    let genres = ItemGenreSets(catalog: catalog, items: items)
    // Items seen in training (by model index) and each test user's relevant and training items.
    var trainDegree = [Int](repeating: 0, count: items.count)
    let degrees = split.train.itemDegrees()
    for i in 0..<split.train.itemCount {
      if let m = items.index(of: split.train.items.id(at: i)) { trainDegree[m] += degrees[i] }
    }
    var requests: [(user: Int, seen: Set<Int>, relevant: Set<Int>, relevantCount: Int)] = []
    for tu in 0..<split.test.userCount {
      let (testItems, values) = split.test.ratings(ofUser: tu)
      let relevantIDs = zip(testItems, values).filter { $0.1 >= 4 }.map {
        split.test.items.id(at: Int($0.0))
      }
      guard !relevantIDs.isEmpty else { continue }
      guard let u = model.users.index(of: split.test.users.id(at: tu)) else {
        throw RecommendError(.invalidArgument, "test user unknown to the model")
      }
      var seen = Set(model.history.items(ofUser: u).map { Int($0) })
      if let trU = split.train.users.index(of: split.test.users.id(at: tu)) {
        for i in split.train.ratings(ofUser: trU).items {
          if let m = items.index(of: split.train.items.id(at: Int(i))) { seen.insert(m) }
        }
      }
      requests.append(
        (u, seen, Set(relevantIDs.compactMap { items.index(of: $0) }), relevantIDs.count))
    }
    // The ranked pools, once per user: the top 2N candidates, best first.
    let poolSize = 2 * n
    let pools = requests.map { r -> [RerankCandidate] in
      let scores = model.scores(forUser: r.user)
      return TopItems.select(scores, count: poolSize) {
        trainDegree[$0] > 0 && !r.seen.contains($0)
      }
      .map { RerankCandidate(item: $0, score: scores[$0]) }
    }
    let reference = RankingReport(
      of: model, train: split.train, test: split.test, k: n, relevance: .atLeast(4),
      catalog: catalog)
    var offNDCG: Double?
    var lines: [[String: Any]] = []
    for reranking in rerankings {
      var ndcgSum = 0.0
      var ildSum = 0.0
      var ildLists = 0
      var micros: [Double] = []
      for (r, pool) in zip(requests, pools) {
        let start = ContinuousClock.now
        let list = try reranking.rerank(pool, count: n, genres: genres).map(\.item)
        micros.append(seconds(ContinuousClock.now - start) * 1e6)
        var dcg = 0.0
        for (rank, item) in list.enumerated() where r.relevant.contains(item) {
          dcg += 1 / log2(Double(rank + 2))
        }
        let ideal = (1...min(n, r.relevantCount)).reduce(0.0) { $0 + 1 / log2(Double($1 + 1)) }
        ndcgSum += dcg / ideal
        if list.count >= 2 {
          ildSum += intraListDiversity(of: list, genres: genres)
          ildLists += 1
        }
      }
      let ndcg = ndcgSum / Double(requests.count)
      if reranking == .off { offNDCG = ndcg }
      micros.sort()
      lines.append([
        "model": name, "diversity": reranking.description, "users": requests.count, "n": n,
        "ndcg_at_10": ndcg, "intra_list_diversity": ildSum / Double(max(1, ildLists)),
        "rerank_us_p50": micros[micros.count / 2],
        "rerank_us_p99": micros[min(micros.count - 1, micros.count * 99 / 100)],
      ])
    }
    // How often the original rule alone yields fewer than N (the rest is backfilled): the walk
    // again, with Set arithmetic on the public genre lists.
    var shortLists = 0
    var backfilled = 0
    for pool in pools {
      var union = Set<Genre>()
      var accepted = 0
      for candidate in pool.prefix(poolSize) where accepted < n {
        let own = Set(genres.genres(ofItem: candidate.item))
        if accepted < DiversityReranking.originalFreePicks
          || own.intersection(union).count <= DiversityReranking.originalOverlapLimit
        {
          accepted += 1
          union.formUnion(own)
        }
      }
      let missing = min(n, pool.count) - accepted
      if missing > 0 {
        shortLists += 1
        backfilled += missing
      }
    }
    emit([
      "model": name, "original_rule_short_lists": shortLists, "lists": pools.count,
      "original_rule_backfilled_items": backfilled,
    ])
    emit([
      "model": name, "check": "off vs RankingReport", "ndcg_off": offNDCG ?? .nan,
      "ranking_report_ndcg": reference.ndcg,
      "ranking_report_intra_list_diversity": reference.intraListDiversity ?? .nan,
    ])
    for var line in lines {
      if let offNDCG, let ndcg = line["ndcg_at_10"] as? Double {
        line["ndcg_change"] = ndcg / offNDCG - 1
      }
      emit(line)
    }
  }
} catch {
  FileHandle.standardError.write(Data("aflix-bench-diversity: \(error)\n".utf8))
  exit(1)
}
