// Serving benchmark (issue 11): the latency of one top-N request, of a fold-in request, of a batch,
// and the throughput of concurrent requests, on the shapes of ../shared/anchors/topk_numpy.py
// (50,000 items, 30 factors, 10,000 users with 50 seen items each, n = 10, 2,000 requests; batch
// over the first 400 items). Factors are float32 standard normal draws from AFlix's
// SeededGenerator: the shapes are numpy's, the numbers are not.
// Parts (all on the calling thread unless said; BLAS is left at its default thread count, the
// serving path is serial by construction):
//   single       recommend(user:count:) for random known users, the 50 seen items excluded (the
//                model's history): p50/p99/mean ms over --requests after a warm-up
//   foldin       recommend(forRatings:) with --ratings random (item, value) pairs: p50/p99/mean ms
//   batch        recommend(users:…) for every user over the first --batch-items items (history:
//                50 seen among them): seconds, median of --repeats, for each of --threads
//   concurrency  --concurrent requests from a TaskGroup vs the same requests one after another:
//                throughput ratio, and p99 of each request's service time (from when its scoring
//                starts, so queueing is excluded); on the 50,000-item model and on implicit ALS
//                fitted on MovieLens 100k (skipped with --no-ml100k)
// Output: a table, or one JSON object per line with --json.
// Run: swift run -c release --package-path Benchmarks aflix-bench-serving [--json] [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var items = 50_000
  var factors = 30
  var users = 10_000
  var seen = 50
  var n = 10
  var requests = 2_000
  var batchItems = 400
  var ratings = 20
  var concurrent = 1_000
  var rounds = 5
  var repeats = 5
  var threads = [1, 2]
  var seed: UInt64 = 42
  var parts: Set<String> = ["single", "foldin", "batch", "concurrency"]
  var ml100k = true
  var jsonOutput = false
  var data = defaultDataFolder()

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    func int(_ fallback: Int) -> Int { Int(it.next() ?? "") ?? fallback }
    while let a = it.next() {
      switch a {
      case "--items": items = int(items)
      case "--factors": factors = int(factors)
      case "--users": users = int(users)
      case "--seen": seen = int(seen)
      case "--n": n = int(n)
      case "--requests": requests = int(requests)
      case "--batch-items": batchItems = int(batchItems)
      case "--ratings": ratings = int(ratings)
      case "--concurrent": concurrent = int(concurrent)
      case "--rounds": rounds = int(rounds)
      case "--repeats": repeats = int(repeats)
      case "--threads": threads = (it.next() ?? "").split(separator: ",").compactMap { Int($0) }
      case "--seed": seed = UInt64(it.next() ?? "") ?? seed
      case "--parts": parts = Set((it.next() ?? "").split(separator: ",").map(String.init))
      case "--no-ml100k": ml100k = false
      case "--json": jsonOutput = true
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      default:
        exitWithUsage(
          "usage: aflix-bench-serving [--items N] [--factors K] [--users U] [--seen S] [--n N] "
            + "[--requests R] [--batch-items B] [--ratings F] [--concurrent C] [--rounds R] "
            + "[--repeats R] [--threads 1,2] [--seed S] [--parts single,foldin,batch,concurrency] "
            + "[--no-ml100k] [--json] [--data DIR]", for: a)
      }
    }
  }
}

/// The `p`-th percentile of `xs` with linear interpolation between ranks (numpy's default).
func percentile(_ xs: [Double], _ p: Double) -> Double {
  let s = xs.sorted()
  guard s.count > 1 else { return s.first ?? 0 }
  let rank = p / 100 * Double(s.count - 1)
  let lo = Int(rank.rounded(.down))
  let hi = min(s.count - 1, lo + 1)
  return s[lo] + (s[hi] - s[lo]) * (rank - Double(lo))
}

