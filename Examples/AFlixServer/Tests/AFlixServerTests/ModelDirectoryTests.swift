import AFlix
import AFlixServerCore
import Foundation
import Testing

/// A temporary model directory with a store file inside, over a small synthetic world.
struct ModelFolder {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("aflix-models-\(UUID().uuidString)")
  let data: ServerData

  init() throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    data = try ServerData.synthetic(users: 200, films: 50, seed: 5)
  }

  /// A new service over the world, the folder's store file and its models.
  func service() async throws -> RecommendationService {
    try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog,
      store: try SQLiteRatingStore(path: directory.appendingPathComponent("store.sqlite").path),
      modelDirectory: directory)
  }

  func remove() {
    try? FileManager.default.removeItem(at: directory)
  }
}

@Suite struct ModelDirectoryTests {
  @Test func aTrainedModelIsSavedAndLoadedAtTheNextStart() async throws {
    let folder = try ModelFolder()
    defer { folder.remove() }
    let (directory, data) = (folder.directory, folder.data)
    let user = data.ratings.users.id(at: 2)
    let film = data.catalog.movies[3].id.description

    let first = try await folder.service()
    await first.start()
    let saved = try #require(first.trainingInfo?.modelFile)
    #expect(first.trainingInfo?.loadedFromFile == false)
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(saved).path))
    let expected = try #require(first.engine).recommend(user: user, count: 5).items.map(\.item)
    // A rating stored after the model was saved: the next start folds it in.
    try await first.rate(
      StoredRating(userID: "late", movieID: film, rating: 5, timestamp: 1, source: "test"))
    try await first.store.close()

    let second = try await folder.service()
    await second.start()
    #expect(second.trainingInfo?.loadedFromFile == true)
    #expect(second.trainingInfo?.modelFile == saved)
    #expect(second.trainingInfo?.heldOutRMSE == first.trainingInfo?.heldOutRMSE)
    let engine = try #require(second.engine)
    #expect(engine.recommend(user: user, count: 5).items.map(\.item) == expected)
    #expect(engine.pendingRatingCount == 1)
    let late = try engine.recommend(user: "late", HybridRequest(count: 5))
    #expect(late.knownRatings == 1)
    try await second.store.close()
  }

  @Test func aRatingReplacedAfterTheSaveStillLetsTheFileLoad() async throws {
    let folder = try ModelFolder()
    defer { folder.remove() }
    let data = folder.data
    let film = data.catalog.movies[7].id.description
    let first = try await folder.service()
    try await first.rate(StoredRating(userID: "newcomer", movieID: film, rating: 1, timestamp: 1))
    await first.start()
    let saved = try #require(first.trainingInfo?.modelFile)
    #expect(first.trainingInfo?.ratingCount == data.ratings.ratingCount + 1)
    // Replaced after the save: the store keeps only the new value, with a later sequence.
    try await first.rate(StoredRating(userID: "newcomer", movieID: film, rating: 5, timestamp: 2))
    try await first.store.close()

    let second = try await folder.service()
    await second.start()
    #expect(second.trainingInfo?.loadedFromFile == true)
    #expect(second.trainingInfo?.modelFile == saved)
    let engine = try #require(second.engine)
    #expect(engine.pendingRatingCount == 1)
    #expect(try await second.history(ofUser: "newcomer").map(\.rating) == [5])
    try await second.store.close()
  }

  /// The pid of a process that has ended (a stopped save's).
  static func endedProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
  }

  @Test func aDamagedNewestModelIsSkippedForTheOlderOneAndLeftoversGo() async throws {
    let folder = try ModelFolder()
    defer { folder.remove() }
    let directory = folder.directory
    let first = try await folder.service()
    for _ in 0..<(RecommendationService.keptModelFiles + 2) {
      await first.train()
      try await Task.sleep(for: .milliseconds(2))
    }
    try await first.store.close()
    let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasPrefix("hybrid-") && $0.hasSuffix(".aflix") }.sorted(by: >)
    // Older files are removed after each save.
    #expect(files.count == RecommendationService.keptModelFiles)
    let (newest, older) = (files[0], files[1])

    // The newest file torn in half, a partial file and a record left by a killed save.
    let handle = try FileHandle(forWritingTo: directory.appendingPathComponent(newest))
    let size = try handle.seekToEnd()
    try handle.truncate(atOffset: size / 2)
    try handle.close()
    let dead = try Self.endedProcessID()
    let partial = ".hybrid-999999999999999.aflix.\(dead).0badc0de.partial"
    let orphan = "hybrid-999999999999999.aflix.json"
    for name in [partial, orphan] {
      try Data("left by a killed save".utf8).write(to: directory.appendingPathComponent(name))
    }

    let second = try await folder.service()
    await second.start()
    #expect(second.trainingInfo?.loadedFromFile == true)
    #expect(second.trainingInfo?.modelFile == older)
    let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(!left.contains(partial))
    #expect(!left.contains(orphan))
    try await second.store.close()

    // Every file damaged: a new model is trained and saved.
    for name in files {
      try Data("not a model".utf8).write(to: directory.appendingPathComponent(name))
    }
    let third = try await folder.service()
    await third.start()
    #expect(third.trainingInfo?.loadedFromFile == false)
    #expect(third.engine != nil)
    try await third.store.close()
  }
}
