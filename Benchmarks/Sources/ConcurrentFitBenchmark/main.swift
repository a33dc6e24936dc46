// Two fits in one process, one after the other and started together (issue 11: concurrent fits
// must not serialise on a process-wide BLAS setting). Each fit runs through
// `fit(_:options:)` with its own thread count; prints one JSON object per model and repetition.
//
//   swift run -c release --package-path Benchmarks aflix-bench-concurrent-fits \
//     [--models ials,mf-als,bpmf] [--threads 1] [--repeats 3] [--data DIR]
import AFlix
import BenchmarkSupport
import Foundation

var models = ["ials", "mf-als"]
var threads = 1
var repeats = 3
var data = defaultDataFolder()
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
  switch argument {
  case "--models": models = (arguments.next() ?? "").split(separator: ",").map(String.init)
  case "--threads": threads = Int(arguments.next() ?? "") ?? threads
  case "--repeats": repeats = Int(arguments.next() ?? "") ?? repeats
  case "--data": data = URL(fileURLWithPath: arguments.next() ?? "")
  default:
    exitWithUsage(
      "usage: aflix-bench-concurrent-fits [--models a,b] [--threads N] [--repeats R] [--data DIR]",
      for: argument)
  }
}

let path = data.appendingPathComponent("ml-100k").path
guard let ratings = try DatasetLoader.load(path: path).ratings else {
  print("no ratings at \(path) (set --data or AFLIX_DATA)")
  exit(1)
}
let options = FitOptions(threadCount: threads)
let clock = ContinuousClock()

for name in models {
  let first = try AlgorithmRegistry.algorithm(named: name, seed: 1)
  let second = try AlgorithmRegistry.algorithm(named: name, seed: 2)
  for repetition in 0..<repeats {
    let start = clock.now
    _ = try await first.fit(ratings, options: options)
    let firstAlone = clock.now - start
    _ = try await second.fit(ratings, options: options)
    let sequential = clock.now - start
    let together = clock.now
    async let a: Duration = {
      _ = try await first.fit(ratings, options: options)
      return clock.now - together
    }()
    async let b: Duration = {
      _ = try await second.fit(ratings, options: options)
      return clock.now - together
    }()
    let (endA, endB) = try await (a, b)
    emit([
      "benchmark": "concurrent-fits", "model": name, "threads": threads, "repetition": repetition,
      "blas_threads": BLAS.threadCount, "first_alone_seconds": seconds(firstAlone),
      "sequential_seconds": seconds(sequential),
      "together_seconds": seconds(max(endA, endB)), "first_end_seconds": seconds(endA),
      "second_end_seconds": seconds(endB),
    ])
  }
}