/// Nanoseconds of the monotonic clock.
@inline(__always)
func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// A model of `users` × `items` standard normal factors whose users have each seen `seen` distinct
/// random items (the model's history): what `recommend(user:)` excludes.
func syntheticModel(items: Int, users: Int, factors: Int, seen: Int, seed: UInt64) throws
  -> ImplicitALSModel
{
  var rng = SeededGenerator(seed: seed)
  let itemFactors = Matrix<Float>(
    rows: items, columns: factors,
    elements: (0..<(items * factors)).map { _ in Float(rng.nextGaussian()) })
  let userFactors = Matrix<Float>(
    rows: users, columns: factors,
    elements: (0..<(users * factors)).map { _ in Float(rng.nextGaussian()) })
  var offsets = [0]
  var indices: [Int32] = []
  let perUser = min(seen, items)
  for _ in 0..<users {
    var chosen = Set<Int32>()
    while chosen.count < perUser { chosen.insert(Int32(Int.random(in: 0..<items, using: &rng))) }
    indices += chosen.sorted()
    offsets.append(indices.count)
  }
  let history = try UserHistory(offsets: offsets, itemIndices: indices, items: items)
  return ImplicitALSModel(
    users: IDMap((0..<users).map { EntityID.int($0 + 1) }),
    items: IDMap((0..<items).map { EntityID.int($0 + 1) }), userFactors: userFactors,
    itemFactors: itemFactors, history: history)
}

/// Latencies in ms of `body` over `inputs`, after `warmUp` untimed calls.
func latencies<Input, Output>(
  _ inputs: [Input], warmUp: Int, _ body: (Input) -> Output
) -> (ms: [Double], last: Output?) {
  var last: Output?
  for input in inputs.prefix(warmUp) { last = body(input) }
  var ms: [Double] = []
  ms.reserveCapacity(inputs.count)
  for input in inputs {
    let t = now()
    last = body(input)
    ms.append(Double(now() - t) / 1e6)
  }
  return (ms, last)
}

/// One concurrency round: the same requests sequentially and from a task group.
struct ConcurrencyRound {
  var sequentialSeconds: Double
  var concurrentSeconds: Double
  var sequentialP99ms: Double
  var concurrentP99ms: Double
  var identical: Bool
}

/// One slot per request: written once by that request's task, read after the group ends.
final class AnswerSlots: @unchecked Sendable {
  private var answers: [(Int, Recommendations, Double)?]
  private let lock = NSLock()

  init(count: Int) { answers = Array(repeating: nil, count: count) }

  func store(_ position: Int, _ answer: Recommendations, _ service: Double) {
    lock.lock()
    answers[position] = (position, answer, service)
    lock.unlock()
  }

  func all() -> [(Int, Recommendations, Double)] {
    lock.lock()
    defer { lock.unlock() }
    return answers.compactMap { $0 }
  }
}

func concurrencyRound(model: ImplicitALSModel, requests: [EntityID], n: Int) async
  -> ConcurrencyRound
{
  var sequentialService: [Double] = []
  var sequentialResults: [Recommendations] = []
  let s0 = now()
  for user in requests {
    let t = now()
    sequentialResults.append(model.recommend(user: user, count: n))
    sequentialService.append(Double(now() - t) / 1e6)
  }
  let sequentialSeconds = Double(now() - s0) / 1e9
  let c0 = now()
  // As a server's handlers do, each request keeps its answer: a discarding group (no answer is
  // handed back to the parent task one by one), each request writing to its own slot.
  let slots = AnswerSlots(count: requests.count)
  await withDiscardingTaskGroup { group in
    for (position, user) in requests.enumerated() {
      group.addTask {
        // Service time: from when this request's scoring starts, so waiting for a thread of the
        // cooperative pool (queueing) is not counted.
        let t = now()
        let r = model.recommend(user: user, count: n)
        slots.store(position, r, Double(now() - t) / 1e6)
      }
    }
  }
  let concurrent = slots.all()
  let concurrentSeconds = Double(now() - c0) / 1e9
  var identical = concurrent.count == requests.count
  for (position, r, _) in concurrent where r != sequentialResults[position] { identical = false }
  return ConcurrencyRound(
    sequentialSeconds: sequentialSeconds, concurrentSeconds: concurrentSeconds,
    sequentialP99ms: percentile(sequentialService, 99),
    concurrentP99ms: percentile(concurrent.map(\.2), 99), identical: identical)
}

