// A long-running service's engine: concurrent requests, a user's new ratings reflected at once,
// and a retrained model swapped in while requests keep coming — no request sees a half-built one.
//   swift run --package-path Examples embedding-in-a-service
import AFlix
import Foundation

let world = try SyntheticWorld.generate(WorldConfiguration(users: 2_000), seed: 11)
let data = world.ratings
let engine = RecommendationEngine(model: try EASE().fit(data), ratings: data)
let ids = (0..<data.userCount).map { data.users.id(at: $0) }

// 1,000 concurrent requests from the cooperative pool (scoring never blocks it).
let clock = ContinuousClock()
let start = clock.now
let served = await withTaskGroup(of: Int.self) { group in
  for k in 0..<1_000 {
    group.addTask { engine.recommend(user: ids[k % ids.count], count: 10).items.count }
  }
  var total = 0
  for await count in group { total += count }
  return total
}
print("1,000 concurrent requests: \(served) films in \(clock.now - start)")

// A user rates two films: the next request reflects it without a retrain.
let user = ids[0]
let before = engine.recommend(user: user, count: 5).items.map(\.item)
try engine.update(user: user, ratings: [(item: before[0], value: 1), (item: before[1], value: 1)])
let after = engine.recommend(user: user, count: 5).items.map(\.item)
print("after rating two of them 1★: \(before) → \(after)")

// A retrain on everything added so far, swapped in while requests keep flowing.
async let refit: Void = engine.refit(with: EASE())
let during = await withTaskGroup(of: Int.self) { group in
  for k in 0..<200 {
    group.addTask { engine.recommend(user: ids[k % ids.count], count: 10).items.count }
  }
  var total = 0
  for await count in group { total += count }
  return total
}
try await refit
print(
  "during the refit: \(during) films served; after it: \(engine.recommend(user: user, count: 5).items.map(\.item))"
)
