import AFlixServerCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AnalysisTests {
  @Test func evaluationIsTheHeldOutAccuracyOfTraining() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let info = try #require(service.trainingInfo)
    try await server.test { client in
      let response = try await client.execute(
        uri: "/api/recommendations/evaluation", method: .get)
      #expect(response.status == .ok)
      let body = try object(response)
      #expect(body["held_out_rmse"] as? Double == info.heldOutRMSE)
      #expect(body["held_out_mae"] as? Double == info.heldOutMAE)
      let rmse = try #require(body["held_out_rmse"] as? Double)
      let mae = try #require(body["held_out_mae"] as? Double)
      #expect(mae > 0 && mae <= rmse)
    }
  }

  @Test func evaluationAndClusteringAre503WithoutAModel() async throws {
    let data = try ServerData.synthetic(users: 300, films: 60, seed: 7)
    let service = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try SQLiteRatingStore(path: nil))
    let server = try await TestServer(service: service)
    try await server.test { client in
      for uri in ["/api/recommendations/evaluation", "/api/recommendations/clustering"] {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.status == .serviceUnavailable)
      }
    }
  }

  @Test func clusteringSegmentsEveryUser() async throws {
    let server = try await TestServer.trained()
    let service = server.service
    let users = try #require(service.fittedRatings?.userCount)
    try await server.test { client in
      let response = try await client.execute(
        uri: "/api/recommendations/clustering?k=4", method: .get)
      #expect(response.status == .ok)
      let body = try object(response)
      #expect(body["k"] as? Int == 4)
      #expect(body["user_count"] as? Int == users)
      let segments = try #require(body["segments"] as? [[String: Any]])
      #expect(segments.count == 4)
      #expect(segments.compactMap { $0["size"] as? Int }.reduce(0, +) == users)
      #expect(segments.allSatisfy { !(($0["label"] as? String) ?? "").isEmpty })

      let invalid = try await client.execute(
        uri: "/api/recommendations/clustering?k=1", method: .get)
      #expect(invalid.status == .badRequest)
      #expect(try errorCode(invalid) == "invalid_k")
    }
  }
}