let options = Options(arguments: CommandLine.arguments)
var rows: [[String: Any]] = []

@MainActor func report(_ row: [String: Any]) {
  rows.append(row)
  if options.jsonOutput {
    print(json(row))
    fflush(nil)
  }
}

func randomUsers(_ count: Int, of users: Int, seed: UInt64) -> [EntityID] {
  var rng = SeededGenerator(seed: seed)
  return (0..<count).map { _ in EntityID.int(Int.random(in: 0..<users, using: &rng) + 1) }
}

@MainActor func concurrency(label: String, model: ImplicitALSModel, seed: UInt64) async {
  let users = model.users.count
  let requests = randomUsers(options.concurrent, of: users, seed: seed)
  _ = await concurrencyRound(model: model, requests: requests, n: options.n)  // warm-up
  var rounds: [ConcurrencyRound] = []
  for _ in 0..<options.rounds {
    rounds.append(await concurrencyRound(model: model, requests: requests, n: options.n))
  }
  let ratio = median(rounds.map { $0.sequentialSeconds / $0.concurrentSeconds })
  let seqP99 = median(rounds.map(\.sequentialP99ms))
  let conP99 = median(rounds.map(\.concurrentP99ms))
  report([
    "benchmark": "concurrency", "model": label, "items": model.items.count,
    "factors": model.factorCount, "requests": options.concurrent, "rounds": options.rounds,
    "blas_threads": BLAS.threadCount,
    "sequential_per_second": Double(options.concurrent)
      / median(rounds.map(\.sequentialSeconds)),
    "concurrent_per_second": Double(options.concurrent)
      / median(rounds.map(\.concurrentSeconds)),
    "throughput_ratio": ratio, "sequential_p99_ms": seqP99, "concurrent_p99_ms": conP99,
    "p99_ratio": conP99 / seqP99, "identical": rounds.allSatisfy(\.identical),
  ])
}

