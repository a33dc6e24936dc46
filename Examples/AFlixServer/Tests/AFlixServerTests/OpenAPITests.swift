import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /openapi.json` against the router and the handlers.
@Suite struct OpenAPITests {
  @Test func theDocumentNamesExactlyTheRoutersRoutes() async throws {
    let server = try await TestServer.trained()
    let router = makeRouter(service: server.service, accounts: server.accounts)
    let routed = Set(router.routes.map { "\($0.method) \($0.path)" })
    let documented = Set(APIEndpoint.all.map { "\($0.method) \($0.path)" })
    #expect(routed.subtracting(documented).isEmpty, "undocumented routes")
    #expect(documented.subtracting(routed).isEmpty, "documented routes the router lacks")
    #expect(documented.count == APIEndpoint.all.count)
    try await server.test { client in
      let response = try await client.execute(uri: "/openapi.json", method: .get)
      #expect(response.status == .ok)
      let body = try object(response)
      #expect(body["openapi"] as? String == "3.1.0")
      let paths = try #require(body["paths"] as? [String: [String: Any]])
      let served = Set(
        paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } })
      #expect(served == routed)
    }
  }

  @Test func everyHandlerAnswersWithADocumentedStatus() async throws {
    let server = try await TestServer.trained()
    let user = try await userAuth(server.accounts, "dora")
    try await server.test(optimization: smallOptimization()) { client in
      for endpoint in APIEndpoint.all {
        let uri = endpoint.path.replacingOccurrences(of: "{id}", with: "1")
          .replacingOccurrences(of: "{name}", with: "none")
        let documented = Set(endpoint.responses.map(\.status))
        var identities: [(String, HTTPFields)] = [("nobody", [:]), ("a user", user)]
        // An admin's call runs the route; the event stream's is tested on its own (a search it
        // started here would run beside the test that watches the optimiser's thread).
        if endpoint.access == .admin && endpoint.produces != "text/event-stream" {
          identities.append(("admin", server.admin))
        }
        for (who, headers) in identities {
          // A body the handler must refuse when it reads one: every failure is documented.
          let response = try await client.execute(
            uri: uri, method: HTTPRequest.Method(rawValue: endpoint.method)!, headers: headers,
            body: endpoint.body == nil ? nil : ByteBuffer(string: #"{"unexpected": true}"#))
          #expect(
            documented.contains(response.status.code),
            "\(endpoint.method) \(endpoint.path) as \(who): \(response.status.code) is undocumented"
          )
          if endpoint.access != .everyone && who == "nobody" {
            #expect(response.status == .unauthorized, "\(endpoint.path)")
          }
          if endpoint.access == .admin && who == "a user" {
            #expect(response.status == .forbidden, "\(endpoint.path)")
          }
        }
      }
    }
  }
}
