import AFlix
import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One sample of Prometheus's text format.
struct PrometheusSample: Equatable {
  var name: String
  var labels: [String: String]
  var value: Double
}

extension [PrometheusSample] {
  /// The value of the first sample named `name` whose labels include `labels`.
  func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
    first { sample in
      sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
    }?.value
  }
}

/// Prometheus's text exposition format (0.0.4), parsed strictly: every line a `# HELP`/`# TYPE`
/// comment or a sample `name{label="value",…} number`, every sample's family typed first.
func parsePrometheus(_ text: String) throws -> [PrometheusSample] {
  struct Malformed: Error, CustomStringConvertible {
    var line: String
    var description: String { "not Prometheus text: \(line)" }
  }
  let name = /[a-zA-Z_:][a-zA-Z0-9_:]*/
  var types: [String: String] = [:]
  var samples: [PrometheusSample] = []
  for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
    if line.hasPrefix("# HELP ") { continue }
    if let match = line.wholeMatch(
      of: /# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)/)
    {
      types[String(match.1)] = String(match.2)
      continue
    }
    guard let match = line.wholeMatch(of: /([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/) else {
      throw Malformed(line: String(line))
    }
    var labels: [String: String] = [:]
    if let body = match.2 {
      var rest = Substring(body)
      while !rest.isEmpty {
        guard let label = rest.prefixMatch(of: name),
          rest[label.range.upperBound...].hasPrefix("=\"")
        else { throw Malformed(line: String(line)) }
        rest = rest[label.range.upperBound...].dropFirst(2)
        var value = ""
        var escaped = false
        while let c = rest.first {
          rest = rest.dropFirst()
          if escaped {
            value.append(c == "n" ? "\n" : c)
            escaped = false
          } else if c == "\\" {
            escaped = true
          } else if c == "\"" {
            break
          } else {
            value.append(c)
          }
        }
        labels[String(label.output)] = value
        if rest.hasPrefix(",") { rest = rest.dropFirst() }
      }
    }
    let text = String(match.3)
    guard let value = Double(text) ?? ["+Inf": .infinity, "-Inf": -.infinity, "NaN": .nan][text]
    else { throw Malformed(line: String(line)) }
    let family = String(match.1)
    let base = ["_bucket", "_sum", "_count"].reduce(family) { name, suffix in
      name.hasSuffix(suffix) && types[String(name.dropLast(suffix.count))] == "histogram"
        ? String(name.dropLast(suffix.count)) : name
    }
    guard types[base] != nil else { throw Malformed(line: "untyped family: \(line)") }
    samples.append(PrometheusSample(name: family, labels: labels, value: value))
  }
  return samples
}

@Suite struct MetricsTests {
  @Test func metricsParseAsPrometheusTextAndCountWhatHappened() async throws {
    let server = try await TestServer.trained()
    let users = (0..<3).map { server.service.baseRatings.users.id(at: $0).description }
    let carol = try await userAuth(server.accounts, "carol")
    let film = server.service.catalog.movies[0].id.description
    try await server.test { client in
      for user in users {
        let response = try await client.execute(
          uri: "/api/recommendations/user/\(user)?top_n=5", method: .get, headers: server.admin)
        #expect(response.status == .ok)
      }
      _ = try await client.execute(uri: "/no/such/route", method: .get)
      _ = try await client.execute(
        uri: "/api/admin/experiments", method: .post, headers: server.admin,
        body: ByteBuffer(string: #"{"name": "k", "variants": ["a", "b"]}"#))
      _ = try await client.execute(
        uri: "/api/experiments/k/variant", method: .get, headers: carol)
      _ = try await client.execute(
        uri: "/api/experiments/k/conversions", method: .post, headers: carol)
      _ = try await client.execute(
        uri: "/api/feedback", method: .post, headers: carol,
        body: ByteBuffer(string: #"{"movie_id": "\#(film)", "event": "click"}"#))

      let response = try await client.execute(uri: "/metrics", method: .get)
      #expect(response.status == .ok)
      #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
      let samples = try parsePrometheus(String(buffer: response.body))
      func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.value(name, labels)
      }
      let route = "/api/recommendations/user/{id}"
      #expect(
        value("aflix_http_requests_total", ["route": route, "method": "GET", "status": "200"]) == 3)
      // Hummingbird names the route of an unknown path "NotFound".
      #expect(value("aflix_http_requests_total", ["route": "NotFound", "status": "404"]) == 1)
      #expect(value("aflix_http_request_duration_seconds_count", ["route": route]) == 3)
      #expect(
        value("aflix_http_request_duration_seconds_bucket", ["route": route, "le": "+Inf"]) == 3)
      let computed = samples.filter { $0.name == "aflix_recommendations_total" }
      #expect(computed.map(\.value).reduce(0, +) == 3)
      #expect(computed.allSatisfy { $0.labels["source"] == "model" && $0.labels["segment"] != nil })
      let variant = try Experiment(name: "k", variants: ["a", "b"]).assignment(forUser: "carol")
      #expect(value("aflix_experiment_exposures_total", ["variant": variant.variant]) == 1)
      #expect(value("aflix_experiment_conversions_total", ["variant": variant.variant]) == 1)
      #expect(value("aflix_feedback_events_total", ["event": "click"]) == 1)
      let rmse = try #require(value("aflix_model_held_out_rmse"))
      #expect(abs(rmse - (server.service.trainingInfo?.heldOutRMSE ?? .nan)) < 1e-9)
      #expect(value("aflix_model_k_svd") == server.service.trainingInfo?.svdRank.map(Double.init))
      #expect(value("aflix_model_generation") == 1)
      #expect(value("aflix_model_serving") == 1)
      #expect(value("aflix_cache_hit_rate") == 0)
      #expect(value("aflix_cache_entries") == 3)
    }
  }

  @Test func theParserRefusesWhatIsNotPrometheusText() {
    for text in [
      "no_type 1", "# TYPE x counter\nx{a=\"1\" 2", "# TYPE x counter\nx one",
      "# TYPE x counter\nx{a=1} 2",
    ] {
      #expect(throws: (any Error).self, "\(text)") { try parsePrometheus(text) }
    }
    #expect(
      (try? parsePrometheus("# TYPE x counter\nx{a=\"q\\\"\",b=\"2\"} 3\n"))
        == [PrometheusSample(name: "x", labels: ["a": "q\"", "b": "2"], value: 3)])
  }
}