do {
  let rng0 = options.seed
  if !options.parts.isDisjoint(with: ["single", "foldin", "concurrency"]) {
    let (model, build) = try clockTime {
      try syntheticModel(
        items: options.items, users: options.users, factors: options.factors,
        seen: options.seen, seed: rng0)
    }
    if !options.jsonOutput {
      print(
        "model: \(options.users) users × \(options.items) items, k = \(options.factors), "
          + "\(options.seen) seen per user (built in \(String(format: "%.2f", build)) s); "
          + "BLAS threads \(BLAS.threadCount), core \(BLAS.coreName)")
    }
    if options.parts.contains("single") {
      let requests = randomUsers(options.requests + 50, of: options.users, seed: rng0 + 1)
      let (ms, last) = latencies(Array(requests.dropFirst(50)), warmUp: 50) {
        model.recommend(user: $0, count: options.n)
      }
      report([
        "benchmark": "single", "items": options.items, "factors": options.factors,
        "n": options.n, "requests": options.requests, "p50_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99), "mean_ms": ms.reduce(0, +) / Double(ms.count),
        "returned": last?.items.count ?? 0, "blas_threads": BLAS.threadCount,
      ])
    }
    if options.parts.contains("foldin") {
      var rng = SeededGenerator(seed: rng0 + 2)
      let requests: [[(item: EntityID, value: Float)]] = (0..<(options.requests + 50)).map { _ in
        var chosen = Set<Int>()
        while chosen.count < min(options.ratings, options.items) {
          chosen.insert(Int.random(in: 0..<options.items, using: &rng))
        }
        return chosen.sorted().map {
          (item: EntityID.int($0 + 1), value: Float(Int.random(in: 1...5, using: &rng)))
        }
      }
      let (ms, last) = latencies(Array(requests.dropFirst(50)), warmUp: 50) {
        model.recommend(forRatings: $0, count: options.n)
      }
      report([
        "benchmark": "foldin", "items": options.items, "factors": options.factors,
        "ratings": options.ratings, "n": options.n, "requests": options.requests,
        "p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99),
        "mean_ms": ms.reduce(0, +) / Double(ms.count),
        "source": last?.source.rawValue ?? "none", "blas_threads": BLAS.threadCount,
      ])
    }
    if options.parts.contains("concurrency") {
      await concurrency(label: "synthetic", model: model, seed: rng0 + 3)
    }
  }
  if options.parts.contains("batch") {
    let model = try syntheticModel(
      items: options.batchItems, users: options.users, factors: options.factors,
      seen: options.seen, seed: rng0 + 4)
    let all = (0..<options.users).map { EntityID.int($0 + 1) }
    for threads in options.threads {
      for (label, exclusion) in [("rated", Exclusion.rated), ("nothing", Exclusion.nothing)] {
        let serving = ServingOptions(threadCount: threads)
        _ = model.recommend(users: all, count: options.n, excluding: exclusion, options: serving)
        var times: [Double] = []
        for _ in 0..<options.repeats {
          times.append(
            clockTime {
              model.recommend(users: all, count: options.n, excluding: exclusion, options: serving)
            }.1)
        }
        report([
          "benchmark": "batch", "users": options.users, "items": options.batchItems,
          "factors": options.factors, "n": options.n, "threads": threads, "excluding": label,
          "seconds": median(times), "min_seconds": times.min() ?? 0,
          "blas_threads": BLAS.threadCount,
        ])
      }
    }
  }
  if options.parts.contains("concurrency") && options.ml100k {
    guard
      let data = try DatasetLoader.load(path: options.data.appendingPathComponent("ml-100k").path)
        .ratings
    else { throw RecommendError(.emptyTrainingData, "ml-100k holds no ratings") }
    let model = try ImplicitALS().fit(data)
    await concurrency(label: "ml-100k ials", model: model, seed: rng0 + 5)
  }
} catch {
  FileHandle.standardError.write(Data("aflix-bench-serving: \(error)\n".utf8))
  exit(1)
}

if !options.jsonOutput {
  func f(_ v: Any?, _ digits: Int = 3) -> String {
    if let d = v as? Double { return String(format: "%.\(digits)f", d) }
    return v.map { "\($0)" } ?? "-"
  }
  print("part          case                          p50 ms   p99 ms   mean ms  other")
  for r in rows {
    let b = r["benchmark"] as! String
    switch b {
    case "single", "foldin":
      let c =
        b == "single"
        ? "top-\(options.n), \(options.seen) seen" : "\(options.ratings) ratings, \(r["source"]!)"
      print(
        b.padding(toLength: 14, withPad: " ", startingAt: 0)
          + c.padding(toLength: 28, withPad: " ", startingAt: 0)
          + "  \(f(r["p50_ms"]))    \(f(r["p99_ms"]))    \(f(r["mean_ms"]))")
    case "batch":
      print(
        "batch         \(options.users)×\(options.batchItems), \(r["threads"]!) thr, excl. \(r["excluding"]!)"
          .padding(toLength: 42, withPad: " ", startingAt: 0)
          + "  seconds \(f(r["seconds"], 4)) (min \(f(r["min_seconds"], 4)))")
    default:
      print(
        "concurrency   \(r["model"]!), \(options.concurrent) req".padding(
          toLength: 42, withPad: " ", startingAt: 0)
          + "  \(f(r["sequential_per_second"], 0))/s seq, \(f(r["concurrent_per_second"], 0))/s "
          + "conc (×\(f(r["throughput_ratio"], 2))); p99 \(f(r["sequential_p99_ms"]))→"
          + "\(f(r["concurrent_p99_ms"])) ms (×\(f(r["p99_ratio"], 2))); identical \(r["identical"]!)"
      )
    }
  }
}
