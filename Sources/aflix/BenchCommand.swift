import AFlix
import ArgumentParser
import Foundation

/// `aflix bench`: measurements the benchmark suite can call.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measurements: top-N serving latency of the full hybrid path.",
    discussion: """
      Example: aflix bench topn --items 50000 --factors 30 --json
      """,
    subcommands: [BenchTopNCommand.self])
}

/// `aflix bench topn`: the full hybrid top-10 over a synthetic catalog, set up as
/// `../shared/anchors/topk_numpy.py` sets up its peer.
struct BenchTopNCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "topn",
    abstract: "Latency of hybrid top-N requests and batch throughput (1 thread unless --threads).",
    discussion: """
      Standard normal factors for --items films and --users users (seeded), --seen random \
      training films per user (random whole-star ratings) and a generated catalog (AFlixSynth): \
      the full hybrid (the factors as collaborative model, content features of the catalog, \
      popularity strata, the measured weights) serves --requests single top-N requests for \
      random users (after a warm-up) with explanations, then the batch top-N of every user over \
      the first --batch-items films (each user rating some of them). Compare with \
      topk_numpy.py's p50_ms, p99_ms and batch_seconds. One thread unless --threads says \
      otherwise (the peer is single-threaded).

      Example: aflix bench topn --items 50000 --factors 30 --json
      """)

  @Option(parsing: .unconditional, help: "Films in the catalog.")
  var items = 50_000

  @Option(parsing: .unconditional, help: "Latent factors.")
  var factors = 30

  @Option(parsing: .unconditional, help: "Users.")
  var users = 10_000

  @Option(parsing: .unconditional, help: "Training films per user.")
  var seen = 50

  @Option(name: .customLong("n"), parsing: .unconditional, help: "List length.")
  var count = 10

  @Option(parsing: .unconditional, help: "Timed single requests.")
  var requests = 2_000

  @Option(name: .customLong("batch-items"), parsing: .unconditional, help: "Films of the batch.")
  var batchItems = 400

  @Option(help: "Seed of the synthetic setup and of the request order.")
  var seed: UInt64 = 42

  @OptionGroup var common: CommonOptions

  @Flag(help: "Also time each part of the batch path (collaborative, content, popularity, mixing).")
  var breakdown = false

  func validate() throws {
    try CountOption.check(items, "--items", minimum: 2, maximum: 10_000_000)
    try CountOption.check(factors, "--factors", minimum: 1, maximum: 1024)
    try CountOption.check(users, "--users", minimum: 1, maximum: 10_000_000)
    try CountOption.check(seen, "--seen", minimum: 0, maximum: items - 1)
    try CountOption.check(count, "--n", minimum: 1, maximum: items)
    try CountOption.check(requests, "--requests", minimum: 1, maximum: 100_000_000)
    try CountOption.check(batchItems, "--batch-items", minimum: 1, maximum: items)
    let (cells, overflow) = max(items, users).multipliedReportingOverflow(by: factors)
    guard !overflow, cells <= 2_000_000_000 else {
      throw ValidationError("--items or --users × --factors is too large for one process")
    }
  }

  func run() throws {
    let setup = try TopNSetup(
      items: items, users: users, factors: factors, seen: seen, batchItems: batchItems, seed: seed)
    let threads = common.threads ?? 1
    let result = try Parallelism.withThreadCount(threads) {
      try setup.measure(requests: requests, count: count, seed: seed)
    }
    if breakdown {
      let parts = Parallelism.withThreadCount(threads) { setup.batchBreakdown(count: count) }
      for (name, seconds) in parts {
        FileHandle.standardError.write(
          Data(String(format: "batch %@: %.4f s\n", name, seconds).utf8))
      }
    }
    if common.json {
      let object: [String: Any] = [
        "engine": "aflix", "path": "hybrid", "items": items, "factors": factors, "n": count,
        "threads": threads,
        "p50_ms": result.p50, "p99_ms": result.p99, "mean_ms": result.mean,
        "requests_per_second": result.throughput, "batch_users": users,
        "batch_items": batchItems, "batch_seconds": result.batchSeconds,
      ]
      let bytes = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      print(String(decoding: bytes, as: UTF8.self))
    } else {
      print(
        "Hybrid top-\(count) over \(items) films × \(factors) factors, \(threads) thread"
          + (threads == 1 ? ":" : "s:"))
      print(
        String(
          format: "  single requests: p50 %.3f ms, p99 %.3f ms, mean %.3f ms (%.0f requests/s)",
          result.p50, result.p99, result.mean, result.throughput))
      print(
        String(
          format: "  batch: %d users × %d films in %.3f s", users, batchItems, result.batchSeconds))
    }
  }
}
