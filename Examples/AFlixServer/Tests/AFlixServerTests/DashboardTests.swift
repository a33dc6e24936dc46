import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /` and `GET /dashboard.js`: served as they are, under a strict content-security policy,
/// and consistent with each other (every element the script looks up is on the page). The page
/// itself is driven in headless Chromium by `scripts/dashboard_screenshot.py` (run by `.ci/run`).
@Suite struct DashboardTests {
  @Test func thePageAndItsScriptAreServed() async throws {
    let server = try await TestServer.trained()
    try await server.test { client in
      let page = try await client.execute(uri: "/", method: .get)
      #expect(page.status == .ok)
      #expect(page.headers[.contentType] == "text/html; charset=utf-8")
      let policy = try #require(page.headers[.contentSecurityPolicy])
      #expect(policy.contains("script-src 'self'"))
      #expect(!policy.contains("unsafe-eval"))
      let html = String(buffer: page.body)
      #expect(html.hasPrefix("<!doctype html>"))
      #expect(html.contains(#"<script src="/dashboard.js"></script>"#))
      // No inline script (the policy would block it) and nothing from another origin.
      #expect(!html.contains("<script>"))
      #expect(!html.contains("http://"))
      #expect(!html.contains("https://"))

      let script = try await client.execute(uri: "/dashboard.js", method: .get)
      #expect(script.status == .ok)
      #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
      let source = String(buffer: script.body)
      #expect(source.contains("/api/admin/stream-k-optimization"))
      // Text only: nothing a film title or a server message holds can become markup.
      for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
        #expect(!source.contains(sink), "the script uses \(sink)")
      }
      #expect(policy.contains("require-trusted-types-for 'script'"))
    }
  }

  @Test func everyElementTheScriptUsesIsOnThePage() async throws {
    let server = try await TestServer.trained()
    try await server.test { client in
      let html = String(buffer: try await client.execute(uri: "/", method: .get).body)
      let script = String(buffer: try await client.execute(uri: "/dashboard.js", method: .get).body)
      let ids = Set(
        script.matches(of: #/\$\("([a-z-]+)"\)/#).map { String($0.output.1) }
          + script.matches(of: #/querySelector(?:All)?\("#([a-z-]+)/#).map { String($0.output.1) })
      #expect(ids.count >= 20)
      for id in ids.sorted() {
        #expect(html.contains(#"id="\#(id)""#), "the script looks up #\(id), which the page lacks")
      }
      // What the Chromium script reads or clicks.
      for id in [
        "username", "password", "login", "optimize", "progress", "k-table", "rmse", "error",
      ] {
        #expect(html.contains(#"id="\#(id)""#))
      }
    }
  }
}
