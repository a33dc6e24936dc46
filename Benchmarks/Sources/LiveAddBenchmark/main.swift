// Time to add one rating to a dataset a service keeps in memory: MovieLens 100k and a synthetic
// 10M-rating dataset, one `add` of one rating per run (each run adds another rating to the same,
// uniquely owned dataset, as a service would), median over the runs.
//
//   swift run --package-path Benchmarks -c release --scratch-path <path> aflix-bench-live-add \
//     [--ml100k <folder>] [--runs N] [--big-runs N] [--users N] [--per-user N]
import AFlix
import BenchmarkSupport
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
  guard let k = arguments.firstIndex(of: name), k + 1 < arguments.count else { return nil }
  return arguments[k + 1]
}
let folder = option("--ml100k") ?? "/work/shared/data/ml-100k"
let runs = Int(option("--runs") ?? "") ?? 21
let bigRuns = Int(option("--big-runs") ?? "") ?? 7
let bigUsers = Int(option("--users") ?? "") ?? 100_000
let perUser = Int(option("--per-user") ?? "") ?? 100
let bigItems = 20_000

/// Adds `runs` single ratings to `data` (user `users[k]`, item `items[k]`), returning the
/// seconds of each `add`.
func timeAdds(_ data: inout RatingsDataset, _ ratings: [Rating]) throws -> [Double] {
  var times: [Double] = []
  for rating in ratings {
    let (_, t) = try clockTime { try data.add([rating]) }
    times.append(t)
  }
  return times
}

/// `count` ratings no one has given yet: existing users, items they have not rated, the latest
/// timestamp + 1.
func freshRatings(_ data: RatingsDataset, count: Int, seed: UInt64) -> [Rating] {
  var rng = SeededGenerator(seed: seed)
  var out: [Rating] = []
  var used = Set<[Int]>()
  while out.count < count {
    let u = Int(rng.next() % UInt64(data.userCount))
    let i = Int(rng.next() % UInt64(data.itemCount))
    guard data.value(user: u, item: i) == nil, used.insert([u, i]).inserted else { continue }
    out.append(
      Rating(user: data.users.id(at: u), item: data.items.id(at: i), value: 4, timestamp: 1))
  }
  return out
}

var report: [String: Any] = [:]

// MovieLens 100k.
var ml = try MovieLens100KLoader.loadRatings(
  file: URL(fileURLWithPath: folder).appendingPathComponent("u.data"))
let mlCount = ml.ratingCount
let mlTimes = try timeAdds(&ml, freshRatings(ml, count: runs, seed: 1))
report["ml100k"] = [
  "ratings": mlCount, "runs": runs, "median_ms": median(mlTimes) * 1e3,
  "min_ms": mlTimes.min()! * 1e3,
]

// Synthetic: `bigUsers` users × `perUser` ratings over `bigItems` items, timestamped.
var rng = SeededGenerator(seed: 7)
var ratings: [Rating] = []
ratings.reserveCapacity(bigUsers * perUser)
for u in 0..<bigUsers {
  var items = Set<Int>()
  while items.count < perUser { items.insert(Int(rng.next() % UInt64(bigItems))) }
  for i in items.sorted() {
    ratings.append(
      Rating(
        user: .int(u + 1), item: .int(i + 1), value: Float(1 + rng.next() % 5),
        timestamp: Int64(rng.next() % 1_000_000_000)))
  }
}
var big = try RatingsDataset(ratings: ratings, scale: .oneToFive)
ratings = []
let bigCount = big.ratingCount
let bigTimes = try timeAdds(&big, freshRatings(big, count: bigRuns, seed: 2))
report["synthetic"] = [
  "ratings": bigCount, "users": bigUsers, "items": bigItems, "runs": bigRuns,
  "median_ms": median(bigTimes) * 1e3, "min_ms": bigTimes.min()! * 1e3,
]
let json = try JSONSerialization.data(
  withJSONObject: report, options: [.sortedKeys, .prettyPrinted])
print(String(decoding: json, as: UTF8.self))
