// Command-line helpers shared by the benchmark executables.
import Foundation

/// The folder holding the data sets (`ml-100k/`, …): `$AFLIX_DATA` when set and not empty,
/// otherwise `shared/data` beside the repository's folder.
public func defaultDataFolder() -> URL {
  if let env = ProcessInfo.processInfo.environment["AFLIX_DATA"], !env.isEmpty {
    return URL(fileURLWithPath: env)
  }
  // This file is Benchmarks/Sources/BenchmarkSupport/Arguments.swift: four levels below the
  // repository's parent, like every benchmark's main.swift.
  return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../../shared/data").standardizedFileURL
}

/// Prints `usage` and exits: with status 0 when `argument` is `--help`, otherwise with status 2
/// (an unknown option).
public func exitWithUsage(_ usage: String, for argument: String) -> Never {
  print(usage)
  exit(argument == "--help" ? 0 : 2)
}
