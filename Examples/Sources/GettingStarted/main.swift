// Getting started: the library in twenty lines (the same lines as the README and the docs'
// Getting Started article). Runs with no data: MovieLens 100k only when the folder is there.
//   swift run --package-path Examples getting-started [PATH-TO-ml-100k]
import AFlix
import Foundation

// MovieLens 100k when it is there, else a seeded world of 2,000 synthetic users.
let path = CommandLine.arguments.dropFirst().first ?? "../shared/data/ml-100k"
let (ratings, catalog): (RatingsDataset, Catalog)
if FileManager.default.fileExists(atPath: path) {
  let loaded = try DatasetLoader.load(path: path)
  (ratings, catalog) = (loaded.ratings!, loaded.catalog!)
} else {
  let world = try SyntheticWorld.generate(WorldConfiguration(users: 2_000), seed: 42)
  (ratings, catalog) = (world.ratings, world.catalog)
}

// Choose K by held-out error, fit the hybrid (truncated SVD at K, content, popularity strata).
let k = try KOptimizer().run(ratings).kSVD
let collaborative = TruncatedSVDRecommender(rank: k)
let hybrid = try Hybrid(catalog: catalog, collaborative: collaborative).fit(ratings)

// A known user with explanations, then a newcomer who rated one film: cold start.
let user = ratings.users.id(at: 0)
for r in try hybrid.recommend(user: user, HybridRequest(count: 5, explain: true)).items {
  print(r.title ?? "\(r.item)", "—", r.explanation?.summary ?? "")
}
let newcomer = try hybrid.recommend(forRatings: [(ratings.items.id(at: 0), 5)], .init(count: 5))
print("K = \(k); a newcomer gets:", newcomer.items.map { $0.title ?? "\($0.item)" })
