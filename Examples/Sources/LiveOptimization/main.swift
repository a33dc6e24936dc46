// The K search as it happens: consume KOptimizer's AsyncSequence of events and render them,
// as a dashboard or a Server-Sent Events route would (each event is one flat JSON object).
//   swift run --package-path Examples live-optimization
import AFlix
import Foundation

let world = try SyntheticWorld.generate(WorldConfiguration(users: 2_000), seed: 3)
let optimizer = KOptimizer(
  svdCandidates: .values([5, 10, 15, 20]), clusterCandidates: [2, 3, 4, 5], restarts: 3)
let encoder = JSONEncoder()
encoder.outputFormatting = .sortedKeys

for try await event in optimizer.optimize(world.ratings) {
  let bar = String(repeating: "#", count: Int(event.progress / 5))
  switch event {
  case .kSVDResult(let c, let isBest, _):
    let rmse = c.validationRMSE.map { String(format: "%.4f", $0) } ?? "—"
    print("[\(bar)] K-SVD \(c.k): held-out RMSE \(rmse)\(isBest ? "  ← best so far" : "")")
  case .kClusterResult(let c, let isBest, _):
    let silhouette = c.silhouetteScore.map { String(format: "%.3f", $0) } ?? "—"
    print("[\(bar)] \(c.k) clusters: silhouette \(silhouette)\(isBest ? "  ← best so far" : "")")
  case .completed:
    // What a service forwards: the event as JSON, unchanged.
    print(String(decoding: try encoder.encode(event), as: UTF8.self))
  default:
    print("[\(bar)] \(event.type)")
  }
}
