import AFlix
import Foundation

/// The model files of a ``RecommendationService``'s `modelDirectory`: `hybrid-<ms>.aflix`, each
/// with its training record `hybrid-<ms>.aflix.json`.
///
/// Both are written atomically by the library (`AtomicFile`, `HybridModel.save(to:)`: a hidden
/// partial file, flushed, renamed into place), the record first, so a process killed at any
/// moment leaves every model file whole — the old one, or the old and the new — and at most a
/// partial file, which the next start removes. A file that fails to load (damaged on disk, or
/// written by another version) is skipped for the next older one.
extension RecommendationService {
  /// How many model files are kept: older ones are removed after each save.
  public static let keptModelFiles = 3

  /// The model files of `directory`, newest first.
  static func modelFiles(in directory: URL) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasPrefix("hybrid-") && $0.hasSuffix(".aflix") }.sorted(by: >)
  }

  /// Saves `model` with its training record beside it: the record first, then the model file, so
  /// a model file always has its record; then removes the model files beyond the newest
  /// ``keptModelFiles``. Returns the file's name.
  func save(_ model: HybridModel, info: TrainingInfo, in directory: URL) throws -> String {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let stamp = String(format: "%015.0f", info.trainedAt.timeIntervalSince1970 * 1000)
    let name = "hybrid-\(stamp).aflix"
    var record = info
    record.modelFile = name
    try AtomicFile.write(
      try JSONEncoder().encode(record), to: directory.appendingPathComponent(name + ".json"))
    try model.save(to: directory.appendingPathComponent(name))
    for old in Self.modelFiles(in: directory).dropFirst(Self.keptModelFiles) {
      try? FileManager.default.removeItem(at: directory.appendingPathComponent(old))
      try? FileManager.default.removeItem(at: directory.appendingPathComponent(old + ".json"))
    }
    return name
  }

  /// Removes what a killed process left in `directory`: partial files of saves whose process is
  /// gone (`PartialFiles.removeStale(for:)`), and records without their model file. Returns the
  /// names removed.
  @discardableResult
  func removeLeftovers(in directory: URL) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    var removed: [String] = []
    for name in names where name.hasPrefix(".hybrid-") && name.hasSuffix(".partial") {
      // `.<destination>.<pid>.<token>.partial`: the destination is what precedes the pid.
      let parts = name.dropFirst().split(separator: ".")
      guard parts.count >= 4 else { continue }
      let destination = parts.dropLast(3).joined(separator: ".")
      removed += PartialFiles.removeStale(for: directory.appendingPathComponent(destination))
    }
    let models = Set(Self.modelFiles(in: directory))
    for name in names where name.hasPrefix("hybrid-") && name.hasSuffix(".aflix.json") {
      guard !models.contains(String(name.dropLast(".json".count))) else { continue }
      if (try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))) != nil {
        removed.append(name)
      }
    }
    return removed
  }

  /// Serves the newest model file of `directory` that loads and whose record matches the data;
  /// `false` when there is none (a damaged file is logged and skipped for an older one).
  func load(from directory: URL) async throws -> Bool {
    let removed = try await OffPool.background { self.removeLeftovers(in: directory) }
    if !removed.isEmpty {
      logger.info("removed what a stopped process left", metadata: ["files": "\(removed)"])
    }
    for name in Self.modelFiles(in: directory) {
      do {
        if try await load(name, from: directory) { return true }
        return false
      } catch {
        logger.warning("\(name) not loaded, trying an older one: \(error)")
      }
    }
    return false
  }

  /// Serves the model file `name` of `directory`: `false` when its record says it was fitted on
  /// another dataset (`--data`), or predates the record of the dataset's shape: a new model is
  /// needed.
  ///
  /// - Throws: when the record or the model cannot be read.
  private func load(_ name: String, from directory: URL) async throws -> Bool {
    // Reading and decoding run off the cooperative pool, which answers /health and /ready.
    var info = try await OffPool.background {
      try JSONDecoder().decode(
        TrainingInfo.self,
        from: Data(contentsOf: directory.appendingPathComponent(name + ".json")))
    }
    guard info.datasetShape == DatasetShape(of: baseRatings) else {
      logger.warning("\(name) was fitted on another dataset; training a new model")
      return false
    }
    // The store's ratings up to the model's last one: a rating replaced since then has only its
    // new value, which the engine folds in with the later ones (see `serve`).
    let fitted = try await store.ratings().filter { $0.sequence <= info.throughSequence }
    let (data, model) = try await OffPool.background {
      (
        try self.dataset(adding: fitted),
        try HybridModel.load(from: directory.appendingPathComponent(name))
      )
    }
    info.modelFile = name
    info.loadedFromFile = true
    try await serve(model, fittedOn: data, info: info)
    logger.info("model loaded", metadata: ["file": "\(name)", "ratings": "\(data.ratingCount)"])
    return true
  }
}
