import Foundation
import Testing
import _AFlixTestSupport

/// `aflix demo`: the engine at a glance.
@Suite("aflix demo")
struct DemoCLITests {
  @Test func theDemoShowsEveryStepAndItsCost() throws {
    let result = try CommandRunner.aflix(["demo", "--users", "200", "--threads", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    let out = result.stdout
    for heading in [
      "1. A synthetic world", "2. Choosing K", "chosen K-SVD", "chosen K-cluster",
      "3. Trained the hybrid", "4. ", "user segments", "5. Recommendations with explanations",
      "(a) existing user", "(b) a brand-new user", "(c) the same new user after rating",
    ] {
      #expect(out.contains(heading), "missing \(heading)")
    }
    // Cold start at a glance: the newcomer is served by popularity, then by the hybrid.
    #expect(out.contains("served by popularity (nothing known yet)"))
    #expect(out.components(separatedBy: "served by the hybrid").count == 3)
    #expect(out.contains("Because you rated"))
    let last = try #require(out.split(separator: "\n").last.map(String.init))
    #expect(last.hasPrefix("Done in") && last.contains("peak memory") && last.hasSuffix("MB."))
  }

  @Test func badArgumentsAreRefused() throws {
    let result = try CommandRunner.aflix(["demo", "--users", "5"])
    #expect(result.status != 0 && result.stderr.contains("--users"))
  }
}
