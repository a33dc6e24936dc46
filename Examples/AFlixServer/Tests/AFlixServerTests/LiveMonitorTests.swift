import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct LiveMonitorTests {
  @Test func theMonitorCountsRatingsAndServedLists() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let accounts = server.accounts
    let admin = server.admin
    try await accounts.register(username: "gina", password: "pw")
    let user = bearer(try await accounts.login(username: "gina", password: "pw"))
    let films = service.catalog.movies.prefix(3).map(\.id.description)
    try await server.test { client in
      let uri = "/api/admin/ml/live-monitor"
      #expect(try await client.execute(uri: uri, method: .get).status == .unauthorized)
      let plain = try await client.execute(uri: uri, method: .get, headers: user)
      #expect(plain.status == .forbidden)
      #expect(try errorCode(plain) == "admin_only")

      let empty = try await client.execute(uri: uri, method: .get, headers: admin)
      #expect(empty.status == .ok)
      let before = try #require(try object(empty)["snapshot"] as? [String: Any])
      #expect(before["ratings"] as? Int == 0)

      // A new user's list, then three ratings.
      let list = try await client.execute(
        uri: "/api/recommendations/user/gina", method: .get, headers: user)
      #expect(list.status == .ok)
      for film in films {
        let rated = try await client.execute(
          uri: "/api/ratings", method: .post, headers: user,
          body: json(#"{"movie_id": "\#(film)", "rating": 4}"#))
        #expect(rated.status == .created)
      }
      let after = try await client.execute(uri: uri, method: .get, headers: admin)
      let body = try object(after)
      let snapshot = try #require(body["snapshot"] as? [String: Any])
      #expect(snapshot["ratings"] as? Int == films.count)
      #expect(snapshot["new_users"] as? Int == 1)
      let mae = try #require(snapshot["mae"] as? Double)
      #expect(mae >= 0 && mae <= 4)
      // The served model's K figures reach the monitor.
      let variance = try #require(snapshot["explained_variance"] as? Double)
      let trained = try #require(service.trainingInfo?.explainedVariance)
      #expect(abs(variance - trained) <= 1e-12 * trained)
      #expect(variance > 0 && variance < 1)
      let alerts = try #require(body["alerts"] as? [[String: Any]])
      #expect(alerts.allSatisfy { $0["type"] is String })
      #expect(body["window_seconds"] as? Int == 3600)
    }
  }
}
