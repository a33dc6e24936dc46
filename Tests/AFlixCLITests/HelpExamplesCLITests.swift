import Foundation
import Testing
import _AFlixTestSupport

/// Every subcommand's `--help` shows an example, and `aflix --version` answers.
@Suite("aflix help and version")
struct HelpExamplesCLITests {
  @Test(arguments: [
    ["info"], ["split"], ["synth"], ["cluster"], ["evaluate"], ["train"], ["recommend"],
    ["similar"], ["coldstart"], ["optimize"], ["demo"], ["report"], ["bench"], ["bench", "topn"],
    ["datasets"], ["datasets", "list"], ["datasets", "fetch"], [],
  ])
  func everyHelpHasAnExample(command: [String]) throws {
    let result = try CommandRunner.aflix(command + ["--help"])
    #expect(result.status == 0)
    let example = result.stdout.split(separator: "\n").first { $0.contains("Example: aflix") }
    #expect(example != nil, "aflix \(command.joined(separator: " ")) --help has no example")
  }

  @Test func versionIsPrinted() throws {
    let result = try CommandRunner.aflix(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).first?.isNumber == true)
  }
}
