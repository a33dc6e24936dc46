import Foundation
import Testing
import _AFlixTestSupport

/// `aflix report`: one self-contained HTML file with its charts inline.
@Suite("aflix report")
struct ReportCLITests {
  @Test func theReportIsOneSelfContainedPage() throws {
    let folder = try CommandRunner.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let world = folder.appendingPathComponent("world")
    let synth = try CommandRunner.aflix(["synth", "--users", "300", "--out", world.path])
    #expect(synth.status == 0, "\(synth.stderr)")
    let out = folder.appendingPathComponent("report.html")
    let result = try CommandRunner.aflix([
      "report", world.path, "--out", out.path, "--threads", "1",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let html = try String(contentsOf: out, encoding: .utf8)
    // Three K-SVD curves, three K-cluster curves, the segment map and the rating distribution,
    // each its own inline <svg>.
    #expect(html.components(separatedBy: "<svg").count - 1 == 8)
    for title in [
      "Validation RMSE", "Explained variance", "Silhouette", "Balance", "Users by segment",
      "Rating distribution", "chosen", "<th>segment</th>", "<th>RMSE</th>",
    ] {
      #expect(html.contains(title), "missing \(title)")
    }
    // Nothing from anywhere else: no script, no linked resource.
    for forbidden in ["<script", "src=", "href=", "@import", "url("] {
      #expect(!html.contains(forbidden), "\(forbidden)")
    }
  }
}
