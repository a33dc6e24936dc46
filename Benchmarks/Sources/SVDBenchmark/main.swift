// Truncated SVD benchmark (issue 2): randomized SVD of a 10,000 × 400 sparse rating matrix with
// ~300,000 stored entries (10–50 per row) for K = 10…50, and exact SVD of a 2,000 × 400 dense
// matrix. Prints one JSON object per line. `--write-csv FILE` writes the sparse matrix as a ratings
// CSV (userId,movieId,rating) so that scikit-learn reads the very same data
// (Benchmarks/scripts/svd_vs_sklearn.py runs both side by side).
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var repeats = 7
  var csvPath: String?
  var threads: Int?
  var seed: UInt64 = 42

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--repeats": repeats = Int(it.next() ?? "") ?? repeats
      case "--write-csv": csvPath = it.next()
      case "--threads": threads = Int(it.next() ?? "")
      case "--seed": seed = UInt64(it.next() ?? "") ?? seed
      default:
        exitWithUsage(
          "usage: aflix-bench-svd [--repeats N] [--write-csv FILE] [--threads T] [--seed S]", for: a
        )
      }
    }
  }
}

/// A rating-like sparse matrix: low-rank tastes plus noise, rounded to 1…5 stars.
func ratingMatrix(rows: Int, columns: Int, seed: UInt64) throws -> SparseMatrix<Double> {
  var rng = SeededGenerator(seed: seed)
  let rank = 8
  let itemFactors = (0..<(columns * rank)).map { _ in rng.nextGaussian() * 0.35 }
  let itemBias = (0..<columns).map { _ in rng.nextGaussian() * 0.4 }
  var r = [Int]()
  var c = [Int]()
  var v = [Double]()
  for i in 0..<rows {
    let userFactors = (0..<rank).map { _ in rng.nextGaussian() * 0.35 }
    let tendency = 3.5 + rng.nextGaussian() * 0.5
    let degree = 10 + Int(rng.next() % 41)
    var chosen = Set<Int>()
    while chosen.count < degree { chosen.insert(Int(rng.next() % UInt64(columns))) }
    for j in chosen.sorted() {
      var x = tendency + itemBias[j] + rng.nextGaussian() * 0.8
      for t in 0..<rank { x += userFactors[t] * itemFactors[j * rank + t] * 4 }
      r.append(i)
      c.append(j)
      v.append(min(5, max(1, x.rounded())))
    }
  }
  return try SparseMatrix(rows: rows, columns: columns, rowIndices: r, columnIndices: c, values: v)
}

let options = Options(arguments: CommandLine.arguments)
if let t = options.threads {
  BLAS.threadCount = t
  Parallelism.maximumThreadCount = t
}
let a = try ratingMatrix(rows: 10_000, columns: 400, seed: options.seed)
if let path = options.csvPath {
  var text = "userId,movieId,rating\n"
  for i in 0..<a.rows {
    let (cols, vals) = a.row(i)
    for (j, x) in zip(cols, vals) { text += "\(i + 1),\(j + 1),\(Int(x))\n" }
  }
  try text.write(toFile: path, atomically: true, encoding: .utf8)
}
emit([
  "benchmark": "matrix", "rows": a.rows, "columns": a.columns, "nnz": a.nonzeroCount,
  "blas_core": BLAS.coreName, "blas_threads": BLAS.threadCount,
  "aflix_threads": Parallelism.maximumThreadCount,
])

// Exact reference for accuracy: all 400 singular values through gesdd on the dense matrix.
let exact = try a.dense().singularValueDecomposition()
for k in stride(from: 10, through: 50, by: 10) {
  for strategy in [RandomizedSVDOptions.Strategy.gram, .direct] {
    let method = SVDMethod.randomized(.init(seed: 1, strategy: strategy))
    _ = try a.truncatedSVD(rank: k, method: method)  // warm-up
    var seconds = [Double]()
    var last: TruncatedSVD<Double>?
    for _ in 0..<options.repeats {
      let (svd, s) = try time { try a.truncatedSVD(rank: k, method: method) }
      seconds.append(s)
      last = svd
    }
    let sv = last!.singularValues
    let relErrors = (0..<k).map {
      abs(sv[$0] - exact.singularValues[$0]) / exact.singularValues[$0]
    }
    emit([
      "benchmark": "randomized_svd", "strategy": strategy.rawValue, "k": k,
      "median_seconds": median(seconds), "min_seconds": seconds.min()!,
      "max_rel_error_sigma": relErrors.max()!,
      "explained_variance": Double(last!.cumulativeExplainedVariance.last!),
      "singular_values": sv,
    ])
  }
}

var denseRNG = SeededGenerator(seed: options.seed &+ 1)
let dense = Matrix<Double>(
  rows: 2000, columns: 400, elements: (0..<(2000 * 400)).map { _ in denseRNG.nextGaussian() })
_ = try dense.singularValueDecomposition()
var denseSeconds = [Double]()
for _ in 0..<options.repeats {
  denseSeconds.append(try time { try dense.singularValueDecomposition() }.1)
}
emit([
  "benchmark": "exact_svd_dense", "rows": 2000, "columns": 400,
  "median_seconds": median(denseSeconds), "min_seconds": denseSeconds.min()!,
])
