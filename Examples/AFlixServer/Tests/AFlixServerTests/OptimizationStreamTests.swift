import AFlix
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import AFlixServerCore

/// The settings of a small, quick optimisation.
func smallOptimization(limit: Int = 3) -> OptimizationSettings {
  OptimizationSettings(
    optimizer: KOptimizer(
      svdCandidates: .values([2, 4]), clusterCandidates: [2, 3], restarts: 2, threadCount: 1),
    limit: limit)
}

/// The `data:` payloads of a Server-Sent Events body, as JSON objects.
func events(_ response: TestResponse) throws -> [[String: Any]] {
  let text = String(buffer: response.body)
  return try text.components(separatedBy: "\n\n").filter { $0.hasPrefix("data: ") }.map {
    try #require(
      JSONSerialization.jsonObject(with: Data($0.dropFirst("data: ".count).utf8))
        as? [String: Any])
  }
}

/// A response body writer keeping what is written, failing every write after `failAfter` writes
/// (a client gone).
struct RecordingWriter: ResponseBodyWriter {
  final class Log: Sendable {
    let chunks = Mutex<[String]>([])
    let finished = Mutex(false)
  }
  struct Gone: Error {}

  let log = Log()
  var failAfter = Int.max

  mutating func write(_ buffer: ByteBuffer) async throws {
    let count = log.chunks.withLock { $0.count }
    guard count < failAfter else { throw Gone() }
    log.chunks.withLock { $0.append(String(buffer: buffer)) }
  }

  consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
    log.finished.withLock { $0 = true }
  }
}

/// A response body writer that, at its first write, notes the optimiser's threads running, then
/// fails at its second (a client gone).
struct ProbeWriter: ResponseBodyWriter {
  final class Log: Sendable {
    let threads = Mutex<[String]>([])
    let failedAt = Mutex<ContinuousClock.Instant?>(nil)
  }
  let log = Log()
  var writes = 0

  mutating func write(_ buffer: ByteBuffer) async throws {
    writes += 1
    if writes == 1 { log.threads.withLock { $0 = threadNames(startingWith: "AFlix optimize") } }
    if writes >= 2 {
      log.failedAt.withLock { $0 = .now }
      throw RecordingWriter.Gone()
    }
  }

  consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

/// The names of this process's threads that start with `prefix` (Linux: `/proc/self/task`).
func threadNames(startingWith prefix: String) -> [String] {
  let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
  return tasks.compactMap { task in
    (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }.filter { $0.hasPrefix(prefix) }
}

// Serialized: the test of the search's thread counts the process's optimiser threads.
@Suite(.serialized) struct OptimizationStreamTests {
  @Test func aClientGoneStopsTheSearch() async throws {
    // A search long enough to be caught running: many candidates over a larger world.
    let data = try ServerData.synthetic(users: 1_500, films: 150, seed: 11).ratings
    let optimizer = KOptimizer(
      svdCandidates: .values(Array(stride(from: 2, through: 40, by: 2))),
      clusterCandidates: Array(2...10), restarts: 10, threadCount: 1)
    let clock = ContinuousClock()
    let full = clock.measure { _ = try? optimizer.run(data) }
    #expect(threadNames(startingWith: "AFlix optimize").isEmpty)
    let writer = ProbeWriter()
    let log = writer.log
    await #expect(throws: RecordingWriter.Gone.self) {
      try await optimizationEvents(of: data, optimizer: optimizer, keepAlive: .seconds(15))
        .write(writer)
    }
    // The search's thread ran while the client was there.
    #expect(log.threads.withLock { $0 } == ["AFlix optimize"])
    // The library's search runs on its own thread; it must end soon after the client left,
    // between two candidates, long before the search would have ended by itself.
    // Watched from a thread of its own: the cooperative pool may be busy with other tests.
    let left = try #require(log.failedAt.withLock { $0 })
    let stopped = await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        while clock.now - left < .seconds(60) {
          if threadNames(startingWith: "AFlix optimize").isEmpty {
            return continuation.resume(returning: Optional(clock.now - left))
          }
          usleep(5_000)
        }
        continuation.resume(returning: nil)
      }
    }
    let stopTime = try #require(
      stopped, "the optimiser's thread still runs 60 s after the client left")
    #expect(
      stopTime * 4 < full, "stopped \(stopTime) after the client left; the search takes \(full)")
  }

  @Test func keepAliveCommentsComeWhileWaiting() async throws {
    let service = try await trainedService()
    let writer = RecordingWriter()
    let log = writer.log
    try await optimizationEvents(
      of: service.baseRatings, optimizer: smallOptimization().optimizer,
      keepAlive: .milliseconds(1)
    ).write(writer)
    let chunks = log.chunks.withLock { $0 }
    #expect(chunks.contains(": keep-alive\n\n"))
    #expect(chunks.filter { $0.hasPrefix("data: ") }.last?.contains(#""type":"completed""#) == true)
    #expect(log.finished.withLock { $0 })
  }

  @Test func aClientGoneEndsTheStream() async throws {
    let service = try await trainedService()
    var writer = RecordingWriter()
    writer.failAfter = 2
    let log = writer.log
    await #expect(throws: RecordingWriter.Gone.self) {
      try await optimizationEvents(
        of: service.baseRatings, optimizer: smallOptimization().optimizer, keepAlive: .seconds(15)
      ).write(writer)
    }
    #expect(log.chunks.withLock { $0.count } == 2)
    #expect(!log.finished.withLock { $0 })
  }

  @Test func streamsTheEventsInOrderEndingWithCompleted() async throws {
    let server = try await TestServer.trained()
    let admin = server.admin
    try await server.test(optimization: smallOptimization()) { client in
      let response = try await client.execute(
        uri: "/api/admin/stream-k-optimization", method: .get, headers: admin)
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "text/event-stream")
      let body = String(buffer: response.body)
      // Every block is a `data:` line or a keep-alive comment.
      for block in body.components(separatedBy: "\n\n") where !block.isEmpty {
        #expect(block.hasPrefix("data: ") || block == ": keep-alive")
      }
      let parsed = try events(response)
      let types = parsed.compactMap { $0["type"] as? String }
      #expect(types.count == parsed.count)
      #expect(types.last == "completed")
      #expect(types.filter { $0 == "completed" }.count == 1)
      #expect(types.contains("k_svd_result"))
      #expect(types.contains("k_cluster_result"))
      let svd = try #require(types.firstIndex(of: "k_svd_optimal"))
      let cluster = try #require(types.firstIndex(of: "k_cluster_optimal"))
      #expect(svd < cluster)
      let progress = parsed.compactMap { $0["progress"] as? Double }
      #expect(progress == progress.sorted())
    }
  }

  @Test func needsAnAdminAndIsLimitedToThreeAnHour() async throws {
    let server = try await TestServer.trained()
    let accounts = server.accounts
    let admin = server.admin
    try await accounts.register(username: "erin", password: "pw")
    let user = bearer(try await accounts.login(username: "erin", password: "pw"))
    try await server.test(optimization: smallOptimization()) { client in
      let uri = "/api/admin/stream-k-optimization"
      let anonymous = try await client.execute(uri: uri, method: .get)
      #expect(anonymous.status == .unauthorized)
      let plain = try await client.execute(uri: uri, method: .get, headers: user)
      #expect(plain.status == .forbidden)
      #expect(try errorCode(plain) == "admin_only")
      for _ in 0..<3 {
        let allowed = try await client.execute(uri: uri, method: .get, headers: admin)
        #expect(allowed.status == .ok)
      }
      let fourth = try await client.execute(uri: uri, method: .get, headers: admin)
      #expect(fourth.status == .tooManyRequests)
      #expect(try errorCode(fourth) == "rate_limited")
      let wait = try #require(fourth.headers[.retryAfter].flatMap { Int($0) })
      #expect((3500...3600).contains(wait))
    }
  }
}
