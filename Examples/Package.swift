// swift-tools-version: 6.1
// Runnable examples of the AFlix library, a package of their own that depends on AFlix by path:
//   swift run --package-path Examples describe-dataset [PATH]
//   swift run --package-path Examples serve-recommendations [PATH-TO-ml-100k]
import PackageDescription

let package = Package(
  name: "AFlixExamples",
  dependencies: [
    .package(name: "AFlix", path: "..")
  ],
  targets: [
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
  ]
)
