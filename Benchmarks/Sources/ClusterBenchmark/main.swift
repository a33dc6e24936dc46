// K-means + silhouette benchmark (issue 4): the user factors of the default synthetic world
// (10,000 users × 400 films, seed 42) from an uncentred randomized truncated SVD (U·Σ, what
// scikit-learn's TruncatedSVD.fit_transform returns), then K-means (10 restarts) for k = 2…8 and
// the exact silhouette of every fit, timed as whole sweeps (median of --sweeps): the fits one by
// one, the silhouettes in one `ClusterMetrics.silhouetteScores(_:labelings:)` pass (or one call
// per k with `--silhouette single`). `--algorithm lloyd` runs plain Lloyd restart by restart,
// `--algorithm elkan` Elkan-bounded iterations, instead of the default restarts in lockstep
// (`batched`; the same results). `--write-csv FILE` writes the factors as a
// headerless CSV so that scikit-learn clusters the very same points
// (Benchmarks/scripts/cluster_vs_sklearn.py runs both side by side). Prints one JSON object.
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var factors = 50
  var sweeps = 3
  var restarts = 10
  var seed: UInt64 = 42
  var threads: Int?
  var csvPath: String?
  var algorithm = KMeans.Algorithm.batched
  var singleSilhouettes = false
  var ks = 2...8

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--factors": factors = Int(it.next() ?? "") ?? factors
      case "--sweeps": sweeps = Int(it.next() ?? "") ?? sweeps
      case "--restarts": restarts = Int(it.next() ?? "") ?? restarts
      case "--seed": seed = UInt64(it.next() ?? "") ?? seed
      case "--threads": threads = Int(it.next() ?? "")
      case "--write-csv": csvPath = it.next()
      case "--algorithm":
        switch it.next() {
        case "lloyd": algorithm = .lloyd
        case "elkan": algorithm = .elkan
        default: algorithm = .batched
        }
      case "--silhouette": singleSilhouettes = it.next() == "single"
      case "--k":
        let bounds = (it.next() ?? "").split(separator: "-").compactMap { Int($0) }
        if let low = bounds.first, let high = bounds.last, low >= 1, low <= high {
          ks = low...high
        }
      default:
        exitWithUsage(
          "usage: aflix-bench-cluster [--factors 50] [--sweeps 3] [--restarts 10] [--seed 42] "
            + "[--threads T] [--write-csv FILE] [--algorithm batched|elkan|lloyd] "
            + "[--silhouette sweep|single] [--k 2-8]", for: a)
      }
    }
  }
}

let options = Options(arguments: CommandLine.arguments)
if let t = options.threads {
  BLAS.threadCount = t
  Parallelism.maximumThreadCount = t
}
let world = try SyntheticWorld.generate(WorldConfiguration(), seed: 42)
let matrix = world.ratings.userItemMatrix(as: Double.self)
var svd: TruncatedSVD<Double>!
let svdSeconds = try time {
  svd = try matrix.truncatedSVD(
    rank: options.factors, centering: .none, method: .randomized(.init(seed: options.seed)))
}.1
var factors = svd.u
for i in 0..<factors.rows {
  for t in 0..<options.factors {
    factors.elements[i * options.factors + t] *= svd.singularValues[t]
  }
}
if let path = options.csvPath {
  var text = ""
  text.reserveCapacity(factors.rows * options.factors * 24)
  for i in 0..<factors.rows {
    text += factors.row(i).map { "\($0)" }.joined(separator: ",")
    text += "\n"
  }
  try text.write(toFile: path, atomically: true, encoding: .utf8)
}

struct Row {
  var k: Int
  var inertia = 0.0
  var silhouette = 0.0
  var balance = 0.0
  var iterations = 0
  var fitSeconds: [Double] = []
}
var rows = options.ks.map { Row(k: $0) }
var kmeansSeconds: [Double] = []
var silhouetteSeconds: [Double] = []
for _ in 0..<options.sweeps {
  var fits: [KMeansResult] = []
  for r in rows.indices {
    var fit: KMeansResult!
    let fitTime = try time {
      fit = try KMeans(
        clusterCount: rows[r].k, restarts: options.restarts, seed: options.seed,
        algorithm: options.algorithm
      ).fit(factors)
    }.1
    fits.append(fit)
    rows[r].inertia = fit.inertia
    rows[r].balance = ClusterMetrics.balance(sizes: fit.clusterSizes)
    rows[r].iterations = fit.iterations
    rows[r].fitSeconds.append(fitTime)
  }
  var scores: [Double] = []
  let silhouetteTime = try time {
    scores =
      options.singleSilhouettes
      ? try fits.map { try ClusterMetrics.silhouetteScore(factors, labels: $0.labels) }
      : try ClusterMetrics.silhouetteScores(factors, labelings: fits.map(\.labels))
  }.1
  for r in rows.indices { rows[r].silhouette = scores[r] }
  kmeansSeconds.append(rows.map { $0.fitSeconds.last! }.reduce(0, +))
  silhouetteSeconds.append(silhouetteTime)
}

let sweepSeconds = zip(kmeansSeconds, silhouetteSeconds).map { $0 + $1 }
let composite = rows.map { 0.5 * $0.silhouette + 0.3 * $0.balance + 0.2 / Double($0.k) }
let best = composite.indices.max { composite[$0] < composite[$1] }!
let object: [String: Any] = [
  "benchmark": "kmeans_silhouette_sweep", "users": factors.rows, "factors": options.factors,
  "restarts": options.restarts, "svd_seconds": svdSeconds, "sweeps": options.sweeps,
  "median_sweep_seconds": median(sweepSeconds), "sweep_seconds": sweepSeconds,
  "median_kmeans_seconds": median(kmeansSeconds),
  "median_silhouette_seconds": median(silhouetteSeconds),
  "algorithm": "\(options.algorithm)",
  "silhouette": options.singleSilhouettes ? "single" : "sweep",
  "chosen_k": rows[best].k, "blas_core": BLAS.coreName, "blas_threads": BLAS.threadCount,
  "aflix_threads": Parallelism.maximumThreadCount,
  "per_k": rows.enumerated().map { index, row in
    [
      "k": row.k, "inertia": row.inertia, "silhouette": row.silhouette, "balance": row.balance,
      "composite_score": composite[index], "iterations": row.iterations,
      "fit_seconds": median(row.fitSeconds),
    ] as [String: Any]
  },
]
emit(object)
