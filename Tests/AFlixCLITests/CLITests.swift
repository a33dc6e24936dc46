import Foundation
import Testing
import _AFlixTestSupport

@Suite("aflix command line")
struct CLITests {
  static func json(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any])
  }

  @Test func infoWithoutPathDescribesTheBuiltInSample() throws {
    let result = try CommandRunner.aflix(["info", "--json", "--top", "5"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try Self.json(result.stdout)
    #expect(object["users"] as? Int == 300)
    #expect(object["items"] as? Int == 120)
    let ratings = try #require(object["ratings"] as? Int)
    let histogram = try #require(object["histogram"] as? [[String: Any]])
    #expect(histogram.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == ratings)
    let svd = try #require(object["svd"] as? [String: Any])
    let sigma = try #require(svd["singular_values"] as? [Double])
    #expect(sigma.count == 5 && zip(sigma, sigma.dropFirst()).allSatisfy { $0 >= $1 })
    let cumulative = try #require(svd["cumulative_explained_variance"] as? [Double])
    #expect(cumulative.last! > 0 && cumulative.last! < 1)
    // The text form carries the same figures.
    let text = try CommandRunner.aflix(["info"])
    #expect(text.status == 0 && text.stdout.contains("users    300"))
  }

  @Test(.enabled(if: TestData.hasMovieLens100K, "needs MovieLens 100k (AFLIX_DATA)"))
  func infoOnMovieLens100K() throws {
    let result = try CommandRunner.aflix([
      "info", TestData.movieLens100K.path, "--json", "--center", "user",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try Self.json(result.stdout)
    #expect(object["users"] as? Int == 943)
    #expect(object["items"] as? Int == 1682)
    #expect(object["ratings"] as? Int == 100_000)
    #expect(object["format"] as? String == "ml100k")
    let catalog = try #require(object["catalog"] as? [String: Any])
    #expect(catalog["movies"] as? Int == 1682)
  }

  /// Thread settings are process-global, so they are exercised in child processes: a test that
  /// changed them here would race the bit-exact determinism tests running beside it.
  @Test func threadCountsAreAppliedAndAgreeToRounding() throws {
    let one = try Self.json(CommandRunner.aflix(["info", "--json", "--threads", "1"]).stdout)
    let two = try Self.json(CommandRunner.aflix(["info", "--json", "--threads", "2"]).stdout)
    #expect(one["blas_threads"] as? Int == 1 && one["aflix_threads"] as? Int == 1)
    #expect(two["blas_threads"] as? Int == 2 && two["aflix_threads"] as? Int == 2)
    let s1 = try #require((one["svd"] as? [String: Any])?["singular_values"] as? [Double])
    let s2 = try #require((two["svd"] as? [String: Any])?["singular_values"] as? [Double])
    #expect(s1.count == s2.count)
    for (a, b) in zip(s1, s2) { #expect(abs(a - b) <= 1e-10 * s1[0]) }
  }

  @Test func splitWritesReadableFilesThatPartitionTheData() throws {
    let folder = try CommandRunner.temporaryFolder()
    let result = try CommandRunner.aflix([
      "split", try sampleCSV().path, "--protocol", "kfold:3", "--seed", "7", "--out", folder.path,
    ])
    #expect(result.status == 0, "\(result.stderr)")
    var testTotal = 0
    for k in 1...3 {
      let fold = folder.appendingPathComponent("fold\(k)")
      let train = try String(contentsOf: fold.appendingPathComponent("train.csv"), encoding: .utf8)
      let test = try String(contentsOf: fold.appendingPathComponent("test.csv"), encoding: .utf8)
      #expect(train.hasPrefix("userId,movieId,rating,timestamp\n"))
      let trainLines = train.split(separator: "\n").count - 1
      let testLines = test.split(separator: "\n").count - 1
      #expect(trainLines + testLines == 12)
      testTotal += testLines
      // Each written file is itself a dataset aflix reads.
      let info = try CommandRunner.aflix([
        "info", fold.appendingPathComponent("test.csv").path, "--json",
      ])
      #expect(info.status == 0, "\(info.stderr)")
      #expect(try Self.json(info.stdout)["ratings"] as? Int == testLines)
    }
    #expect(testTotal == 12)
    // The same seed writes the same files.
    let again = try CommandRunner.temporaryFolder()
    _ = try CommandRunner.aflix([
      "split", try sampleCSV().path, "--protocol", "kfold:3", "--seed", "7", "--out", again.path,
    ])
    let a = try Data(contentsOf: folder.appendingPathComponent("fold2/test.csv"))
    let b = try Data(contentsOf: again.appendingPathComponent("fold2/test.csv"))
    #expect(a == b)
  }

  @Test func badInputFailsWithFileLineAndValue() throws {
    let folder = try CommandRunner.temporaryFolder()
    let file = folder.appendingPathComponent("ratings.csv")
    try "userId,movieId,rating\n1,10,4\n2,10,abc\n".write(
      to: file, atomically: true, encoding: .utf8)
    let result = try CommandRunner.aflix(["info", file.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("ratings.csv:3"))
    #expect(result.stderr.contains("abc"))
    let lenient = try CommandRunner.aflix(["info", file.path, "--lenient", "--json"])
    #expect(lenient.status == 0, "\(lenient.stderr)")
    #expect(try Self.json(lenient.stdout)["skipped_lines"] as? Int == 1)
  }

  @Test func invalidArgumentsAreRejected() throws {
    let bad = try CommandRunner.aflix([
      "split", try sampleCSV().path, "--protocol", "kfold:1", "--out", "/tmp/x",
    ])
    #expect(bad.status != 0)
    let scale = try CommandRunner.aflix(["info", "--scale", "5:1"])
    #expect(scale.status != 0 && scale.stderr.contains("--scale"))
    let missing = try CommandRunner.aflix(["info", "/nonexistent/ratings.csv"])
    #expect(missing.status != 0)
  }

  /// A small ratings CSV with 12 ratings by 4 users.
  func sampleCSV() throws -> URL {
    let folder = try CommandRunner.temporaryFolder()
    let file = folder.appendingPathComponent("ratings.csv")
    var text = "userId,movieId,rating,timestamp\n"
    for u in 1...4 {
      for i in 1...3 { text += "\(u),\(10 + i),\((u + i) % 5 + 1),\(1000 + u * 10 + i)\n" }
    }
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
  }
}
