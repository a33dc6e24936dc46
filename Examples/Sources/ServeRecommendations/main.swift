// Serving recommendations as a service would: load MovieLens, fit, save, load the file, and
// recommend for a known user, an unknown one, and a newcomer folded in from three ratings.
//   swift run --package-path Examples serve-recommendations [PATH-TO-ml-100k]
import AFlix
import Foundation

let root = ProcessInfo.processInfo.environment["AFLIX_DATA"] ?? "../shared/data"
let path = CommandLine.arguments.dropFirst().first ?? "\(root)/ml-100k"
guard let ratings = try DatasetLoader.load(path: path).ratings else {
  print("\(path) holds no ratings (MovieLens 100k: https://grouplens.org/datasets/movielens/)")
  exit(1)
}
let algorithm = try AlgorithmRegistry.algorithm(named: "ials", seed: 42)
let file = FileManager.default.temporaryDirectory.appendingPathComponent("ials-example.aflix")
try algorithm.fit(ratings).save(to: file)

// A service starts here: no dataset, one file, no cast.
let model = try ModelRegistry.load(from: file)
func show(_ title: String, _ list: Recommendations) {
  let items = list.items.map { "\($0.item) (\(String(format: "%.3f", $0.score)))" }
  print("\(title) [\(list.source.rawValue)]: \(items.joined(separator: ", "))")
  if !list.ignoredItems.isEmpty { print("  ignored: \(list.ignoredItems)") }
}
show("user 42", model.recommend(user: 42, count: 5))
show("unknown user", model.recommend(user: "someone-new", count: 5))
show("newcomer", model.recommend(forRatings: [50: 5, 172: 4.5, 181: 4, 99_999: 3], count: 5))
show("similar to 50", model.similarItems(to: 50, count: 5))
try? FileManager.default.removeItem(at: file)
