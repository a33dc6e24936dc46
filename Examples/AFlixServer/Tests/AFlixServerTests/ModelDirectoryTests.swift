import AFlix
import AFlixServerCore
import Foundation
import Testing

@Suite struct ModelDirectoryTests {
  @Test func aTrainedModelIsSavedAndLoadedAtTheNextStart() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("aflix-models-\(UUID().uuidString)")
    let database = directory.appendingPathComponent("store.sqlite").path
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let data = try ServerData.synthetic(users: 200, films: 50, seed: 5)
    let user = data.ratings.users.id(at: 2)
    let film = data.catalog.movies[3].id.description

    let first = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try RatingStore(path: database),
      modelDirectory: directory)
    await first.start()
    let saved = try #require(first.trainingInfo?.modelFile)
    #expect(first.trainingInfo?.loadedFromFile == false)
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(saved).path))
    let expected = try #require(first.engine).recommend(user: user, count: 5).items.map(\.item)
    // A rating stored after the model was saved: the next start folds it in.
    try await first.rate(
      StoredRating(userID: "late", movieID: film, rating: 5, timestamp: 1, source: "test"))
    try first.store.close()

    let second = try await RecommendationService(
      ratings: data.ratings, catalog: data.catalog, store: try RatingStore(path: database),
      modelDirectory: directory)
    await second.start()
    #expect(second.trainingInfo?.loadedFromFile == true)
    #expect(second.trainingInfo?.modelFile == saved)
    #expect(second.trainingInfo?.heldOutRMSE == first.trainingInfo?.heldOutRMSE)
    let engine = try #require(second.engine)
    #expect(engine.recommend(user: user, count: 5).items.map(\.item) == expected)
    #expect(engine.pendingRatingCount == 1)
    let late = try engine.recommend(user: "late", HybridRequest(count: 5))
    #expect(late.knownRatings == 1)
    try second.store.close()
  }
}
