// The original's core claim, measured: a synthetic world over MovieLens 100k's real catalog, 40
// real users folded in, world only vs cohort only vs hybrid on the cohort's held-out ratings.
//   swift run --package-path Examples hybrid-training [PATH-TO-ml-100k]
import AFlix
import Foundation

let root = ProcessInfo.processInfo.environment["AFLIX_DATA"] ?? "../shared/data"
let folder = CommandLine.arguments.dropFirst().first ?? "\(root)/ml-100k"
guard let catalog = try DatasetLoader.load(path: folder).catalog else {
  print("\(folder) has no u.item (MovieLens 100k: https://grouplens.org/datasets/movielens/)")
  exit(1)
}
let split = try MovieLens100KLoader.loadPredefinedSplit(
  folder: URL(fileURLWithPath: folder), fold: 1)

// The cohort: the first 40 users of u1.test with ratings on both sides.
let cohort = Set((0..<split.test.userCount).map { split.test.users.id(at: $0) }.prefix(40))
func only(_ data: RatingsDataset) throws -> RatingsDataset {
  try RatingsDataset(
    ratings: data.allRatings().filter { cohort.contains($0.user) }, scale: data.scale)
}
// The world: synthetic users with known tastes rating the real films.
let world = try SyntheticWorld.generate(
  WorldConfiguration(users: 3_000, catalog: .provided(catalog)), seed: 5)

let report = try WorldCohortEvaluation(
  world: world.ratings, worldCatalog: world.catalog, cohortTrain: try only(split.train),
  cohortTest: try only(split.test), cohortCatalog: catalog
).run(BiasedALS(factors: 16, iterations: 10, seed: 1))
print("40 real users, their u1.test ratings (biased ALS, 16 factors):")
for row in report.rows {
  let rmse = row.rmse.map { String(format: "%.4f", $0) } ?? "—"
  print("  \(row.variant.rawValue): RMSE \(rmse), NDCG@10 \(String(format: "%.4f", row.ndcg))")
}
