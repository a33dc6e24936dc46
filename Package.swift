// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode (strict concurrency is implied)
/// and upcoming features that keep dependencies from leaking through the public API.
let swiftSettings: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "AFlix",
  products: [
    .library(name: "AFlix", targets: ["AFlix"]),
    .library(name: "AFlixLinalg", targets: ["AFlixLinalg"]),
    .library(name: "AFlixData", targets: ["AFlixData"]),
    .library(name: "AFlixSynth", targets: ["AFlixSynth"]),
    .library(name: "AFlixCluster", targets: ["AFlixCluster"]),
    .library(name: "AFlixRecommend", targets: ["AFlixRecommend"]),
    .library(name: "AFlixOptimize", targets: ["AFlixOptimize"]),
    .executable(name: "aflix", targets: ["aflix"]),
  ],
  dependencies: [
    // The CLI's argument parsing: the standard for Swift command-line tools.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // OpenBLAS (CBLAS + LAPACK) and LAPACKE as one system library. Internal: not API.
    .systemLibrary(
      name: "_AFlixBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),
    // The parallel loop, thread budget, Sendable wrappers and small helpers every AFlix module
    // shares, with `package` access. Internal: not API, not a product.
    .target(
      name: "_AFlixSupport",
      swiftSettings: swiftSettings
    ),
    .target(
      name: "AFlixLinalg",
      dependencies: ["_AFlixBLAS", "_AFlixSupport"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "AFlixData",
      dependencies: ["AFlixLinalg", "_AFlixSupport"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "AFlixSynth",
      dependencies: ["AFlixLinalg", "AFlixData", "_AFlixSupport"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "AFlixCluster",
      dependencies: ["AFlixLinalg", "AFlixData", "_AFlixSupport"],
      swiftSettings: swiftSettings
    ),
    // The SGD pass in C, compiled for AVX2 and for the baseline and chosen at run time (Swift
    // has no per-function target attribute; unsafe flags would bar versioned dependents).
    // Internal: not API.
    .target(name: "_AFlixKernels"),
    .target(
      name: "AFlixRecommend",
      dependencies: ["AFlixLinalg", "AFlixData", "AFlixCluster", "_AFlixKernels", "_AFlixSupport"],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "AFlixOptimize",
      dependencies: [
        "AFlixLinalg", "AFlixData", "AFlixCluster", "AFlixRecommend", "_AFlixSupport",
      ],
      swiftSettings: swiftSettings
    ),
    .target(
      name: "AFlix",
      dependencies: [
        "AFlixLinalg", "AFlixData", "AFlixSynth", "AFlixCluster", "AFlixRecommend", "AFlixOptimize",
      ],
      swiftSettings: swiftSettings
    ),
    .executableTarget(
      name: "aflix",
      dependencies: [
        "AFlix",
        "_AFlixSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings
    ),
    // Helpers shared by the test targets (data location, seeded fixtures). Not API.
    .target(
      name: "_AFlixTestSupport",
      dependencies: ["AFlixLinalg", "AFlixData"],
      path: "Tests/_AFlixTestSupport",
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "AFlixLinalgTests",
      dependencies: ["AFlixLinalg", "_AFlixSupport", "_AFlixTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "AFlixDataTests",
      dependencies: ["AFlixData", "_AFlixTestSupport"],
      resources: [.copy("Fixtures")],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "AFlixSynthTests",
      dependencies: ["AFlixSynth", "_AFlixTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "AFlixClusterTests",
      dependencies: ["AFlixCluster", "AFlixSynth", "_AFlixTestSupport"],
      resources: [.copy("Fixtures")],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "AFlixRecommendTests",
      dependencies: ["AFlixRecommend", "AFlixSynth", "_AFlixKernels", "_AFlixTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "AFlixOptimizeTests",
      dependencies: ["AFlixOptimize", "AFlixSynth", "_AFlixTestSupport"],
      swiftSettings: swiftSettings
    ),
    .testTarget(
      name: "AFlixCLITests",
      dependencies: ["aflix", "AFlix", "_AFlixTestSupport"],
      swiftSettings: swiftSettings
    ),
  ]
)
