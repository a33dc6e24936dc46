// Loads a ratings dataset (MovieLens 100k by default), holds out 20% of each user's ratings,
// factorises the user-centred training matrix with a randomized truncated SVD, and checks how
// well the rank-k reconstruction predicts the held-out ratings as k grows.
//
//   swift run -c release --package-path Examples describe-dataset [PATH]
import AFlix
import Foundation

let path =
  CommandLine.arguments.dropFirst().first
  ?? (ProcessInfo.processInfo.environment["AFLIX_DATA"] ?? "../shared/data") + "/ml-100k"

let loaded = try DatasetLoader.load(path: path)
guard let ratings = loaded.ratings else {
  print("\(path) holds no ratings")
  exit(1)
}
print("\(ratings.userCount) users, \(ratings.itemCount) items, \(ratings.ratingCount) ratings")

let split = try ratings.split(.userHoldout(testFraction: 0.2), seed: 42)[0]
let matrix = split.train.userItemMatrix(as: Double.self)
let svd = try matrix.truncatedSVD(
  rank: 50, centering: .observedEntries(.perRow), method: .randomized(.init(seed: 1)))

/// RMSE on the held-out ratings of the rank-`k` prefix, predictions clamped to the scale.
func heldOutRMSE(rank k: Int) -> Double {
  let model = svd.prefix(k)
  var squared = 0.0
  for user in 0..<split.test.userCount {
    let (items, values) = split.test.ratings(ofUser: user)
    for (item, value) in zip(items, values) {
      var prediction = model.offsets.offset(row: user, column: Int(item))
      for t in 0..<k {
        prediction += model.u[user, t] * model.singularValues[t] * model.vt[t, Int(item)]
      }
      let clamped = Double(ratings.scale.clamp(Float(prediction)))
      squared += (clamped - Double(value)) * (clamped - Double(value))
    }
  }
  return (squared / Double(split.test.ratingCount)).squareRoot()
}

print("rank  explained  held-out RMSE")
for k in [1, 2, 5, 10, 20, 50] {
  let explained = svd.cumulativeExplainedVariance[k - 1]
  print(String(format: "%4d  %9.4f  %13.4f", k, explained, heldOutRMSE(rank: k)))
}
