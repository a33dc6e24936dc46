// swift-tools-version: 6.1
// AFlix's example HTTP service: the original web service rebuilt on the library, with Hummingbird 2,
// a SQLite store through GRDB and graceful shutdown. A package of its own, so that the library's
// build never compiles Hummingbird:
//   swift run --package-path Examples/AFlixServer aflix-server --help
//   swift test --package-path Examples/AFlixServer
import PackageDescription

let package = Package(
  name: "AFlixServer",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(name: "AFlix", path: "../.."),
    .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
    .package(url: "https://github.com/vapor/jwt-kit", exact: "5.8.0"),
    // GET /metrics: the metrics API the server ecosystem shares, exported as Prometheus text.
    .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
    // --database postgres://…: the store on PostgreSQL, shared by several instances. NIOSSL for
    // the URL's sslmode (postgres-nio takes its TLS configuration).
    .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
  ],
  targets: [
    .target(
      name: "AFlixServerCore",
      dependencies: [
        .product(name: "AFlix", package: "AFlix"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        .product(name: "JWTKit", package: "jwt-kit"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
      path: "Sources/AFlixServerCore"
    ),
    .executableTarget(
      name: "aflix-server",
      dependencies: [
        "AFlixServerCore",
        .product(name: "AFlix", package: "AFlix"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/aflix-server"
    ),
    .testTarget(
      name: "AFlixServerTests",
      dependencies: [
        "AFlixServerCore",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      path: "Tests/AFlixServerTests"
    ),
  ]
)
