import Foundation
import Testing
import _AFlixTestSupport

/// The tidied command line: one shared `--threads`/`--json` group, options parsed once into types
/// (a refusal names the reason), JSON summaries of the commands that write files, and progress
/// bars drawn on a terminal only.
@Suite("aflix shared options")
struct SharedOptionsCLITests {
  static let commands: [[String]] = [
    ["info"], ["split"], ["synth"], ["cluster"], ["evaluate"], ["train"], ["recommend"],
    ["similar"], ["coldstart"], ["optimize"], ["demo"], ["report"], ["bench", "topn"],
    ["datasets", "list"], ["datasets", "fetch"],
  ]

  @Test(arguments: commands)
  func everyCommandTakesThreadsAndJSON(command: [String]) throws {
    let help = try CommandRunner.aflix(command + ["--help"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("--threads <threads>"), "\(command)")
    #expect(help.stdout.contains("--json"), "\(command)")
  }

  /// Each typed option's parser refuses a bad value before anything runs, with its reason (the
  /// dataset path does not exist: parsing fails first).
  @Test(arguments: [
    (["info", "--scale", "5:1"], "MIN must be below MAX"),
    (["info", "--scale", "1:5:0.3"], "not a whole number of STEPs"),
    (["info", "--threads", "0"], "--threads must be between 1 and 1024"),
    (["info", "--threads", "many"], "a whole number from 1 to 1024"),
    (["optimize", "/nonexistent", "--svd", "0...5"], "LOW...HIGH"),
    (["optimize", "/nonexistent", "--clusters", "2,x"], "list of counts"),
    (["optimize", "/nonexistent", "--strategy", "best"], "original-rmse"),
    (["optimize", "/nonexistent", "--metric", "mae"], "ndcg"),
    (["evaluate", "/nonexistent", "--model", "baseline", "--protocol", "holdout:2"], "protocol"),
    (["evaluate", "/nonexistent", "--model", "baseline", "--relevant", "x"], "'all' or a number"),
    (["evaluate", "/nonexistent", "--model", "baseline", "--folds", "u7"], "canonical or u1"),
    (["coldstart", "/nonexistent", "--n", "1,x"], "separated by commas"),
    (["synth", "--out", "/nonexistent", "--ratings-per-user", "a-b"], "MIN-MAX"),
    (["synth", "--out", "/nonexistent", "--film-choice", "popular:x"], "must be a number"),
    (["recommend", "/nonexistent", "--user", "1", "--weights", "1,2"], "three numbers"),
    (["recommend", "/nonexistent", "--user", "1", "--diversity", "mmr:2"], "--diversity"),
    (["recommend", "/nonexistent", "--user", "1", "--rated", "50=x"], "ID=VALUE"),
    (["cluster", "/nonexistent", "--k", "0"], "--k must be at least 1"),
    (["cluster", "/nonexistent", "--k", "5...2"], "1 ≤ low ≤ high"),
    (["optimize", "/nonexistent", "--svd", "1...3:"], "LOW...HIGH"),
    (["optimize", "/nonexistent", "--model", "knn"], "factor model of the registry"),
    (["optimize", "/nonexistent", "--model", "nonsense"], "mf-als"),
    (["coldstart", "/nonexistent", "--n", "1,,3"], "separated by commas"),
    (["synth", "--out", "/nonexistent", "--film-choice", "popular::2"], "uniform or popular"),
  ])
  func badValuesAreRefusedWithTheReason(arguments: [String], reason: String) throws {
    let result = try CommandRunner.aflix(arguments)
    #expect(result.status == 64, "\(arguments): \(result.stderr)")
    #expect(result.stderr.contains("is invalid for"), "\(arguments): \(result.stderr)")
    #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
  }

  @Test func commandsThatWriteFilesSummariseInJSON() throws {
    let data = try BadInputCLITests.ratingsFile()
    let folder = try CommandRunner.temporaryFolder()
    let split = try CommandRunner.aflix([
      "split", data.path, "--protocol", "kfold:3", "--out", folder.path, "--json",
    ])
    #expect(split.status == 0, "\(split.stderr)")
    let splitObject = try BadInputCLITests.json(split.stdout)
    #expect(splitObject["protocol"] as? String == "kfold:3")
    let folds = try #require(splitObject["splits"] as? [[String: Any]])
    #expect(folds.count == 3)
    #expect(folds.reduce(0) { $0 + ($1["test_ratings"] as? Int ?? 0) } == 240)

    let model = folder.appendingPathComponent("m.aflix")
    let train = try CommandRunner.aflix([
      "train", data.path, "--model", "baseline", "--out", model.path, "--json",
    ])
    #expect(train.status == 0, "\(train.stderr)")
    let trainObject = try BadInputCLITests.json(train.stdout)
    #expect(trainObject["model"] as? String == "baseline")
    #expect(trainObject["ratings"] as? Int == 240)
    #expect(FileManager.default.fileExists(atPath: model.path))
  }

  @Test func theDemoSummarisesInJSON() throws {
    let result = try CommandRunner.aflix(["demo", "--users", "200", "--threads", "1", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    // Only the object: no narrative, no table.
    #expect(result.stdout.split(separator: "\n").count == 1)
    let object = try BadInputCLITests.json(result.stdout)
    #expect(object["users"] as? Int == 200)
    #expect((object["k_svd"] as? Int ?? 0) >= 1 && (object["k_cluster"] as? Int ?? 0) >= 2)
    let lists = try #require(object["lists"] as? [[String: Any]])
    #expect(
      lists.map { $0["case"] as? String } == [
        "existing_user", "new_user", "new_user_after_three_ratings",
      ])
    #expect(lists.map { $0["served_by"] as? String } == ["hybrid", "popularity", "hybrid"])
    #expect(lists.allSatisfy { ($0["items"] as? [Any])?.count == 5 })
  }

  /// The bar is drawn when standard error is a terminal (`script` gives the command a
  /// pseudo-terminal) and never into a pipe or with `--json`.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
  func progressBarsAppearOnATerminalOnly() throws {
    let out = try CommandRunner.temporaryFolder()
    let aflix = CommandRunner.productsFolder.appendingPathComponent("aflix").path
    let command = "\(aflix) synth --users 20000 --seed 3 --threads 1 --out \(out.path)/tty"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.arguments = ["-qec", command, "/dev/null"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let terminal = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(terminal)")
    #expect(terminal.contains("generating ["), "\(terminal)")
    #expect(terminal.contains("100%"))
    #expect(terminal.contains("ratings"))

    // --json on a terminal: the object alone, no bar.
    let jsonRun = Process()
    jsonRun.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    jsonRun.arguments = [
      "-qec", command.replacingOccurrences(of: "/tty", with: "/json") + " --json", "/dev/null",
    ]
    let jsonPipe = Pipe()
    jsonRun.standardOutput = jsonPipe
    try jsonRun.run()
    let jsonTerminal = String(
      decoding: jsonPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    jsonRun.waitUntilExit()
    #expect(jsonRun.terminationStatus == 0, "\(jsonTerminal)")
    #expect(!jsonTerminal.contains("generating"), "\(jsonTerminal)")
    #expect(jsonTerminal.contains("\"ratings\""))

    let piped = try CommandRunner.aflix([
      "synth", "--users", "20000", "--seed", "3", "--threads", "1", "--out", out.path + "/pipe",
    ])
    #expect(piped.status == 0)
    #expect(!piped.stderr.contains("generating"), "\(piped.stderr)")
    #expect(!piped.stderr.contains("\r"))
    // The same files either way.
    let a = try Data(contentsOf: out.appendingPathComponent("tty/ratings.csv"))
    let b = try Data(contentsOf: out.appendingPathComponent("pipe/ratings.csv"))
    #expect(a == b)
  }
}
