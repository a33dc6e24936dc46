// swift-tools-version: 6.1
// Runnable examples of the AFlix library, a package of their own that depends on AFlix by path:
//   swift run --package-path Examples getting-started [PATH-TO-ml-100k]
//   swift run --package-path Examples describe-dataset [PATH]
//   swift run --package-path Examples serve-recommendations [PATH-TO-ml-100k]
//   swift run --package-path Examples cold-start
//   swift run --package-path Examples live-optimization
//   swift run --package-path Examples embedding-in-a-service
//   swift run --package-path Examples hybrid-training [PATH-TO-ml-100k]
import PackageDescription

let package = Package(
  name: "AFlixExamples",
  dependencies: [
    .package(name: "AFlix", path: "..")
  ],
  targets: [
    .executableTarget(
      name: "getting-started",
      dependencies: [.product(name: "AFlix", package: "AFlix")],
      path: "Sources/GettingStarted"
    ),
    .executableTarget(
      name: "describe-dataset",
      dependencies: [.product(name: "AFlix", package: "AFlix")],
      path: "Sources/DescribeDataset"
    ),
    .executableTarget(
      name: "serve-recommendations",
      dependencies: [.product(name: "AFlix", package: "AFlix")],
      path: "Sources/ServeRecommendations"
    ),
    .executableTarget(
      name: "cold-start",
      dependencies: [.product(name: "AFlix", package: "AFlix")],
      path: "Sources/ColdStart"
    ),
    .executableTarget(
      name: "live-optimization",
      dependencies: [.product(name: "AFlix", package: "AFlix")],
      path: "Sources/LiveOptimization"
    ),
    .executableTarget(
      name: "embedding-in-a-service",
      dependencies: [.product(name: "AFlix", package: "AFlix")],
      path: "Sources/EmbeddingInAService"
    ),
    .executableTarget(
      name: "hybrid-training",
      dependencies: [.product(name: "AFlix", package: "AFlix")],
      path: "Sources/HybridTraining"
    ),
  ]
)
