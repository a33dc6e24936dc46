// swift-tools-version: 6.1
// AFlix's benchmarks: a package of their own, so that `swift test` on the library never builds them
// and library users never fetch what they need. Run them in release builds:
//   swift run --package-path Benchmarks -c release aflix-bench-svd --help
import PackageDescription

let package = Package(
  name: "AFlixBenchmarks",
  dependencies: [
    .package(name: "AFlix", path: "..")
  ],
  targets: [
    .target(name: "BenchmarkSupport", path: "Sources/BenchmarkSupport"),
    .executableTarget(
      name: "aflix-bench-coldstart",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/ColdStartBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-cohort",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/CohortBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-svd",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/SVDBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-synth",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/SynthBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-cluster",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/ClusterBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-rating",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/RatingBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-ranking",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/RankingBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-live-add",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/LiveAddBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-optimize",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/OptimizeBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-foldin",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/FoldInBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-concurrent-fits",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/ConcurrentFitBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-diversity",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/DiversityBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-rank",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/RankBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-content",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/ContentBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-newfilm",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/NewFilmBenchmark"
    ),
    .executableTarget(
      name: "aflix-bench-persistence",
      dependencies: [.product(name: "AFlix", package: "AFlix"), "BenchmarkSupport"],
      path: "Sources/PersistenceBenchmark"
    ),
  ]
)
