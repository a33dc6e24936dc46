import AFlix
import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The A/B routes over the library's `Experiment`, and feedback events.
@Suite struct ExperimentRouteTests {
  static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

  @Test func experimentsAreCreatedByAdminsAndCheckedByTheLibrary() async throws {
    let server = try await TestServer.trained()
    let alice = try await userAuth(server.accounts, "alice")
    let create = #"{"name": "k_svd", "variants": ["25", "30", "35"]}"#
    try await server.test { client in
      let made = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: server.admin,
        body: Self.body(create))
      #expect(made.status == .created)
      #expect(try object(made)["variants"] as? [String] == ["25", "30", "35"])
      let again = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: server.admin,
        body: Self.body(create))
      #expect(again.status == .conflict)
      #expect(try errorCode(again) == "experiment_exists")
      for bad in [
        #"{"name": "one", "variants": ["a"]}"#, #"{"name": "twice", "variants": ["a", "a"]}"#,
        #"{"name": "", "variants": ["a", "b"]}"#,
      ] {
        let refused = try await client.execute(
          uri: "/api/admin/experiments", method: .post, headers: server.admin,
          body: Self.body(bad))
        #expect(refused.status == .badRequest, "\(bad)")
        #expect(try errorCode(refused) == "invalid_experiment", "\(bad)")
      }
      let malformed = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: server.admin,
        body: Self.body(#"{"name": "x""#))
      #expect(try errorCode(malformed) == "invalid_json")
      let user = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: alice, body: Self.body(create))
      #expect(user.status == .forbidden)
      let anonymous = try await client.execute(
        uri: "/api/admin/experiments", method: .post, body: Self.body(create))
      #expect(anonymous.status == .unauthorized)
    }
  }

  @Test func usersGetTheRulesVariantAndTheReportCountsThem() async throws {
    let server = try await TestServer.trained()
    let experiment = try Experiment(name: "weights", variants: ["original", "measured"])
    let names = (0..<12).map { "user\($0)" }
    var tokens: [String: HTTPFields] = [:]
    for name in names { tokens[name] = try await userAuth(server.accounts, name) }
    let auths = tokens
    try await server.test { client in
      let made = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: server.admin,
        body: Self.body(#"{"name": "weights", "variants": ["original", "measured"]}"#))
      #expect(made.status == .created)
      var expected: [(exposures: Int, conversions: Int, values: [Double])] = Array(
        repeating: (0, 0, []), count: 2)
      for (k, name) in names.enumerated() {
        let auth = try #require(auths[name])
        let uri = "/api/experiments/weights/variant"
        let first = try await client.execute(uri: uri, method: .get, headers: auth)
        #expect(first.status == .ok)
        let rule = experiment.assignment(forUser: name)
        #expect(try object(first)["variant"] as? String == rule.variant)
        #expect(try object(first)["index"] as? Int == rule.index)
        // Asked again: the same variant, one exposure.
        let second = try await client.execute(uri: uri, method: .get, headers: auth)
        #expect(try object(second)["index"] as? Int == rule.index)
        expected[rule.index].exposures += 1
        guard k % 3 != 0 else { continue }
        let value = Double(k) / 2
        let converted = try await client.execute(
          uri: "/api/experiments/weights/conversions", method: .post, headers: auth,
          body: Self.body(#"{"value": \#(value)}"#))
        #expect(converted.status == .created)
        expected[rule.index].conversions += 1
        expected[rule.index].values.append(value)
        // Once per user.
        let twice = try await client.execute(
          uri: "/api/experiments/weights/conversions", method: .post, headers: auth)
        #expect(twice.status == .ok)
        #expect(try object(twice)["recorded"] as? Bool == false)
      }
      let report = try await client.execute(
        uri: "/api/admin/experiments/weights/report?confidence=0.9", method: .get,
        headers: server.admin)
      #expect(report.status == .ok)
      let body = try object(report)
      #expect(body["confidence"] as? Double == 0.9)
      let variants = try #require(body["variants"] as? [[String: Any]])
      #expect(variants.count == 2)
      for (k, variant) in variants.enumerated() {
        #expect(variant["name"] as? String == experiment.variants[k])
        #expect(variant["exposures"] as? Int == expected[k].exposures)
        #expect(variant["conversions"] as? Int == expected[k].conversions)
        let values = expected[k].values
        if !values.isEmpty {
          let mean = values.reduce(0, +) / Double(values.count)
          #expect(abs((variant["metric_mean"] as? Double ?? .nan) - mean) < 1e-12)
        }
        if expected[k].exposures > 0 {
          let interval = try #require(variant["conversion_interval"] as? [String: Double])
          let rate = Double(expected[k].conversions) / Double(expected[k].exposures)
          #expect((interval["lower"] ?? 2) <= rate && rate <= (interval["upper"] ?? -1))
        }
      }
      for bad in ["2", "0", "x"] {
        let refused = try await client.execute(
          uri: "/api/admin/experiments/weights/report?confidence=\(bad)", method: .get,
          headers: server.admin)
        #expect(try errorCode(refused) == "invalid_confidence")
      }
      let unknown = try await client.execute(
        uri: "/api/experiments/nothing/variant", method: .get, headers: try #require(auths["user1"])
      )
      #expect(unknown.status == .notFound)
      #expect(try errorCode(unknown) == "unknown_experiment")
      let notAdmin = try await client.execute(
        uri: "/api/admin/experiments/weights/report", method: .get,
        headers: try #require(auths["user1"]))
      #expect(notAdmin.status == .forbidden)
    }
  }

  @Test func feedbackIsStoredAndFeedsTheMonitorsClickThroughRate() async throws {
    let server = try await TestServer.trained()
    let film = server.service.catalog.movies[2].id.description
    let bob = try await userAuth(server.accounts, "bob")
    try await server.test { client in
      _ = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: server.admin,
        body: Self.body(#"{"name": "ab", "variants": ["a", "b"]}"#))
      // The monitor counts a rate once its window holds 100 impressions (its default).
      let events = Array(repeating: "impression", count: 100) + Array(repeating: "click", count: 25)
      for event in events {
        let sent = try await client.execute(
          uri: "/api/feedback", method: .post, headers: bob,
          body: Self.body(
            #"{"movie_id": "\#(film)", "event": "\#(event)", "source": "model", "experiment": "ab"}"#
          ))
        #expect(sent.status == .created)
        #expect(try object(sent)["variant"] as? String != nil)
      }
      let counts = try await server.service.store.feedbackCounts()
      #expect(counts[.impression] == 100 && counts[.click] == 25)
      let monitor = try object(
        try await client.execute(
          uri: "/api/admin/ml/live-monitor", method: .get, headers: server.admin))
      let snapshot = try #require(monitor["snapshot"] as? [String: Any])
      #expect(snapshot["ctr"] as? Double == 0.25)
      for (body, code) in [
        (#"{"movie_id": "\#(film)", "event": "view"}"#, "invalid_event"),
        (#"{"movie_id": "no-such-film", "event": "click"}"#, "unknown_film"),
        (
          #"{"movie_id": "\#(film)", "event": "click", "experiment": "none"}"#, "unknown_experiment"
        ),
        (#"{"movie_id": "\#(film)", "event": "click", "source": ""}"#, "invalid_source"),
        (#"{"event": "click"}"#, "invalid_json"),
      ] {
        let refused = try await client.execute(
          uri: "/api/feedback", method: .post, headers: bob, body: Self.body(body))
        #expect(try errorCode(refused) == code, "\(body)")
        #expect((400..<500).contains(refused.status.code), "\(body)")
      }
      let anonymous = try await client.execute(
        uri: "/api/feedback", method: .post,
        body: Self.body(#"{"movie_id": "\#(film)", "event": "click"}"#))
      #expect(anonymous.status == .unauthorized)
    }
  }
}
