import AFlixCluster
import AFlixData
import AFlixLinalg
import Foundation
import Testing

@testable import AFlixRecommend

/// User segments and their mean factors (the original's `U_avg`), beside the film clusters.
@Suite("User segments")
struct FilmClusterUserSegmentTests {
  @Test func segmentsFollowSeparableFactorsAndAverageTheirMembers() throws {
    let (factors, users) = FilmClusterTests.blobs(
      [[0, 0, 0], [8, 0, 0], [0, 8, 0]], perBlob: 15, seed: 5)
    let segments = try UserSegments(userFactors: factors, users: users, clusterCount: 3, seed: 2)
    #expect(segments.segmentCount == 3)
    #expect(segments.sizes == [15, 15, 15])
    for blob in 0..<3 {
      #expect(Set((0..<15).map { segments.segmentOfUser[blob * 15 + $0] }).count == 1)
    }
    // Each mean factor is the plain mean of its members' rows.
    for s in 0..<3 {
      let members = (0..<45).filter { segments.segmentOfUser[$0] == s }
      for j in 0..<3 {
        let mean = members.reduce(0.0) { $0 + Double(factors[$1, j]) } / Double(members.count)
        #expect(abs(Double(segments.meanFactor(ofSegment: s)[j]) - mean) < 1e-5)
      }
    }
    #expect(segments.segment(ofID: 20) == segments.segmentOfUser[20])
    #expect(segments.segment(ofID: 4_000) == nil)
  }

  @Test func assignIsTheNearestMeanFactor() throws {
    var rng = SeededGenerator(seed: 8)
    let rows = (0..<120).map { _ in (0..<4).map { _ in Float.random(in: -1...1, using: &rng) } }
    let segments = try UserSegments(
      userFactors: Matrix(rows), users: IDMap((0..<120).map { EntityID.int($0) }),
      clusterCount: 5, seed: 1)
    for _ in 0..<200 {
      let x = (0..<4).map { _ in Float.random(in: -1.5...1.5, using: &rng) }
      let distances = (0..<5).map { s in
        zip(x, segments.meanFactor(ofSegment: s)).reduce(0.0) {
          $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1))
        }
      }
      let nearest = distances.indices.min { distances[$0] < distances[$1] }!
      #expect(try segments.assign(factors: x) == nearest)
    }
  }

  @Test func badInputIsATypedErrorAndDecodingChecksTheParts() throws {
    let (factors, users) = FilmClusterTests.blobs([[0, 0], [4, 4]], perBlob: 3, seed: 1)
    #expect(throws: ClusterError.self) {
      try UserSegments(userFactors: factors, users: users, clusterCount: 7)
    }
    var bad = factors
    bad.elements[0] = .infinity
    let error = #expect(throws: ClusterError.self) {
      try UserSegments(userFactors: bad, users: users, clusterCount: 2)
    }
    #expect(error?.kind == .nonFiniteValue)
    let segments = try UserSegments(userFactors: factors, users: users, clusterCount: 2, seed: 3)
    let again = try UserSegments(userFactors: factors, users: users, clusterCount: 2, seed: 3)
    #expect(segments == again)
    let wrong = #expect(throws: ClusterError.self) { try segments.assign(factors: [1]) }
    #expect(wrong?.kind == .invalidArgument)
    let data = try JSONEncoder().encode(segments)
    #expect(try JSONDecoder().decode(UserSegments.self, from: data) == segments)
    var object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    object["sizes"] = [5, 1]
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(
        UserSegments.self, from: try JSONSerialization.data(withJSONObject: object))
    }
  }
}
