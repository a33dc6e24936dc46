// Model file benchmark (issue 15): how long a fitted model takes to save (`save(to:)`, atomic
// write) and to load (`ModelRegistry.load(from:)`, the path `aflix recommend MODEL` takes: bytes,
// checksums and every value checked), and how large its file is. Each model of --models is fitted
// once on --train with its registry defaults, then saved and loaded --repeats times into a
// temporary folder (deleted afterwards); the loaded model must score user 0 exactly as the fitted
// one does. Prints one JSON object per model: {model, ratings, users, items, fit_seconds,
// save_seconds (median), load_seconds (median), save_seconds_all, load_seconds_all, bytes,
// round_trip}.
// Options:
//   --models a,b,…   registry names (default mf-sgd,ials,ease)
//   --train F        the ratings file (default ml-100k/u1.base under --data)
//   --data DIR       the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)
//   --repeats N      saves and loads per model (default 5)
//   --threads T      AFlix and OpenBLAS threads (default: the machine's cores)
// Run: swift run -c release --package-path Benchmarks aflix-bench-persistence [options]
import AFlix
import BenchmarkSupport
import Foundation

struct Options {
  var models = ["mf-sgd", "ials", "ease"]
  var train: String?
  var data = defaultDataFolder()
  var repeats = 5
  var threads: Int?

  init(arguments: [String]) {
    var it = arguments.dropFirst().makeIterator()
    while let a = it.next() {
      switch a {
      case "--models": models = (it.next() ?? "").split(separator: ",").map(String.init)
      case "--train": train = it.next()
      case "--data": data = URL(fileURLWithPath: it.next() ?? "")
      case "--repeats": repeats = max(1, Int(it.next() ?? "") ?? repeats)
      case "--threads": threads = Int(it.next() ?? "")
      default:
        exitWithUsage(
          "usage: aflix-bench-persistence [--models a,b,…] [--train F] [--data DIR] "
            + "[--repeats N] [--threads T]", for: a)
      }
    }
  }
}

let options = Options(arguments: CommandLine.arguments)
if let t = options.threads {
  BLAS.threadCount = t
  Parallelism.maximumThreadCount = t
}
let trainPath =
  options.train ?? options.data.appendingPathComponent("ml-100k/u1.base").path

do {
  guard let train = try DatasetLoader.load(path: trainPath).ratings else {
    throw RecommendError(.emptyTrainingData, "\(trainPath) holds no ratings")
  }
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("aflix-bench-persistence-\(ProcessInfo.processInfo.processIdentifier)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  for name in options.models {
    let algorithm = try AlgorithmRegistry.defaultAlgorithm(named: name)
    let (model, fitSeconds) = try clockTime { try algorithm.fit(train) }
    let url = folder.appendingPathComponent("\(name).aflix")
    var saves: [Double] = []
    var loads: [Double] = []
    var loaded: (any RecommenderModel)?
    for _ in 0..<options.repeats {
      saves.append(try clockTime { try model.save(to: url) }.1)
      let (again, seconds) = try clockTime { try ModelRegistry.load(from: url) }
      loads.append(seconds)
      loaded = again
    }
    let bytes = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
    let roundTrip =
      loaded.map { $0.scores(forUser: 0) == model.scores(forUser: 0) && $0.items == model.items }
      ?? false
    emit([
      "model": name, "train": trainPath, "ratings": train.ratingCount,
      "users": train.userCount, "items": train.itemCount, "fit_seconds": fitSeconds,
      "save_seconds": median(saves), "load_seconds": median(loads), "save_seconds_all": saves,
      "load_seconds_all": loads, "bytes": bytes, "round_trip": roundTrip,
      "threads": options.threads ?? ProcessInfo.processInfo.activeProcessorCount,
    ])
    fflush(nil)
  }
} catch {
  FileHandle.standardError.write(Data("aflix-bench-persistence: \(error)\n".utf8))
  exit(1)
}
