// Cold start, step by step: a newcomer rates one film after another, from none to ten, and the
// hybrid's recommendations and their explanations change as it learns who they are.
//   swift run --package-path Examples cold-start
import AFlix

// A seeded synthetic world (users with known tastes) and the full hybrid fitted on it.
let world = try SyntheticWorld.generate(WorldConfiguration(users: 2_000), seed: 7)
let hybrid = try Hybrid(catalog: world.catalog).fit(world.ratings)

// The newcomer likes what one of the world's users rated highest, in that order.
let (items, values) = world.ratings.ratings(ofUser: 0)
let favourites = zip(items, values).sorted { $0.1 > $1.1 }.map {
  (item: world.ratings.items.id(at: Int($0.0)), value: $0.1)
}

for n in 0...10 {
  let known = Array(favourites.prefix(n))
  let list = try hybrid.recommend(forRatings: known, HybridRequest(count: 3, explain: true))
  let mix = list.mix
  print(
    "\n\(n) rating(s) — weights: collaborative \(mix.collaborative), content \(mix.content), "
      + "popularity \(mix.popularity)")
  for r in list.items {
    print("  \(r.title ?? "\(r.item)"): \(r.explanation?.summary ?? "")")
  }
}
