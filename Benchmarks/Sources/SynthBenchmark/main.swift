// Synthetic world benchmark (issue 3). Prints one JSON object per line:
// 1. the default world (10,000 users × 400 films, ≈ 300,000 ratings) generated in memory, median
//    of `--repeats` runs (target < 0.1 s), with the share spent building the `RatingsDataset`;
// 2. an ML-25M-sized world (162,000 users × 62,000 films, 10–300 ratings per user ≈ 25 M
//    ratings) streamed to CSV in a temporary folder (deleted afterwards): seconds, ratings per
//    second per core, bytes written and peak memory (VmHWM: a high-water mark that includes part 1;
//    `--skip-in-memory` measures the stream alone).
// Run: swift run -c release --package-path Benchmarks aflix-bench-synth [--threads T]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var repeats = 9
  var threads: Int?
  var seed: UInt64 = 42
  var streamUsers = 162_000
  var streamFilms = 62_000
  var streamRatings = 10...300
  var skipStream = false
  var skipInMemory = false

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--repeats": repeats = Int(it.next() ?? "") ?? repeats
      case "--threads": threads = Int(it.next() ?? "")
      case "--seed": seed = UInt64(it.next() ?? "") ?? seed
      case "--stream-users": streamUsers = Int(it.next() ?? "") ?? streamUsers
      case "--stream-films": streamFilms = Int(it.next() ?? "") ?? streamFilms
      case "--skip-stream": skipStream = true
      case "--skip-in-memory": skipInMemory = true
      default:
        exitWithUsage(
          "usage: aflix-bench-synth [--repeats N] [--threads T] [--seed S] [--stream-users U] "
            + "[--stream-films F] [--skip-stream] [--skip-in-memory]", for: a)
      }
    }
  }
}

/// Peak resident memory (VmHWM) in bytes, from /proc/self/status.
func peakMemory() -> Int? {
  guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
    return nil
  }
  for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    let parts = line.split(separator: " ", omittingEmptySubsequences: true)
    if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
  }
  return nil
}

let options = Options(arguments: CommandLine.arguments)
if let threads = options.threads { Parallelism.maximumThreadCount = threads }
let threads = Parallelism.maximumThreadCount
let clock = ContinuousClock()

// 1. The default world in memory.
var times: [Double] = []
var buildTimes: [Double] = []
var world: SyntheticWorld?
for _ in 0..<(options.skipInMemory ? 0 : max(1, options.repeats)) {
  let start = clock.now
  let w = try SyntheticWorld.generate(WorldConfiguration(), seed: options.seed)
  times.append(seconds(clock.now - start))
  // The part spent in RatingsDataset(ratings:scale:) (id interning and sorting in AFlixData).
  let list = w.ratings.allRatings()
  let buildStart = clock.now
  _ = try RatingsDataset(ratings: list, scale: w.ratings.scale)
  buildTimes.append(seconds(clock.now - buildStart))
  world = w
}
if let world {
  let split = try world.ratings.split(.holdout(testFraction: 0.2), seed: options.seed)[0]
  print(
    json([
      "benchmark": "synth_default_world_in_memory", "users": world.ratings.userCount,
      "films": world.catalog.count, "ratings": world.ratings.ratingCount, "threads": threads,
      "repeats": options.repeats, "median_seconds": median(times), "min_seconds": times.min()!,
      "dataset_build_median_seconds": median(buildTimes), "target_seconds": 0.1,
      "oracle_rmse_holdout_20": try world.oracleRMSE(on: split.test),
    ]))
}

// 2. 25 M ratings streamed to CSV.
if !options.skipStream {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "aflix-bench-synth-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  var configuration = WorldConfiguration(
    users: options.streamUsers,
    catalog: .generated(CatalogConfiguration(count: options.streamFilms)))
  configuration.ratingsPerUser = ParameterRange(options.streamRatings)
  let start = clock.now
  let summary = try WorldWriter.stream(configuration, seed: options.seed, to: folder)
  let elapsed = seconds(clock.now - start)
  var bytes = 0
  for name in ["ratings.csv", "truth.csv", "profiles.csv", "movies.csv", "world.json"] {
    let path = folder.appendingPathComponent(name).path
    bytes += (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  }
  print(
    json([
      "benchmark": "synth_stream_csv", "users": summary.users, "films": summary.films,
      "ratings": summary.ratings, "threads": threads, "seconds": elapsed,
      "ratings_per_second": Double(summary.ratings) / elapsed,
      "ratings_per_second_per_core": Double(summary.ratings) / elapsed / Double(threads),
      "bytes_written": bytes, "peak_memory_bytes": peakMemory() ?? -1,
      "oracle_rmse": summary.oracleRMSE, "oracle_rmse_holdout_20": summary.holdoutOracleRMSE,
    ]))
}
