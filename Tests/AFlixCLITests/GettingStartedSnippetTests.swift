import Foundation
import Testing

/// The library in 20 lines appears three times — the README, the docs' Getting Started article
/// and the example CI compiles and runs — and must be the same code in all three.
@Suite("getting-started snippet")
struct GettingStartedSnippetTests {
  /// The repository's root (this file is Tests/AFlixCLITests/…).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// The first ```swift block of `file` that begins with `import AFlix`.
  static func snippet(in file: String) throws -> String {
    let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
    for block in text.components(separatedBy: "```swift\n").dropFirst() {
      let code = try #require(block.components(separatedBy: "\n```").first)
      if code.hasPrefix("import AFlix") { return code }
    }
    Issue.record("\(file) has no ```swift block starting with import AFlix")
    return ""
  }

  @Test func theReadmeTheArticleAndTheExampleAgree() throws {
    let example = try String(
      contentsOf: Self.root.appendingPathComponent("Examples/Sources/GettingStarted/main.swift"),
      encoding: .utf8)
    let start = try #require(example.range(of: "import AFlix"))
    let code = example[start.lowerBound...].trimmingCharacters(in: .newlines)
    #expect(try Self.snippet(in: "README.md") == code)
    #expect(try Self.snippet(in: "DocsSource/AFlix.docc/GettingStarted.md") == code)
    // Twenty lines of code or fewer (comments and blank lines aside).
    let lines = code.split(separator: "\n").filter {
      let t = $0.trimmingCharacters(in: .whitespaces)
      return !t.isEmpty && !t.hasPrefix("//")
    }
    #expect(lines.count <= 20, "\(lines.count) lines of code")
  }
}
