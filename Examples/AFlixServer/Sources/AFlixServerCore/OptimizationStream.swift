import AFlix
import Foundation
import Hummingbird

/// The settings of `GET /api/admin/stream-k-optimization`.
public struct OptimizationSettings: Sendable {
  /// The optimiser run on the ratings.
  public var optimizer: KOptimizer
  /// The most optimisations one client may start within ``window``.
  public var limit: Int
  /// The window of ``limit``.
  public var window: Duration
  /// The time between two keep-alive comments while no event comes.
  public var keepAlive: Duration

  /// Creates settings: by default the library's optimiser, three per hour, a keep-alive every 15 s.
  public init(
    optimizer: KOptimizer = KOptimizer(), limit: Int = 3, window: Duration = .seconds(3600),
    keepAlive: Duration = .seconds(15)
  ) {
    self.optimizer = optimizer
    self.limit = limit
    self.window = window
    self.keepAlive = keepAlive
  }
}

/// The Server-Sent Events of an optimisation of `data`: one `data: <json>` per event, a
/// `: keep-alive` comment every `keepAlive` while waiting, ending after `completed` or `error`.
/// A failed write (the client gone) or a cancelled task ends the iteration, which cancels the work.
func optimizationEvents(
  of data: RatingsDataset, optimizer: KOptimizer, keepAlive: Duration
) -> ResponseBody {
  ResponseBody { writer in
    let (chunks, sink) = AsyncStream<String>.makeStream()
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
          for try await event in optimizer.optimize(data) {
            let json = try encoder.encode(event)
            sink.yield("data: \(String(decoding: json, as: UTF8.self))\n\n")
          }
        } catch {
          // The library has already yielded its `error` event; a cancellation ends quietly.
        }
        sink.finish()
      }
      group.addTask {
        while !Task.isCancelled {
          try await Task.sleep(for: keepAlive)
          sink.yield(": keep-alive\n\n")
        }
      }
      for await chunk in chunks {
        try await writer.write(ByteBuffer(string: chunk))
      }
      group.cancelAll()
    }
    try await writer.finish(nil)
  }
}

extension API {
  /// Streams a K optimisation of the ratings the served model was fitted on (the dataset's and the
  /// store's; the dataset's before a model serves) as Server-Sent Events. Needs an admin token
  /// (401 without, 403 for a user's); 429 with `Retry-After` past the client's limit.
  func streamOptimization(request: Request) async throws -> Response {
    let identity = try await requireAdmin(request, "the optimisation")
    if let wait = optimizationLimiter.acquire(client: identity.clientKey) {
      return optimizationLimiter.refusal(
        wait: wait,
        "at most \(optimizationLimiter.limit) optimisations per \(optimizationLimiter.window)")
    }
    var headers = HTTPFields()
    headers[.contentType] = "text/event-stream"
    headers[.cacheControl] = "no-cache"
    return Response(
      status: .ok, headers: headers,
      body: optimizationEvents(
        of: service.fittedRatings ?? service.baseRatings, optimizer: optimization.optimizer,
        keepAlive: optimization.keepAlive))
  }
}
