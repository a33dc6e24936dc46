import AFlixData
import AFlixLinalg
import AFlixSynth
import Foundation
import Testing

/// Changes the global thread count: serialized, and restores it.
@Suite(.serialized) struct ThreadCountTests {
  @Test func worldsDoNotDependOnTheThreadCount() throws {
    let saved = Parallelism.maximumThreadCount
    defer { Parallelism.maximumThreadCount = saved }
    var configuration = WorldConfiguration(users: 3_100)
    configuration.archetypes = Archetype.original
    configuration.filmChoice = .popularityWeighted(exponent: 0.7)
    var worlds: [SyntheticWorld] = []
    var folders: [URL] = []
    defer { for folder in folders { try? FileManager.default.removeItem(at: folder) } }
    for threads in [1, 2, 3] {
      Parallelism.maximumThreadCount = threads
      worlds.append(try SyntheticWorld.generate(configuration, seed: 21))
      let folder = try Worlds.temporaryFolder()
      folders.append(folder)
      try WorldWriter.stream(configuration, seed: 21, to: folder)
    }
    for world in worlds.dropFirst() {
      #expect(world.ratings.allRatings() == worlds[0].ratings.allRatings())
      #expect(world.profiles == worlds[0].profiles)
      #expect(world.expectedRatings == worlds[0].expectedRatings)
    }
    for folder in folders.dropFirst() {
      for name in FilesTests.names {
        #expect(
          try Data(contentsOf: folder.appendingPathComponent(name))
            == Data(contentsOf: folders[0].appendingPathComponent(name)), "\(name)")
      }
    }
  }
}
